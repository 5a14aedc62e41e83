"""The mediator's console when a caucus's time runs out, in the browser on the real suite.

- The caucus's column says "Time is up" (in words, set apart as an alert, not by colour alone)
  with "Add 5 minutes" and "Dismiss", and keeps saying it after the toast has gone and after a
  reload, until the mediator acts: adding 5 minutes (the server's new deadline counts down),
  dismissing it, or closing the caucus. After "Add 5 minutes" (pressed from the keyboard) the
  notice and its buttons go, and the focus is on the caucus's menu (it was once lost).
- Its toast stays inside the window when the window changes size, from 1366 px to 390 px and
  back, at once (before the page places it again: it once sat off the screen) and after.
- The new caucus's name field counts its characters as the hearing's title, sides and people
  do ("8 of 200 characters"), the name put in for a side included.
- Its timer chip says what it counts in words ("4:57 left"), not digits alone.
- A party in a caucus is told what its timer means: at time up, what happens next (the mediator
  decides; they can keep talking), in place of the move notice that brought them there, and
  never over the room's banner; time added replaces it ("The mediator added 5 minutes…": it
  once stayed above "4:56 left in this caucus"); the limit removed is said. A move notice goes
  once the mediator joins the party (answering a knock): old news.
- A caucus everyone has left ("Call everyone back") ends its timer: the console's countdown goes
  at once, no time up comes after, and a "Time is up" already on its column goes too.
- Any length: "Timer: other length…" asks for whole minutes, 1 to 240, saying in words what is
  wrong with anything else (empty, 0, 241, 1.5); Escape sets nothing; Enter sets 20 minutes,
  counted down on the console and the party's page alike; focus goes back to the caucus's menu.
  While it runs, "Add 5 minutes" in that menu adds to it (about 25 minutes then, not 5).

- Three sides, a caucus each (seven people): every room's column in one row, on the first
  screen or one sideways scroll away (its button above the board brings it), at 1366x768,
  1024x768 and 768x1024, where a knock is said above the board; a side moved while its people
  wait says so; "Admit…" on the side names them and admits them; focus goes to a new caucus.

The short timers come from the test's own WebSocket for the mediator (the console offers 1
minute at least); the console's page does everything else. axe-core and screenshots.
"""

from __future__ import annotations

import json

import pytest

from proto.ws import Admit, CaucusTimer, Knock, Move, Recall, Shuttle
from tests.browser import (
    ARTIFACTS,
    Tab,
    chromium,
    chromium_page,
    dumped_on_failure,
    open_tab,
    requires_chromium,
)
from tests.e2e.mediator_steps import Mediator
from tests.e2e.participant_steps import (
    in_room,
    join_in_browser,
    mediator_caucus,
    mediator_page,
    mediator_socket,
    one_party_each,
    shots,
    switch_language,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
EN, ZH = "en", "zh-Hant"
NAME = "Breakout"


def column(room: str) -> str:
    return f".room-column[data-room=\"{room}\"]"


async def time_up(tab: Tab, room: str) -> None:
    await tab.wait_for(f"document.querySelector('{column(room)} .time-up') !== null", timeout=30)


async def not_time_up(tab: Tab, room: str) -> None:
    await tab.wait_for(f"document.querySelector('{column(room)} .time-up') === null", timeout=30)


def timer_text(room: str) -> str:
    return f"(document.querySelector('{column(room)} .timer')?.textContent ?? '')"


def time_left(minutes: str) -> str:
    """A test of the timer chip's text: "4:57 left", its minutes one of `minutes`."""
    return "/^[" + minutes + "]:\\d\\d" + t(EN, "mediator.timer.left", time="") + "$/"


# The party's notices above the room: [kind, variant, text] each.
NOTICES = ("[...document.querySelectorAll('.notices .notice')].map((x) => [x.dataset.kind, "
           "x.dataset.variant ?? null, x.querySelector('.notice-text').textContent])")
COUNTDOWN = "(document.querySelector('.room-banner .room-countdown:not([hidden])')?.textContent ?? null)"
# Whether a notice covers part of the room's banner (the page scrolled to just above it).
COVERS_BANNER = """(() => {
  const banner = document.querySelector('.room-banner');
  window.scrollTo(0, banner.getBoundingClientRect().top + window.scrollY - 24);
  const b = banner.getBoundingClientRect();
  return [...document.querySelectorAll('.notices .notice')].some((n) => {
    const r = n.getBoundingClientRect();
    return r.bottom > b.top && r.top < b.bottom && r.height > 0;
  });
})()"""


# The toasts' box and the window (without its scroll bars) at the window's first "resize" event,
# before the page has placed them again (components/toast.js waits for the window to settle),
# then once it has (it marks the box `data-clear` each time): [left, top, right, bottom, width,
# height] each.
WATCH_RESIZE = """(() => {
  const box = document.getElementById('toasts');
  const now = () => { const r = box.getBoundingClientRect(); const d = document.documentElement;
    return [r.left, r.top, r.right, r.bottom, d.clientWidth, d.clientHeight]; };
  window.toastsAtResize = window.toastsPlaced = null;
  addEventListener('resize', () => {
    window.toastsAtResize = now();
    const placed = new MutationObserver(() => { placed.disconnect(); window.toastsPlaced = now(); });
    placed.observe(box, { attributes: true, attributeFilter: ['data-clear'] });
  }, { once: true });
  return true; })()"""


def inside(box: list[float]) -> bool:
    left, top, right, bottom, width, height = box
    return right - left > 100 and left >= 0 and right <= width and top >= 0 and bottom <= height


async def toast_stays_inside(tab: Tab, width: int, height: int) -> None:
    """The window goes to `width` x `height`: the toast showing is inside it at once, and once
    the page has placed it again."""
    await tab.value(WATCH_RESIZE)
    await tab.page.set_viewport_size({"width": width, "height": height})
    at_once = await tab.wait_for("window.toastsAtResize")
    assert at_once[4] <= width and inside(at_once), (width, at_once)
    placed = await tab.wait_for("window.toastsPlaced")
    assert inside(placed), (width, placed)


async def notices_are(tab: Tab, expected: list[list[str | None]]) -> None:
    said = json.dumps(expected, separators=(",", ":"), ensure_ascii=False)  # as JSON.stringify
    try:
        await tab.wait_for(f"JSON.stringify({NOTICES}) === {json.dumps(said)}", timeout=30)
    except TimeoutError:
        raise AssertionError(f"notices: {await tab.value(NOTICES)}, not {expected}") from None


@pytest.mark.timeout(240)
async def test_a_caucus_whose_time_is_up_says_so_until_the_mediator_acts(suite: Suite) -> None:
    people, cast, _ = await one_party_each(suite)
    med_socket = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        med = Mediator(tab, EN)
        try:
            await mediator_page(tab, people, cast.hearing, suite.base_url)
            await page.locator(".board .room-column[data-room-kind=lobby]").wait_for()

            # --- a new caucus's name counts its characters ------------------------------------
            await med.button("mediator.console.new_caucus")
            dialog = page.get_by_role("dialog")
            name = dialog.get_by_label(t(EN, "mediator.caucus.name"), exact=True)
            count = dialog.locator(".char-count")
            # Side A is picked first: its caucus's name is put in, and counted.
            assert await name.input_value() == "Side A caucus"
            assert await count.text_content() == t(EN, "common.chars", count=13, max=200)
            await dialog.get_by_label(t(EN, "mediator.caucus.side"), exact=True).select_option("")
            assert await count.text_content() == t(EN, "common.chars", count=0, max=200)
            await name.press_sequentially(NAME)
            assert await count.text_content() == t(EN, "common.chars", count=len(NAME), max=200)
            described = await name.get_attribute("aria-describedby") or ""
            assert await count.get_attribute("id") in described.split(), described
            await name.fill("x" * 200)
            await name.press("End")
            await name.press_sequentially("y")  # cut at the limit, and said
            assert await name.input_value() == "x" * 200
            await count.filter(has_text=t(EN, "common.chars_full", count=200, max=200)).wait_for()
            await tab.check_accessible("console-caucus-name-count")
            await tab.screenshot("console-caucus-name-count", "laptop")
            await name.fill(NAME)
            await dialog.get_by_role("button", name=t(EN, "mediator.caucus.create"),
                                     exact=True).click()
            caucus_column = page.locator(".room-column[data-room-kind=caucus]", has_text=NAME)
            await caucus_column.wait_for()
            room = await caucus_column.get_attribute("data-room") or ""
            assert room

            # --- time up: said on the caucus's column, and still after the toast and a reload -
            await med_socket.send(CaucusTimer(room=room, seconds=2))
            await time_up(tab, room)
            up = t(EN, "mediator.timer.time_up")
            assert await tab.value(timer_text(room)) == up
            notice = page.locator(f"{column(room)} .time-up")
            assert up in await notice.inner_text()
            assert t(EN, "mediator.timer.time_up_text") in await notice.inner_text()
            # The toast goes (after its six seconds); the column keeps saying it.
            toast = page.locator("#toasts", has_text=t(EN, "mediator.timer.up", room=NAME))
            await toast.wait_for()
            await toast_stays_inside(tab, 390, 844)
            await page.screenshot(path=str(ARTIFACTS / "console-time-up-toast-phone.png"))
            await toast_stays_inside(tab, 1366, 768)
            await toast.wait_for(state="detached", timeout=30_000)
            assert await notice.is_visible()
            await page.reload()
            await time_up(tab, room)
            await tab.check_accessible("console-time-up")
            await shots(tab, "console-time-up")
            await switch_language(tab, ZH)
            await tab.wait_for(f"{timer_text(room)} === {t(ZH, 'mediator.timer.time_up')!r}")
            await switch_language(tab, EN)

            # --- "Add 5 minutes": the server's new deadline counts down, the notice goes -------
            # Pressed from the keyboard: the focus goes to the caucus's menu, not lost with it.
            focused = "document.activeElement?.getAttribute('aria-label')"
            menu = t(EN, "mediator.board.caucus_menu_named", room=NAME)
            add = page.get_by_role("button", name=t(EN, "mediator.timer.add_named", room=NAME),
                                   exact=True)
            await add.focus()
            await add.press("Enter")
            await not_time_up(tab, room)
            await tab.wait_for(f"{time_left('45')}.test({timer_text(room)})", timeout=30)
            await tab.wait_for(f"{focused} === {menu!r}")

            # --- time up again: "Dismiss" takes it away, and the timer says there is none -----
            await med_socket.send(CaucusTimer(room=room, seconds=1))
            await time_up(tab, room)
            await page.get_by_role("button", name=t(EN, "mediator.timer.dismiss_named", room=NAME),
                                   exact=True).click()
            await not_time_up(tab, room)
            assert await tab.value(timer_text(room)) == t(EN, "mediator.timer.none")
            assert await tab.value(focused) == menu, await tab.value(focused)
            await page.reload()
            await page.locator(column(room)).wait_for()
            assert await tab.value(f"document.querySelector('{column(room)} .time-up')") is None

            # --- and again: closing the caucus settles it ---------------------------------------
            await med_socket.send(CaucusTimer(room=room, seconds=1))
            await time_up(tab, room)
            await med.menu("mediator.board.caucus_menu_named", "mediator.board.close_caucus",
                           room=NAME)
            await med.confirm("mediator.caucus.close_confirm")
            await page.locator(column(room)).wait_for(state="detached", timeout=30_000)
            kept = await tab.value(f"sessionStorage.getItem('parley.console.time_up.{cast.hearing}')")
            assert kept == "{}", kept
            tab.assert_clean(secrets=[people.mediator.cookie])
        except Exception:
            print(tab.dump())
            raise
        finally:
            await med_socket.close()


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(300)
async def test_a_party_is_told_what_its_caucus_timer_does(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med_socket = await mediator_socket(suite, people, cast)
    tabs: dict[str, Tab] = {}
    async with chromium() as browser:
        with dumped_on_failure(tabs):
            try:
                party = tabs["party"] = await open_tab(browser, suite.base_url)
                console = tabs["console"] = await open_tab(browser, suite.base_url)
                await join_in_browser(party, invitation)
                side_a = await mediator_caucus(med_socket, cast.sides[0])
                await med_socket.send(Admit(participant=a1))
                await in_room(party, "plenary")
                caucus_name = "Side A caucus"

                # --- moved while the mediator is elsewhere; the mediator answers the knock -----
                await med_socket.send(Move(participant=a1, room=side_a))
                await in_room(party, side_a)
                away = t(EN, "participant.notice.moved_away", room=caucus_name)
                await notices_are(party, [["move", "moved_away", away]])
                await party.page.get_by_role("button", name=t(EN, "participant.controls.knock"),
                                             exact=True).click()
                await med_socket.send(Shuttle(room=side_a))
                await notices_are(party, [])  # the mediator is here: the move is old news

                # --- any length: "Timer: other length…", bad input said in words ----------
                await mediator_page(console, people, cast.hearing, suite.base_url)
                await console.page.locator(column(side_a)).wait_for()
                med = Mediator(console, EN)
                menu_name = t(EN, "mediator.board.caucus_menu_named", room=caucus_name)
                focused = "document.activeElement?.getAttribute('aria-label')"
                await med.menu("mediator.board.caucus_menu_named", "mediator.timer.other",
                               room=caucus_name)
                dialog = console.page.get_by_role("dialog")
                minutes = dialog.get_by_label(t(EN, "mediator.timer.minutes"), exact=True)
                assert await minutes.evaluate("(el) => el === document.activeElement")
                await minutes.press("Escape")  # nothing set; back to the menu
                await dialog.wait_for(state="detached")
                assert await console.value(focused) == menu_name
                assert await console.value(timer_text(side_a)) == t(EN, "mediator.timer.none")
                await med.menu("mediator.board.caucus_menu_named", "mediator.timer.other",
                               room=caucus_name)
                error = dialog.locator(".form-error")
                for bad in ("", "0", "241", "1.5"):
                    await minutes.fill(bad)
                    await minutes.press("Enter")
                    await error.filter(has_text=t(EN, "mediator.timer.minutes_invalid")).wait_for()
                    assert await minutes.get_attribute("aria-invalid") == "true", bad
                await console.check_accessible("console-timer-length")
                await console.screenshot("console-timer-length", "laptop")
                await minutes.fill("20")
                await minutes.press("Enter")
                await dialog.wait_for(state="detached")
                await console.wait_for(f"/^(20|19):\\d\\d left$/.test({timer_text(side_a)})",
                                       timeout=30)
                await party.wait_for(f"/^(20|19):\\d\\d left in this caucus$/.test({COUNTDOWN})",
                                     timeout=30)
                assert await console.value(focused) == menu_name

                # --- "Add 5 minutes" while it runs: onto the time left, on both pages --------
                await med.menu("mediator.board.caucus_menu_named", "mediator.timer.add",
                               room=caucus_name)
                await console.wait_for(f"/^(25|24):\\d\\d left$/.test({timer_text(side_a)})",
                                       timeout=30)
                await party.wait_for(f"/^(25|24):\\d\\d left in this caucus$/.test({COUNTDOWN})",
                                     timeout=30)
                await notices_are(party, [])  # time added to a timer running: the countdown says it

                # --- the console's chip says what it counts --------------------------------
                await med_socket.send(CaucusTimer(room=side_a, seconds=300))
                await console.wait_for(f"{time_left('45')}.test({timer_text(side_a)})",
                                       timeout=30)
                await party.wait_for(f"/^[45]:\\d\\d left in this caucus$/.test({COUNTDOWN})",
                                     timeout=30)
                await console.check_accessible("console-timer")
                await console.screenshot("console-timer", "laptop")

                # --- time up: what happens next, in place of the move notice ---------------
                await med_socket.send(Move(participant=a1, room="plenary"))
                await in_room(party, "plenary")
                await med_socket.send(Move(participant=a1, room=side_a))
                await in_room(party, side_a)
                moved = t(EN, "participant.notice.moved", room=caucus_name)
                await notices_are(party, [["move", "moved", moved]])
                await med_socket.send(CaucusTimer(room=side_a, seconds=2))
                up = t(EN, "participant.notice.time_up")
                assert "decide whether to continue" in up
                await notices_are(party, [["timer", "time_up", up]])
                assert await party.value(COUNTDOWN) is None
                assert await party.value(COVERS_BANNER) is False
                await party.check_accessible("hearing-caucus-time-up")
                await shots(party, "hearing-caucus-time-up", ("laptop", "phone"))
                await time_up(console, side_a)

                # --- the mediator adds 5 minutes: said, and the time-up notice goes ----------
                await console.page.get_by_role(
                    "button", name=t(EN, "mediator.timer.add_named", room=caucus_name),
                    exact=True).click()
                added = t(EN, "participant.notice.time_added", count=5)
                await notices_are(party, [["timer", "time_added", added]])
                await party.wait_for(f"/^[45]:\\d\\d left in this caucus$/.test({COUNTDOWN})")
                await party.screenshot("hearing-caucus-time-added", "laptop")

                # --- and removes the limit: said too --------------------------------------
                await med_socket.send(CaucusTimer(room=side_a, seconds=0))
                removed = t(EN, "participant.notice.time_removed")
                await notices_are(party, [["timer", "time_removed", removed]])
                assert await party.value(COUNTDOWN) is None

                # --- time up, then everyone called back: the console's alert goes -----------
                await med_socket.send(CaucusTimer(room=side_a, seconds=1))
                await time_up(console, side_a)
                await notices_are(party, [["timer", "time_up", up]])
                await med_socket.send(Recall())
                await in_room(party, "plenary")
                await not_time_up(console, side_a)
                # Called back with the mediator: that move is said, and nothing of the timer.
                await notices_are(party, [["move", "moved",
                                           t(EN, "participant.notice.moved", room="Plenary")]])

                # --- a timer running when everyone is called back ends: nothing comes after -
                await med_socket.send(Move(participant=a1, room=side_a))
                await in_room(party, side_a)
                await med_socket.send(CaucusTimer(room=side_a, seconds=4))
                await console.wait_for(f"{time_left('0')}.test({timer_text(side_a)})")
                await med_socket.send(Recall())
                await in_room(party, "plenary")
                none = t(EN, "mediator.timer.none")
                await console.wait_for(f"{timer_text(side_a)} === {none!r}", timeout=30)
                await console.page.wait_for_timeout(6_000)  # past the deadline it had
                assert await console.value(f"document.querySelector('{column(side_a)} .time-up')") \
                    is None
                assert await console.value(timer_text(side_a)) == none
                toast = t(EN, "mediator.timer.up", room=caucus_name)
                assert toast not in (await console.page.locator("#toasts").inner_text())
                await shots(console, "console-caucus-emptied", ("laptop",))
                party.assert_clean(secrets=[invitation["access_code"]])
                console.assert_clean(secrets=[people.mediator.cookie])
            finally:
                await med_socket.close()


# Each room's column on the console: [id, kind, left, top, right, bottom] (page coordinates of
# the viewport), and the board row's visible span and scroll widths.
COLUMNS = """[...document.querySelectorAll('.board .room-column')].map((c) => {
  const r = c.getBoundingClientRect();
  return [c.dataset.room, c.dataset.roomKind, r.left, r.top, r.right, r.bottom];
})"""
ROW = """(() => { const b = document.querySelector('.board'); const r = b.getBoundingClientRect();
  return [r.left, r.right, b.scrollWidth, b.clientWidth]; })()"""


def card_in(room: str, participant: str) -> str:
    return f"document.querySelector('{column(room)} li.person[data-participant=\"{participant}\"]') !== null"


async def every_room_reachable(tab: Tab, width: int, height: int) -> list[str]:
    """At this viewport: every room's column in one row near the top of the page, each on
    screen or brought there by scrolling the row sideways (the page not scrolled); the rooms'
    buttons above the board all on the first screen, those out of view marked. Returns the
    rooms that were out of view."""
    await tab.page.set_viewport_size({"width": width, "height": height})
    await tab.value("(() => { window.scrollTo(0, 0); document.querySelector('.board').scrollLeft = 0;"
                    " return true; })()")
    await tab.wait_for("document.querySelector('.board').scrollLeft === 0")
    columns = await tab.value(COLUMNS)
    left, right, scroll_width, client_width = await tab.value(ROW)
    assert len({round(c[3]) for c in columns}) == 1, f"not one row at {width}: {columns}"
    assert columns[0][3] < height * 0.6, f"the rooms start below the first screen: {columns}"
    away = [c[0] for c in columns if c[2] < left - 1 or c[4] > right + 1]
    if away:
        assert scroll_width > client_width  # the row scrolls to them
    links = await tab.value("[...document.querySelectorAll('[data-room-link]')].map((b) => "
                            "[b.dataset.roomLink, b.getBoundingClientRect().bottom])")
    assert [link[0] for link in links] == [c[0] for c in columns]
    assert all(link[1] <= height for link in links), links
    marked = "JSON.stringify([...document.querySelectorAll('[data-room-link][data-away]')]" \
             ".map((b) => b.dataset.roomLink))"
    await tab.wait_for(f"{marked} === {json.dumps(json.dumps(away, separators=(',', ':')))}")
    for room in away:  # its button shows it: in the row's span, the page where it was
        await tab.page.locator(f'[data-room-link="{room}"]').click()
        await tab.wait_for(f"(() => {{ const r = document.querySelector('{column(room)}')"
                           f".getBoundingClientRect(); return r.left >= {left} - 1"
                           f" && r.right <= {right} + 1; }})()")
        assert await tab.value(
            f"document.activeElement === document.querySelector('{column(room)}')")
    return away


@pytest.mark.timeout(300)
async def test_the_board_with_three_sides_shows_every_room(suite: Suite) -> None:
    """Three sides of two (seven people with the mediator), a caucus each: every room on the
    first screen or one sideways scroll away, at laptop and smaller laptop widths; on a tablet
    the knocks are said above the board. Moving a side whose people still wait says so; "Admit…"
    on the side admits them all after naming them; a new caucus takes the focus; a person
    dropped on a room's button above the board moves there."""
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=3, per_side=2)
    a, b = cast.sides[:2]
    ids = {name: m.id for name, m in cast.members.items()}
    med_socket = await mediator_socket(suite, people, cast)
    parties = [await WsClient(suite.base_url, m.headers(), cast.hearing, m.id).connect()
               for m in cast.members.values()]
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        med = Mediator(tab, EN)
        try:
            side_a, side_b = await mediator_caucus(med_socket, a), await mediator_caucus(med_socket, b)
            for name in ("A1", "A2"):
                await med_socket.send(Admit(participant=ids[name]))
            await mediator_page(tab, people, cast.hearing, suite.base_url)
            await tab.wait_for(f"document.querySelector('{column(side_b)}') !== null")

            # --- a new caucus for C, "move this side in": they wait, and the console says so --
            await med.button("mediator.console.new_caucus")
            dialog = page.get_by_role("dialog")
            await dialog.get_by_label(t(EN, "mediator.caucus.side"), exact=True).select_option(
                label="Side C")
            assert await dialog.get_by_label(t(EN, "mediator.caucus.move_side"), exact=True).is_checked()
            await dialog.get_by_role("button", name=t(EN, "mediator.caucus.create"), exact=True).click()
            side_c = await tab.wait_for(
                "[...document.querySelectorAll('.room-column[data-room-kind=caucus]')]"
                f".map((x) => x.dataset.room).find((r) => ![{side_a!r}, {side_b!r}].includes(r))")
            still = t(EN, "mediator.board.side_still_waiting", count=2, side="Side C")
            await page.locator("#toasts").get_by_text(still).wait_for()
            focused = "document.activeElement?.getAttribute('aria-label')"
            menu_c = t(EN, "mediator.board.caucus_menu_named", room="Side C caucus")
            await tab.wait_for(f"{focused} === {menu_c!r}")
            # The same from "Move side…" to plenary (B waits too).
            await med.menu("mediator.board.move_side_named", "mediator.board.move_to",
                           side="Side B", room=t(EN, "mediator.room.plenary"))
            await page.locator("#toasts").get_by_text(
                t(EN, "mediator.board.side_still_waiting", count=2, side="Side B")).wait_for()

            # --- "Admit…" on C's chip: both named, then both admitted into C's caucus ------------
            await med.menu("mediator.board.admit_side_named", "mediator.board.admit_to",
                           side="Side C", count=2, room="Side C caucus")
            dialog = page.get_by_role("dialog")
            assert "C1, C2" in await dialog.inner_text()
            await dialog.get_by_role("button", name=t(EN, "mediator.admit_side.confirm", count=2),
                                     exact=True).click()
            for name in ("C1", "C2"):
                await tab.wait_for(card_in(side_c, ids[name]), timeout=30)
            lobby = await tab.value("document.querySelector('.room-column[data-room-kind=lobby]').dataset.room")
            assert await tab.value(card_in(lobby, ids["B1"]))  # B still waits: only C was admitted

            # --- a drop on a room's button above the board; a "Move to…" menu in the row --------
            await page.locator(f'li.person[data-participant="{ids["A1"]}"]').wait_for()
            data = await page.evaluate_handle("() => new DataTransfer()")
            await page.locator(f'li.person[data-participant="{ids["A1"]}"]').dispatch_event(
                "dragstart", {"dataTransfer": data})
            target = page.locator(f'[data-room-link="{side_a}"]')
            for event in ("dragenter", "dragover", "drop"):
                await target.dispatch_event(event, {"dataTransfer": data})
            await tab.wait_for(card_in(side_a, ids["A1"]), timeout=30)
            await med.menu("mediator.board.move_named", "mediator.board.move_to", name="A2",
                           room="Side A caucus")
            await tab.wait_for(card_in(side_a, ids["A2"]), timeout=30)

            # --- every room in sight or one sideways scroll away ------------------------------
            away = await every_room_reachable(tab, 1366, 768)
            assert len(away) <= 1, away  # five rooms: at most one beyond the first screen
            await tab.check_accessible("console-three-sides")
            await every_room_reachable(tab, 1024, 768)

            # --- a tablet: a knock said above the board, on the first screen ------------------
            await parties[0].send(Knock())
            await every_room_reachable(tab, 768, 1024)
            badge = page.locator(".knock-badge")
            await badge.wait_for()
            box = await badge.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 1024, box
            # Above the board, under the toolbar: where the mediator looks first.
            assert box["y"] < await page.locator(".board").evaluate("(b) => b.getBoundingClientRect().top")
            await badge.click()
            await tab.wait_for("document.activeElement === document.querySelector('.knocks')")
            await tab.check_accessible("console-three-sides (tablet)")
            # From the start of the row (the waiting room first), once the toasts have gone.
            await tab.wait_for("document.querySelectorAll('#toasts .toast').length === 0", timeout=30)
            await tab.value("(() => { document.querySelector('.board').scrollLeft = 0; return true; })()")
            await shots(tab, "console-three-sides")
            tab.assert_clean(secrets=[people.mediator.cookie])
        except Exception:
            print(tab.dump())
            raise
        finally:
            for client in [med_socket, *parties]:
                await client.close()
