"""A party's room and waiting room when the mediator's connection comes and goes, and when the
mediator sends them back to the waiting room, in the browser on the real suite:

- A mediator who drops and is back within a few seconds is never said offline: the page once
  said at once "The mediator … is offline and cannot hear you" (banner and "who can hear you")
  at every short reconnect. Offline for longer than the grace (components/presence.js), it is
  said in both, and "Ask for the mediator" says the mediator will see the request when back; the
  server keeps that request, and the mediator gets it on reconnecting.
- In a room, a camera the page has not got has no greyed-out button (the lobby already hid its
  own): the device notice says why instead.
- Sent back to the waiting room, the party sees a waiting room as fresh as the first: the title
  now, no stale "changed" notice (a change made while they waited before is no news), a change
  made since their return said, the right waiting line, the controls of the waiting room and a
  camera preview that plays.
Screenshots in tests/artifacts; axe-core on the new states.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from proto.ws import Admit, KnocksUpdate, Move, Snapshot
from tests.browser import Tab, chromium_page, dumped_on_failure, requires_chromium
from tests.e2e.participant_steps import (
    banner_kind,
    join_in_browser,
    mediator_socket,
    one_party_each,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient
from tests.people import People

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"

# The page has no camera (a laptop without one): the microphone alone opens.
NO_CAMERA = """
(() => {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) => c && c.video
    ? Promise.reject(new DOMException("Requested device not found", "NotFoundError")) : real(c);
})();
"""

# Set once anything on the page says the mediator is offline, however briefly.
WATCH_OFFLINE = """() => {
  window.__saidOffline = [];
  const check = () => {
    const said = [];
    if (document.querySelector('.room-banner [data-away=offline]')) said.push('banner');
    if ((document.querySelector('.hearers-note')?.textContent || '').includes('offline')) said.push('hearers');
    const hint = document.querySelector('.knock-hint');
    if (hint && !hint.hidden) said.push('knock');
    if (said.length) window.__saidOffline.push(said.join('+'));
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, characterData: true, attributes: true});
  check();
}"""
SAID_OFFLINE = "window.__saidOffline"
BANNER_OFFLINE = "document.querySelector('.room-banner [data-away=offline]') !== null"
NOTE = "(document.querySelector('.hearers-note')?.textContent || '')"
HINT = "document.querySelector('.knock-hint')"


def shown(selector: str) -> str:
    """Whether `selector` is laid out on the page (not hidden, not display: none)."""
    return f"(() => {{ const e = document.querySelector({selector!r}); " \
           "return Boolean(e && e.getClientRects().length > 0); })()"


@pytest.mark.timeout(240)
async def test_a_short_reconnect_is_not_said_offline_and_a_long_one_is(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        await tab.context.add_init_script(NO_CAMERA)
        with dumped_on_failure({"A1": tab}):
            await join_in_browser(tab, invitation)
            await med.send(Admit(participant=a1))
            await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
            await tab.wait_for(f"{NOTE}.length > 0", timeout=30)

            # --- no camera: no greyed-out camera button in the room, the notice instead ----
            await tab.wait_for("!document.querySelector('.device-notice').hidden", timeout=10)
            assert await tab.value("document.querySelector('.device-notice-text').textContent") \
                == t(EN, "participant.room.camera_none")
            assert await tab.value("document.querySelector('.stage-bar .control-camera').disabled")
            assert not await tab.value(shown(".stage-bar .control-camera"))
            assert await tab.value(shown(".stage-bar .control-mic"))
            assert await tab.value(shown(".stage-bar .control-knock"))

            # --- the mediator drops and is back within the grace: nothing said ------------
            await tab.page.evaluate(WATCH_OFFLINE)
            await med.close()
            await asyncio.sleep(1.0)
            await tab.screenshot("hearing-mediator-reconnecting", "laptop")
            med = await mediator_socket(suite, people, cast)
            await asyncio.sleep(5.0)  # past the grace: nothing comes late either
            assert await tab.value(SAID_OFFLINE) == []

            # --- offline for longer: said in the banner, in who hears you, by the knock ---
            await med.close()
            dropped = time.monotonic()
            await tab.wait_for(BANNER_OFFLINE, timeout=30)
            waited = time.monotonic() - dropped
            assert waited >= 3.0, waited
            await tab.wait_for(f"{NOTE}.includes('is offline and cannot hear you.')", timeout=5)
            await tab.wait_for(f"!{HINT}.hidden", timeout=5)
            assert await tab.value(f"{HINT}.textContent") == t(EN, "participant.controls.knock_offline")
            described = await tab.value(
                "document.querySelector('.control-knock').getAttribute('aria-describedby')")
            assert await tab.value(f"{HINT}.id") in described.split(), described
            await tab.check_accessible("hearing-mediator-offline-knock")
            await tab.screenshot("hearing-mediator-offline-knock", "laptop")
            await tab.screenshot("hearing-mediator-offline-knock", "tablet")

            # --- the knock is kept: the mediator sees it on coming back ------------------
            await tab.page.click(".control-knock")
            await tab.wait_for("document.querySelector('.control-knock')"
                               ".getAttribute('aria-pressed') === 'true'", timeout=10)
            med = await mediator_socket(suite, people, cast)
            try:
                await med.wait(lambda m: (isinstance(m, Snapshot) and any(
                    k.participant == a1 for k in m.view.knocks or [])) or (isinstance(
                        m, KnocksUpdate) and any(k.participant == a1 for k in m.knocks)),
                    timeout=15, what="the knock")
                await tab.wait_for(f"{HINT}.hidden && !({BANNER_OFFLINE})", timeout=15)
            finally:
                await med.close()
            tab.assert_clean(secrets=[invitation["access_code"]])


async def rename(people: People, hearing: str, title: str) -> None:
    status, reply = await people.mediator.call(
        "PATCH", f"/api/v1/hearings/{hearing}", {"title": title})
    assert status == 200, reply


CHANGED = "document.querySelector('.lobby-changed')"
TITLE = "(document.querySelector('.lobby-title')?.textContent || '')"
PREVIEW = "document.querySelector('.lobby-preview')"


async def preview_plays(tab: Tab) -> None:
    """The waiting room's preview shows the camera: live tracks, playing, frames coming."""
    await tab.wait_for(
        f"{PREVIEW} && {PREVIEW}.isConnected && !{PREVIEW}.paused && {PREVIEW}.videoWidth > 0"
        f" && {PREVIEW}.srcObject?.getVideoTracks().every((x) => x.readyState === 'live')",
        timeout=15)
    first = await tab.value(f"{PREVIEW}.currentTime")
    await asyncio.sleep(0.6)
    assert await tab.value(f"{PREVIEW}.currentTime") > first


@pytest.mark.timeout(240)
async def test_sent_back_to_the_waiting_room_it_is_as_fresh_as_the_first(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med: WsClient = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        try:
            with dumped_on_failure({"A1": tab}):
                await join_in_browser(tab, invitation)
                await preview_plays(tab)
                # Renamed while she waits: the waiting room says so.
                await rename(people, cast.hearing, "Lam v. Ng")
                await tab.wait_for(f"{TITLE} === 'Lam v. Ng' && !{CHANGED}.hidden", timeout=30)

                await med.send(Admit(participant=a1))
                await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                await tab.page.click(".stage-bar .control-mic")  # muted in the room
                await tab.wait_for("document.querySelector('.control-mic')"
                                   ".getAttribute('aria-pressed') === 'true'", timeout=10)

                await med.send(Move(participant=a1, room="lobby"))
                await tab.wait_for("document.querySelector('.lobby-title') !== null"
                                   " && document.querySelector('.room-banner') === null", timeout=30)
                assert await tab.value("location.pathname") == "/lobby"
                # The title now, and no word of a change she saw before she was admitted.
                assert await tab.value(TITLE) == "Lam v. Ng"
                assert await tab.value(f"{CHANGED}.hidden")
                waiting = await tab.value("document.querySelector('.lobby-waiting').textContent")
                assert "will admit you shortly" in waiting, waiting
                # The waiting room's controls: microphone (still muted, as she left it), camera,
                # Ask for the mediator, Leave; no hand, no screen, nothing greyed out.
                for control in ("mic", "camera", "knock"):
                    assert await tab.value(shown(f".lobby-actions .control-{control}")), control
                for control in ("hand", "screen"):
                    assert not await tab.value(shown(f".lobby-actions .control-{control}")), control
                assert await tab.value(shown(".lobby-actions .control-leave"))
                assert await tab.value("document.querySelector('.control-mic')"
                                       ".getAttribute('aria-pressed')") == "true"
                assert await tab.value("document.querySelector('.control-knock')"
                                       ".getAttribute('aria-pressed')") == "false"
                assert await tab.value(f"{HINT}.hidden")
                await preview_plays(tab)
                await tab.check_accessible("lobby-returned")
                await tab.screenshot("lobby-returned", "laptop")
                await tab.screenshot("lobby-returned", "tablet")

                # A change since her return is news again.
                await rename(people, cast.hearing, "Lam v. Ng (day 2)")
                await tab.wait_for(f"{TITLE} === 'Lam v. Ng (day 2)' && !{CHANGED}.hidden",
                                   timeout=30)
                tab.assert_clean(secrets=[invitation["access_code"]])
        finally:
            await med.close()
