"""Media from the participant's page: screen share with renegotiation (perfect negotiation) to an
aiortc peer and another Chromium page, and back; the room verification code against a relay
that swaps a fingerprint in transit; removal and the end stopping camera and microphone; a
muted microphone (and a camera turned off) that stays so through a reload and a lost
connection, on the page, in the room's view and in what the others hear."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from playwright.async_api import WebSocketRoute

from proto.ws import (
    Admit,
    BoardUpdate,
    CaucusCreate,
    End,
    MemberView,
    Remove,
    RoomKind,
    RoomUpdate,
    Shuttle,
    SignalKind,
    SignalRelay,
)
from proto.ws import SignalSend as Send
from tests.browser import chromium, fake_camera, open_tab, requires_chromium
from tests.e2e.participant_steps import (
    COUNT_CONNECTIONS,
    KEEP_TRACKS,
    SENDING_LIMITS,
    TRACKS_ENDED,
    banner_kind,
    code,
    code_members,
    join_in_browser,
    mediator_socket,
    seat_people,
)
from tests.harness import Suite, wait_until
from tests.integration.signalling.mediapeer import MediaPeer
from tests.integration.signalling.sigclient import WsClient
from tests.netcut import NetCut
from tests.people import staff_people

pytestmark = [pytest.mark.browser, requires_chromium]


class RenegotiatingPeer(MediaPeer):
    """A MediaPeer that takes a new offer on its live connection (a renegotiation) instead of
    starting a new one, and counts the video tracks each peer sends it."""

    def __init__(self, ws: WsClient, luma: int) -> None:
        super().__init__(ws, luma)
        self.video_ids: dict[str, set[str]] = {}
        self.offers: dict[str, int] = {}

    @property
    def tracks(self) -> dict[str, int]:
        """Distinct video tracks per peer (a first offer sent again announces the same ones)."""
        return {peer: len(ids) for peer, ids in self.video_ids.items()}

    async def _drain(self, peer: str, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        if track.kind == "video":
            self.video_ids.setdefault(peer, set()).add(track.id)
        await super()._drain(peer, pc, track)

    async def _signal(self, m: SignalRelay) -> None:
        pc = self.pcs.get(m.sender)
        if m.kind is SignalKind.OFFER and m.sdp is not None:
            self.offers[m.sender] = self.offers.get(m.sender, 0) + 1
            if pc is not None and pc.remoteDescription is not None \
                    and pc.connectionState == "connected":
                await pc.setRemoteDescription(RTCSessionDescription(sdp=m.sdp, type="offer"))
                await pc.setLocalDescription(await pc.createAnswer())
                await self.ws.send(Send(to=m.sender, epoch=m.epoch, kind=SignalKind.ANSWER,
                                        sdp=pc.localDescription.sdp))
                return
        await super()._signal(m)

    def video_directions(self, peer: str) -> list[str]:
        pc = self.pcs.get(peer)
        if pc is None or pc.remoteDescription is None:
            return []
        return [t.direction for t in pc.getTransceivers() if t.kind == "video"]


async def test_screen_share_reaches_aiortc_and_chromium_and_stops(suite: Suite,
                                                                 tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat_people(suite, people, per_side=1)
    inv = cast.invitations
    med = await mediator_socket(suite, people, cast)
    mediator = RenegotiatingPeer(med, 200)
    sharer, watcher = inv["A1"]["participant"], inv["B1"]["participant"]
    try:
        async with chromium(camera=fake_camera(tmp_path / "a.y4m", (30, 90, 200))) as ba, \
                chromium(camera=fake_camera(tmp_path / "b.y4m", (200, 70, 30))) as bb:
            a, b = await open_tab(ba, suite.base_url), await open_tab(bb, suite.base_url)
            await a.context.add_init_script(COUNT_CONNECTIONS)
            await join_in_browser(a, inv["A1"])
            await join_in_browser(b, inv["B1"])
            await med.send(Admit(participant=sharer))
            await med.send(Admit(participant=watcher))
            for tab in (a, b):
                await tab.wait_for(f"{banner_kind()} === 'plenary'")
            await wait_until(check(lambda: _at_least(mediator.frames, sharer, 10)), timeout=40,
                             what="the sharer's camera at the aiortc peer")
            assert mediator.tracks.get(sharer) == 1

            await a.page.click("[data-control=screen]")
            await b.wait_for(f"document.querySelector('.tile.screen[data-participant=\"{sharer}\"]')"
                             " && Number(document.querySelector('.tile.screen video')"
                             ".getVideoPlaybackQuality().totalVideoFrames) > 5", timeout=30)
            await wait_until(check(lambda: mediator.tracks.get(sharer, 0) >= 2), timeout=30,
                             what="the screen track at the aiortc peer")
            offers = mediator.offers.get(sharer, 0)
            # Two copies of the camera, each within its share of the upstream (both at the
            # ceiling, with two); the screen is never budgeted, its detail is the point of it.
            budget = [1_200_000, 30]
            limits = await a.wait_for(f"(() => {{ const l = {SENDING_LIMITS}; return l.length === 2"
                                      f" && l.every((c) => c.other.length && JSON.stringify(c.camera)"
                                      f" === '[{json.dumps(budget, separators=(',', ':'))}]') && l; }})()",
                                      timeout=30)
            assert all(c["other"] and all(e == [None, None] for e in c["other"]) for c in limits), limits

            await a.page.keyboard.press("s")  # stop sharing, by key
            await b.wait_for("!document.querySelector('.tile.screen')", timeout=30)
            await wait_until(check(lambda: mediator.offers.get(sharer, 0) > offers), timeout=30,
                             what="a renegotiation back to the camera alone")
            await wait_until(check(lambda: "recvonly" in mediator.video_directions(sharer)
                                   or "inactive" in mediator.video_directions(sharer)),
                             timeout=15,
                             what="the screen's transceiver to stop sending")
            seen = mediator.frames.get(sharer, 0)
            await wait_until(check(lambda: _at_least(mediator.frames, sharer, seen + 10)),
                             timeout=20,
                             what="the camera to keep flowing after the renegotiations")
            for tab in (a, b):
                tab.assert_clean()
    finally:
        await mediator.close()
        await med.close()


def check(condition: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    """`wait_until` polls coroutines: wrap a plain condition."""
    async def poll() -> bool:
        return condition()
    return poll


def _at_least(counts: dict[str, int], key: str, n: int) -> bool:
    return counts.get(key, 0) >= n


def _swap_fingerprint(raw: str) -> str:
    """Change one byte of every DTLS fingerprint in a relayed offer or answer."""
    message: dict[str, Any] = json.loads(raw)
    if message.get("type") != "signal" or not message.get("sdp"):
        return raw
    message["sdp"] = re.sub(r"(a=fingerprint:sha-256 )([0-9A-F]{2})",
                            lambda m: m.group(1) + ("00" if m.group(2) != "00" else "11"),
                            message["sdp"])
    return json.dumps(message)


async def test_a_tampered_relay_shows_as_a_code_mismatch(suite: Suite, tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat_people(suite, people, per_side=1)
    inv = cast.invitations
    med = await mediator_socket(suite, people, cast)
    try:
        # The mediator waits in a caucus of its own: the room holds the two browsers only.
        await med.send(CaucusCreate(name="Mediator's room"))
        board = await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
            r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="caucus")
        assert isinstance(board, BoardUpdate)
        await med.send(Shuttle(room=next(r.id for r in board.board.rooms
                                         if r.kind is RoomKind.CAUCUS)))
        async with chromium(camera=fake_camera(tmp_path / "a.y4m", (30, 90, 200))) as ba, \
                chromium(camera=fake_camera(tmp_path / "b.y4m", (200, 70, 30))) as bb:
            a, b = await open_tab(ba, suite.base_url), await open_tab(bb, suite.base_url)

            def tamper(ws: WebSocketRoute) -> None:
                server = ws.connect_to_server()
                server.on_message(lambda message: ws.send(
                    _swap_fingerprint(message) if isinstance(message, str) else message))

            # B's relay is "compromised": every offer or answer B receives has A's fingerprint
            # swapped for another, as a server in the middle would have to.
            await b.page.route_web_socket(re.compile(r".*/api/v1/ws$"), tamper)
            await join_in_browser(a, inv["A1"])
            await join_in_browser(b, inv["B1"])
            await med.send(Admit(participant=inv["A1"]["participant"]))
            await med.send(Admit(participant=inv["B1"]["participant"]))
            codes = []
            for tab, other in ((a, "B1"), (b, "A1")):
                await tab.wait_for(f"{code_members()} === '{inv[other]['participant']}'",
                                   timeout=30)
                codes.append(await tab.wait_for(code()))
            assert codes[0] != codes[1], "a swapped fingerprint must change one side's code"

            # Removal, then the end: camera and microphone stop at once, then the final screen.
            for tab in (a, b):
                assert await tab.value(KEEP_TRACKS) >= 1
            await med.send(Remove(participant=inv["B1"]["participant"]))
            await b.wait_for("document.querySelector('[data-final=removed]')", timeout=30)
            assert await b.value(TRACKS_ENDED)
            await med.send(End())
            await a.wait_for("document.querySelector('[data-final=ended]')", timeout=30)
            assert await a.value(TRACKS_ENDED)
            await a.check_accessible("final-ended")
            # The page that was in the hearing says its camera and microphone are off now.
            assert await a.value("document.querySelector('[data-final=ended] [data-media=stopped]') !== null")

            # A new tab of the same browser (none of the old tab's sessionStorage) is told the
            # same by the server: the dead cookie's `/me` says why its session was ended.
            for tab, kind in ((a, "ended"), (b, "removed")):
                await tab.wait_for("fetch('/api/v1/me').then((r) => r.status === 401)")
                fresh = await tab.context.new_page()
                await fresh.goto("/lobby")
                await fresh.locator(f"[data-final={kind}]").wait_for(timeout=20_000)
                # It never had camera or microphone: it says only what happened, not "are off".
                assert await fresh.locator(f"[data-final={kind}] [data-media]").count() == 0
                assert "camera" not in (await fresh.text_content(f"[data-final={kind}]") or "")
                await fresh.close()
    finally:
        with contextlib.suppress(Exception):
            await med.close()


# Every RTCPeerConnection the page makes (an init script), and the sound received on those that
# are connected (totalAudioEnergy: it grows while the fake microphone's beep arrives).
HEARD = """async () => {
  let energy = 0;
  for (const pc of window.__connections.filter((c) => c.connectionState === 'connected')) {
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') energy += s.totalAudioEnergy || 0;
    });
  }
  return energy;
}"""
# The party's own tracks as its page holds them, and its buttons as it shows them.
OWN_TRACKS = ("Object.fromEntries(document.querySelector('.tile.self video').srcObject.getTracks()"
              ".map((t) => [t.kind, t.enabled]))")
PRESSED = ("['mic', 'camera'].map((c) => document.querySelector(`[data-control=${c}]`)"
           ".getAttribute('aria-pressed'))")


async def sound_from(tab: Any, seconds: float = 3.0) -> float:
    """How much sound reached this page over `seconds` (its one connected peer's)."""
    before = await tab.value(HEARD)
    await asyncio.sleep(seconds)
    return float(await tab.value(HEARD)) - float(before)


def seen_as(med: WsClient, pid: str, since: int = 0) -> list[tuple[bool, bool]]:
    """(muted, camera_off) of `pid` in every room view the mediator got since `since`."""
    return [(m.muted, m.camera_off) for u in med.inbox[since:] if isinstance(u, RoomUpdate)
            for m in u.room.members if isinstance(m, MemberView) and m.id == pid]


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(300)
async def test_a_muted_microphone_stays_muted_through_a_reload_and_a_lost_connection(
        suite: Suite, tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat_people(suite, people, per_side=1)
    inv = cast.invitations
    a1, b1 = inv["A1"]["participant"], inv["B1"]["participant"]
    med = await mediator_socket(suite, people, cast)
    proxy = NetCut("127.0.0.1", suite.http_port)  # between A's browser and the gateway
    tile_of_a = f"document.querySelector('.video-grid .tile[data-participant=\"{a1}\"]')"
    try:
        async with chromium(camera=fake_camera(tmp_path / "a.y4m", (30, 90, 200))) as ba, \
                chromium(camera=fake_camera(tmp_path / "b.y4m", (200, 70, 30))) as bb:
            a, b = await open_tab(ba, await proxy.start()), await open_tab(bb, suite.base_url)
            await b.context.add_init_script(COUNT_CONNECTIONS)
            await join_in_browser(a, inv["A1"])
            await join_in_browser(b, inv["B1"])
            for pid in (a1, b1):
                await med.send(Admit(participant=pid))
            await b.wait_for(f"{tile_of_a}?.dataset.state === 'connected'", timeout=60)
            # A's beep reaches B while A's microphone is on; muted, silence does (a trace of
            # energy from the codec, a thousandth of the beep's at most).
            live = await sound_from(b)
            assert live > 0, live

            # --- A mutes and turns the camera off; then reloads the page -------------------
            await a.page.click("[data-control=mic]")
            await a.page.click("[data-control=camera]")
            await wait_until(check(lambda: seen_as(med, a1)[-1:] == [(True, True)]), timeout=20,
                             what="the room told A is muted, camera off")
            since = len(med.inbox)
            await a.page.reload()
            await a.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
            await b.wait_for(f"{tile_of_a}?.dataset.state === 'connected'", timeout=60)
            # Still muted: on A's page (buttons and tracks), in the room's view, to B's ears.
            assert await a.value(PRESSED) == ["true", "true"]
            assert await a.value(OWN_TRACKS) == {"audio": False, "video": False}
            assert await b.value(f"{tile_of_a}.dataset.muted") == "true"
            assert (heard := await sound_from(b)) < live / 1000, (heard, live)
            assert (False, False) not in seen_as(med, a1, since) and \
                (True, False) not in seen_as(med, a1, since), seen_as(med, a1, since)

            # --- on again; then A mutes while its connection is down ----------------------
            await a.page.click("[data-control=mic]")
            await wait_until(check(lambda: seen_as(med, a1)[-1:] == [(False, True)]), timeout=20,
                             what="the room told A's microphone is on")
            await b.wait_for(f"{tile_of_a}.dataset.muted === 'false'")
            proxy.cut()
            await a.wait_for("document.querySelector('.connection-status').dataset.state"
                             " === 'reconnecting'", timeout=20)
            await a.page.click("[data-control=mic]")  # not sent: the socket is down
            assert await a.value(PRESSED) == ["true", "true"]
            since = len(med.inbox)
            proxy.restore()  # back within the grace: the page tells the server what it holds
            await wait_until(check(lambda: seen_as(med, a1, since)[-1:] == [(True, True)]),
                             timeout=30, what="the room told A is muted again")
            await b.wait_for(f"{tile_of_a}?.dataset.state === 'connected' && "
                             f"{tile_of_a}.dataset.muted === 'true'", timeout=60)
            assert await a.value(OWN_TRACKS) == {"audio": False, "video": False}
            assert (heard := await sound_from(b)) < live / 1000, (heard, live)
            for tab in (a, b):
                tab.assert_clean(secrets=[inv["A1"]["access_code"], inv["B1"]["access_code"]])
    finally:
        await med.close()
        await proxy.stop()
