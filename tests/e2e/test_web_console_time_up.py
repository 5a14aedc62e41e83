"""The mediator's console when a caucus's time runs out, in the browser on the real suite.

- The caucus's column says "Time is up" (in words, set apart as an alert, not by colour alone)
  with "Add 5 minutes" and "Dismiss", and keeps saying it after the toast has gone and after a
  reload, until the mediator acts: adding 5 minutes (the server's new deadline counts down),
  dismissing it, or closing the caucus.
- The new caucus's name field counts its characters as the hearing's title, sides and people
  do ("8 of 200 characters"), the name put in for a side included.

The short timers come from the test's own WebSocket for the mediator (the console offers 5 to
30 minutes); the console's page does everything else. axe-core and screenshots.
"""

from __future__ import annotations

import pytest

from proto.ws import CaucusTimer
from tests.browser import Tab, chromium_page, requires_chromium
from tests.e2e.mediator_steps import Mediator
from tests.e2e.participant_steps import (
    mediator_page,
    mediator_socket,
    one_party_each,
    shots,
    switch_language,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite

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
            await page.get_by_role("button", name=t(EN, "mediator.timer.add_named", room=NAME),
                                   exact=True).click()
            await not_time_up(tab, room)
            await tab.wait_for(f"/^[45]:\\d\\d$/.test({timer_text(room)})", timeout=30)

            # --- time up again: "Dismiss" takes it away, and the timer says there is none -----
            await med_socket.send(CaucusTimer(room=room, seconds=1))
            await time_up(tab, room)
            await page.get_by_role("button", name=t(EN, "mediator.timer.dismiss_named", room=NAME),
                                   exact=True).click()
            await not_time_up(tab, room)
            assert await tab.value(timer_text(room)) == t(EN, "mediator.timer.none")
            focused = await tab.value("document.activeElement?.getAttribute('aria-label')")
            assert focused == t(EN, "mediator.board.caucus_menu_named", room=NAME), focused
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
