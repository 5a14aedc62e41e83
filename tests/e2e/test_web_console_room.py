"""The mediator's room in the console: who can hear them, the room verification code, the room's
chat and the documents a mediator reads, beside the board (no second page for any of it).

The mediator's console and a party's page, in two browsers: the mediator admits the party from
the board, both see each other in "who can hear you" and read the same verification code; they
chat both ways in plenary (a board menu stays open while the chat log scrolls to a new line; a
reader scrolled back is not pulled down, "New messages below" is shown);
the mediator mutes (the party's page shows it) and shares a screen,
and sees the party's screen share in the console (full screen on request) until it stops; the party shares a document with the mediator in confidence and it
appears in the console's tab of side A's confidences (not side B's) without a reload, a tab that follows
side A's live rename and new colour; the mediator's own
note stays in "My notes" and never reaches the party's page. axe-core and screenshots at laptop
and tablet width.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import Tab, chromiums, fake_camera, open_tab, requires_chromium
from tests.e2e.mediator_steps import Mediator
from tests.e2e.participant_steps import (
    banner_kind,
    chat_texts,
    code,
    hearers,
    join_in_browser,
    one_party_each,
    shots,
    tile,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.people import SESSION_COOKIE

# Two frames and a moment: a scroll the page made has fired its event.
FRAMES = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(true), 50))))"
pytestmark = [pytest.mark.browser, requires_chromium]

# What each page asks the browser's screen picker for (recorded before any script of the page).
RECORD_PICKER = """
const original = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
window.__pickerAsked = [];
navigator.mediaDevices.getDisplayMedia = (options) => {
  window.__pickerAsked.push(JSON.parse(JSON.stringify(options)));
  return original(options);
};
"""

DOC_NAMES = "[...document.querySelectorAll('.documents .docs-table tbody tr .doc-name')]" \
            ".map((x) => x.textContent)"


async def listed(tab: Tab, name: str) -> None:
    await tab.wait_for(f"{DOC_NAMES}.includes({name!r})", timeout=30)


@pytest.mark.timeout(300)
async def test_the_console_holds_the_mediators_room(suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1_id, med_id = invitation["participant"], people.mediator.account_id
    cameras = [fake_camera(tmp_path / "m.y4m", (200, 200, 200)),
               fake_camera(tmp_path / "a1.y4m", (30, 90, 200))]
    async with chromiums(cameras) as (med_browser, a1_browser):
        console = await open_tab(med_browser, suite.base_url)
        a1 = await open_tab(a1_browser, suite.base_url)
        for tab in (console, a1):
            await tab.context.add_init_script(RECORD_PICKER)
        try:
            await console.context.add_cookies([{"name": SESSION_COOKIE, "value":
                                                people.mediator.cookie, "url": suite.base_url}])
            await console.page.goto(f"/hearings/{cast.hearing}")
            await console.page.locator(".board .room-column[data-room-kind=lobby]").wait_for()
            await join_in_browser(a1, invitation)
            med = Mediator(console, "en")
            await med.menu("mediator.board.admit_named", "mediator.board.admit_to", name="A1",
                           room=t("en", "mediator.room.plenary"))
            await a1.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)

            # --- who can hear whom, and one verification code for the room ------------------
            await console.wait_for(f"{hearers()} === '{a1_id}'", timeout=60)
            await a1.wait_for(f"{hearers()} === '{med_id}'", timeout=60)
            shared = await console.wait_for(code(), timeout=30)
            await a1.wait_for(f"{code()} === {shared!r}", timeout=30)
            heading = await console.page.text_content(".console-panel .chat-room") or ""
            assert "Plenary" in heading, heading

            # --- chat both ways in the mediator's room --------------------------------------
            await a1.page.fill(".chat-input", "Good morning")
            await a1.page.keyboard.press("Enter")
            await console.wait_for(f"{chat_texts()}.includes('Good morning')")
            await console.page.fill(".console-panel .chat-input", "Welcome, everyone")
            await console.page.keyboard.press("Enter")
            await a1.wait_for(f"{chat_texts()}.includes('Welcome, everyone')")

            # --- a board menu stays open while the room's chat scrolls to a new line -------
            # (each new line scrolled the log, and any scroll closed the menu under the hand)
            await console.page.evaluate("(() => { const log = document.querySelector('.console-panel "
                                        ".chat-log'); log.style.minHeight = '0'; log.style.maxHeight = '2.5rem'; "
                                        "log.scrollTop = log.scrollHeight; })()")
            await console.value(FRAMES)  # the page, shorter now, has scrolled where it goes
            await console.page.get_by_role("button", exact=True, name=t(
                "en", "mediator.board.move_named", name="A1")).click()
            await console.wait_for("document.querySelector('.board [aria-expanded=true]') !== null")
            await a1.page.fill(".chat-input", "One more thing")
            await a1.page.keyboard.press("Enter")
            await console.wait_for(f"{chat_texts()}.includes('One more thing')")
            await console.value(FRAMES)
            assert await console.value("document.querySelector('.console-panel .chat-log').scrollTop > 0")
            assert await console.value("document.querySelector('.board [aria-expanded=true]') !== null")
            await console.page.keyboard.press("Escape")
            # Reading back, a new line does not pull the log down: "New messages below" does.
            log = "document.querySelector('.console-panel .chat-log')"
            below = "document.querySelector('.console-panel .chat-new-below')"
            await console.page.evaluate(f"{log}.scrollTop = 0")
            await a1.page.fill(".chat-input", "And another")
            await a1.page.keyboard.press("Enter")
            await console.wait_for(f"{chat_texts()}.includes('And another')")
            await console.wait_for(f"!{below}.hidden")
            assert await console.value(f"{log}.scrollTop") == 0
            assert await console.value(f"{below}.textContent") == t("en", "participant.chat.new_below")
            await console.page.click(".console-panel .chat-new-below")
            assert await console.value(f"{below}.hidden")
            assert await console.value(f"{log}.scrollHeight - {log}.scrollTop - {log}.clientHeight <= 1")
            await console.page.evaluate(f"{log}.style.maxHeight = {log}.style.minHeight = ''")

            # --- the mediator's own controls, and screens both ways -------------------------
            await console.page.click(".my-room [data-control=mic]")
            await a1.wait_for(f"{tile(med_id, 'muted')} === 'true'")
            await a1.page.click("[data-control=screen]")
            shared_screen = (f".console-videos figure[data-kind=screen]"
                             f"[data-participant=\"{a1_id}\"] video")
            await console.wait_for(f"document.querySelector('{shared_screen}')?.videoWidth > 0",
                                   timeout=30)
            assert "A1" in (await console.page.text_content(
                f".console-videos figure[data-kind=screen][data-participant=\"{a1_id}\"]") or "")
            # A shared document is read at full size: the screen's tile goes full screen.
            screen_tile = f".console-videos figure[data-kind=screen][data-participant=\"{a1_id}\"]"
            await console.page.click(f"{screen_tile} [data-action=fullscreen]")
            await console.wait_for("document.fullscreenElement?.dataset.kind === 'screen'")
            await console.page.click(f"{screen_tile} [data-action=fullscreen]")  # and back
            await console.wait_for("document.fullscreenElement === null")
            await a1.page.click("[data-control=screen]")
            await console.wait_for(f"document.querySelector('{shared_screen}') === null",
                                   timeout=30)
            await console.page.click(".my-room [data-control=screen]")
            await a1.wait_for(f"document.querySelector('.tile.screen[data-participant=\"{med_id}\"]"
                              " video')?.videoWidth > 0", timeout=30)
            await console.page.click(".my-room [data-control=screen]")
            await a1.wait_for("document.querySelector('.tile.screen') === null", timeout=30)
            # Neither page can be shared itself; the console (every side's confidences on it)
            # offers windows and tabs only, never a whole screen that holds it.
            [asked_a1] = await a1.value("window.__pickerAsked")
            [asked_med] = await console.value("window.__pickerAsked")
            assert asked_a1["selfBrowserSurface"] == "exclude" and "monitorTypeSurfaces" not in asked_a1
            assert asked_med["selfBrowserSurface"] == "exclude"
            assert asked_med["monitorTypeSurfaces"] == "exclude"

            # --- a confidential document reaches the console live; a note stays the mediator's
            await a1.page.click("[data-tab=confidential]")
            await a1.page.set_input_files(".documents .file-drop input[type=file]", files=[{
                "name": "settlement-range.txt", "mimeType": "text/plain",
                "buffer": b"We could accept 40."}])
            await listed(a1, "settlement-range.txt")
            await console.page.click(f'.documents [data-tab="confidential_from:{cast.sides[0]}"]')
            assert "Side A, in confidence" in (await console.page.text_content(
                f'.documents [data-tab="confidential_from:{cast.sides[0]}"]') or "")
            await listed(console, "settlement-range.txt")
            await console.page.click(f'.documents [data-tab="confidential_from:{cast.sides[1]}"]')
            assert "settlement-range.txt" not in await console.value(DOC_NAMES)  # side B's tab
            await console.page.click(f'.documents [data-tab="confidential_from:{cast.sides[0]}"]')
            uploader = await console.value(
                "[...document.querySelectorAll('.documents .docs-table tbody tr')].find((r) =>"
                " r.querySelector('.doc-name').textContent === 'settlement-range.txt')"
                ".querySelector('td:nth-child(3)').textContent")
            assert uploader == "A1", uploader
            # --- side A renamed and recoloured live: its tab follows the board, not the detail
            # the console read at the start, and stays the tab shown, its document listed
            status, _ = await people.mediator.call(
                "PATCH", f"/api/v1/hearings/{cast.hearing}/sides/{cast.sides[0]}",
                {"name": "Wong Holdings Ltd", "colour": "e"})
            assert status == 200
            side_a_tab = f'.documents [data-tab="confidential_from:{cast.sides[0]}"]'
            await console.wait_for(f"document.querySelector('{side_a_tab}')?.textContent"
                                   " === 'Wong Holdings Ltd, in confidence'", timeout=30)
            assert await console.value(
                f"document.querySelector('{side_a_tab} .swatch').dataset.colour") == "e"
            assert await console.value(
                f"document.querySelector('{side_a_tab}').getAttribute('aria-selected')") == "true"
            assert "settlement-range.txt" in await console.value(DOC_NAMES)
            await console.page.click(".documents [data-tab=notes]")
            await console.page.set_input_files(".documents .file-drop input[type=file]", files=[{
                "name": "my-notes.txt", "mimeType": "text/plain",
                "buffer": b"A moves first on price."}])
            await listed(console, "my-notes.txt")
            await console.check_accessible("console-room")
            await shots(console, "console-room")
            for tab_key in ("joint", "side", "confidential"):
                await a1.page.click(f"[data-tab={tab_key}]")
                assert "my-notes.txt" not in await a1.value(DOC_NAMES)
            for tab in (console, a1):
                tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            for tab in (console, a1):
                print(tab.dump())
            raise
