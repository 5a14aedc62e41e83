"""The staff pages at a phone's and a tablet's width, in the browser on the real suite.

- The set-up page's People, with several people: at 390 px each person is a block (name; role
  and side; what the invitation came to; the actions), the page never scrolls sideways and
  every button is on the screen (the table was once wider than the phone).
- The header of an administrator, and of a mediator with a long display name (on the console
  too, with the hearing's name), is at most two rows on a phone and never wider than it (it once
  took three, or ran off the screen): the name is cut with an ellipsis, whole in its title.
- An ended hearing's state and its dates read as one unit at laptop, tablet and phone widths:
  the badge on the line of the first date, every date line starting at the same edge, and
  "Ended" on the same line as its date (it once wrapped onto a line under the badge).
- The administrator's staff accounts (and API tokens) at 390 px, in English and Chinese: each
  account a block, no sideways scroll of the page or of the table's box, every button on the
  screen, and a last sign-in's date on at most two lines (the seven columns once scrolled inside
  their box and the Chinese date broke one character a line).
- The mediator's console at 390, 768 and 820 px: no sideways scroll, the toolbar's buttons on the
  screen (New caucus works from there), on a tablet all five in one row ("End hearing…" once
  wrapped onto a line of its own at 768 px); on a phone the knocks and the mediator's own room (video,
  who can hear you) come on the first screen, before the board and the documents, and the board's
  rooms stack one under another (the phone once showed the whole board first, the room far down).
- The steps that come first for a new account, choosing its own password and setting up the
  authenticator, offer "Sign out" on a phone's screen (someone handed another's device was
  stuck there), saying what is left for next time; it signs out.
- The chat's "You are now in …" marker in Chinese: its wrapped lines start at one edge, not
  each centred (ragged).
Screenshots by screen and width in tests/artifacts/.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from proto.ws import Admit
from tests.browser import ARTIFACTS, VIEWPORTS, Tab, chromium_page, open_tab, requires_chromium
from tests.e2e.mediator_steps import Mediator
from tests.e2e.participant_steps import (
    in_room,
    join_in_browser,
    mediator_socket,
    one_party_each,
    switch_language,
)
from tests.e2e.staff_steps import choose_password, sign_in, t
from tests.harness import Suite
from tests.people import INITIAL_PASSWORD, PASSWORD, SESSION_COOKIE, Staff, staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
ZONE = "Asia/Hong_Kong"
LONG_NAME = "Christopher Wong Siu-Ming (Senior Mediator)"
ADMIN_NAME = "Alexandra Chan Tai-Man, Registry Administrator"
PEOPLE = (("王小明 Wong Siu Ming", "party", "Claimant"),
          ("Margaret Lau-Henderson", "counsel", "Claimant"),
          ("陳大文 Chan Tai Man", "party", "Respondent"),
          ("Dr Rosalind Fitzgerald-Ng", "counsel", "Respondent"))

# The page's width against the screen's, and every button of the People on the screen.
FITS = """(() => ({
  scroll: document.documentElement.scrollWidth, inner: innerWidth,
  cut: [...document.querySelectorAll('.setup-grid button, .setup-grid a.button')]
    .filter((b) => b.getClientRects().length)
    .map((b) => [b.textContent, b.getBoundingClientRect()])
    .filter(([, r]) => r.left < 0 || r.right > innerWidth).map(([t]) => t),
}))()"""

# The header's rows: the distinct tops of what it shows (its parts and the tools inside them),
# and whether the name on the profile button is cut and its whole in the title.
HEADER = """(() => {
  const header = document.querySelector('.shell-header');
  const shown = [...header.querySelectorAll(':scope > *, .shell-nav > a, .shell-tools > *')]
    .filter((e) => e.getClientRects().length && getComputedStyle(e).position !== 'absolute')
    .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 1 && r.height > 1);
  const rows = [];
  for (const r of shown.sort((a, b) => a.top - b.top)) {
    if (!rows.some((row) => r.top < row.bottom - 4)) rows.push({ top: r.top, bottom: r.bottom });
    else rows.at(-1).bottom = Math.max(rows.at(-1).bottom, r.bottom);
  }
  const who = document.querySelector('#profile');
  const name = who?.querySelector('.who-name') ?? who;
  return { rows: rows.length, height: header.getBoundingClientRect().height,
    scroll: document.documentElement.scrollWidth, inner: innerWidth,
    whoRight: who ? who.getBoundingClientRect().right : 0,
    title: who ? who.title : '', cut: name ? name.scrollWidth > name.clientWidth : false };
})()"""

# The set-up's state and dates: the badge's line against the first date line, where each line
# of dates starts, and for "Opened …" and "Ended …" the lines their words take.
META = """(() => {
  const meta = document.querySelector('.setup .page-head .meta');
  const badge = meta.querySelector('.badge').getBoundingClientRect();
  const lines = (el) => {
    const range = document.createRange(); range.selectNodeContents(el);
    return [...new Set([...range.getClientRects()].map((r) => Math.round(r.top)))];
  };
  const dates = [...meta.querySelectorAll('.setup-when, .setup-opened, .setup-ended')];
  const first = document.createRange(); first.selectNodeContents(dates[0]);
  const line = first.getClientRects()[0];
  return { badgeMiddle: (badge.top + badge.bottom) / 2, lineTop: line.top, lineBottom: line.bottom,
    starts: [...dates.flatMap((d) => { const r = document.createRange(); r.selectNodeContents(d);
      return [...r.getClientRects()]; }).reduce((lines, r) => lines.set(Math.round(r.top),
        Math.min(lines.get(Math.round(r.top)) ?? Infinity, Math.round(r.left))), new Map()).values()],
    opened: lines(meta.querySelector('.setup-opened')), ended: lines(meta.querySelector('.setup-ended')),
    scroll: document.documentElement.scrollWidth, inner: innerWidth };
})()"""

# The staff accounts and tokens: the page's width and each table box's own sideways scroll, the
# buttons off the screen, and the lines each date takes (its text's distinct line tops).
ADMIN_TABLES = """(() => {
  const lines = (el) => {
    const range = document.createRange(); range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 1).map((r) => Math.round(r.top))).size;
  };
  const boxes = [...document.querySelectorAll('#accounts, #tokens')];
  return { scroll: document.documentElement.scrollWidth, inner: innerWidth,
    boxScroll: boxes.map((b) => b.scrollWidth - b.clientWidth),
    buttons: boxes.flatMap((b) => [...b.querySelectorAll('button')]).length,
    cut: boxes.flatMap((b) => [...b.querySelectorAll('button')])
      .map((b) => [b.getAttribute('aria-label'), b.getBoundingClientRect()])
      .filter(([, r]) => r.left < 0 || r.right > innerWidth || !r.width).map(([t]) => t),
    dates: [...document.querySelectorAll('.account-last, .token-created, .token-expires')]
      .map((d) => [d.textContent, lines(d)]) };
})()"""

# The console: the page's width, the toolbar's buttons off the screen, where its parts are (from
# the top of the page), and the board's room columns.
CONSOLE = """(() => {
  const at = (s) => { const r = document.querySelector(s).getBoundingClientRect();
    return { top: r.top + scrollY, left: r.left, right: r.right }; };
  const buttons = [...document.querySelectorAll('.console .toolbar button')];
  return { scroll: document.documentElement.scrollWidth, inner: innerWidth, height: innerHeight,
    buttons: buttons.length, rows: new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))).size,
    cut: buttons.map((b) => [b.textContent, b.getBoundingClientRect()])
      .filter(([, r]) => r.left < 0 || r.right > innerWidth).map(([t]) => t),
    knocks: at('.knocks-area'), room: at('.my-room'), video: at('.my-room .tile.self'),
    hearers: at('.my-room .hearers'), board: at('.console-board'), docs: at('.console-docs'),
    columns: [...document.querySelectorAll('.room-column')].map((c) => {
      const r = c.getBoundingClientRect(); return { left: r.left, top: r.top, bottom: r.bottom }; }) };
})()"""

# The chat marker's lines: where each starts and ends (a wrapped sentence, read from one edge).
MARKER = """(() => {
  const marker = document.querySelector('.chat-marker');
  const range = document.createRange(); range.selectNodeContents(marker);
  const rects = [...range.getClientRects()].filter((r) => r.width > 1);
  const byLine = new Map();
  for (const r of rects) {
    const key = Math.round(r.top);
    const seen = byLine.get(key);
    byLine.set(key, seen ? [Math.min(seen[0], r.left), Math.max(seen[1], r.right)] : [r.left, r.right]);
  }
  const box = marker.getBoundingClientRect();
  return { lines: [...byLine.values()], left: box.left, right: box.right };
})()"""


async def _as(tab: Tab, base_url: str, staff: Staff) -> None:
    await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": staff.cookie,
                                    "url": base_url}])


async def _at(tab: Tab, width: str) -> None:
    w, h = VIEWPORTS[width]
    await tab.page.set_viewport_size({"width": w, "height": h})
    await tab.page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")


async def _two_rows(tab: Tab, screen: str, name: str) -> None:
    """At a phone's width the header is two rows at most, nothing wider than the screen, the
    name cut (never the page) with the whole of it in the button's title."""
    await _at(tab, "phone")
    header: dict[str, Any] = await tab.value(HEADER)
    await tab.screenshot(screen, "phone")
    assert header["rows"] <= 2, header
    assert header["scroll"] <= header["inner"] and header["whoRight"] <= header["inner"], header
    assert header["title"] == name, header


async def _tables_fit(tab: Tab, screen: str) -> None:
    """At a phone's width the staff accounts (or tokens) fit the screen: nothing scrolls
    sideways, not even inside the table's box, every button is on it, and each date takes at
    most two lines (in a seven-column table the Chinese date broke one character a line)."""
    await _at(tab, "phone")
    fits: dict[str, Any] = await tab.value(ADMIN_TABLES)
    await tab.screenshot(screen, "phone")
    assert fits["scroll"] <= fits["inner"] and not any(fits["boxScroll"]), fits
    assert fits["buttons"] and not fits["cut"], fits
    assert fits["dates"] and all(lines <= 2 for _, lines in fits["dates"]), fits


async def _console_fits(tab: Tab) -> None:
    """The console at a phone's and two tablets' widths: never wider than the screen, the
    toolbar's five buttons on it, on a tablet in one row; on a phone the knocks, then the
    mediator's own room (their video and who can hear them) on the first screen, before the
    board and the documents, and the board's rooms one under another."""
    await tab.page.locator(".my-room .tile.self").wait_for()
    for width in ("phone", "tablet", "tablet-768"):
        if width == "tablet-768":
            await tab.page.set_viewport_size({"width": 768, "height": 1024})
        else:
            await _at(tab, width)
        console: dict[str, Any] = await tab.value(CONSOLE)
        if width == "tablet-768":
            await tab.page.screenshot(path=str(ARTIFACTS / "console-tablet-768.png"))
        else:
            await tab.screenshot("console", width)
        assert console["scroll"] <= console["inner"], (width, console)
        assert console["buttons"] == 5 and not console["cut"], (width, console)
        if width != "phone":
            assert console["rows"] == 1, (width, console)
            continue
        await tab.check_accessible("console-phone")
        knocks, room, board, docs = (console[k] for k in ("knocks", "room", "board", "docs"))
        assert knocks["top"] < room["top"] < board["top"] < docs["top"], console
        assert console["hearers"]["top"] < board["top"], console
        assert console["video"]["top"] < console["height"], console
        columns = console["columns"]
        assert len(columns) == 3, console
        assert len({round(c["left"]) for c in columns}) == 1, console
        assert all(a["bottom"] <= b["top"] for a, b in pairwise(columns)), console


async def _signs_out_from_a_first_step(tab: Tab, leave: str, screen: str) -> None:
    """A step that comes first (choosing one's own password, setting up the authenticator)
    offers "Sign out" on a phone's screen, saying what is left for next time; it signs out."""
    page = tab.page
    line = page.locator(".auth-leave")
    await line.get_by_text(t("en", leave), exact=True).wait_for()
    button = line.get_by_role("button", name=t("en", "common.signout"), exact=True)
    box = await button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    await tab.check_accessible(screen)
    await tab.screenshot(screen, "phone")
    await button.click()
    await page.get_by_text(t("en", "staff.signin.signed_out")).wait_for()
    assert await tab.value("fetch('/api/v1/me').then((r) => r.status)") == 401


# Slow: a new account's first steps and every staff screen at a phone's width (about 20 s);
# `make slow` runs it (the default run's 15 minutes on two cores).
@pytest.mark.slow
@pytest.mark.timeout(300)  # a new account's first steps too: three password checks (argon2id)
async def test_set_up_and_header_at_a_phone_width(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    for staff, name in ((people.mediator, LONG_NAME), (people.admin, ADMIN_NAME)):
        status, me = await staff.call("PATCH", "/api/v1/me", {"display_name": name})
        assert status == 200, me
    due = int((datetime.now(UTC) + timedelta(days=5)).timestamp() * 1000)
    status, hearing = await people.mediator.call("POST", "/api/v1/hearings", {
        "title": "Wong Holdings Ltd v. Chan", "scheduled_at": due, "time_zone": ZONE})
    assert status == 201, hearing
    base = f"/api/v1/hearings/{hearing['id']}"
    sides = {}
    for side in ("Claimant", "Respondent"):
        status, made = await people.mediator.call("POST", f"{base}/sides", {"name": side})
        assert status == 201, made
        sides[side] = made["side"]["id"]
    for name, role, side in PEOPLE:
        status, made = await people.mediator.call("POST", f"{base}/participants", {
            "name": name, "role": role, "side": sides[side]})
        assert status == 201, made
    assert (await people.mediator.call("POST", f"{base}/open", {}))[0] == 200

    async with chromium_page(suite.base_url, width="phone") as tab:
        page = tab.page
        browser = page.context.browser
        assert browser is not None
        admin = await open_tab(browser, suite.base_url, width="phone")
        try:
            # --- the mediator's set-up at a phone's width: People as blocks, nothing cut ------
            await _as(tab, suite.base_url, people.mediator)
            await page.goto(f"/hearings/{hearing['id']}/setup")
            await page.locator("table.roster tbody tr").nth(len(PEOPLE) - 1).wait_for()
            for width in ("phone", "tablet"):
                await _at(tab, width)
                fits = await tab.value(FITS)
                await tab.screenshot("setup", width)
                assert fits["scroll"] <= fits["inner"] and not fits["cut"], (width, fits)
            await _two_rows(tab, "header-mediator", LONG_NAME)
            await tab.check_accessible("setup-phone")
            # The console adds the hearing's name: a row of its own, still two in all.
            await page.goto(f"/hearings/{hearing['id']}")
            await page.locator(".shell-status .header-hearing").wait_for()
            await _two_rows(tab, "header-console", LONG_NAME)
            # A caucus made from the toolbar at a phone's width: three rooms on the board.
            await Mediator(tab, "en").new_caucus("Claimant", move_side=False)
            await _console_fits(tab)
            await page.goto(f"/hearings/{hearing['id']}/setup")
            await page.locator("table.roster tbody tr").first.wait_for()

            # --- an administrator's header, on their own page and on the set-up --------------
            await _as(admin, suite.base_url, people.admin)
            await admin.page.goto("/admin")
            await admin.page.locator("#profile").wait_for()
            await _two_rows(admin, "header-admin", ADMIN_NAME)
            await admin.page.locator("#accounts tr[data-account]").first.wait_for()
            await _tables_fit(admin, "admin-accounts")
            await switch_language(admin, "zh-Hant")
            await _two_rows(admin, "header-admin-zh-Hant", ADMIN_NAME)
            await _tables_fit(admin, "admin-accounts-zh-Hant")
            await admin.check_accessible("admin-accounts-zh-Hant-phone")
            status, made = await people.admin.call("POST", "/api/v1/tokens", {
                "name": "Nightly export to the registry", "expires_in_s": 90 * 86400})
            assert status == 201, made
            await admin.page.goto("/admin/tokens")
            await admin.page.locator("#tokens tbody tr").first.wait_for()
            await _tables_fit(admin, "admin-tokens-zh-Hant")
            await admin.page.goto(f"/hearings/{hearing['id']}/setup")
            await admin.page.locator(".admin-view").wait_for()
            await _two_rows(admin, "setup-admin-header", ADMIN_NAME)

            # --- a new account's first steps, on a phone: "Sign out" on each ------------------
            status, made = await people.admin.call("POST", "/api/v1/accounts", {
                "username": "handed.device", "role": "mediator", "password": INITIAL_PASSWORD})
            assert status == 201, made
            newcomer = await open_tab(browser, suite.base_url, width="phone")
            try:
                await newcomer.page.goto("/signin")
                await sign_in(newcomer, "en", "handed.device", INITIAL_PASSWORD)
                await newcomer.page.get_by_role(
                    "heading", name=t("en", "staff.password.forced_title")).wait_for()
                await _signs_out_from_a_first_step(newcomer, "staff.password.leave", "password-forced")
                await sign_in(newcomer, "en", "handed.device", INITIAL_PASSWORD)
                await choose_password(newcomer, "en", INITIAL_PASSWORD, PASSWORD)
                await newcomer.page.get_by_role("heading", name=t("en", "staff.enroll.title")).wait_for()
                await _signs_out_from_a_first_step(newcomer, "staff.enroll.leave", "enroll")
                newcomer.assert_clean()
            finally:
                await newcomer.context.close()

            # --- ended: the state and its dates, one unit at every width ----------------------
            assert (await people.mediator.call("POST", f"{base}/close", {}))[0] == 200
            await page.reload()
            await page.locator(".setup .page-head .setup-ended").wait_for()
            for width in ("laptop", "tablet", "phone"):
                await _at(tab, width)
                meta = await tab.value(META)
                await tab.screenshot("setup-ended", width)
                assert meta["lineTop"] <= meta["badgeMiddle"] <= meta["lineBottom"], (width, meta)
                assert len(set(meta["starts"])) == 1, (width, meta)
                assert len(meta["opened"]) == 1 and len(meta["ended"]) == 1, (width, meta)
                assert meta["scroll"] <= meta["inner"], (width, meta)
            tab.assert_clean()
            admin.assert_clean()
        except Exception:
            print(tab.dump(), admin.dump())
            raise
        finally:
            await admin.context.close()


@pytest.mark.timeout(180)
async def test_the_chat_marker_reads_from_one_edge_in_chinese(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    med = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        try:
            await join_in_browser(tab, invitation)
            await med.send(Admit(participant=invitation["participant"], room="plenary"))
            await in_room(tab, "plenary")
            await tab.wait_for("document.querySelector('.chat-marker')", timeout=30)
            for lang in ("zh-Hant", "zh-Hans"):
                await switch_language(tab, lang)
                for width in ("laptop", "phone"):
                    await _at(tab, width)
                    await tab.page.locator(".chat-marker").scroll_into_view_if_needed()
                    marker = await tab.value(MARKER)
                    await tab.page.locator(".chat-panel").screenshot(
                        path=str(ARTIFACTS / f"chat-marker-{lang}-{width}.png"))
                    lines = marker["lines"]
                    assert len(lines) >= 2, (lang, width, marker)
                    assert max(s for s, _ in lines) - min(s for s, _ in lines) < 1, (lang, width,
                                                                                    marker)
            tab.assert_clean()
        except Exception:
            print(tab.dump())
            raise
        finally:
            await med.close()
