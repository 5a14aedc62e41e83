"""The staff and participant screens in Simplified Chinese, as a mainland institution sees them.

A browser whose language is zh-CN gets the zh-Hans catalogue without being told. The mediator
signs in, sets up a hearing and opens its console; a party joins through the link, waits in the
lobby and is admitted. Every control is found by its role and its zh-Hans name (from the
catalogue), every screen is checked with axe-core and for English left untranslated, and
photographed at laptop width (`<screen>-zh-Hans-laptop.png`): an untranslated or unlabelled
control fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import Tab, chromium_page, requires_chromium
from tests.e2e.mediator_steps import Mediator, banner_kind, join
from tests.e2e.participant_steps import latin_words_left
from tests.e2e.staff_steps import sign_in, t
from tests.e2e.web_people import RED, Cast
from tests.harness import Suite
from tests.people import staff_people

# Slow: every screen in simplified Chinese on a suite of its own (about 40 s with its start);
# `make slow` runs it (the default run's 15 minutes on two cores). Other page tests of the
# default run switch screens to Chinese (the accounts page, the join page, the documents).
pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.timeout(240), pytest.mark.slow,
              pytest.mark.own_suite]  # every screen in Chinese: only its own hearings listed
ZH = "zh-Hans"
TITLE = "王诉李调解"
SIDES = ("申请人", "被申请人")
MEDIATOR_NAME = "李安娜"


async def photographed(tab: Tab, screen: str, content: list[str]) -> None:
    """axe-core, no English but `content` (names people typed) and the devices' own names (the
    pickers list the cameras and microphones as the system names them), and the screenshot."""
    await tab.check_accessible(f"{screen} zh-Hans")
    devices: list[str] = await tab.value(
        "[...document.querySelectorAll('main select option')].map((o) => o.textContent)")
    left = await latin_words_left(tab, content + devices)
    assert left == [], f"{screen} in zh-Hans still shows {left}"
    await tab.screenshot(f"{screen}-zh-Hans", "laptop")


async def test_staff_and_participant_screens_in_simplified_chinese(
        suite: Suite, tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    mediator = people.mediator
    async with chromium_page(suite.base_url, locale="zh-CN") as tab, \
            Cast.start(suite.base_url, tmp_path, {"A1": RED}, locale="zh-CN") as cast:
        med = Mediator(tab, ZH)
        page = tab.page
        await page.goto("/signin")
        await page.get_by_role("heading", name=t(ZH, "staff.signin.title"), exact=True).wait_for()
        assert await tab.value("document.documentElement.lang") == ZH
        await photographed(tab, "signin", [])

        await sign_in(tab, ZH, mediator.username, mediator.password,
                      code=await mediator.next_totp())
        await page.get_by_role("heading", name=t(ZH, "mediator.hearings.title"),
                               exact=True).wait_for()
        await photographed(tab, "hearings", [mediator.username])
        # The mediator names itself (the header's name, a menu): parties see it in its hearings.
        await page.get_by_role("button", name=t(ZH, "staff.profile.open",
                                                name=mediator.username)).click()
        await page.get_by_role("menuitem", name=t(ZH, "staff.profile.rename")).click()
        dialog = page.locator("dialog")
        await dialog.get_by_label(t(ZH, "staff.profile.name")).fill(MEDIATOR_NAME)
        await tab.check_accessible("profile zh-Hans")
        await dialog.get_by_role("button", name=t(ZH, "staff.profile.save")).click()
        await page.locator("#profile", has_text=MEDIATOR_NAME).wait_for()
        await page.locator(".toast-close").click()  # later screenshots show the screens only
        await tab.wait_for("!document.querySelector('.toast')")

        await med.create_hearing(TITLE)
        for side in SIDES:
            await med.add_side(side)
        await med.invite("A1", "party", SIDES[0])
        await med.done_inviting()
        # "English" is one of the invitation's languages, each named in itself.
        await photographed(tab, "setup", [TITLE, *SIDES, "A1", "English"])
        await med.open_console()

        party = cast.tabs["A1"]
        await join(party, ZH, med.invited["A1"])
        waiting = await party.page.text_content(".lobby-waiting") or ""
        assert waiting.startswith(f"{MEDIATOR_NAME}稍后会让您进入"), waiting
        await photographed(party, "lobby", [TITLE, "A1"])
        await med.page.locator(med.card("A1")).wait_for()
        await photographed(tab, "console", [TITLE, *SIDES, "A1", mediator.username])

        await med.menu("mediator.board.admit_named", "mediator.board.admit_to", name="A1",
                       room=t(ZH, "mediator.room.plenary"))
        await med.in_room("A1", "plenary")
        await banner_kind(party, "plenary")
        await photographed(party, "hearing-plenary", [TITLE, *SIDES, "A1"])
        tab.assert_clean(secrets=[med.invited["A1"].code])
        party.assert_clean(secrets=[med.invited["A1"].code])
