"""`MediaPeer` takes trickled ICE candidates, as a browser sends them.

A browser-like offerer (a bare aiortc connection) sends its offer with every candidate line
removed from the SDP, then each candidate as its own `signal`. The offerer is also kept from
the answer's candidates, so it cannot start the checks itself (a check reaching `MediaPeer`
would teach it the offerer's address as a peer-reflexive candidate): the connection completes
only if `MediaPeer` adds the trickled candidates and checks towards them. (With the candidates
ignored, as this peer used to, the test times out.)
"""

from __future__ import annotations

from typing import Any, cast

from aiortc import RTCPeerConnection, RTCSessionDescription

from proto.ws import ClientMessage, SignalKind, SignalRelay, SignalSend
from tests.harness import wait_until
from tests.integration.signalling.mediapeer import IdentityTrack, MediaPeer
from tests.integration.signalling.sigclient import WsClient
from tests.loopback_peer import loopback_peer

BROWSER, PEER = "b" * 32, "p" * 32


class FakeWs:
    """What `MediaPeer` needs of a `WsClient`: listeners to feed, a `send` to capture."""

    def __init__(self) -> None:
        self.me = PEER
        self.listeners: list[Any] = []
        self.sent: list[ClientMessage] = []

    async def send(self, message: ClientMessage) -> None:
        self.sent.append(message)

    def deliver(self, message: SignalRelay) -> None:
        for listener in self.listeners:
            listener(message)


def _relay(kind: SignalKind, **fields: Any) -> SignalRelay:
    return SignalRelay(sender=BROWSER, room="plenary", epoch=1, kind=kind, **fields)


def _strip(sdp: str) -> str:
    return "\r\n".join(line for line in sdp.splitlines() if not line.startswith("a=candidate:")
                       and line != "a=end-of-candidates") + "\r\n"


async def _connect_by_trickle() -> tuple[RTCPeerConnection, MediaPeer]:
    ws = FakeWs()
    peer = MediaPeer(cast(WsClient, ws), 90)
    browser = loopback_peer()
    browser.addTrack(IdentityTrack(30))
    await browser.setLocalDescription(await browser.createOffer())
    lines = browser.localDescription.sdp.splitlines()
    candidates = [(line[2:], mid) for line, mid in _with_mid(lines) if line.startswith("a=candidate:")]
    assert candidates, "aiortc should have gathered host candidates"
    ws.deliver(_relay(SignalKind.OFFER, sdp=_strip(browser.localDescription.sdp)))
    for text, mid in candidates:
        ws.deliver(_relay(SignalKind.CANDIDATE, candidate=text, sdp_mid=mid, sdp_mline_index=0))
    await wait_until(lambda: _answered(ws), timeout=10, what="the answer")
    answer = next(m for m in ws.sent if isinstance(m, SignalSend) and m.kind is SignalKind.ANSWER)
    assert answer.sdp is not None
    await browser.setRemoteDescription(RTCSessionDescription(sdp=_strip(answer.sdp),
                                                             type="answer"))
    return browser, peer


def _with_mid(lines: list[str]) -> list[tuple[str, str | None]]:
    mid: str | None = None
    out = []
    for line in lines:
        if line.startswith("a=mid:"):
            mid = line[len("a=mid:"):]
        out.append((line, mid))
    return out


async def _answered(ws: FakeWs) -> bool:
    return any(isinstance(m, SignalSend) and m.kind is SignalKind.ANSWER for m in ws.sent)


async def test_trickled_candidates_complete_the_connection() -> None:
    browser, peer = await _connect_by_trickle()
    try:
        async def media_arrives() -> bool:
            return peer.frames.get(BROWSER, 0) >= 5

        await wait_until(media_arrives, timeout=20, what="frames over the trickled candidates")
        assert peer.pcs[BROWSER].connectionState == "connected"
    finally:
        await browser.close()
        await peer.close()
