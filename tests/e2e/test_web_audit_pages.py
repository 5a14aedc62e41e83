"""The auditor's pages in a real Chromium through the real gateway and audit service, on a small
scripted hearing whose entries are published as the services write them:

- a search by a person's name shows every use of their invitations (the redemptions, refused
  ones included, name the invitation, not the person: the audit service's `person` filter);
- a page's header counts the rows it shows from the entries they stand for; a refused attempt
  that two services recorded, split by the last page's edge, is drawn on the first page (which
  says it borrowed the entry), and no empty next page is offered;
- a connection that closed because its person was removed from the lobby says so;
- the hearing's summary shows its title and start over time, each change and by whom, marking
  only what really changed (a zone changed alone is said so: the start did not move), and its
  search sentence says the same;
- one person's listing of the documents made twice at once is one row linking to both entries,
  and a search by their name shows each entry once;
- the Action filter labels chat messages as logged only when refused;
- its timeline draws a stay that reconnections interrupted as one bar, the time away inside it,
  a removal by the mediator as a labelled mark where that lane ends (in the legend too), and a
  lane name too long for its column on two lines (the mediator's role on its own);
- its creation is told with the title it was created with, the rename a line of its own, and
  every sentence naming the hearing names it by the title it had then;
- the timeline's table lists the removal and the hearing's end among the stays, in time order,
  in the words of their marks;
- at phone width (390 px) no audit page it opens scrolls sideways: search, the hearing's
  entries, summary and timeline (its table shown), a person's report, an entry, the export;
- each entry's time in the hearing's zone is in the zone in force then (the hearing was moved
  from Hong Kong's to London's and Tokyo's before it ran), the column's heading saying which zone
  from when, and one entry's page likewise;
- its timeline draws the hearing's end as a rule across every lane, reached by Tab, in the legend;
- its People say what became of each: removed by the mediator, invitation withdrawn, never
  joined, left, joined; on a phone each person is a block, what became of them across the screen;
- a mediator account with no display name reads "mediator · Mediator account", never
  "mediator (mediator)", on the timeline, in the facts and in the entries.
Screenshots at laptop width (tests/artifacts/audit-…-laptop.png), axe-core on each.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from proto.audit import Actor, AuditEvent, Outcome, Resource
from tests.browser import Tab, chromium, open_tab, requires_chromium
from tests.e2e.audit_world import publish
from tests.e2e.staff_steps import sign_in, t
from tests.harness import Suite
from tests.people import PASSWORD, People, staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"
ZH = "zh-Hant"
HEARING = "hPagesEdge1"
MED = ("acctMedP", "Mr David Lam")  # "Mr David Lam (mediator)" was cut in its lane
FAY = ("pFay", "Fay Lo")  # reconnects in plenary; her used link tried again after the end
GUS = ("pGus", "Gus Ma")  # removed from the lobby
HAL = ("pHal", "Hal Yu")  # invited, never joined
IVY = ("pIvy", "Ivy Ko")  # invited, then removed before joining: her invitation withdrawn
JO = ("pJo", "Jo Tse")  # joined, then left
#: A hearing created by an account with no display name: named by its user name, "mediator".
BARE = ("hBare1", "acctBare", "mediator")
T0 = 1_764_100_000_000
ADDRESS = "addr:2025-11:0c9d8e7f6a5b4c3d2e1f"
#: A page of results holds 50 entries (results.js): 51 in all, the last two one refused attempt.
PAGE = 50


class Story:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []
        self.clock = T0

    def add(self, action: str, actor: str, rtype: str, rid: str, *, role: str | None = "mediator",
            outcome: Outcome = Outcome.ALLOWED, step_s: float = 60, service: str = "signalling",
            details: dict[str, Any] | None = None, kind: str = "account",
            hearing: str | None = HEARING) -> None:
        self.clock += int(step_s * 1000)
        self.events.append(AuditEvent(
            id=f"pg{len(self.events):05d}", time=self.clock,
            actor=Actor(id=actor, role=role, kind=kind),  # type: ignore[arg-type]
            action=action, resource=Resource(type=rtype, id=rid), outcome=outcome, service=service,
            hearing=hearing, details=details or {}))

    def med(self, action: str, rtype: str, rid: str, **kwargs: Any) -> None:
        self.add(action, MED[0], rtype, rid, **kwargs)

    def own(self, pid: str, action: str, **kwargs: Any) -> None:
        self.add(action, pid, "participant", pid, role="party", **kwargs)


def story() -> list[AuditEvent]:
    s = Story()
    # The mediator's staff account, as the gateway records it (no hearing): named by the log.
    s.add("account.create", "acctAdminP", "account", MED[0], role="admin", service="gateway", hearing=None,
          details={"role": "mediator", "username": "dlam", "display_name": MED[1]})
    s.med("hearing.create", "hearing", HEARING, details={
        "mediator": MED[0], "mediator_name": MED[1], "title": "Lo v. Ma", "time_zone": "Asia/Hong_Kong",
        "scheduled_at": T0 + 86_400_000})
    # The mediator lists its (empty) documents before renaming it: that sentence names it by
    # the title it had then.
    s.med("document.list", "hearing", HEARING, service="evidence", details={"count": 0})
    s.med("hearing.details_change", "hearing", HEARING, details={
        "title": "Lo v. Ma Holdings", "previous_title": "Lo v. Ma"})
    s.med("hearing.details_change", "hearing", HEARING, details={
        "scheduled_at": T0 + 2 * 86_400_000, "time_zone": "Europe/London",
        "previous_scheduled_at": T0 + 86_400_000, "previous_time_zone": "Asia/Hong_Kong"})
    # The start and its zone are recorded together when either changes: the zone alone (the
    # same instant, read on Tokyo's clock), then the time alone (in Tokyo still).
    s.med("hearing.details_change", "hearing", HEARING, details={
        "scheduled_at": T0 + 2 * 86_400_000, "time_zone": "Asia/Tokyo",
        "previous_scheduled_at": T0 + 2 * 86_400_000, "previous_time_zone": "Europe/London"})
    s.med("hearing.details_change", "hearing", HEARING, details={
        "scheduled_at": T0 + 2 * 86_400_000 + 3_600_000, "time_zone": "Asia/Tokyo",
        "previous_scheduled_at": T0 + 2 * 86_400_000, "previous_time_zone": "Asia/Tokyo"})
    s.med("hearing.open", "hearing", HEARING)
    for pid, name in (FAY, GUS, HAL, IVY, JO):
        s.med("participant.invite", "participant", pid, details={
            "name": name, "role": "party", "invitation": f"inv{pid}"})
    s.med("participant.remove", "participant", IVY[0], details={})
    s.add("participant.connect", MED[0], "participant", MED[0], details={"room": "plenary"})
    # Gus waits in the lobby and is removed from it: his page is closed, in no room.
    s.add("participant.redeem", "anonymous", "invitation", f"inv{GUS[0]}", role=None, kind="anonymous",
          details={"participant": GUS[0]})
    s.own(GUS[0], "participant.connect", details={"room": "lobby"})
    s.med("participant.remove", "participant", GUS[0], details={"from": "lobby"})
    s.own(GUS[0], "participant.disconnect", step_s=0.2, details={})
    # Jo comes to the lobby and leaves by her own button.
    s.add("participant.redeem", "anonymous", "invitation", f"inv{JO[0]}", role=None, kind="anonymous",
          details={"participant": JO[0]})
    s.own(JO[0], "participant.connect", details={"room": "lobby"})
    s.own(JO[0], "participant.leave", details={"from": "lobby", "to": "lobby"})
    # Fay is admitted; her page reloads twice within the minute, in plenary.
    s.add("participant.redeem", "anonymous", "invitation", f"inv{FAY[0]}", role=None, kind="anonymous",
          details={"participant": FAY[0]})
    s.own(FAY[0], "participant.connect", details={"room": "lobby"})
    s.med("participant.admit", "participant", FAY[0], details={"from": "lobby", "to": "plenary"})
    # Her page lists the documents twice within 4 ms: two requests, two entries (one row).
    for step in (1, 0.004):
        s.add("document.list", FAY[0], "hearing", HEARING, role="party", kind="participant",
              service="evidence", step_s=step, details={"count": 0})
    for _ in range(2):
        s.own(FAY[0], "participant.disconnect", step_s=120, details={"room": "plenary"})
        s.own(FAY[0], "participant.connect", step_s=20, details={"room": "plenary"})
    # Connection reports: a run, folded into one row.
    for _ in range(3):
        s.own(FAY[0], "room.peer_state", step_s=1, details={
            "peer": MED[0], "state": "connected", "room": "plenary", "epoch": 1, "same_room": True})
    s.med("hearing.close", "hearing", HEARING, details={"destroy_documents": False})
    # The hearing's record goes on: the mediator's reads of its (empty) document list.
    while len(s.events) < PAGE:  # the account's entry is of no hearing
        s.med("document.list", "hearing", HEARING, service="evidence", step_s=5, details={"count": 0})
    # Someone tries Fay's used link after the end: signalling's entry (the 50th) and the
    # gateway's (the 51st) of one attempt.
    ended = "the hearing has ended"
    s.add("participant.redeem", "anonymous", "invitation", f"inv{FAY[0]}", role=None, kind="anonymous",
          outcome=Outcome.DENIED, details={"participant": FAY[0], "reason": ended})
    s.add("participant.redeem", "anonymous", "invitation", f"inv{FAY[0]}", role=None, kind="anonymous",
          outcome=Outcome.DENIED, step_s=0.05, service="gateway",
          details={"reason": ended, "address": ADDRESS, "kind": "redeem.conflict"})
    assert len(s.events) == PAGE + 2
    # Another hearing, by a mediator account with no display name (after the first's entries).
    hearing, account, username = BARE
    s.add("account.create", "acctAdminP", "account", account, role="admin", service="gateway", hearing=None,
          details={"role": "mediator", "username": username})
    s.add("hearing.create", account, "hearing", hearing, hearing=hearing, details={
        "mediator": account, "mediator_name": "", "title": "Bare v. Named", "time_zone": "Europe/London",
        "scheduled_at": s.clock + 3_600_000})
    s.add("hearing.open", account, "hearing", hearing, hearing=hearing)
    s.add("participant.connect", account, "participant", account, hearing=hearing, details={"room": "plenary"})
    s.add("hearing.close", account, "hearing", hearing, hearing=hearing, details={"destroy_documents": False})
    return s.events


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("suite") / "data")
    running.start()
    yield running
    running.stop()


async def signed_in(tab: Tab, people: People) -> None:
    staff = people.by_role("auditor")
    await tab.page.goto("/signin")
    for _ in range(3):
        await sign_in(tab, EN, staff.username, PASSWORD, await staff.next_totp())
        outcome = await tab.wait_for(
            "!location.pathname.startsWith('/signin') ? 'in'"
            " : (document.querySelector('main').innerText.includes(arg) ? 'refused' : '')",
            arg=t(EN, "staff.error.signin.unauthenticated"), timeout=60)
        if outcome == "in":
            return
    raise AssertionError("the auditor could not sign in")


async def shot(tab: Tab, screen: str) -> None:
    await tab.check_accessible(screen)
    await tab.screenshot(screen, "laptop")


ROWS = """() => [...document.querySelectorAll('table.results tbody tr')].map((tr) =>
    [tr.className, tr.dataset.action ?? '', tr.innerText])"""


@pytest.mark.timeout(300)
async def test_the_auditors_pages_say_what_they_show(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    await publish(suite, story())
    async with chromium() as browser:
        tab = await open_tab(browser, suite.base_url)
        page = tab.page
        await signed_in(tab, people)
        await page.get_by_role("heading", name=t(EN, "audit.search.title")).wait_for()

        # The hearing's entries, oldest first: 51, the last two one refused attempt split by the
        # page's edge. The first page draws it as one row with the 51st borrowed, says so, and
        # offers no next page (it would show nothing); its header counts rows and entries.
        await page.goto(f"/audit?hearing={HEARING}&order=asc")
        await tab.wait_for(f"document.querySelector('.total[data-total=\"{PAGE + 1}\"]')")
        head = page.locator(".total")
        rows = await tab.value(ROWS)
        entries = await head.get_attribute("data-entries")
        assert entries == str(PAGE + 1), (entries, rows)
        assert await head.get_attribute("data-rows") == str(len(rows)), rows
        # the pair is one row, the run of 3 another, Fay's two listings at once a third
        assert len(rows) == PAGE + 1 - 1 - 2 - 1, rows
        assert await head.inner_text() == f"{len(rows)} rows from entries 1–{PAGE + 1} of {PAGE + 1}"  # noqa: RUF001
        assert await page.locator("#borrowed-note").inner_text() == \
            "The last entry is shown here, beside the entry it pairs with, rather than alone on a page of its own."
        assert await page.locator("#next-page").is_disabled()
        assert rows[-1][0] == "paired" and "the hearing had ended" in rows[-1][2], rows[-1]
        # Created as "Lo v. Ma" (its own entry), though the log names it by its new title now;
        # the rename is a line of its own.
        created = [text for _, action, text in rows if action == "hearing.create"]
        assert len(created) == 1 and f"{MED[1]} (mediator) created the hearing ‘Lo v. Ma’" in created[0], created  # noqa: RUF001
        renamed = [text for _, action, text in rows if action == "hearing.details_change" and "renamed" in text]
        assert len(renamed) == 1 and "renamed the hearing ‘Lo v. Ma’ to ‘Lo v. Ma Holdings’" in renamed[0], renamed  # noqa: RUF001
        # Every sentence naming the hearing names it by its title then: listed before the
        # rename as "Lo v. Ma", after it as "Lo v. Ma Holdings", the title the log has now.
        listed = [text for _, action, text in rows if action == "document.list" and MED[1] in text]
        assert "listed the documents of Lo v. Ma (0 shown)" in listed[0], listed
        assert all("listed the documents of Lo v. Ma Holdings (0 shown)" in text for text in listed[1:]), listed
        # A zone changed alone is no move: it says so.
        zoned = [text for _, action, text in rows if action == "hearing.details_change" and "GMT+9" in text]
        assert len(zoned) == 2 and "to be read in Japan" in zoned[0] and "the start did not move" in zoned[0], zoned
        assert "moved the hearing" in zoned[1] and "did not move" not in zoned[1], zoned
        # Fay's listings at once: one row linking to each of its two entries.
        repeated = page.locator("tr.repeated")
        assert await repeated.count() == 1
        assert len((await repeated.get_attribute("data-indexes") or "").split()) == 2
        assert await repeated.locator("a[href^='/audit/entry/']").count() == 2
        assert ", 2 times within a second" in await repeated.inner_text()
        # Gus, removed from the lobby: his closed connection says so, not "from no room".
        closed = [text for _, action, text in rows if action == "participant.disconnect" and GUS[1] in text]
        assert closed and f"{GUS[1]} was disconnected: removed from the waiting room, and from the hearing" in closed[0], closed
        assert not [text for _, _, text in rows if t(EN, "audit.room.none") in text], rows
        # Each entry's time in the hearing's zone is in the zone in force then (created in Hong
        # Kong time, moved to London's, then Tokyo's: the hearing ran in Tokyo time), and the
        # column's heading says which zone from when.
        heading = await page.locator("#hearing-time").text_content() or ""
        assert heading.startswith("Hearing's time (Hong Kong Standard Time, then United Kingdom Time from ") \
            and ", then Japan Standard Time from " in heading, heading
        zones = await tab.value("""() => Object.fromEntries(['hearing.create', 'hearing.open', 'hearing.close'].map((action) =>
            [action, document.querySelector(`tr[data-action="${action}"] td[data-zone]`).dataset.zone]))""")
        assert zones == {"hearing.create": "Asia/Hong_Kong", "hearing.open": "Asia/Tokyo", "hearing.close": "Asia/Tokyo"}, zones
        closed_at = await page.locator("tr[data-action='hearing.close'] td[data-zone]").inner_text()
        opened_entry = await page.locator("tr[data-action='hearing.open']").get_attribute("data-index")
        assert closed_at.endswith("(GMT+9)"), closed_at
        await shot(tab, "audit-pages-edge")
        # Opening the run of connection reports: the header counts the rows shown now.
        await page.locator("tr.folded button").click()
        assert await head.get_attribute("data-rows") == str(len(rows) + 2)

        # The Action filter offers only what the log can hold, truthfully: chat messages are
        # logged only when refused, and the option and its hint say so.
        await page.goto("/audit")
        chat = await page.locator("#f-action option[value='room.chat']").inner_text()
        assert chat == t(EN, "audit.f.action_refused", action=t(EN, "audit.action.room.chat")) == "Chat message refused"
        assert t(EN, "audit.f.action_hint") in await page.locator(".filter-grid").inner_text()
        # A search by Fay's name: every use of her invitation among her entries (the redemption,
        # and the refused attempt after the end, which names her invitation, not her), each
        # entry once: her two listings at once are one row of their two entries.
        await page.get_by_label(t(EN, "audit.f.person")).fill("fay")
        # The whole log's first page is on the screen until the search's replaces it (and it may
        # hold Fay's latest entries too): mark its table, and wait for the search's own.
        await tab.wait_for("document.querySelector('table.results tbody tr')")
        await tab.value("() => { document.querySelector('table.results').dataset.before = 'search'; }")
        await page.get_by_role("button", name=t(EN, "audit.search.action"), exact=True).click()
        await tab.wait_for("""location.search.includes('person=fay') && document.querySelector('.total[data-total]')
            && document.querySelector('table.results:not([data-before]) tbody tr')""")
        rows = await tab.value(ROWS)
        assert any(f"used the invitation for {FAY[1]}" in text for _, _, text in rows), rows
        assert any(kind == "paired" for kind, _, _ in rows), rows
        assert not any(GUS[1] in text for _, _, text in rows), rows
        assert [kind for kind, _, _ in rows].count("repeated") == 1, rows
        indexes = await tab.value("""() => [...document.querySelectorAll('table.results tbody tr')].flatMap((tr) =>
            (tr.dataset.index ?? tr.dataset.indexes ?? '').split(' ').filter(Boolean))""")
        folded = await tab.value("""() => [...document.querySelectorAll('table.results tbody tr.folded')]
            .reduce((n, tr) => n + Number(tr.dataset.count), 0)""")  # a run of connection reports
        assert len(indexes) == len(set(indexes)), indexes
        assert await page.locator(".total").get_attribute("data-entries") == str(len(indexes) + folded)
        await shot(tab, "audit-person-invitations")
        # One entry's page says the hearing's zone at that time, not the one it was created in.
        await page.goto(f"/audit/entry/{opened_entry}")
        await page.locator("#hearing-time").wait_for()
        said = await page.locator("#hearing-time").inner_text()
        assert said.endswith("in the hearing's zone at that time (Japan Standard Time)") and "Hong Kong" not in said, said

        # The hearing's summary: its title and start over time, each change and by whom.
        await page.goto(f"/audit/hearings/{HEARING}")
        await page.locator("#details-history table").wait_for()
        history = await tab.value("""() => [...document.querySelectorAll('#details-history tbody tr')].map((tr) =>
            [...tr.querySelectorAll('td')].map((td) => [td.firstChild.textContent, td.dataset.changed === 'true']))""")
        assert len(history) == 5, history
        assert history[0][3][0] == "‘Lo v. Ma’" and history[1][3] == ["‘Lo v. Ma Holdings’", True], history  # noqa: RUF001
        assert all(MED[1] in row[2][0] for row in history), history
        # What each change really changed (start, zone): only the title; the start in another
        # zone; the zone alone (the start did not move); the time alone (the zone stayed).
        assert [(row[4][1], row[5][1]) for row in history] == [
            (False, False), (False, False), (True, True), (False, True), (True, False)], history
        assert "United Kingdom" in history[2][5][0] and "Hong Kong" in history[1][5][0], history
        assert "Japan" in history[3][5][0] and "Japan" in history[4][5][0], history
        note = await page.locator("#details-history [data-zone-only]").all_inner_texts()
        assert len(note) == 1 and note[0].startswith("Read in Japan") and "instead of United Kingdom" in note[0] \
            and note[0].endswith("; the start did not move"), note
        # Each person's outcome, from the log's entries: the one removed says so, not just a role;
        # the mediator, never invited, is said by what the log has of them too (it once read "—").
        outcomes = await tab.value("""() => Object.fromEntries([...document.querySelectorAll('tr[data-person]')].map((tr) =>
            [tr.dataset.person, [tr.querySelector('td.person-outcome').dataset.outcome ?? '',
              tr.querySelector('td.person-outcome').innerText]]))""")
        assert {pid: kind for pid, (kind, _) in outcomes.items()} == {
            MED[0]: "ended", FAY[0]: "joined", GUS[0]: "removed", HAL[0]: "never_joined", IVY[0]: "withdrawn", JO[0]: "left"}, outcomes
        assert outcomes[GUS[0]][1].startswith("Removed by the mediator, "), outcomes
        assert outcomes[MED[0]][1].startswith("Ended the hearing, "), outcomes
        assert outcomes[IVY[0]][1].startswith("Invitation withdrawn before it was used, "), outcomes
        assert outcomes[HAL[0]][1] == "Never joined" and outcomes[JO[0]][1].startswith("Left, "), outcomes
        # A hearing with no side says so, not an empty list under its heading.
        assert await page.locator("#side-list").inner_text() == t(EN, "audit.hearing.no_sides")
        await shot(tab, "audit-hearing-details-history")
        await tab.screenshot("audit-hearing-details-history", "phone")
        # On a phone each person is a block: what became of them reads across the screen, never
        # in a last column a word wide (it once was), and none of it off the screen.
        narrow = await tab.value("""() => [...document.querySelectorAll('tr[data-person] td.person-outcome')]
            .map((td) => td.getBoundingClientRect()).filter((r) => r.width < innerWidth * 0.6 || r.right > innerWidth)
            .map((r) => [r.left, r.right])""")
        assert not narrow, narrow
        await page.set_viewport_size({"width": 1366, "height": 768})

        # Its timeline: Fay's plenary is one stay, reconnected twice, the time away inside it.
        await page.goto(f"/audit/hearings/{HEARING}/timeline")
        await tab.wait_for("document.querySelector('#timeline[data-lanes]')")
        stays = await tab.value(f"""() => [...document.querySelectorAll('rect.timeline-segment[data-participant="{FAY[0]}"]')]
            .map((r) => [r.dataset.room, Number(r.dataset.reconnects), r.getAttribute('aria-label')])""")
        assert [(room, n) for room, n, _ in stays] == [("lobby", 0), ("plenary", 2)], stays
        assert stays[1][2].endswith(", reconnected twice"), stays
        gaps = await tab.value(f"""() => [...document.querySelectorAll('rect.timeline-gap[data-participant="{FAY[0]}"]')]
            .map((r) => Number(r.dataset.end) - Number(r.dataset.start))""")
        assert gaps == [20_000, 20_000], gaps
        assert await page.locator("#timeline-legend [data-kind='gaps']").count() == 1
        # Gus, removed by the mediator from the lobby: a mark where his lane ends, labelled with
        # the instant, and explained in the legend.
        removed = next(e.time for e in story() if e.action == "participant.remove" and e.resource.id == GUS[0])
        marks = await tab.value("""() => [...document.querySelectorAll('.timeline-mark[data-kind="remove"]')].map((m) =>
            [m.dataset.participant, Number(m.dataset.time), m.getAttribute('aria-label'), m.getAttribute('tabindex')])""")
        assert [(pid, at) for pid, at, _, _ in marks] == [(GUS[0], removed)], marks
        assert marks[0][2].startswith(f"{GUS[1]}: removed from the hearing by the mediator at ") and marks[0][3] == "0", marks
        ends = await tab.value(f"""() => [...document.querySelectorAll('rect.timeline-segment[data-participant="{GUS[0]}"]')]
            .map((r) => Number(r.dataset.end))""")
        assert ends[-1] == removed, (ends, removed)
        assert await page.locator("#timeline-legend [data-kind='remove']").inner_text() == t(EN, "audit.timeline.removed")
        # The hearing's end: a rule across every lane, focusable, labelled with the instant, in
        # the legend too.
        ended = next(e.time for e in story() if e.action == "hearing.close" and e.hearing == HEARING)
        end = page.locator("svg.timeline-svg .timeline-end")
        assert await end.count() == 1
        assert int(await end.get_attribute("data-time") or 0) == ended
        assert (await end.get_attribute("aria-label") or "").startswith("Hearing ended at ")
        assert await end.get_attribute("tabindex") == "0"
        assert (await page.locator("svg.timeline-svg .timeline-end-text").text_content() or "").startswith("Ended ")
        assert await page.locator("#timeline-legend [data-kind='end']").inner_text() == t(EN, "audit.timeline.ended")
        await page.locator(f".timeline-mark[data-kind='remove'][data-participant='{GUS[0]}']").focus()
        for _ in range(30):  # the end is reached by Tab, after the lanes' items
            if await tab.value("() => document.activeElement?.classList?.contains('timeline-end') ?? false"):
                break
            await page.keyboard.press("Tab")
        assert await tab.value("() => document.activeElement?.classList?.contains('timeline-end') ?? false")
        await page.get_by_role("button", name=t(EN, "audit.timeline.show_table")).click()
        away = await page.locator(f"#timeline-table tr[data-participant='{FAY[0]}'][data-room='plenary'] td.timeline-away div").count()
        assert away == 2
        # The table lists Gus's removal after his stay, and the hearing's end last, in the words
        # of their marks.
        table = await tab.value("""() => [...document.querySelectorAll('#timeline-table tbody tr')].map((tr) =>
            [tr.dataset.kind ?? 'stay', tr.dataset.participant, Number(tr.dataset.time ?? 0), tr.innerText])""")
        kinds = [(kind, pid) for kind, pid, _, _ in table]
        assert kinds.count(("remove", GUS[0])) == 1 and [k for k, _ in kinds].count("remove") == 1, table
        gus = [n for n, (_, pid) in enumerate(kinds) if pid == GUS[0]]
        assert kinds[gus[-1]] == ("remove", GUS[0]) and gus == list(range(gus[0], gus[-1] + 1)), table
        row = table[gus[-1]]
        assert row[2] == removed and row[3].split("\t")[-1].strip() == marks[0][2], (row, marks)
        assert table[-1][0] == "end" and table[-1][2] == ended and table[-1][3].strip().endswith(
            await end.get_attribute("aria-label") or "-"), table[-1]
        await shot(tab, "audit-timeline-reconnects")
        # The mediator's lane name, too long for its column on one line, takes two: the name,
        # then the role, nothing cut; the same on a phone (the picture scrolls, its names stay).
        for width in ("laptop", "phone"):
            await tab.screenshot("audit-timeline-names", width)
            lines, right = await tab.value(f"""() => {{
                const name = document.querySelector('g.timeline-lane[data-participant="{MED[0]}"] text.timeline-name');
                const box = name.getBBox(); const spans = [...name.querySelectorAll('tspan')];
                return [spans.length ? spans.map((s) => s.textContent) : [name.firstChild.data], box.x + box.width]; }}""")
            assert lines == [MED[1], "(mediator)"], (width, lines)
            assert right <= 170, (width, right)
        await page.set_viewport_size({"width": 1366, "height": 768})

        # A mediator account with no display name reads as an account by its user name, its role
        # said once: on the timeline, in the hearing's facts and in its entries.
        bare, _, username = BARE
        account = f"{username} · Mediator account"
        await page.goto(f"/audit/hearings/{bare}/timeline")
        await tab.wait_for("document.querySelector('#timeline[data-lanes]')")
        lane = await tab.value("""() => { const name = document.querySelector('g.timeline-lane text.timeline-name');
            return [name.querySelector('title').textContent, [...name.querySelectorAll('tspan')].map((s) => s.textContent)]; }""")
        assert lane == [account, [username, "Mediator account"]], lane  # two lines in its column
        await page.goto(f"/audit/hearings/{bare}")
        await page.locator("#hearing-life").wait_for()
        created = await page.locator("#hearing-life [data-fact='created']").inner_text()
        assert created.endswith(f"by {account}"), created
        await page.goto(f"/audit?hearing={bare}&order=asc")
        await tab.wait_for("document.querySelector('.total[data-rows]')")
        made = await page.locator("tr[data-action='hearing.create'] td.what").inner_text()
        assert made.startswith(f"{account} created the hearing"), made
        assert "mediator (mediator)" not in await page.locator("main").inner_text()

        # At phone width no page scrolls sideways: what does not fit scrolls inside its own box.
        await page.set_viewport_size({"width": 390, "height": 844})
        widths = {}
        for screen, url, drawn in (
                ("audit-search", f"/audit?hearing={HEARING}&order=asc", ".total[data-rows]"),
                ("", "/audit", ".total[data-rows]"),
                ("", f"/audit/hearings/{HEARING}", "#details-history table"),
                ("audit-hearing", f"/audit/hearings/{HEARING}/timeline", "#timeline[data-lanes]"),
                ("", f"/audit/people/{FAY[0]}", ".total[data-total]"),
                ("", f"/audit/entry/{opened_entry}", "#entry-sentence"),
                ("", "/audit/export", "#export-start")):
            await page.goto(url)
            await tab.wait_for(f"document.querySelector('{drawn}')")
            if url.endswith("/timeline"):
                await page.get_by_role("button", name=t(EN, "audit.timeline.show_table")).click()
            widths[url] = await tab.value("() => [document.documentElement.scrollWidth, innerWidth]")
            if screen:
                await tab.screenshot(screen, "phone")
        assert all(wide == [390, 390] for wide in widths.values()), widths
        await page.set_viewport_size({"width": 1366, "height": 768})

        # The same in Traditional Chinese: the header's rows and entries, the borrowed entry,
        # the removal from the lobby, the details over time, the gaps' legend.
        await page.select_option("#language", ZH)
        await tab.wait_for(f"document.documentElement.lang === '{ZH}'")
        await page.goto(f"/audit?hearing={HEARING}&order=asc")
        await tab.wait_for("document.querySelector('.total[data-rows]')")
        assert await page.locator(".total").inner_text() == t(
            ZH, "audit.results.rows", count=PAGE + 1 - 4, first=1, last=PAGE + 1, total=PAGE + 1)
        assert await page.locator("#borrowed-note").inner_text() == t(ZH, "audit.results.borrowed_last", count=1)
        assert await page.locator("tr[data-action='participant.disconnect']").filter(
            has_text=t(ZH, "audit.room.lobby")).count() == 1
        await shot(tab, f"audit-pages-edge-{ZH}")
        for screen, url, drawn in (("audit-hearing-details-history", f"/audit/hearings/{HEARING}", "#details-history table"),
                                   ("audit-timeline-reconnects", f"/audit/hearings/{HEARING}/timeline", "#timeline[data-lanes]")):
            await page.goto(url)
            await tab.wait_for(f"document.querySelector('{drawn}')")
            await shot(tab, f"{screen}-{ZH}")
        tab.assert_clean(secrets=[people.auditor.token, people.auditor.cookie])
        await tab.context.close()
