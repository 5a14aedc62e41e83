"""An aiortc participant driven by the hearing WebSocket, as a real client would be.

Protocol followed (what the web client does too):
* `peer.plan`: close every peer in `drop` at once; for each `connect` link create a peer
  connection, and if `offerer` is true send an offer (`signal`, kind "offer", stamped with the
  plan's `epoch`); for `keep` peers whose negotiation is unfinished, start again at the new epoch.
* `signal` offer from a peer: a fresh peer connection answers it (kind "answer", same epoch);
  `signal` answer: applied to the pending offer. aiortc puts its own ICE candidates in the SDP
  (it does not trickle), but browsers trickle theirs: a `signal` candidate is added to the peer
  connection (`addIceCandidate`), or held until that connection has the remote description,
  and a new offer from the same peer discards the held ones (a new connection).
* Every peer connection state change is reported (`peer.state`): the audit's "who hears whom".

Each peer's camera is a solid frame of its own luma value, so a receiver can tell whose frames
arrive. A `tampered` peer ignores `drop` and keeps its connections open.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import os
import time
from typing import Any

import av
from aiortc import (
    MediaStreamTrack,
    RTCIceCandidate,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.sdp import candidate_from_sdp

from proto.ws import PeerConnState, PeerPlan, PeerStateReport, SignalKind, SignalRelay, SignalSend
from tests.integration.signalling.sigclient import WsClient
from tests.loopback_peer import loopback_peer

W, H = 96, 64
DEBUG = bool(os.environ.get("PARLEY_TEST_DEBUG"))


class IdentityTrack(MediaStreamTrack):
    kind = "video"

    def __init__(self, luma: int, fps: int = 10) -> None:
        super().__init__()
        self.luma, self.fps, self._pts = luma, fps, 0

    async def recv(self) -> av.VideoFrame:
        await asyncio.sleep(1 / self.fps)
        frame = av.VideoFrame(width=W, height=H, format="yuv420p")
        frame.planes[0].update(bytes([self.luma]) * frame.planes[0].buffer_size)
        for plane in frame.planes[1:]:
            plane.update(bytes([128]) * plane.buffer_size)
        frame.pts, frame.time_base = self._pts, fractions.Fraction(1, 90_000)
        self._pts += 90_000 // self.fps
        return frame


def mean_luma(frame: av.VideoFrame) -> float:
    plane = frame.planes[0]
    data, stride = bytes(plane), plane.line_size
    rows = range(frame.height // 4, 3 * frame.height // 4, 4)
    sample = [data[r * stride + c] for r in rows for c in range(4, frame.width - 4, 8)]
    return sum(sample) / len(sample)


class MediaPeer:
    def __init__(self, ws: WsClient, luma: int, *, tampered: bool = False) -> None:
        self.ws = ws
        self.luma = luma
        self.tampered = tampered
        self.pcs: dict[str, RTCPeerConnection] = {}
        self.frames: dict[str, int] = {}
        self.last_at: dict[str, float] = {}
        self.lumas: dict[str, float] = {}
        self.epoch = 0
        #: Trickled candidates that came before their connection's remote description.
        self.early: dict[str, list[RTCIceCandidate]] = {}
        self._events: asyncio.Queue[Any] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        ws.listeners.append(self._events.put_nowait)
        self._worker = asyncio.create_task(self._work())

    async def _work(self) -> None:
        while True:
            message = await self._events.get()
            if DEBUG:
                print(self.ws.me[:4], type(message).__name__, getattr(message, "epoch", ""),
                      getattr(message, "kind", ""), getattr(message, "sender", "")[:4],
                      [(x.peer[:4], x.offerer) for x in getattr(message, "connect", [])],
                      [(x.peer[:4], x.offerer) for x in getattr(message, "keep", [])])
            try:
                if isinstance(message, PeerPlan):
                    await self._plan(message)
                elif isinstance(message, SignalRelay):
                    await self._signal(message)
            except Exception as exc:  # a broken negotiation is retried by the next plan
                print("peer error", self.ws.me, type(exc).__name__, exc)

    def _new_pc(self, peer: str) -> RTCPeerConnection:
        old = self.pcs.pop(peer, None)
        if old is not None:
            self._tasks.append(asyncio.create_task(old.close()))
        pc = loopback_peer()
        pc.addTrack(IdentityTrack(self.luma))
        self.pcs[peer] = pc

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self._tasks.append(asyncio.create_task(self._drain(peer, pc, track)))

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            with contextlib.suppress(Exception):
                await self.ws.send(PeerStateReport(peer=peer,
                                                   state=PeerConnState(pc.connectionState)))

        return pc

    async def _drain(self, peer: str, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        with contextlib.suppress(Exception):
            while True:
                frame = await track.recv()
                self.frames[peer] = self.frames.get(peer, 0) + 1
                self.last_at[peer] = time.monotonic()
                self.lumas[peer] = mean_luma(frame)  # type: ignore[arg-type]

    async def _offer(self, peer: str) -> None:
        pc = self._new_pc(peer)
        await pc.setLocalDescription(await pc.createOffer())
        await self.ws.send(SignalSend(to=peer, epoch=self.epoch, kind=SignalKind.OFFER,
                                      sdp=pc.localDescription.sdp))

    async def _plan(self, plan: PeerPlan) -> None:
        self.epoch = plan.epoch
        if not self.tampered:
            for peer in plan.drop:
                dropped = self.pcs.pop(peer, None)
                if dropped is not None:
                    await dropped.close()
        for link in plan.connect:
            if link.offerer:
                await self._offer(link.peer)
        for link in plan.keep:
            pc = self.pcs.get(link.peer)
            unfinished = pc is None or pc.signalingState != "stable" \
                or pc.connectionState in ("failed", "closed")
            if link.offerer and unfinished:
                await self._offer(link.peer)

    async def _signal(self, m: SignalRelay) -> None:
        if m.kind is SignalKind.CANDIDATE:
            await self._candidate(m)
            return
        if m.kind is SignalKind.OFFER and m.sdp is not None:
            self.early.pop(m.sender, None)  # a new connection: older candidates are moot
            pc = self._new_pc(m.sender)
            await pc.setRemoteDescription(RTCSessionDescription(sdp=m.sdp, type="offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            await self.ws.send(SignalSend(to=m.sender, epoch=m.epoch, kind=SignalKind.ANSWER,
                                          sdp=pc.localDescription.sdp))
        elif m.kind is SignalKind.ANSWER and m.sdp is not None:
            pending = self.pcs.get(m.sender)
            if pending is not None and pending.signalingState == "have-local-offer":
                await pending.setRemoteDescription(RTCSessionDescription(sdp=m.sdp, type="answer"))
        current = self.pcs.get(m.sender)
        if current is not None and current.remoteDescription is not None:
            for candidate in self.early.pop(m.sender, []):
                await current.addIceCandidate(candidate)

    async def _candidate(self, m: SignalRelay) -> None:
        if not m.candidate:  # end of candidates: aiortc needs no marker
            return
        candidate = candidate_from_sdp(m.candidate.removeprefix("candidate:"))
        candidate.sdpMid, candidate.sdpMLineIndex = m.sdp_mid, m.sdp_mline_index
        pc = self.pcs.get(m.sender)
        if pc is None or pc.remoteDescription is None:
            self.early.setdefault(m.sender, []).append(candidate)
        else:
            await pc.addIceCandidate(candidate)

    def receiving(self, peer: str, luma: int, at_least: int = 5) -> bool:
        return self.frames.get(peer, 0) >= at_least and abs(self.lumas.get(peer, -99) - luma) < 25

    async def close(self) -> None:
        self._worker.cancel()
        for pc in list(self.pcs.values()):
            with contextlib.suppress(Exception):
                await pc.close()
        self.pcs.clear()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(self._worker, *self._tasks, return_exceptions=True)
