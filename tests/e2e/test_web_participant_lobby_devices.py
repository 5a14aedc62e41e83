"""The waiting room's devices, in the browser on the real suite:

- a missing camera beside a working microphone is said ("No camera was found: the others will
  hear you but not see you."); it once showed no sentence at all;
- with camera and microphone blocked, "Mute microphone" and "Turn camera off" are not shown (they
  were shown greyed out), while "Ask for the mediator" and "Leave hearing" stay.
Screenshots in tests/artifacts; axe-core on the new states.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.browser import Tab, chromium_page, dumped_on_failure, requires_chromium
from tests.e2e.participant_steps import join_in_browser, one_party_each
from tests.e2e.staff_steps import t
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"

# No camera on this computer: any request for video fails as a missing device would.
NO_CAMERA = """
(() => {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) => c && c.video
    ? Promise.reject(new DOMException("Requested device not found", "NotFoundError")) : real(c);
})();
"""
# The browser blocks camera and microphone.
BLOCKED = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
"""
STATUS = "document.querySelector('.lobby-device-status')?.textContent || ''"


def shown(selector: str) -> str:
    """Whether the element is laid out (present and not `display: none`)."""
    return f"(() => {{ const e = document.querySelector({selector!r}); " \
           "return Boolean(e && e.getClientRects().length); })()"


async def waiting_with(suite: Suite, script: str, screen: str,
                       check: Callable[[Tab], Awaitable[None]]) -> None:
    _people, _cast, invitation = await one_party_each(suite)
    async with chromium_page(suite.base_url) as tab:
        with dumped_on_failure({"A1": tab}):
            await tab.context.add_init_script(script)
            await join_in_browser(tab, invitation)
            await tab.wait_for("document.querySelector('.lobby-title')?.textContent", timeout=30)
            await check(tab)
            await tab.check_accessible(screen)
            await tab.screenshot(screen, "laptop")
            await tab.screenshot(screen, "tablet")
            tab.assert_clean(secrets=[invitation["access_code"]])


@pytest.mark.timeout(240)
async def test_a_missing_camera_is_said_in_the_waiting_room(suite: Suite) -> None:
    async def check(tab: Tab) -> None:
        said = t(EN, "participant.lobby.no_camera")
        assert said == "No camera was found: the others will hear you but not see you."
        await tab.wait_for(f"({STATUS}) === {said!r}", timeout=30)
        # The microphone works: its button is there, the camera's is not.
        assert await tab.value(shown(".lobby-actions .control-mic"))
        assert not await tab.value(shown(".lobby-actions .control-camera"))

    await waiting_with(suite, NO_CAMERA, "lobby-no-camera", check)


@pytest.mark.timeout(240)
async def test_blocked_devices_show_no_greyed_out_buttons_in_the_waiting_room(
        suite: Suite) -> None:
    async def check(tab: Tab) -> None:
        said = t(EN, "participant.lobby.blocked")
        await tab.wait_for(f"({STATUS}) === {said!r}", timeout=30)
        for control in ("mic", "camera"):
            assert not await tab.value(shown(f".lobby-actions .control-{control}")), control
        for control in (".lobby-actions .control-knock", ".lobby-actions [data-action=leave]"):
            assert await tab.value(shown(control)), control

    await waiting_with(suite, BLOCKED, "lobby-devices-blocked", check)


@pytest.mark.timeout(240)
async def test_a_camera_turned_off_in_the_waiting_room_is_said_over_the_preview(suite: Suite) -> None:
    # A walkthrough: "Turn camera off" left a plain black preview, which reads as a broken camera.
    said = t(EN, "participant.lobby.camera_off")
    over = "document.querySelector('.lobby-preview-box .lobby-camera-off')"

    async def check(tab: Tab) -> None:
        assert not await tab.value(shown(".lobby-camera-off"))
        await tab.page.click(".lobby-actions [data-control=camera]")
        await tab.wait_for(f"{over}?.textContent === {said!r}")
        assert await tab.value(shown(".lobby-camera-off"))
        # Over the picture, not beside it: the same box.
        box = await tab.value("(() => { const v = document.querySelector('.lobby-preview')"
                              ".getBoundingClientRect(), p = document.querySelector("
                              "'.lobby-camera-off').getBoundingClientRect(); return [v.left <= p.left,"
                              " p.right <= v.right + 1, v.top <= p.top, p.bottom <= v.bottom + 1]; })()")
        assert box == [True, True, True, True], box

    await waiting_with(suite, "", "lobby-camera-off", check)
