"""A whole hearing run by a mediator in the browser, with four participants in four browsers.

The mediator signs in with TOTP, creates a hearing with two sides, invites a party and counsel per
side; the four join through their links; the mediator admits them (menu, keyboard, drag), drags
side B into a new caucus (side A's pages lose B's tiles and show no B pixels, timed from the
drop by the pages' own clocks: see ISOLATION_HERE_S; B's pages show the caucus banner), sets a timer, broadcasts (every participant must dismiss the banner),
answers a knock from side A by shuttling (which answers it), dismisses one from side B, calls
everyone back, locks (visible on every page), has a cross-side move refused with a sentence,
removes one counsel and ends the hearing: all with clicks, keys and drags. Only afterwards is the
API used: to read the audit log and find every action there. Every screen is checked with axe-core,
for CSP refusals and for secrets in requested URLs, and photographed at laptop and tablet width.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.browser import Tab, chromium, chromium_page, fake_camera, requires_chromium
from tests.e2e.mediator_steps import Mediator, banner_kind, final, join
from tests.e2e.staff_steps import sign_in, t
from tests.e2e.web_people import (
    BLUE,
    GREEN,
    RED,
    VIDEO_COLOUR,
    YELLOW,
    Cast,
    audit_actions,
    near,
    remote_colours,
)
from tests.harness import Suite
from tests.people import staff_people

# Slow: five Chromiums with live video for several minutes (passed in 7 min at load average 40 on
# the 2-core machine); the default suite keeps the trimmed zh-Hant flow. `make slow` runs it.
pytestmark = [pytest.mark.slow, pytest.mark.browser, requires_chromium, pytest.mark.timeout(600),
              pytest.mark.own_suite]  # five browsers on a suite of its own, as before it was shared
EN = "en"
CAMERA_RATE = 5
GREY = (128, 128, 128)
ACTIONS = {
    "hearing.create", "hearing.side_add", "participant.invite", "hearing.open",
    "participant.redeem", "participant.admit", "room.caucus_create", "room.move_side",
    "room.move", "room.timer", "room.broadcast", "room.knock", "room.shuttle",
    "room.knock_dismiss", "room.recall", "hearing.lock", "participant.remove", "hearing.close",
}


async def both_widths(tab: Tab, screen: str) -> None:
    await tab.check_accessible(screen)
    await tab.screenshot(screen, "tablet")
    await tab.check_accessible(f"{screen} (tablet)")
    await tab.screenshot(screen, "laptop")


REMOTE_TILES = ".video-grid figure.tile[data-kind=camera]:not(.self)"


# Installed on a side-A page before side B is moved out: the page looks, every 20 ms, for a
# tile of B's or a remote video showing B's colours, and notes (its own clock, Date.now()) each
# look and the first that finds neither. Looked at from the test instead, each look cost one
# page round trip per tile, several seconds each with five Chromiums on two cores: "when was B
# gone" was known to within seconds, not to the 1 s the isolation promise is about.
WATCH_SIDE_GONE = """({ remote, ids, colours, tolerance }) => {
  const shows = VIDEO_COLOUR;
  const near = (c, rgb) => c && c.every((v, k) => Math.abs(v - rgb[k]) <= tolerance);
  const watch = { seenFirst: null, goneAt: null, looks: [] };
  window.sideGone = watch;
  const look = () => {
    const now = Date.now();
    if (watch.looks.length < 20000) watch.looks.push(now);
    const seen = [...document.querySelectorAll(remote)].some((f) => ids.includes(f.dataset.participant)
      || colours.some((rgb) => near(shows(f.querySelector("video")), rgb)));
    if (watch.seenFirst === null) watch.seenFirst = seen;
    if (seen) setTimeout(look, 20);
    else watch.goneAt = now;
  };
  look();
  return true;
}""".replace("VIDEO_COLOUR", VIDEO_COLOUR)
NOTE_DROP = """() => { window.droppedAt = null;
  document.addEventListener("drop", () => { window.droppedAt = window.droppedAt || Date.now(); },
                            { capture: true }); return true; }"""
#: A look later than this after the one before means the page's main thread did not run.
STALL_MS = 100
#: The bound this test puts on side B's departure from a side-A page, from the drop, in wall
#: time. The promise is 1 s, on each person's own device. Here five Chromiums share two cores:
#: measured by the pages' own clocks, B went 1.2-9.0 s after the drop (10 pages in 5 runs), while
#: the pages' main threads went up to 7.3 s without running a task; less those stalls, 0.2-1.9
#: s. So this test shows that B goes, and prints how fast; it cannot show the 1 s here.
ISOLATION_HERE_S = 15.0


async def watch_side_leave(tab: Tab, ids: set[str]) -> None:
    await tab.page.evaluate(WATCH_SIDE_GONE, {"remote": REMOTE_TILES, "ids": sorted(ids),
                                              "colours": [BLUE, YELLOW], "tolerance": 45})


async def side_gone_after(tab: Tab, dropped_at: int) -> tuple[float, float]:
    """(seconds from the mediator's drop to the first look of this page that found no tile and
    no pixels of the side moved out, seconds of that time the page's main thread was stalled).
    The drop is on the console's clock, the looks on the page's: one machine, one clock.

    Stalled: the time beyond STALL_MS between two looks of a 20 ms cadence. With five Chromiums
    on two cores a page's main thread went up to 7.3 s without running a task, which no page
    code can shorten (ISOLATION_HERE_S)."""
    watch = await tab.wait_for("window.sideGone.goneAt && window.sideGone", timeout=60)
    assert watch["seenFirst"], f"the side was not on this page before the move: {watch}"
    looks = watch["looks"]
    stalled = sum(max(0, later - max(earlier, dropped_at) - STALL_MS)
                  for earlier, later in itertools.pairwise(looks) if later > dropped_at)
    return (watch["goneAt"] - dropped_at) / 1000, stalled / 1000


async def test_a_mediator_runs_a_hearing_in_the_browser(suite: Suite, tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    colours = {"A1": RED, "A2": GREEN, "B1": BLUE, "B2": YELLOW}
    # Five meshed pages encode four copies and decode four streams each, on two cores: the
    # cameras play 5 frames a second (the colours and every move read the same at any rate), so
    # the console's main thread is not left waiting on starved WebRTC threads (it once missed a
    # click for 30 s; 2 of 3 runs failed here at 15 frames a second on a slow day).
    async with chromium(fake_camera(tmp_path / "mediator.y4m", GREY, rate=CAMERA_RATE)) as own, \
            chromium_page(suite.base_url, own) as tab, \
            Cast.start(suite.base_url, tmp_path, colours, rate=CAMERA_RATE) as cast:
        med = Mediator(tab, EN)
        page = tab.page
        await page.goto("/signin")
        await sign_in(tab, EN, people.mediator.username, people.mediator.password,
                      code=await people.mediator.next_totp())
        await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"), exact=True).wait_for()
        await both_widths(tab, "hearings-empty")

        # Always ahead: a date already past is refused (tests/e2e/test_web_setup_sides.py).
        when = f"{datetime.now(UTC).year + 1}-12-01T09:30"
        hearing = await med.create_hearing("Chan v. Lee", when, "Asia/Hong_Kong")
        await med.add_side("Claimant")
        await med.add_side("Respondent")
        for name, role, side in (("A1", "party", "Claimant"), ("A2", "counsel", "Claimant"),
                                 ("B1", "party", "Respondent"), ("B2", "counsel", "Respondent")):
            await med.invite(name, role, side)
            if name != "B2":
                await med.done_inviting()
        await both_widths(tab, "setup")  # with the one-time invitation panel open
        await med.done_inviting()
        ids = {name: person.participant for name, person in med.invited.items()}
        await med.open_console()

        # --- the four join through their links and wait in the lobby ------------------------
        await asyncio.gather(*(join(cast.tabs[n], EN, med.invited[n]) for n in colours))
        for name in colours:
            await med.in_room(name, "lobby")
        await cast.tabs["A1"].check_accessible("participant-lobby")
        await cast.tabs["A1"].screenshot("participant-lobby", "laptop")

        # --- admit: by menu, by keyboard, by drag and drop ---------------------------------
        await med.menu("mediator.board.admit_named", "mediator.board.admit_to", name="A1",
                       room=t(EN, "mediator.room.plenary"))
        await med.in_room("A1", "plenary")
        await med.admit_by_keyboard("A2")
        await med.in_room("A2", "plenary")
        for name in ("B1", "B2"):
            await med.drag(med.card(name), "plenary")
            await med.in_room(name, "plenary")
        await asyncio.gather(*(banner_kind(cast.tabs[n], "plenary") for n in colours))

        # Media flows: A1 sees B1 and B2 in their colours before the caucus.
        async def a_sees_b() -> bool:
            seen = await remote_colours(cast.tabs["A1"])
            return near(seen.get(ids["B1"]), BLUE) and near(seen.get(ids["B2"]), YELLOW)

        deadline = time.monotonic() + 45
        while not await a_sees_b():
            assert time.monotonic() < deadline, await remote_colours(cast.tabs["A1"])
            await asyncio.sleep(0.2)

        # --- side B, dragged as one into a new caucus ---------------------------------------
        await med.new_caucus("Respondent", move_side=False)
        b_ids = {ids["B1"], ids["B2"]}
        await asyncio.gather(*(watch_side_leave(cast.tabs[n], b_ids) for n in ("A1", "A2")))
        await page.evaluate(NOTE_DROP)
        await med.drag('.side-chip[data-side]:has-text("Respondent")', "caucus")
        dropped_at = await tab.value("window.droppedAt")
        for name in ("A1", "A2"):
            gone, stalled = await side_gone_after(cast.tabs[name], dropped_at)
            print(f"side B gone from {name}'s page {gone:.3f} s after the drop, {stalled:.3f} s of"
                  " which its main thread was stalled")
            assert gone <= ISOLATION_HERE_S, \
                f"side B still seen on {name}'s page {gone:.3f} s after the drop ({stalled:.3f} s stalled)"
        await asyncio.gather(*(banner_kind(cast.tabs[n], "caucus") for n in ("B1", "B2")))
        caucus_name = t(EN, "common.room.caucus_default", side="Respondent")
        banner = await cast.tabs["B1"].page.locator(".room-banner").inner_text()
        assert caucus_name in banner
        await med.in_room("B1", "caucus")
        await med.in_room("B2", "caucus")
        await both_widths(tab, "console")
        await cast.tabs["B1"].check_accessible("participant-caucus")
        await cast.tabs["B1"].screenshot("participant-caucus", "laptop")

        # --- a timer on the caucus, seen on the board and by the caucus --------------------
        await med.menu("mediator.board.caucus_menu_named", "mediator.timer.set",
                       room=caucus_name, count=5)
        timer = page.locator(".room-column[data-room-kind=caucus] .timer")
        await timer.filter(has_text=":").wait_for()
        assert (await timer.inner_text()).startswith(("5:", "4:"))
        await cast.tabs["B2"].wait_for("!document.querySelector('.room-countdown').hidden")

        # --- broadcast: a banner every participant must dismiss ------------------------------
        await med.broadcast("We resume in plenary at 11:00.")
        for name in colours:
            notice = cast.tabs[name].page.locator(".notice-broadcast").filter(
                has_text="We resume in plenary")
            await notice.wait_for()
            await notice.get_by_role("button", name=t(EN, "participant.notice.dismiss")).click()
            await notice.wait_for(state="detached")

        # --- the mediator shuttles to the caucus; A1 knocks; the mediator goes to them ------
        await med.button("mediator.board.go_named", room=caucus_name)
        await med.where_am_i(caucus_name)
        await cast.tabs["A1"].page.locator("[data-control=knock]").click()
        await page.locator(f'.knock[data-participant="{ids["A1"]}"]').wait_for()
        await med.button("mediator.knocks.go_named", name="A1")
        await med.where_am_i(t(EN, "mediator.room.plenary"))
        await page.locator(".knock").wait_for(state="detached")  # answered by coming
        # B1 knocks from the caucus; the mediator stays and dismisses it.
        await cast.tabs["B1"].page.locator("[data-control=knock]").click()
        await page.locator(f'.knock[data-participant="{ids["B1"]}"]').wait_for()
        await med.button("mediator.knocks.dismiss_named", name="B1")
        await page.locator(".knock").wait_for(state="detached")

        # --- everyone back; lock, visible on every screen ------------------------------------
        await med.button("mediator.console.recall")
        await asyncio.gather(*(banner_kind(cast.tabs[n], "plenary") for n in ("B1", "B2")))
        await med.button("mediator.console.lock")
        await page.locator("#lock-badge").wait_for()
        for name in colours:
            await cast.tabs[name].wait_for("document.querySelector('.room-banner [data-locked=true]') !== null")

        # --- a move into the other side's caucus: never offered, and a drag says why -------
        await med.menu("mediator.board.move_side_named", "mediator.board.move_to",
                       side="Respondent", room=caucus_name)
        await asyncio.gather(*(banner_kind(cast.tabs[n], "caucus") for n in ("B1", "B2")))
        await page.get_by_role("button", name=t(EN, "mediator.board.move_named", name="A1"),
                               exact=True).click()
        offered = await page.get_by_role("menuitem").all_inner_texts()
        assert t(EN, "mediator.board.move_to", room=caucus_name) not in offered, offered
        await page.keyboard.press("Escape")
        await med.drag(med.card("A1"), "caucus")
        await page.locator("#toasts").get_by_text(t(EN, "mediator.board.other_side", name="A1",
                                                    room=caucus_name)).wait_for()
        await med.in_room("A1", "plenary")
        assert await page.locator(".person[data-pending=true]").count() == 0

        # --- remove one counsel, then end ----------------------------------------------------
        await med.menu("mediator.board.move_named", "mediator.board.remove", name="A2")
        await med.confirm("mediator.revoke.confirm")
        await page.locator(med.card("A2")).wait_for(state="detached")
        await final(cast.tabs["A2"], "removed")
        await med.button("mediator.console.end")
        await med.confirm("mediator.end.confirm")
        await page.get_by_role("heading", name=t(EN, "mediator.console.ended_title")).wait_for()
        # Kept at the end (the dialog's default): the card says so once it has read the ended
        # detail, not "unless they were destroyed" (what a card says that does not know).
        await page.get_by_text(t(EN, "mediator.console.ended_documents_kept"), exact=True).wait_for()
        assert await page.get_by_text(t(EN, "mediator.console.ended_documents")).count() == 0
        for name in ("A1", "B1", "B2"):
            await final(cast.tabs[name], "ended")

        await page.get_by_role("link", name=t(EN, "mediator.setup.back")).click()
        await page.locator(f'tr[data-hearing="{hearing}"]').wait_for()
        await both_widths(tab, "hearings")

        # --- afterwards: everything is in the audit log; nothing leaked ---------------------
        entries = await audit_actions(people.auditor, hearing, ACTIONS)
        moves = [e for e in entries if e["action"] == "room.move"]
        assert {m["resource"]["id"] for m in moves} >= {ids["B1"], ids["B2"]}
        secrets = [p.code for p in med.invited.values()]
        secrets += [p.link.split("#t=")[1] for p in med.invited.values()]
        tab.assert_clean(secrets=secrets)
        for name in colours:
            cast.tabs[name].assert_clean(secrets=secrets)
