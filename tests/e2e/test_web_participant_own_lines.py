"""Details of the participant's documents and chat, in the browser on the real suite.

An upload's line ("Site photo.png uploaded.") showed under whichever documents tab was open,
also when the file went to another tab; it shows under its own tab only, and comes back with it.
A refused file's row stays under its tab through uploads to another (they once cleared it) until
dismissed or the same file is tried again there. Screenshot documents-failed-kept-laptop.png.
The person's own chat lines were labelled with their own name ("黃大文" on Wong's own page); they
are marked "You" (您), as their video tile is, and the mediator's lines keep the mediator's name.
Screenshot tests/artifacts/chat-own-lines-laptop.png; axe-core on the room.
"""

from __future__ import annotations

import pytest

from proto.ws import Admit, ChatSend
from tests.browser import chromium, dumped_on_failure, open_tab, requires_chromium
from tests.e2e.participant_steps import (
    banner_kind,
    join_in_browser,
    mediator_socket,
    one_party_each,
    switch_language,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"
#: The names of the transfer rows the person can see now.
SHOWN_ROWS = ("[...document.querySelectorAll('.transfer')].filter((x) => x.checkVisibility())"
              ".map((x) => x.querySelector('.transfer-name').textContent)")
CHAT_NAMES = ("[...document.querySelectorAll('.chat-line')].map((x) =>"
              " [x.querySelector('.chat-name').textContent, x.querySelector('.chat-text').textContent])")
PICKER = ".file-drop input[type=file]"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


@pytest.mark.timeout(240)
async def test_upload_lines_stay_under_their_tab_and_own_chat_lines_say_you(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    med = await mediator_socket(suite, people, cast)
    async with chromium() as browser:
        tab = await open_tab(browser, suite.base_url)
        tab.page.set_default_timeout(60_000)
        with dumped_on_failure({"A1": tab}):
            page = tab.page
            await join_in_browser(tab, invitation)
            await med.send(Admit(participant=invitation["participant"]))
            await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=30)

            # --- a file refused in "Our side" is said there, not under "Joint" --------------
            await page.click("[data-tab=side]")
            await page.set_input_files(PICKER, files=[
                {"name": "Our strategy.txt", "mimeType": "text/plain", "buffer": b""}])
            await tab.wait_for("document.querySelector('.transfer[data-state=failed]')")
            assert await tab.value(SHOWN_ROWS) == ["Our strategy.txt"]
            await page.click("[data-tab=joint]")
            assert await tab.value(SHOWN_ROWS) == []
            # --- a photo uploaded to "Joint": its line under "Joint" only --------------------
            await page.set_input_files(PICKER, files=[
                {"name": "Site photo.png", "mimeType": "image/png", "buffer": PNG}])
            await tab.wait_for("document.querySelector('.transfer[data-kind=upload][data-state=done]')",
                               timeout=60)
            said = t(EN, "participant.docs.uploaded", name="Site photo.png")
            await tab.wait_for("(said) => document.querySelector('.transfers').innerText.includes(said)",
                               arg=said, timeout=10)  # the line's words follow its state
            assert await tab.value(SHOWN_ROWS) == ["Site photo.png"]
            # The refusal under "Our side" outlived the upload to "Joint" (a new upload once
            # cleared every tab's failed rows): it stays until dismissed, or the file is retried.
            await page.click("[data-tab=side]")
            assert await tab.value(SHOWN_ROWS) == ["Our strategy.txt"]
            assert await tab.value("document.querySelector('.transfer[data-tab=side]')"
                                   ".dataset.state") == "failed"
            await page.evaluate("() => window.scrollTo(0, 0)")
            await tab.screenshot("documents-failed-kept", "laptop")
            # The same file again, to the same tab: its new row takes the old one's place.
            await page.set_input_files(PICKER, files=[
                {"name": "Our strategy.txt", "mimeType": "text/plain", "buffer": b""}])
            await tab.wait_for("document.querySelectorAll('.transfer[data-state=failed]').length === 1")
            assert await tab.value(SHOWN_ROWS) == ["Our strategy.txt"]
            await page.click(".transfer[data-state=failed] button:has-text('Dismiss')")
            assert await tab.value(SHOWN_ROWS) == []
            await page.click("[data-tab=joint]")
            assert await tab.value(SHOWN_ROWS) in (["Site photo.png"], [])  # unless it lingered out

            # --- chat: your own line is "You"; the mediator's keeps the mediator's name -------
            await page.fill(".chat-input", "Lee, should we offer 3 months?")
            await page.press(".chat-input", "Enter")
            await med.send(ChatSend(text="Thank you. Let us hear the other side first."))
            await tab.wait_for("document.querySelectorAll('.chat-line').length === 2", timeout=30)
            lines = await tab.value(CHAT_NAMES)
            mine = [name for name, text in lines if text == "Lee, should we offer 3 months?"]
            theirs = [name for name, text in lines if text.startswith("Thank you.")]
            assert mine == [t(EN, "participant.chat.you")], lines
            assert theirs and theirs != mine and cast.members["A1"].name not in theirs, lines
            assert await tab.value("document.querySelector('.chat-line.mine .chat-text').textContent") \
                == "Lee, should we offer 3 months?"
            await tab.check_accessible("chat-own-lines")
            await page.evaluate("() => window.scrollTo(0, 0)")
            await tab.screenshot("chat-own-lines", "laptop")
            await switch_language(tab, "zh-Hant")
            await tab.wait_for("document.querySelector('.chat-line.mine .chat-name').textContent === '您'")
            tab.assert_clean(secrets=[invitation["access_code"]])
        await tab.context.close()
    await med.close()
