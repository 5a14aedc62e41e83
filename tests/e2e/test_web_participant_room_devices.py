"""A participant whose browser blocks camera and microphone, once admitted to a room, in the
browser on the real suite (a newcomer walkthrough found each of these):

- "Who can hear you" says nobody, and why (the microphone is blocked), naming the others as in
  the room; it once listed them as hearing her while she sent no sound at all.
- The device sentence and "Try again" stay in the room (they were gone once admitted); allowed
  then, Try again sends camera and microphone to everyone in the room at once, without a
  reload: the other party's page shows her picture on her own tile (never as a shared screen)
  and she is heard.
- Every member of the room has a tile on every page: without her camera the other party saw no
  tile of her at all; now it is there, named, saying "no camera". Her own page shows her own
  tile too.
- The tech check, with nothing sent, says only the round trip was measured: never "sound and
  picture should be smooth".
- The "open in another tab" card reads from the left (centred Chinese left a character alone).
Screenshots in tests/artifacts; axe-core on the new states.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proto.ws import Admit
from tests.browser import (
    MEDIA_BLOCKED_UNTIL_ALLOWED,
    Tab,
    chromiums,
    dumped_on_failure,
    fake_camera,
    open_tab,
    requires_chromium,
)
from tests.e2e.participant_steps import (
    banner_kind,
    hearers,
    join_in_browser,
    mediator_socket,
    one_party_each,
    switch_language,
    tile,
)
from tests.e2e.staff_steps import t
from tests.e2e.test_web_participant_walkthrough import in_view
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]
EN, ZH, ZH_HANS = "en", "zh-Hant", "zh-Hans"

HEARERS = "document.querySelector('.hearers')"
NOTE = "document.querySelector('.hearers-note').textContent"
DEVICE_NOTICE = "document.querySelector('.device-notice')"
SELF_TILE = "document.querySelector('.video-grid .tile.self')"
SCREEN_TILES = "document.querySelectorAll('.video-grid .tile[data-kind=screen]').length"


async def techcheck_says_only_the_round_trip(tab: Tab) -> None:
    await tab.page.goto("/techcheck?next=lobby")
    await tab.wait_for("document.querySelector('#verdict-connection')?.dataset.outcome"
                       " === 'reachable'", timeout=60)
    said = await tab.page.inner_text("#verdict-connection")
    assert said.strip().endswith(t(EN, "participant.techcheck.connection_reachable")), said
    assert "smooth" not in await tab.page.inner_text("#techcheck")
    await tab.screenshot("techcheck-nothing-sent", "laptop")


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(300)
async def test_blocked_devices_in_a_room_say_nobody_hears_and_try_again_sends_them(
        suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1, b1 = invitation["participant"], cast.invitations["B1"]["participant"]
    med = await mediator_socket(suite, people, cast)
    cameras = [fake_camera(tmp_path / f"{n}.y4m", rgb) for n, rgb in
               (("a", (200, 60, 60)), ("b", (40, 160, 60)))]
    async with chromiums(cameras) as (a_browser, b_browser):
        a = await open_tab(a_browser, suite.base_url)
        b = await open_tab(b_browser, suite.base_url)
        await a.context.add_init_script(MEDIA_BLOCKED_UNTIL_ALLOWED)
        tabs = {"A1": a, "B1": b}
        try:
            with dumped_on_failure(tabs):
                await join_in_browser(a, invitation)
                await techcheck_says_only_the_round_trip(a)
                await a.page.goto("/lobby")
                await a.wait_for("document.querySelector('.lobby-title')?.textContent", timeout=30)
                await join_in_browser(b, cast.invitations["B1"])
                await med.send(Admit(participant=a1))
                await med.send(Admit(participant=b1))
                for tab in (a, b):
                    await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)

                # --- her page: nobody hears her, and why; the sentence and Try again stay ---
                await a.wait_for(f"{HEARERS}.dataset.unheard === 'blocked'", timeout=30)
                assert await a.value(hearers()) == ""
                await a.wait_for(f"{NOTE}.includes('B1')", timeout=30)
                note = await a.value(NOTE)
                assert note.startswith("In this room: "), note
                assert note.endswith("They cannot hear you: your browser is blocking your "
                                     "microphone."), note
                notice = await a.value(f"{DEVICE_NOTICE}.hidden ? null : "
                                       "document.querySelector('.device-notice-text').textContent")
                assert notice == t(EN, "participant.room.devices_blocked"), notice
                await in_view(a, ".device-notice [data-action=retry-devices]", "laptop")
                # Her own tile, named, with no picture and saying so.
                assert await a.value(f"{SELF_TILE}?.dataset.picture") == "none"
                state = await a.value(f"{SELF_TILE}.querySelector('.tile-state').textContent")
                assert t(EN, "participant.grid.no_camera") in state, state
                await a.check_accessible("hearing-mic-blocked")
                await a.screenshot("hearing-mic-blocked", "laptop")
                await a.screenshot("hearing-mic-blocked", "tablet")

                # --- the other party's page: a tile for her, named, saying "no camera" ------
                await b.wait_for(f"{tile(a1, 'picture')} === 'none'", timeout=60)
                caption = await b.value(
                    f"document.querySelector('.video-grid .tile[data-participant=\"{a1}\"]')"
                    ".querySelector('figcaption').textContent")
                assert "A1" in caption and t(EN, "participant.grid.no_camera") in caption, caption
                await b.check_accessible("hearing-no-camera-tile")
                await b.screenshot("hearing-no-camera-tile", "laptop")

                await switch_language(a, ZH)
                await a.wait_for(f"{NOTE}.includes('他們聽不到您')", timeout=10)
                await a.screenshot("hearing-mic-blocked-zh-Hant", "laptop")
                await switch_language(a, EN)

                # --- she allows them and tries again: sent at once, no reload ----------------
                await a.value("window.__allowMedia = true")
                await a.page.click(".device-notice [data-action=retry-devices]")
                await a.wait_for(f"{DEVICE_NOTICE}.hidden", timeout=30)
                await a.wait_for(f"{HEARERS}.dataset.unheard === ''", timeout=10)
                await a.wait_for(f"{SELF_TILE}?.dataset.picture === 'on'", timeout=10)
                # Her picture reaches the other party on her own tile, decoded; never a screen.
                await b.wait_for(f"{tile(a1, 'picture')} === 'on' && "
                                 f"Number({tile(a1, 'framesDecoded')}) > 0", timeout=60)
                assert await b.value(SCREEN_TILES) == 0
                # And she is heard: the other party's page receives her sound.
                await b.wait_for(
                    f"document.querySelector('.video-grid .tile[data-participant=\"{a1}\"] video')"
                    ".srcObject?.getAudioTracks().length === 1", timeout=30)
                await a.wait_for(f"{hearers()} === '{b1}'", timeout=60)
                assert await a.value("document.querySelectorAll('.tile.self').length") == 1
                await a.screenshot("hearing-devices-allowed", "laptop")
                await b.screenshot("hearing-devices-allowed-other", "laptop")

                # --- another tab of hers: the card that steps aside reads from the left ------
                await switch_language(b, ZH_HANS)
                second = await b.context.new_page()
                await second.goto("/hearing")
                await b.wait_for("document.querySelector('.final[data-final=elsewhere]')",
                                 timeout=30)
                # (its sentences from the left; the button, and the one line that says the
                # camera and microphone are off, centred with the heading they go with)
                aligned = await b.value(
                    "[...document.querySelectorAll('.final p')].map((p) => "
                    "[getComputedStyle(p).textAlign, !!p.querySelector('.button')"
                    " || p.dataset.media === 'stopped'])")
                assert any(not centred for _, centred in aligned), aligned
                assert all(align in ("start", "left") for align, centred in aligned
                           if not centred), aligned
                await b.screenshot("participant-elsewhere-zh-Hans", "tablet")
                await second.close()
                for tab in tabs.values():
                    tab.assert_clean(secrets=[invitation["access_code"]])
        finally:
            await med.close()
            for tab in tabs.values():
                await tab.context.close()
