"""Leaving a hearing from the participant's page, and coming back (proto.ws.Leave).

A party admitted to plenary presses "Leave hearing", reads what leaving means in a confirmation
(and may cancel it), leaves: its camera and microphone stop at once, the final screen says so in
the reader's language and offers the way back, the room (the mediator's socket) sees it go at
once, and the same session takes it back to the waiting room (by the final screen's button, or by
opening the invitation link again), from which the mediator admits it again. A mediator who follows the participant's page
(`/hearing?hearing=<id>`) lands on that hearing's console, which has no "Leave" (the mediator
ends the hearing there).

`/join` opened with no link (the browser's Back from the hearing) offers the way back to someone
still in the hearing, and says the end to someone whose hearing ended.

When the mediator ends it, the party's page says what becomes of the documents (the ended
notice says); a page of the same session that learns of the end only from the 401 of `/me` (it
was not connected then: a new tab) cannot know it, and says so and who can tell (it once said
nothing of the documents).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proto.ws import Admit, RoomUpdate
from tests.browser import ARTIFACTS, chromium, fake_camera, open_tab, requires_chromium
from tests.e2e.participant_steps import (
    KEEP_TRACKS,
    TRACKS_ENDED,
    banner_kind,
    console_room,
    join_in_browser,
    latin_words_left,
    mediator_page,
    mediator_socket,
    one_party_each,
    shots,
    switch_language,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]

DIALOG = "dialog.dialog[open]"
EN = "en"


@pytest.mark.timeout(240)
async def test_leave_the_hearing_and_come_back(suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    async with chromium(fake_camera(tmp_path / "a1.y4m", (30, 90, 200))) as browser:
        tab = await open_tab(browser, suite.base_url)
        page = tab.page
        try:
            await join_in_browser(tab, invitation)
            assert await page.is_visible("[data-action=leave]")  # the lobby can be left too
            await med.send(Admit(participant=a1))
            await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
            assert await page.text_content("#shell-status .header-hearing") == "Matter"

            # --- asked first: cancelling changes nothing ----------------------------------
            await page.click("[data-action=leave]")
            await page.wait_for_selector(DIALOG)
            text = await page.text_content(DIALOG) or ""
            assert "Leave the hearing?" in text and "waiting room" in text, text
            await tab.check_accessible("leave-confirm")
            await tab.screenshot("leave-confirm")
            await page.click(f"{DIALOG} button[value=cancel]")
            await tab.wait_for("document.querySelector('dialog.dialog') === null")
            assert await tab.value(f"{banner_kind()} === 'plenary'")

            # --- leaving: media off at once, the room sees it go, a final screen -----------
            assert await tab.value(KEEP_TRACKS) >= 1
            mark = len(med.inbox)
            await page.click("[data-action=leave]")
            await page.click(f"{DIALOG} button[type=submit]")
            await tab.wait_for("document.querySelector('[data-final=left]') !== null")
            await tab.wait_for(TRACKS_ENDED, timeout=5)
            await med.wait(lambda m: isinstance(m, RoomUpdate) and m.room.id == "plenary"
                           and a1 not in {x.id for x in m.room.members}, since=mark,
                           what="plenary without A1")
            final = await page.text_content("[data-final=left]") or ""
            assert "You left the hearing" in final and "camera and microphone are off" in final
            # "Camera and microphone are off" sits centred with the heading and button it goes with.
            assert await tab.value("[...document.querySelectorAll('[data-final=left] h1, "
                                   "[data-final=left] [data-media=stopped], [data-final=left] "
                                   "p:has(> button)')].map((x) => getComputedStyle(x).textAlign)"
                                   ".every((a) => a === 'center')")
            await tab.check_accessible("final-left")
            await shots(tab, "final-left")
            await switch_language(tab, "zh-Hant")
            assert await latin_words_left(tab, []) == []
            await switch_language(tab, "en")

            # --- back on the same session: the waiting room, then admitted again -----------
            await page.click("[data-action=rejoin]")
            await tab.wait_for("document.querySelector('.lobby-title') !== null")
            # The invitation link opened again in this browser: straight back in, no code
            # asked and no "already used" (which reads as if someone else had used it).
            await page.goto(invitation["link_path"])
            await page.wait_for_selector(".join-already")
            assert "#t=" not in page.url
            assert await page.query_selector("input[name=access_code]") is None
            assert "already joined" in (await page.text_content(".join-already") or "")
            # As narrow and centred as the join card, not the page's width.
            card = await tab.value("(() => { const r = document.querySelector('.join-already')"
                                   ".getBoundingClientRect(); return { width: r.width, "
                                   "left: r.left, right: innerWidth - r.right }; })()")
            assert card["width"] <= 34 * 16 + 1 and abs(card["left"] - card["right"]) < 20, card
            await tab.check_accessible("join-already")
            await tab.screenshot("join-already")
            await page.click(".join-already [data-action=continue]")
            # Arriving: the waiting room's heading has focus (named "Waiting room" and the
            # hearing), so a screen reader says where the person is; then the room's, once in.
            await tab.wait_for("document.activeElement?.classList.contains('lobby-title')")
            said = await tab.value("document.activeElement.getAttribute('aria-labelledby').split(' ')"
                                   ".map((id) => document.getElementById(id).textContent).join(' ')")
            assert said.startswith("Waiting room ") and "Matter" in said, said
            await med.send(Admit(participant=a1))
            await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
            await tab.wait_for("document.activeElement?.id === 'room-banner-name'")
            # `/join` with no link (the browser's Back from the hearing lands there): someone
            # still in the hearing is offered the way back, not sent to find the invitation.
            back = await tab.context.new_page()
            await back.goto("/join")
            await back.wait_for_selector(".join-already [data-action=continue]")
            assert await back.query_selector(".join-no-link") is None
            await back.close()

            # --- the mediator following the participant's page lands on the console -------
            staff = await open_tab(browser, suite.base_url)
            await mediator_page(staff, people, cast.hearing, suite.base_url,
                                via=f"/hearing?hearing={cast.hearing}")
            await staff.wait_for(f"location.pathname === '/hearings/{cast.hearing}'")
            await staff.wait_for(f"{console_room()} === 'plenary'", timeout=60)
            assert await staff.value("document.querySelector('.lobby, .hearing-view') === null")
            assert not await staff.page.is_visible("[data-action=leave]")

            # --- the end: told with the documents' fate; learnt from a 401, said unknown ------
            status, _ = await people.mediator.call(
                "POST", f"/api/v1/hearings/{cast.hearing}/close", {"destroy_documents": False})
            assert status == 200, status
            fate = page.locator("[data-final=ended] .final-documents")
            assert await fate.inner_text() == t(EN, "participant.final.documents_kept")
            late = await tab.context.new_page()  # the same session, never connected at the end
            await late.goto(f"/hearing?hearing={cast.hearing}")
            late_fate = late.locator("[data-final=ended] .final-documents")
            assert await late_fate.inner_text() == t(EN, "participant.final.documents_unknown")
            await late.screenshot(path=str(ARTIFACTS / "final-ended-unknown-laptop.png"))
            await late.goto("/join")  # Back to `/join` after the end: the end is said, not "needs your link"
            await late.wait_for_selector("[data-final=ended]")
            assert late.url.endswith("/hearing"), late.url
            await page.reload()  # this tab heard the notice: it still says what it was told
            assert await fate.inner_text() == t(EN, "participant.final.documents_kept")
            for each in (tab, staff):
                each.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise
        finally:
            await med.close()
