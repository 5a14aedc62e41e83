"""The auditor's and the administrator's consoles in a real Chromium through the real gateway.

An auditor signs in with TOTP, pins the log's key, finds the mediator's staff account under the
display name it goes by now (renamed by an administrator, then by herself), with its user name
beside it, finds a document's accesses by its name, opens an entry and sees it verified in the
page; a test-only proxy between browser and gateway
then serves a tampered proof and the page shows the failure. The hearing's entries read as
sentences (no raw action code), with its connection reports folded into one line (its span to
the second), and a refused use of an invitation that two services recorded one line that opens
either entry (a second attempt, a line of its own). A document
kept by one side and released twice shows where it was kept by the compartments' names (never
their ids) and the hearing's listings that may have shown it, lister by lister, with those left
out counted, and each placement names the version it covers (a release widens the latest only);
a lister's row opens their listings. Two documents of one name: the search says so and lets the
auditor choose, each told by who first uploaded it and when, as the hearing's summary tells them.
A person's report numbers versions as the document's does, and gives their rooms to the second;
it shows every use of their invitation among their own entries in time order, the refused ones
(someone turned away, someone trying a used link from elsewhere) folded as the search folds them
and counted, those after the link had been used said apart.
A hearing's summary says when it was created, scheduled (in its zone), opened and ended, and
whether its documents went; the list of hearings gives each one's state and dates. A hearing's
people include its mediator, a staff account, with its role. The timeline
of a scripted hearing matches, lane by lane, the moves that were made, the mediator's own, a
side's, a recall's and a caucus closing's included (read from the SVG's data attributes), with
the mediator's lane first, named, its long name on two lines (the role on its own) and cut only where it
still does not fit, its table's times to the second; a 3-hour
hearing with 20 people and 500 moves renders in under 500 ms; at tablet width its table (and
the hearing's summary) fit without the page scrolling sideways. An export shows its progress and
the downloaded bundle, saved under a name that says what it holds and when, the command on the
page naming it, verifies with `parley-audit verify --vkey` (and not without a key). An
admin creates and disables an account in the browser and that account's open session ends.
The admin's settings show the calls' relay-only ICE policy as the signalling service has it.
axe-core on every screen; screenshots at laptop and tablet widths, and in zh-Hant and zh-Hans at laptop width.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp import web

from tests.browser import VIEWPORTS, Tab, chromium, open_tab, requires_chromium
from tests.e2e.audit_world import (
    ADDRESS,
    DOCUMENT,
    HEARING,
    LOCKED_OUT,
    MEDIATOR,
    PEOPLE,
    REMOVED_SIDE,
    SCHEDULED_AT,
    SETTLEMENT,
    SETTLEMENT_KEPT,
    SETTLEMENT_LEFT_OUT,
    SETTLEMENT_MAY,
    SETTLEMENT_MEDIATOR,
    SIDE_COLOURS,
    SIDES,
    USED_LINK,
    publish,
    script,
)
from tests.e2e.staff_steps import sign_in, t
from tests.harness import Suite, free_port, wait_until
from tests.people import PASSWORD, People, staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"
ZH = "zh-Hant"
TURN_URL = "turns:turn.lam-chen.example:5349"
TURN_SECRET = "turn-secret-the-page-never-shows"


#: A 3-hour hearing, 20 people, 500 moves, drawn by the page's own code (ms, with a paint).
RENDER_500_MOVES = """async () => {
    const { drawTimeline } = await import('/static/js/screens/audit-hearings.js');
    const { directory } = await import('/static/js/audit/labels.js');
    const events = []; const t0 = 1764000000000; const rooms = ['plenary', 'c1', 'c2'];
    for (let p = 0; p < 20; p += 1) events.push({ time: t0, action: 'participant.redeem', outcome: 'allowed',
      resource: { type: 'invitation', id: 'i' + p }, details: { participant: 'p' + p } });
    for (let i = 0; i < 500; i += 1) events.push({ time: t0 + Math.round((i + 1) * 10800000 / 501),
      action: 'room.move', outcome: 'allowed', resource: { type: 'participant', id: 'p' + (i % 20) },
      details: { from: 'x', to: rooms[(i * 7) % 3] } });
    const figure = document.createElement('figure'); document.body.append(figure);
    const start = performance.now(); drawTimeline(figure, events, directory([]));
    await new Promise((r) => requestAnimationFrame(() => r()));
    const took = performance.now() - start; figure.remove(); return took; }"""


class TamperProxy:
    """Between the browser and the gateway; flips a byte of inclusion proofs when told to."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.tamper = False
        self.port = free_port()
        self.runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        async with aiohttp.ClientSession(auto_decompress=False) as http, http.request(
                request.method, self.upstream + request.path_qs, headers=headers,
                data=await request.read(), allow_redirects=False) as upstream:
            body = await upstream.read()
            if self.tamper and request.path == "/api/v1/audit/proofs/inclusion" and upstream.status == 200:
                proof = json.loads(body)
                first = bytearray(base64.b64decode(proof["hashes"][0]))
                first[0] ^= 1
                proof["hashes"][0] = base64.b64encode(bytes(first)).decode()
                body = json.dumps(proof).encode()
            out = web.Response(status=upstream.status, body=body)
            for name, value in upstream.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    out.headers.add(name, value)
            return out

    async def start(self) -> str:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    """The suite as an institution with relay-only calls runs it (what the admin must see)."""
    running = Suite(data_dir=tmp_path_factory.mktemp("suite") / "data", extra_env={
        "PARLEY_TURN_URLS": TURN_URL, "PARLEY_TURN_SECRET": TURN_SECRET,
        "PARLEY_ICE_RELAY_ONLY": "true", "PARLEY_TURN_TTL_S": "900"})
    running.start()
    yield running
    running.stop()


@pytest.fixture
async def world(suite: Suite) -> AsyncIterator[tuple[People, list[tuple[str, str, int, int]]]]:
    await suite.ready()
    people = await staff_people(suite)
    scripted, segments = script()
    if not getattr(suite, "_audit_script", False):
        await publish(suite, scripted.events)
        suite._audit_script = True  # type: ignore[attr-defined]
    yield people, segments


async def signed_in(tab: Tab, people: People, role: str) -> None:
    """Sign in through the page. On a machine this loaded a code can age out of the server's
    window between being made and being checked: then the page says so, and a fresh one is used."""
    staff = people.by_role(role)
    await tab.page.goto("/signin")
    refused = t(EN, "staff.error.signin.unauthenticated")
    for _ in range(3):
        await sign_in(tab, EN, staff.username, PASSWORD, await staff.next_totp())
        outcome = await tab.wait_for(
            "!location.pathname.startsWith('/signin') ? 'in'"
            " : (document.querySelector('main').innerText.includes(arg) ? 'refused' : '')",
            arg=refused, timeout=60)
        if outcome == "in":
            return
    raise AssertionError(f"{role} could not sign in")


async def no_sideways_scroll(tab: Tab, screen: str) -> None:
    """At tablet width (820 px) the page never scrolls sideways: what is wide wraps, or scrolls
    inside its own box."""
    width, height = VIEWPORTS["tablet"]
    await tab.page.set_viewport_size({"width": width, "height": height})
    scroll, client = await tab.value("""() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
        done([document.documentElement.scrollWidth, document.documentElement.clientWidth]))))""")
    assert scroll <= client, f"{screen}: the page is {scroll} px wide at a {client} px tablet"


async def shot(tab: Tab, screen: str) -> None:
    await tab.check_accessible(screen)
    await tab.screenshot(screen, "tablet")
    await tab.screenshot(screen, "laptop")


#: What each screen shows once drawn (the zh-Hant pass waits for it before its screenshot).
DRAWN = {
    "audit-search": "document.querySelector('.total[data-total]')",
    "audit-hearing-entries": "document.querySelector('.total[data-total]')",
    "audit-refusals": "document.querySelector('.total[data-total]')",
    "audit-document-report": "document.querySelector('.total[data-total]')",
    "audit-document-listings": "document.querySelector('#listings') && document.querySelector('.total[data-total]')",
    "audit-person-account": "document.querySelector('#account-note') && document.querySelector('.total[data-total]')",
    "audit-same-named": "document.querySelector('#same-named .doc-origin')",
    "audit-person-versions": "document.querySelector('.rooms-list li') && document.querySelector('.total[data-total]')",
    "audit-hearings": "document.querySelector('.card .hearing-when')",
    "audit-verify": "document.querySelector('#verify-panel[data-verified=\"true\"]')",
    "audit-hearing": "document.querySelector('.stats')",
    "audit-timeline": "document.querySelector('#timeline[data-lanes]')",
    "audit-export": "document.querySelector('#export-start')",
    "admin-accounts": "document.querySelector('tr[data-account]')",
    "admin-health": "document.querySelector('#ice-settings')",
}


#: Gives a new context the local storage `tab`'s had (its language, the pinned log key), once:
#: an item the page has set since (the language chosen) is not put back on the next load.
COPY_STORAGE = """(() => { if (location.origin !== ORIGIN) return;
  for (const { name, value } of ITEMS) if (localStorage.getItem(name) === null) localStorage.setItem(name, value);
})();"""


async def in_chinese(tab: Tab, screens: dict[str, str], secrets: list[str]) -> None:
    """Shoot each screen in Traditional and in Simplified Chinese, each chosen with the header's
    switcher (`<screen>-zh-Hant-laptop.png`, `<screen>-zh-Hans-laptop.png`), axe-core on each.
    The two languages go side by side: Traditional in a second tab, a context of its own given
    `tab`'s cookies and local storage (signed in, the same key pinned), checked clean as `tab`
    is; Simplified in `tab`, which is left in it."""
    browser = tab.context.browser
    assert browser is not None
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(tab.page.url))
    state = await tab.context.storage_state()
    twin = await open_tab(browser, origin)
    try:
        await twin.context.add_cookies(state["cookies"])  # type: ignore[arg-type]
        items = next((o["localStorage"] for o in state["origins"] if o["origin"] == origin), [])
        await twin.context.add_init_script(
            COPY_STORAGE.replace("ORIGIN", json.dumps(origin)).replace("ITEMS", json.dumps(items)))
        await twin.page.goto(next(iter(screens.values())))
        await asyncio.gather(_in_language(twin, ZH, screens), _in_language(tab, "zh-Hans", screens))
        twin.assert_clean(secrets=secrets)
    finally:
        await twin.context.close()


async def _in_language(tab: Tab, lang: str, screens: dict[str, str]) -> None:
    await tab.page.select_option("#language", lang)
    await tab.wait_for(f"document.documentElement.lang === '{lang}'")
    for screen, url in screens.items():
        await tab.page.goto(url)
        await tab.wait_for(DRAWN[screen])
        await tab.check_accessible(f"{screen} {lang}")
        await tab.screenshot(f"{screen}-{lang}", "laptop")


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(300)  # one long story; ~60 s on an idle machine
async def test_auditor_finds_verifies_exports_and_sees_the_timeline(
        suite: Suite, world: tuple[People, list[tuple[str, str, int, int]]], tmp_path: Path) -> None:
    people, segments = world
    proxy = TamperProxy(suite.base_url)
    base = await proxy.start()
    try:
        async with chromium() as browser:
            tab = await open_tab(browser, base)
            page = tab.page
            await signed_in(tab, people, "auditor")
            await page.get_by_role("heading", name=t(EN, "audit.search.title")).wait_for()
            # First visit: pin the key the server offers (after comparing its id).
            _, _, vkey = await _get(people, "/api/v1/audit/vkey")
            key_id = vkey.decode().split("+")[1]
            await page.locator(f"[data-key-id='{key_id}']").first.wait_for()
            await page.get_by_role("button", name=t(EN, "audit.pin.action")).click()
            await tab.wait_for("document.querySelector('#log-status .log-ok')")

            # The mediator's account was made with no display name (user name "mediator"); an
            # administrator names her, then she changes it herself. The auditor sees the name
            # she goes by now, and the user name she signs in with beside it.
            seen = await _renamed_mediator(tab, people)

            # Find a document's accesses by its name.
            await page.goto("/audit")
            await page.get_by_label(t(EN, "audit.f.document")).fill(DOCUMENT[1])
            await page.get_by_role("button", name=t(EN, "audit.search.action"), exact=True).click()
            await tab.wait_for("document.querySelector('.total[data-total=\"5\"]')")
            rows = await page.locator("table.results tbody tr").all_inner_texts()
            # The recorded `end` is exclusive: the last byte is one less; a version is numbered
            # by the document's uploads in the log (the second came after these two downloads).
            for sentence in (
                    "Cy Wong (counsel, Respondent) downloaded ‘Expert report v2.pdf’ (version 1, the only one then), "  # noqa: RUF001
                    "bytes 0–1,048,575 of 2,000,000",  # noqa: RUF001
                    "Bo Lam (party, Claimant) downloaded ‘Expert report v2.pdf’ (version 1, the only one then), "  # noqa: RUF001
                    "the whole document (2,000,000 bytes)",
                    "Dee Ho (party, Respondent) downloaded ‘Expert report v2.pdf’ (version 2 of 2), bytes 0–99 of 686"):  # noqa: RUF001
                assert any(sentence in r for r in rows), (sentence, rows)
            await shot(tab, "audit-search")
            seen["audit-search"] = page.url
            await page.get_by_role("link", name=t(EN, "audit.report.document_link")).click()
            # The search page had the same total: wait for the report's own page to show it.
            await tab.wait_for("location.pathname !== '/audit'"
                               " && document.querySelector('.total[data-total=\"5\"]')")
            await shot(tab, "audit-document-report")
            seen["audit-document-report"] = page.url

            # Open an entry: verified in the page against the pinned key.
            await page.locator("table.results tbody tr[data-action='document.download'] a").first.click()
            await tab.wait_for("document.querySelector('#verify-panel[data-verified]')")
            assert await tab.value("document.querySelector('#verify-panel').dataset.verified") == "true", tab.dump()
            text = await page.locator("#verify-result").inner_text()
            origin = vkey.decode().split("+")[0]
            assert f"signed by {origin}" in text and "Verified against checkpoint" in text
            fields = await page.locator("dl.fields").inner_text()
            # Both zones, side by side; the hearing's named as people read it, not "Asia/Hong_Kong".
            assert "hearing's zone (Hong Kong" in fields and "Asia/" not in fields, fields
            assert "version 1, the only one uploaded by then (2 in the log), id v1" in fields, fields
            await shot(tab, "audit-verify")
            seen["audit-verify"] = page.url

            # A tampered proof (the test proxy, not the product) fails, in the page.
            proxy.tamper = True
            await page.get_by_role("button", name=t(EN, "audit.verify.again")).click()
            await tab.wait_for("document.querySelector('#verify-panel').dataset.verified === 'false'")
            assert await tab.value("document.querySelector('#verify-result').dataset.code") == "root-mismatch"
            await page.get_by_text(t(EN, "audit.verify.failed_title")).wait_for()
            await tab.screenshot("audit-verify-tampered", "laptop")
            proxy.tamper = False

            # The hearing's entries, newest first: every one a sentence, the connection reports
            # folded into one line that opens in place.
            await page.goto(f"/audit?hearing={HEARING}")
            await tab.wait_for("document.querySelector('.total[data-total]')")
            codes = await tab.value("""() => [...document.querySelectorAll('table.results tbody tr[data-action]')]
                .filter((r) => r.innerText.includes(r.dataset.action)).map((r) => r.innerText)""")
            assert codes == [], codes
            # The Action filter: every family a group with its "all" choice and its actions, named;
            # those the log holds only as refusals (a chat message, another command) named so.
            groups = await tab.value("""() => [...document.querySelectorAll('#f-action optgroup')].map((g) =>
                [g.label, [...g.querySelectorAll('option')].map((o) => [o.value, o.textContent])])""")
            assert len(groups) == 8 and all(len(options) >= 3 for _, options in groups), groups
            for label, options in groups:
                family = options[0][0]
                assert label == t(EN, f"audit.family.{family[:-1]}") and options[0][1] == t(EN, f"audit.family_all.{family[:-1]}")
                refused_only = ("room.chat", "hearing.command")
                assert all(text == (t(EN, "audit.f.action_refused", action=t(EN, f"audit.action.{value}")) if value in refused_only
                                    else t(EN, f"audit.action.{value}")) for value, text in options[1:]), options
            folded = page.locator("tr.folded[data-folded='room.peer_state']")
            assert await folded.get_attribute("data-count") == "5"
            # The run's span is to the second, as every row's time is (its reports are 1 s apart).
            span = await folded.locator("td").first.inner_text()
            assert re.fullmatch(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} – \d{2}:\d{2}:\d{2} \(.+\)", span), span  # noqa: RUF001
            await shot(tab, "audit-hearing-entries")
            seen["audit-hearing-entries"] = page.url
            await folded.get_by_role("button").click()
            assert await page.locator("tr[data-action='room.peer_state']").count() == 5
            assert await page.locator("tr.folded").count() == 0

            seen["audit-document-listings"] = await _settlement_report(tab)
            seen["audit-same-named"] = await _same_named_documents(tab)
            seen["audit-person-versions"] = await _person_versions_and_rooms(tab)
            await _invitation_attempts(tab)
            seen["audit-refusals"] = await _sides_and_refusals(tab)

            # The scripted hearing's timeline, lane by lane.
            await page.goto(f"/audit/hearings/{HEARING}")
            await page.get_by_role("heading", name="Hearing ‘Lam v. Chen’").wait_for()  # noqa: RUF001
            # The sides in their colours as the log last recorded them; the one removed says so.
            await page.locator("#side-list li").first.wait_for()
            sides = await tab.value("""() => [...document.querySelectorAll('#side-list li')].map((li) =>
                [li.dataset.side, li.dataset.colour, li.dataset.removed, li.innerText])""")
            third, first_name, new_name, _ = REMOVED_SIDE
            assert [s[:3] for s in sides] == [["sClaim", SIDE_COLOURS["sClaim"], "false"], ["sResp", SIDE_COLOURS["sResp"], "false"],
                                              [third, "a", "true"]], sides
            assert sides[2][3].startswith(new_name) and t(EN, "audit.hearing.side_removed") in sides[2][3], sides
            assert f"‘{first_name}’, blue, from " in sides[2][3] and "removed " in sides[2][3], sides  # noqa: RUF001
            assert "‘Respondent’, rust, from " in sides[1][3] and "‘Respondent’, purple, from " in sides[1][3], sides  # noqa: RUF001
            # Its people: the mediator (a staff account, in no hearing's names of its own) first,
            # with its role, then the invited, each once.
            listed = await tab.value("""() => [...document.querySelectorAll('.hearing-summary tbody tr[data-person]')]
                .map((tr) => [tr.dataset.person, tr.dataset.role, tr.querySelector('td').innerText])""")
            assert listed[0] == [MEDIATOR[0], "mediator", MEDIATOR[1]], listed
            assert sorted(p for p, _, _ in listed[1:]) == sorted([*PEOPLE, LOCKED_OUT[0]]), listed
            role = await page.locator(f"tr[data-person='{MEDIATOR[0]}'] td.role").inner_text()
            assert role.lower() == t(EN, "audit.role.mediator"), role  # capitalised by the style sheet
            # Its refusals as its list of refusals shows them: Eve's two attempts, the first
            # recorded by two services (three entries), are two (audit/attempts.js); the two
            # tries of Dee's used link (one of them recorded twice) are two, and the gateway's
            # count of them adds none (each try is listed already: attempts.js repeatsListed).
            refusals = page.locator(f".stat:has(a[href='/audit?hearing={HEARING}&outcome=denied']) .stat-value")
            assert await refusals.inner_text() == "4", await refusals.inner_text()
            await _hearing_life_and_documents(tab)
            await no_sideways_scroll(tab, "audit-hearing")
            await shot(tab, "audit-hearing")
            await page.goto(f"/audit/hearings/{HEARING}/timeline")
            await tab.wait_for("document.querySelector('#timeline[data-lanes]')")
            drawn = await tab.value("""() => [...document.querySelectorAll('rect.timeline-segment')].map((r) =>
                [r.dataset.participant, r.dataset.room, Number(r.dataset.start), Number(r.dataset.end)])""")
            for pid in [MEDIATOR[0], *PEOPLE]:
                assert [tuple(s) for s in drawn if s[0] == pid] == [s for s in segments if s[0] == pid], pid
            # The mediator's lane comes first, named by the hearing; its name takes two lines of
            # the names' column (170 SVG units), the role on its own, the name cut only where it
            # still does not fit; whole in the lane's label.
            first = page.locator("g.timeline-lane").first
            assert await first.get_attribute("data-participant") == MEDIATOR[0]
            assert await first.get_attribute("aria-label") == t(EN, "audit.timeline.mediator_named", name=MEDIATOR[1])
            shown, right = await tab.value("""() => { const name = document.querySelector('g.timeline-lane text.timeline-name');
                const box = name.getBBox(); return [[...name.querySelectorAll('tspan')].map((s) => s.textContent), box.x + box.width]; }""")
            assert len(shown) == 2 and shown[0].startswith("Ms Anna Lee") and shown[0].endswith("…"), (shown, right)
            assert shown[1] == t(EN, "audit.timeline.mediator_role") and right <= 170, (shown, right)
            # Each side's caucus in the side's own colour, in the picture and the legend alike;
            # the legend names only what is drawn (not the side removed before any caucus).
            legend = await tab.value("""() => [...document.querySelectorAll('#timeline-legend li')].map((li) =>
                [li.dataset.side || li.dataset.room || li.dataset.kind || 'marks', getComputedStyle(li.querySelector('.swatch')).backgroundColor])""")
            assert [k for k, _ in legend] == ["lobby", "plenary", "sClaim", "sResp", "marks", "end"], legend  # it ended
            fills = await tab.value("""() => Object.fromEntries([...document.querySelectorAll('rect.timeline-segment')].map((r) =>
                [r.dataset.room, getComputedStyle(r).fill]))""")
            swatch = dict(legend)
            assert fills["cClaim"] == swatch["sClaim"] and fills["cResp"] == swatch["sResp"], (fills, legend)
            assert fills["plenary"] == swatch["plenary"] and fills["lobby"] == swatch["lobby"], (fills, legend)
            assert swatch["sClaim"] == "rgb(138, 97, 0)" and swatch["sResp"] == "rgb(107, 63, 160)", legend  # ochre, purple
            assert SIDES["sResp"] in await page.locator("#timeline-legend").inner_text()
            # The axis: ticks on round times, no two reading the same.
            ticks = await tab.value("() => [...document.querySelectorAll('text.timeline-axis')].map((x) => x.textContent)")
            assert len(ticks) >= 3 and len(set(ticks)) == len(ticks), ticks
            await page.get_by_role("button", name=t(EN, "audit.timeline.show_table")).click()
            # A row per stay drawn, and the end of the hearing last (nobody was removed here).
            assert await page.locator("#timeline-table tbody tr:not([data-kind])").count() == len(drawn)
            assert await page.locator("#timeline-table tbody tr[data-kind]").count() == 1
            assert await page.locator("#timeline-table tbody tr").last.get_attribute("data-kind") == "end"
            # Moves can come seconds apart: the table's times are to the second.
            cells = await tab.value("() => [...document.querySelectorAll('#timeline-table tbody td.nowrap')].map((td) => td.innerText)")
            assert cells and all(re.fullmatch(r"\d{2}:\d{2}:\d{2}", c) for c in cells), cells
            await no_sideways_scroll(tab, "audit-timeline")
            await shot(tab, "audit-timeline")
            seen["audit-timeline"] = page.url
            # 3 hours, 20 people, 500 moves: drawn by the page's own code.
            # The best of three, like any timing on a shared machine (others' load is noise).
            took = min([await tab.value(RENDER_500_MOVES) for _ in range(3)])
            print(f"timeline of 20 people and 500 moves rendered in {took:.1f} ms")
            assert took < 500

            # Export with progress; the file verifies offline, with the key and not without.
            await page.goto("/audit/export")
            await page.get_by_role("heading", name=t(EN, "audit.export.title")).wait_for()
            command = await page.locator("#verify-command").inner_text()
            async with page.expect_download() as info:
                await page.get_by_role("button", name=t(EN, "audit.export.action")).click()
            download = await info.value
            # The whole log, named as such and dated; the page's command names that very file.
            assert re.fullmatch(r"parley-audit-log-\d{4}-\d{2}-\d{2}\.jsonl", download.suggested_filename), download.suggested_filename
            assert command == f"parley-audit verify {download.suggested_filename} --vkey parley.vkey", command
            bundle = tmp_path / download.suggested_filename
            await download.save_as(bundle)
            assert await tab.value("Number(document.querySelector('#export-progress').value) > 0")
            await tab.wait_for("document.querySelector('#export-result').dataset.bytes")
            assert download.suggested_filename in await page.locator("#export-result").inner_text()
            # One hearing's export is named by its title.
            await page.locator("#export-scope").select_option(HEARING)
            assert re.fullmatch(r"parley-audit verify parley-audit-lam-v-chen-\d{4}-\d{2}-\d{2}\.jsonl --vkey parley\.vkey",
                                await page.locator("#verify-command").inner_text())
            await page.locator("#export-scope").select_option("")
            await shot(tab, "audit-export")
            (tmp_path / "parley.vkey").write_bytes(vkey)
            env = {**os.environ, "PARLEY_AUDIT_HOME": str(tmp_path / "home")}
            cli = [sys.executable, "-m", "services.audit.verify_cli", "verify", str(bundle)]
            ok = subprocess.run([*cli, "--vkey", str(tmp_path / "parley.vkey")], capture_output=True,
                                text=True, timeout=120, env=env, check=False)
            assert ok.returncode == 0, ok.stderr
            refused = subprocess.run(cli, capture_output=True, text=True, timeout=120, env=env, check=False)
            assert refused.returncode != 0 and "no pinned verifier key" in refused.stderr
            await page.goto("/audit/key")
            await page.locator("#pinned-vkey").wait_for()
            await shot(tab, "audit-key")
            await in_chinese(tab, {**seen, "audit-hearing": f"/audit/hearings/{HEARING}", "audit-hearings": "/audit/hearings",
                                   "audit-export": "/audit/export"}, [people.auditor.token, people.auditor.cookie])
            # A role in Chinese stays one word (代表律師, not 代表律 / 師), and at phone width
            # the People table still fits the page (tests/artifacts/audit-hearing-zh-Hant-phone.png).
            await page.select_option("#language", ZH)
            await tab.wait_for(f"document.documentElement.lang === '{ZH}'")
            await page.goto(f"/audit/hearings/{HEARING}")
            await tab.wait_for(DRAWN["audit-hearing"])
            for width in ("laptop", "phone"):
                await tab.screenshot(f"audit-hearing-{ZH}", width)
                roles = await tab.value("""() => [...document.querySelectorAll('td.role > .role-name')]
                    .map((role) => [role.textContent, role.getClientRects().length])""")
                assert [t(ZH, "audit.role.counsel"), 1] in roles and all(n == 1 for _, n in roles), (width, roles)
                assert await tab.value("() => document.documentElement.scrollWidth") == VIEWPORTS[width][0], width
            await tab.screenshot(f"audit-hearing-{ZH}", "laptop")  # back to the laptop's width
            await page.select_option("#language", "zh-Hans")
            await tab.wait_for("document.documentElement.lang === 'zh-Hans'")
            # The page is left in Simplified Chinese: the Action filter's groups are named in it.
            await page.goto("/audit")
            await tab.wait_for("document.querySelector('#f-action optgroup')")
            labels = await tab.value("() => [...document.querySelectorAll('#f-action optgroup')].map((g) => g.label)")
            assert labels == [t("zh-Hans", f"audit.family.{f}") for f in
                              ("hearing", "participant", "room", "document", "auth", "account", "token", "audit")], labels
            tab.assert_clean(secrets=[people.auditor.token, people.auditor.cookie])
            await tab.context.close()
    finally:
        await proxy.stop()


@pytest.mark.timeout(300)  # ~20 s on an idle machine
async def test_admin_creates_and_disables_an_account_whose_session_ends(
        suite: Suite, world: tuple[People, list[tuple[str, str, int, int]]]) -> None:
    people, _ = world
    async with chromium() as browser:
        tab = await open_tab(browser, suite.base_url)
        page = tab.page
        await signed_in(tab, people, "admin")
        try:
            await page.get_by_role("heading", name=t(EN, "admin.accounts.title")).wait_for()
        except Exception:
            print(page.url, await page.locator("main").inner_text(), tab.dump())
            raise
        await page.get_by_label(t(EN, "admin.accounts.username")).fill("second-auditor")
        await page.get_by_label(t(EN, "admin.accounts.display_name")).fill("Mr Ben <b>Ho</b>")
        await page.get_by_label(t(EN, "admin.accounts.role")).select_option("auditor")
        await page.get_by_label(t(EN, "admin.accounts.password")).fill(PASSWORD)
        await page.get_by_role("button", name=t(EN, "admin.accounts.create")).click()
        await page.locator("tr[data-account='second-auditor']").wait_for()
        # A display name is text: the angle brackets are shown, never parsed as markup.
        cell = page.locator("tr[data-account='second-auditor'] td.display-name")
        assert await cell.inner_text() == "Mr Ben <b>Ho</b>"
        assert await cell.locator("b").count() == 0
        # The admin names the mediator: the name parties will see in the mediator's hearings.
        mediator = people.mediator
        await page.get_by_role("button", name=t(EN, "admin.accounts.rename_named",
                                                name=mediator.username)).click()
        await page.locator("dialog").get_by_label(t(EN, "admin.accounts.display_name")).fill(
            "Ms Anna Lee")
        await page.locator("dialog").get_by_role("button", name=t(EN, "admin.rename.save")).click()
        await page.locator(f"tr[data-account='{mediator.username}'] td.display-name",
                           has_text="Ms Anna Lee").wait_for()
        status, me = await mediator.call("GET", "/api/v1/me")
        assert status == 200 and me["display_name"] == "Ms Anna Lee", me
        while await page.locator(".toast-close").count():  # the screenshot shows no toast
            await page.locator(".toast-close").first.click()
        await tab.wait_for("!document.querySelector('.toast')")
        await shot(tab, "admin-accounts")
        # The mediator has a session open; disabling the account ends it at once.
        assert (await people.mediator.call("GET", "/api/v1/me"))[0] == 200
        await page.get_by_role("button", name=f"Disable {people.mediator.username}").click()
        await page.locator("dialog button.danger").click()

        async def ended() -> bool:
            return (await people.mediator.call("GET", "/api/v1/me"))[0] == 401

        await wait_until(ended, timeout=10, what="the disabled mediator's session to end")
        await page.locator(f"tr[data-account='{people.mediator.username}'] .badge.state-closed").wait_for()
        await page.goto("/admin/health")
        await page.locator("[data-component='audit'][data-status='ok']").wait_for()
        # The calls' ICE policy, as the signalling service has it: relay only, through TURN.
        ice = page.locator("#ice-settings[data-relay-only='true']")
        await ice.wait_for()
        shown = await ice.inner_text()
        assert t(EN, "admin.ice.mode_relay") in shown and TURN_URL in shown, shown
        assert t(EN, "admin.ice.stun_unused") not in shown  # no STUN configured: "None"
        assert TURN_SECRET not in await page.content()
        await shot(tab, "admin-health")
        await page.goto("/admin/tokens")
        await page.get_by_label(t(EN, "admin.tokens.name")).fill("nightly export")
        await page.get_by_role("button", name=t(EN, "admin.tokens.create")).click()
        await page.locator("#token-shown code.secret").wait_for()
        await shot(tab, "admin-tokens")
        await in_chinese(tab, {"admin-accounts": "/admin", "admin-health": "/admin/health"}, [TURN_SECRET])
        # The page is left in the last language `in_chinese` showed: Simplified.
        assert t("zh-Hans", "admin.ice.mode_relay") in await page.locator("#ice-settings").inner_text()
        tab.assert_clean(secrets=[TURN_SECRET])
        await tab.context.close()


async def _renamed_mediator(tab: Tab, people: People) -> dict[str, str]:
    """Rename the mediator's account (an administrator, then herself), and check the auditor's
    person report names her by it, with her user name; returns the screens seen."""
    page, mediator = tab.page, people.mediator
    status, _ = await people.admin.call("PATCH", f"/api/v1/accounts/{mediator.account_id}",
                                        {"display_name": "Ms Mei Ling Chan"})
    assert status == 200
    status, _ = await mediator.call("PATCH", "/api/v1/me", {"display_name": "Dr Mei Ling Chan"})
    assert status == 200

    async def named_now() -> bool:
        _, _, body = await _get(people, f"/api/v1/audit/names?id={mediator.account_id}")
        found = json.loads(body)["names"]
        return bool(found) and found[0]["name"] == "Dr Mei Ling Chan"

    await wait_until(named_now, timeout=15, what="the rename in the audit log's directory")
    await page.goto(f"/audit/people/{mediator.account_id}")
    await page.get_by_role("heading", name="Dr Mei Ling Chan", exact=True).wait_for()
    await tab.wait_for("document.querySelector('.total[data-total]')")
    note = await page.locator("#account-note").inner_text()
    assert note == t(EN, "audit.report.account", username=mediator.username), note
    rows = await page.locator("table.results tbody tr").all_inner_texts()
    assert any("Dr Mei Ling Chan (mediator) changed the account Dr Mei Ling Chan" in r for r in rows), rows
    assert not any("mediator (mediator)" in r for r in rows), rows
    # Her own change, opened: the entry says who she is and what she signs in with.
    await page.locator("table.results tbody tr[data-action='account.update'] a").first.click()
    await tab.wait_for("document.querySelector('#verify-panel[data-verified]')")
    who = await page.locator("dl.fields dd").nth(1).inner_text()
    assert who == t(EN, "audit.who.username", who="Dr Mei Ling Chan (mediator)", username="mediator"), who
    await page.go_back()
    await tab.wait_for("document.querySelector('#account-note') && document.querySelector('.total[data-total]')")
    await shot(tab, "audit-person-account")
    return {"audit-person-account": page.url}


async def _settlement_report(tab: Tab) -> str:
    """The report of a document kept by one side, released to the mediator in confidence and
    then to everyone (audit_world.settlement_story); returns its address."""
    page = tab.page
    await page.goto(f"/audit/documents/{SETTLEMENT[0]}")
    await tab.wait_for(DRAWN["audit-document-listings"])
    kept = await tab.value("""() => [...document.querySelectorAll('#kept-list li')].map((li) =>
        [li.dataset.compartment, li.dataset.version, li.innerText])""")
    assert [(c, v) for c, v, _ in kept] == SETTLEMENT_KEPT, kept
    claimant = "Ana Chen (counsel, Claimant)"
    # Each placement says which version it covers: a release widened the latest only.
    assert kept[0][2].startswith("Claimant only from ") and kept[0][2].endswith(f": version 1, uploaded by {claimant}"), kept
    assert kept[1][2].startswith("Claimant, shared with the mediator in confidence from "), kept
    assert kept[1][2].endswith(f": version 1 only, released by {claimant}"), kept
    # With the number its readers knew it by, where that is another (documents/versions.js):
    # the side's only draft of its own, then the first joint version.
    assert kept[2][2].startswith("Claimant only from ") and kept[2][2].endswith(
        f": version 2 (its side's own version 1), uploaded by {claimant}"), kept
    assert kept[3][2].startswith("Joint from ") and kept[3][2].endswith(
        f": version 2 (its readers' joint version 1) only, released by {claimant}"), kept
    listings = await tab.value("""() => { const s = document.querySelector('#listings');
        return [{ before: Number(s.dataset.before), hidden: Number(s.dataset.hidden), empty: Number(s.dataset.empty) },
          [...s.querySelectorAll('tr[data-actor]')].map((r) => [r.dataset.actor, r.dataset.count, r.cells[0].innerText, r.cells[3].innerText]),
          s.querySelector('#listings-summary').innerText]; }""")
    assert listings[0] == SETTLEMENT_LEFT_OUT, listings
    assert listings[1] == [
        ["pBo", "1", "Bo Lam (party, Claimant)", "Claimant only"],
        [MEDIATOR[0], "1", f"{MEDIATOR[1]} (mediator)", "Claimant, shared with the mediator in confidence"],
        ["pCy", "1", "Cy Wong (counsel, Respondent)", "Joint"],
    ] and [r[0] for r in listings[1]] == SETTLEMENT_MAY, listings
    assert listings[2] == t(EN, "audit.report.listings_count", count=3), listings
    rows = await page.locator("table.results tbody tr").all_inner_texts()
    for sentence in (f"{claimant} uploaded ‘Settlement offer.pdf’ (version 1, the only one then) to Claimant only",  # noqa: RUF001
                     f"{claimant} released ‘Settlement offer.pdf’ (version 1, the only one then) from Claimant "  # noqa: RUF001
                     "only to Claimant, shared with the mediator in confidence",
                     f"{claimant} uploaded ‘Settlement offer.pdf’ (version 2 of 2, its side's own version 1) "  # noqa: RUF001
                     "to Claimant only",
                     f"{claimant} released ‘Settlement offer.pdf’ (version 2 of 2, its readers' joint version 1) "  # noqa: RUF001
                     "from Claimant only to Joint"):
        assert any(sentence in r for r in rows), (sentence, rows)
    shown = await page.locator("main").inner_text()
    assert "side:" not in shown and "confidential:" not in shown, shown  # names, never ids
    await shot(tab, "audit-document-listings")
    address = page.url
    # A release, opened: its compartments by name, each with the id the entry records.
    await page.locator("table.results tbody tr[data-action='document.release'] a").last.click()
    await tab.wait_for("document.querySelector('#verify-panel[data-verified]')")
    fields = await page.locator("dl.fields").inner_text()
    assert "Claimant only (side:sClaim)" in fields and "Joint (joint)" in fields, fields
    # Its Version row gives the number its readers knew it by, as its sentence does.
    assert "version 2 of the 2 uploaded by then (2 in the log), its readers' joint version 1, id v2" in fields, fields
    # A lister's row opens their listings of the hearing in that span: here, the one.
    await page.goto(address)
    await tab.wait_for(DRAWN["audit-document-listings"])
    await page.get_by_role("link", name=t(EN, "audit.report.open_listings_named", name="Cy Wong (counsel, Respondent)")).click()
    await tab.wait_for("location.pathname === '/audit' && document.querySelector('.total[data-total=\"1\"]')")
    assert await page.locator("tr[data-action='document.list']").count() == 1
    return address


async def _same_named_documents(tab: Tab) -> str:
    """Two documents named alike (the Claimant's and the mediator's own): the search says so and
    lets the auditor choose, each told by who first uploaded it and when; returns its address."""
    page = tab.page
    await page.goto("/audit")
    await page.get_by_label(t(EN, "audit.f.document")).fill(SETTLEMENT[1])
    await page.get_by_role("button", name=t(EN, "audit.search.action"), exact=True).click()
    await tab.wait_for("document.querySelector('#same-named .doc-origin')")
    notice = await page.locator("#same-named p").first.inner_text()
    assert notice.startswith(f"2 documents match ‘{SETTLEMENT[1]}’"), notice  # noqa: RUF001
    choices = await tab.value("""() => [...document.querySelectorAll('#same-named li')].map((li) =>
        [li.dataset.document, li.querySelector('a').innerText, li.querySelector('.doc-origin').innerText])""")
    assert sorted(c[0] for c in choices) == sorted([SETTLEMENT[0], SETTLEMENT_MEDIATOR[0]]), choices
    origin = dict((c[0], c[2]) for c in choices)
    assert origin[SETTLEMENT[0]].startswith("first uploaded by Ana Chen (counsel, Claimant), "), origin
    assert origin[SETTLEMENT_MEDIATOR[0]].startswith(f"first uploaded by {MEDIATOR[1]} (mediator), "), origin
    assert await page.locator("table.results").count() == 0  # nothing shown until one is chosen
    await shot(tab, "audit-same-named")
    address = page.url
    await page.locator(f"#same-named li[data-document='{SETTLEMENT_MEDIATOR[0]}'] a").click()
    await tab.wait_for("document.querySelector('#document-shown') && document.querySelector('.total[data-total=\"1\"]')")
    shown = await page.locator("#document-shown").inner_text()
    assert f"first uploaded by {MEDIATOR[1]} (mediator)" in shown and "one of 2 documents" in shown, shown
    rows = await page.locator("table.results tbody tr").all_inner_texts()
    assert len(rows) == 1 and f"{MEDIATOR[1]} (mediator) uploaded" in rows[0], rows
    return address


async def _person_versions_and_rooms(tab: Tab) -> str:
    """A person's report numbers the versions of the documents in its entries, as the document's
    report does, and gives the rooms they were in to the second, the day once per range."""
    page = tab.page
    await page.goto("/audit/people/pAna")
    await tab.wait_for("document.querySelector('.rooms-list li') && document.querySelector('.total[data-total]')")
    rows = await page.locator("table.results tbody tr").all_inner_texts()
    for sentence in ("uploaded ‘Settlement offer.pdf’ (version 1, the only one then) to Claimant only",  # noqa: RUF001
                     "uploaded ‘Settlement offer.pdf’ (version 2 of 2, its side's own version 1) to Claimant only",  # noqa: RUF001
                     "uploaded ‘Expert report v2.pdf’ (version 2 of 2) to Joint"):  # noqa: RUF001
        assert any(sentence in r for r in rows), (sentence, rows)
    rooms = await page.locator(".rooms-list li").all_inner_texts()
    span = re.compile(r".+: \d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} – \d{2}:\d{2}:\d{2} \(.+\)")  # noqa: RUF001
    assert rooms and all(span.fullmatch(r) for r in rooms), rooms
    await shot(tab, "audit-person-versions")
    return page.url


async def _invitation_attempts(tab: Tab) -> None:
    """A person's report shows every use of their invitation among their own entries, in time
    order: Eve's two refused attempts (the first recorded twice: one line), though she never
    acted; Dee's own use, then the two tries of her used link from another address, counted
    apart ("after it had been used") with the gateway's count of them a line of its own. The
    server finds the uses (the person's entries `with_invitations`), paged and counted with the
    rest: the page reads no invite or reissue entries, nor the uses invitation by invitation."""
    page = tab.page
    asked = len(tab.requests)
    await page.goto(f"/audit/people/{LOCKED_OUT[0]}")
    await tab.wait_for("document.querySelector('#invitation-attempts') && document.querySelector('.total[data-total=\"3\"]')")
    reads = [parse_qs(urlsplit(url).query) for url in tab.requests[asked:] if urlsplit(url).path == "/api/v1/audit/events"]
    mine = [q for q in reads if q.get("actor") == [LOCKED_OUT[0]]]
    assert mine and all(q.get("with_invitations") == ["true"] for q in mine), reads
    assert not [q for q in reads if "actor" not in q and q.get("resource_type") in (["participant"], ["invitation"])], reads
    note = page.locator("#invitation-attempts")
    assert (await note.get_attribute("data-refused"), await note.get_attribute("data-after")) == ("2", "0")
    assert await note.inner_text() == t(EN, "audit.report.attempts", count=2)
    assert await page.locator("table.results tbody tr.paired").count() == 1
    rows = await page.locator("table.results tbody tr").all_inner_texts()
    assert len(rows) == 2 and all(f"was refused the invitation for {LOCKED_OUT[1]}" in r for r in rows), rows
    pid, _, tries = USED_LINK
    await page.goto(f"/audit/people/{pid}")
    await tab.wait_for("document.querySelector('#invitation-attempts') && document.querySelector('.total[data-total]')")
    note = page.locator("#invitation-attempts")
    assert (await note.get_attribute("data-refused"), await note.get_attribute("data-after")) == (str(tries), str(tries))
    assert await note.inner_text() == t(EN, "audit.report.attempts_after", count=tries, after=tries)
    order = await tab.value("""() => [...document.querySelectorAll('table.results tbody tr:is([data-index], [data-indexes])')]
        .map((tr) => [Number((tr.dataset.index ?? tr.dataset.indexes).split(' ')[0]), tr.className, tr.innerText])""")
    indices = [i for i, _, _ in order]
    assert indices == sorted(indices), order
    name = PEOPLE[pid][0]
    used = next(n for n, (_, _, text) in enumerate(order) if f"used the invitation for {name}" in text)
    tried = [n for n, (_, kind, text) in enumerate(order) if "refused" in text and "already been used" in text]
    assert len(tried) == tries + 1 and min(tried) > used, order  # two tries and the gateway's count
    assert [order[n][1] for n in tried].count("paired") == 1, order
    await shot(tab, "audit-person-attempts")


async def _hearing_life_and_documents(tab: Tab) -> None:
    """The hearing's summary says when it was created, scheduled (in its zone), opened and
    ended, and that its documents were kept; its documents of one name are told apart; the
    list of hearings shows each one's state and dates."""
    page = tab.page
    facts = await tab.value("""() => Object.fromEntries([...document.querySelectorAll('#hearing-life dd')].map((dd) =>
        [dd.dataset.fact, dd.innerText]))""")
    assert facts["state"] == t(EN, "mediator.state.closed"), facts
    assert facts["created"].endswith(f", by {MEDIATOR[1]} (mediator)"), facts
    assert facts["scheduled"].startswith("25 Nov 2025, 01:00 Hong Kong"), (facts, SCHEDULED_AT)
    assert facts["zone"].startswith("Hong Kong"), facts
    assert re.search(r"\d{4}", facts["opened"]) and re.search(r"\d{4}", facts["ended"]), facts
    assert facts["documents"] == t(EN, "audit.life.documents_kept"), facts
    documents = await tab.value("""() => [...document.querySelectorAll('.doc-list li')].map((li) =>
        [li.dataset.document, li.querySelector('.doc-origin').innerText])""")
    origin = dict(documents)
    assert origin[SETTLEMENT[0]].startswith("first uploaded by Ana Chen (counsel, Claimant)"), documents
    assert origin[SETTLEMENT_MEDIATOR[0]].startswith(f"first uploaded by {MEDIATOR[1]} (mediator)"), documents
    await page.goto("/audit/hearings")
    card = page.locator(f".card[data-hearing='{HEARING}'] .hearing-when")
    await card.wait_for()
    when = await card.inner_text()
    assert when.startswith(t(EN, "mediator.state.closed")) and "Created " in when and "scheduled for " in when, when
    assert "opened " in when and "ended " in when, when
    await no_sideways_scroll(tab, "audit-hearings")
    await shot(tab, "audit-hearings")
    await page.goto(f"/audit/hearings/{HEARING}")
    await page.locator("#hearing-life").wait_for()


async def _sides_and_refusals(tab: Tab) -> str:
    """The hearing's side entries say what was called what, then and now; the lock's refusal
    reads in words, one line per attempt however many services recorded it, each entry
    reachable from it; returns the refusals' address."""
    page = tab.page
    await page.goto(f"/audit?hearing={HEARING}&action=hearing.&order=asc")
    await tab.wait_for("document.querySelector('.total[data-total]')")
    rows = await page.locator("table.results tbody tr").all_inner_texts()
    _, first_name, new_name, _ = REMOVED_SIDE
    med = f"{MEDIATOR[1]} (mediator)"
    for sentence in (f"{med} added the side ‘{first_name}’, in blue (now called ‘{new_name}’)",  # noqa: RUF001
                     f"{med} renamed the side ‘{first_name}’ to ‘{new_name}’",  # noqa: RUF001
                     f"{med} removed the side ‘{new_name}’",  # noqa: RUF001
                     f"{med} added the side ‘Respondent’, in rust",  # noqa: RUF001
                     f"{med} changed the colour of the side ‘Respondent’ from rust to purple"):  # noqa: RUF001
        assert any(sentence in r for r in rows), (sentence, rows)
    eve_invitation = f"/audit?action=participant.redeem&outcome=denied&resource_type=invitation&resource_id=inv{LOCKED_OUT[0]}"
    await page.goto(f"{eve_invitation}&order=asc")
    await tab.wait_for("document.querySelector('.total[data-total=\"3\"]')")
    rows = await page.locator("table.results tbody tr").all_inner_texts()
    why = t(EN, "audit.why.hearing_locked")
    # Her first attempt, recorded by signalling (whose invitation) and by the gateway (from
    # where, as a short pseudonym in words), is one line that opens either entry; her second,
    # which the gateway only counted, is a line of its own: two attempts, two lines.
    short = ADDRESS.rsplit(":", 1)[1][:6]
    assert len(rows) == 2, rows
    paired = page.locator("table.results tbody tr.paired")
    assert f"Someone not signed in, from a network address (pseudonym {short}…), was refused the invitation for " \
        f"{LOCKED_OUT[1]} — {why}" in await paired.inner_text(), rows
    alone = await page.locator("table.results tbody tr[data-index]").all_inner_texts()
    assert len(alone) == 1 and f"Someone not signed in was refused the invitation for {LOCKED_OUT[1]} — {why}" in alone[0], rows
    assert ADDRESS not in "".join(rows), rows
    first, second = (await paired.get_attribute("data-indexes") or "").split()
    for index, service in ((first, "signalling"), (second, "gateway")):
        await paired.locator(f"a[data-index='{index}']").click()
        await tab.wait_for("document.querySelector('#verify-panel[data-verified]')")
        assert t(EN, f"audit.service.{service}") in await page.locator("dl.fields").inner_text()
        await page.go_back()
        await tab.wait_for("document.querySelector('.total[data-total=\"3\"]')")
    shown = await page.locator("main").inner_text()
    assert "— locked" not in shown and "conflict" not in shown, shown
    await shot(tab, "audit-refusals")
    return page.url


async def _get(people: People, path: str) -> tuple[int, Any, bytes]:
    async with people.auditor.session(bearer=True) as http, http.get(path) as r:
        return r.status, None, await r.read()
