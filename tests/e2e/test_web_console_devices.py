"""The mediator's own camera and microphone in the console, blocked by the browser, in a real
Chromium through the real suite (as the participant's page already did,
test_web_participant_room_devices.py):

- The console says plainly that the people in the mediator's room cannot see or hear the
  mediator, and "Who can hear you" says nobody, naming the party in the room; it once said only
  that the room "may not" see or hear, and its Try again reloaded the whole console.
- The console's own tile says why it has no picture ("camera blocked by the browser"), where it
  was a black box captioned "You".
- Allowed, Try again sends camera and microphone to the party at once, without a reload: the
  sentence goes and the party's page receives the mediator's live sound and picture.
- A second console tab, which leaves the media to the first (its Web Lock), says nothing of a
  blocked microphone: it uses none. Its own tile says the media is in another tab.
- "Mute microphone" and "Turn camera off" that cannot work are not shown (they were greyed out
  beside the sentence that says why), as in the parties' room; after Try again they are back.
- The same mediator opens the console on a second device (another browser, its own Web
  Lock): the first console says its camera and microphone are now used there, with Use them
  here, and runs nothing of them (it once kept its mesh: both devices answered the party, showed
  different room codes and stuck connecting); the second device and the party show the same
  code and the party sees the second device's camera. Use them here brings them back.
- The console holding them closes (muted): the second device, which said they were used on the
  other device, says after a few seconds (not at once: a reconnecting console claims again)
  that they are not in use anywhere, with Use them here (it once said nothing, and the party
  saw a dead tile); Use them here sends them from there, still muted as the room was told,
  with the buttons saying so; unmuted, the party hears the mediator live again.
Screenshots: tests/artifacts/console-mic-blocked-laptop.png,
console-media-elsewhere-laptop.png, console-media-free-laptop.png; axe-core on the new states.
"""

from __future__ import annotations

import time
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
    code,
    code_members,
    console_room,
    hearers,
    join_in_browser,
    mediator_page,
    mediator_socket,
    one_party_each,
)
from tests.e2e.staff_steps import t
from tests.e2e.web_people import near, remote_colours
from tests.harness import Suite, wait_until

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"

TROUBLE = "document.querySelector('.my-room .media-trouble')"
HEARERS = "document.querySelector('.my-room .hearers')"
NOTE = "document.querySelector('.my-room .hearers-note').textContent"
SELF_TILE = "document.querySelector('.console-videos .tile.self')"
OTHER_TAB = "document.querySelector('.my-room .media-other-tab')"
MOVED = "document.querySelector('.my-room .media-elsewhere')"
# No camera, microphone or peer's track runs on this page.
NOTHING_LIVE = ("[...document.querySelectorAll('.console-videos video')].every((v) => !v.srcObject"
                " || v.srcObject.getTracks().every((track) => track.readyState !== 'live'))")
MEDIATOR, PHONE = (200, 200, 200), (220, 40, 40)
# On the party's page: the mediator's tile (the only other one in plenary), its stream's tracks.
MEDIATOR_VIDEO = "document.querySelector('.video-grid .tile:not(.self)[data-kind=camera] video')"
LIVE_AUDIO = (f"{MEDIATOR_VIDEO}?.srcObject?.getAudioTracks().some((track) => "
              "track.readyState === 'live' && !track.muted)")
# On the party's page: the room's view of the mediator's microphone, on its tile.
MEDIATOR_MUTED = "document.querySelector('.video-grid .tile:not(.self)[data-kind=camera]')?.dataset.muted"
# On a console: its own microphone track, as sent.
MIC_SENT = ("document.querySelector('.console-videos .tile.self video').srcObject?.getAudioTracks()"
            ".map((track) => track.enabled).join()")
#: components/console-media.js MEDIA_FREE_GRACE_MS (presence.js OFFLINE_GRACE_MS).
FREE_GRACE_S = 4.0


def control_shown(control: str) -> str:
    """Whether the console's own `control` button (mic, camera, screen) is laid out."""
    return f"(() => {{ const e = document.querySelector('.my-room .control-{control}'); " \
           "return Boolean(e && e.getClientRects().length > 0); })()"


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(300)
async def test_a_blocked_microphone_on_the_console_is_said_and_try_again_sends_it(
        suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    cameras = [fake_camera(tmp_path / f"{n}.y4m", rgb) for n, rgb in
               (("m", MEDIATOR), ("a", (30, 90, 200)), ("p", PHONE))]
    async with chromiums(cameras) as (m_browser, a_browser, p_browser):
        console = await open_tab(m_browser, suite.base_url)
        party = await open_tab(a_browser, suite.base_url)
        await console.context.add_init_script(MEDIA_BLOCKED_UNTIL_ALLOWED)
        tabs = {"M": console, "A1": party}
        try:
            with dumped_on_failure(tabs):
                await join_in_browser(party, invitation)
                await med.send(Admit(participant=a1))
                await party.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                await mediator_page(console, people, cast.hearing, suite.base_url)
                await console.wait_for(f"{console_room()} === 'plenary'", timeout=60)

                # --- the console: the room cannot hear the mediator, and why ---------------
                await console.wait_for(f"{TROUBLE} && !{TROUBLE}.hidden", timeout=30)
                assert await console.value(f"{TROUBLE}.dataset.trouble") == "blocked"
                said = await console.value(f"{TROUBLE}.querySelector('p').textContent")
                assert said == t(EN, "mediator.video.blocked"), said
                assert "the people in your room cannot see or hear you" in said, said
                retry = console.page.locator(".my-room .media-trouble [data-action=retry-devices]")
                assert await retry.inner_text() == t(EN, "mediator.video.try_again")
                await console.wait_for(f"{HEARERS}.dataset.unheard === 'blocked'", timeout=30)
                await console.wait_for(f"{NOTE}.includes('A1')", timeout=30)
                note = await console.value(NOTE)
                assert note.endswith("They cannot hear you: your browser is blocking your "
                                     "microphone."), note
                assert await console.value(hearers()) == ""
                # No greyed-out microphone or camera button beside the sentence: hidden.
                await console.wait_for(control_shown("screen"), timeout=30)  # the controls are drawn
                for control in ("mic", "camera"):
                    assert await console.value(
                        f"document.querySelector('.my-room .control-{control}').disabled"), control
                    assert not await console.value(control_shown(control)), control
                # Its own tile says why there is no picture.
                assert await console.value(f"{SELF_TILE}.dataset.picture") == "blocked"
                caption = await console.value(f"{SELF_TILE}.querySelector('figcaption').textContent")
                assert caption == f"{t(EN, 'mediator.video.you')} · " \
                                  f"{t(EN, 'mediator.video.tile_blocked')}", caption
                await console.check_accessible("console-mic-blocked")
                await console.screenshot("console-mic-blocked", "laptop")

                # --- a second console tab leaves the media to the first: nothing to say ------
                page = await console.context.new_page()
                second = Tab(page=page, context=console.context)
                page.on("pageerror", lambda error: second.errors.append(str(error)))
                tabs["M2"] = second  # for the dump on a failure; closed with M's context
                await page.goto(f"/hearings/{cast.hearing}")
                await second.wait_for(f"{console_room()} === 'plenary'", timeout=60)
                await second.wait_for(f"{OTHER_TAB} && !{OTHER_TAB}.hidden", timeout=30)
                assert await second.value(f"{OTHER_TAB}.textContent") == \
                    t(EN, "mediator.video.other_tab")
                await second.wait_for(f"{SELF_TILE}.dataset.picture === 'elsewhere'", timeout=10)
                assert await second.value(f"{TROUBLE}.hidden") is True
                assert await second.value(f"{HEARERS}.dataset.unheard") == ""
                for control in ("mic", "camera", "screen"):  # the first tab's to use
                    assert not await second.value(control_shown(control)), control
                await second.screenshot("console-media-other-tab", "laptop")
                await page.close()
                del tabs["M2"]
                second.assert_clean()

                # --- allowed, Try again sends camera and microphone at once, no reload -------
                await console.value("window.__kept = true")
                await console.value("window.__allowMedia = true")
                await retry.click()
                await console.wait_for(f"{TROUBLE}.hidden", timeout=30)
                await console.wait_for(f"{HEARERS}.dataset.unheard === ''", timeout=10)
                await console.wait_for(f"{SELF_TILE}.dataset.picture === 'on'", timeout=10)
                assert await console.value("window.__kept") is True  # the same page
                # The buttons are back, saying what they do.
                for control in ("mic", "camera", "screen"):
                    await console.wait_for(control_shown(control), timeout=10)
                assert await console.value("document.querySelector('.my-room .control-mic')"
                                           ".textContent") == t(EN, "participant.controls.mute")
                # The party receives the mediator's live sound, and picture, on the mediator's tile.
                await party.wait_for(LIVE_AUDIO, timeout=60)
                await party.wait_for(f"{MEDIATOR_VIDEO}?.srcObject?.getVideoTracks().length === 1",
                                     timeout=30)
                await console.wait_for(f"{hearers()} === '{a1}'", timeout=60)
                await console.screenshot("console-devices-allowed", "laptop")

                # --- the console on a second device takes the camera and microphone ---------
                phone = tabs["M-phone"] = await open_tab(p_browser, suite.base_url)
                await mediator_page(phone, people, cast.hearing, suite.base_url)
                await phone.wait_for(f"{console_room()} === 'plenary'", timeout=60)
                await console.wait_for(f"{MOVED} && !{MOVED}.hidden", timeout=30)
                assert await console.value(f"{MOVED}.querySelector('p').textContent") == \
                    t(EN, "mediator.video.elsewhere")
                await console.wait_for(f"{SELF_TILE}.dataset.picture === 'other_device'", timeout=10)
                await console.wait_for(NOTHING_LIVE, timeout=10)
                assert await console.value(f"{HEARERS}.hidden") is True  # no code of its own
                for control in ("mic", "camera", "screen"):
                    assert not await console.value(control_shown(control)), control
                await phone.wait_for(f"{code_members()} === '{a1}'", timeout=60)
                await same_code(phone, party)
                await wait_until(lambda: mediator_seen(party, people.mediator.account_id, PHONE), timeout=60,
                                 what="the party sees the second device's camera")
                await console.check_accessible("console-media-elsewhere")
                await console.screenshot("console-media-elsewhere", "laptop")

                # --- Use them here: back on the first device, the second one told -----------
                await console.page.locator(".my-room .media-elsewhere [data-action=media-here]").click()
                await phone.wait_for(f"{MOVED} && !{MOVED}.hidden", timeout=30)
                await phone.wait_for(NOTHING_LIVE, timeout=10)
                await console.wait_for(f"{MOVED}.hidden && !{HEARERS}.hidden", timeout=10)
                await console.wait_for(f"{code_members()} === '{a1}'", timeout=60)
                await same_code(console, party)
                await wait_until(lambda: mediator_seen(party, people.mediator.account_id, MEDIATOR), timeout=60,
                                 what="the party sees the first device's camera again")

                # --- muted, the console holding them closes: the phone says nobody uses them --
                await console.page.locator(".my-room .control-mic").click()
                await party.wait_for(f"{MEDIATOR_MUTED} === 'true'", timeout=30)
                closed_at = time.monotonic()
                await console.context.close()
                await phone.wait_for(f"{MOVED}?.dataset.state === 'free'", timeout=30)
                waited = time.monotonic() - closed_at
                assert waited >= FREE_GRACE_S - 0.5, waited  # not at once: a blip is no news
                assert await phone.value(f"{MOVED}.querySelector('p').textContent") == \
                    t(EN, "mediator.video.free")
                assert await phone.value(f"{SELF_TILE}.dataset.picture") == "nowhere"
                assert await phone.value(NOTHING_LIVE)  # offered, never claimed by itself
                await phone.check_accessible("console-media-free")
                await phone.screenshot("console-media-free", "laptop")

                # --- Use them here on the phone: still muted, as the room was told ------------
                await phone.page.locator(".my-room .media-elsewhere [data-action=media-here]").click()
                await phone.wait_for(f"{MOVED}.hidden && !{HEARERS}.hidden", timeout=10)
                await phone.wait_for(f"{MIC_SENT} === 'false'", timeout=30)
                mic = ".my-room .control-mic"
                await phone.wait_for(control_shown("mic"), timeout=30)
                assert await phone.value(f"document.querySelector('{mic}').textContent") == \
                    t(EN, "participant.controls.unmute")
                assert await phone.value(f"document.querySelector('{mic}').getAttribute('aria-pressed')") == "true"
                assert await party.value(MEDIATOR_MUTED) == "true"
                await wait_until(lambda: mediator_seen(party, people.mediator.account_id, PHONE), timeout=60,
                                 what="the party sees the phone's camera")
                # Unmuted there: the party hears the mediator live again, and is told so.
                await phone.page.locator(mic).click()
                await phone.wait_for(f"{MIC_SENT} === 'true'", timeout=10)
                await party.wait_for(f"{MEDIATOR_MUTED} === 'false'", timeout=30)
                await party.wait_for(LIVE_AUDIO, timeout=60)
                for tab in tabs.values():
                    tab.assert_clean(secrets=[invitation["access_code"]])
        finally:
            await med.close()
            for tab in (console, party, *([tabs["M-phone"]] if "M-phone" in tabs else [])):
                await tab.context.close()


async def same_code(console: Tab, party: Tab) -> None:
    """The console and the party show one room verification code, each covering the other."""
    async def agreed() -> bool:
        mine, theirs = await console.value(code()), await party.value(code())
        return bool(mine) and mine == theirs
    await wait_until(agreed, timeout=60, what="one room verification code")


async def mediator_seen(party: Tab, mediator: str, rgb: tuple[int, int, int]) -> bool:
    return near((await remote_colours(party)).get(mediator), rgb)
