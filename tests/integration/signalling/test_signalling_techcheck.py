"""The tech check peer echoes a participant's own frames and reports stats (real aiortc, loopback)."""

from __future__ import annotations

import asyncio
import fractions
import json
from collections.abc import Awaitable, Callable

import av
import msgspec
from aiortc import (
    MediaStreamTrack,
    RTCSessionDescription,
)
from aiortc.mediastreams import AudioStreamTrack

from proto.signalling import TechCheckStats
from services.signalling.techcheck_peer import TechCheck
from tests.loopback_peer import loopback_config, loopback_peer

W, H = 160, 120
TOP, BOTTOM = 220, 30  # this participant's identity: a bright top half over a dark bottom half


class PatternTrack(MediaStreamTrack):
    """A synthetic camera whose every frame carries the sender's identifying luma pattern."""

    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self._pts = 0

    async def recv(self) -> av.VideoFrame:
        await asyncio.sleep(1 / 30)
        frame = av.VideoFrame(width=W, height=H, format="yuv420p")
        y = frame.planes[0]
        row_top, row_bottom = bytes([TOP]) * y.line_size, bytes([BOTTOM]) * y.line_size
        y.update(row_top * (H // 2) + row_bottom * (H - H // 2))
        for plane in frame.planes[1:]:
            plane.update(bytes([128]) * plane.buffer_size)
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, 90_000)
        self._pts += 3000
        return frame


def luma_halves(frame: av.VideoFrame) -> tuple[float, float]:
    y = frame.planes[0]
    data, stride, h, w = bytes(y), y.line_size, frame.height, frame.width
    top = [data[r * stride + c] for r in range(h // 4) for c in range(0, w, 4)]
    bottom = [data[r * stride + c] for r in range(3 * h // 4, h) for c in range(0, w, 4)]
    return sum(top) / len(top), sum(bottom) / len(bottom)


async def wait_for(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not cond():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def test_echo_and_stats() -> None:
    client = loopback_peer()
    check = TechCheck(loopback_config(), interval_s=0.3)
    own_frames: list[tuple[float, float]] = []
    audio_frames: list[int] = []
    reports: list[TechCheckStats] = []
    readers: list[asyncio.Task[None]] = []

    async def drain(track: MediaStreamTrack, sink: Callable[[object], None]) -> None:
        while True:
            sink(await track.recv())

    def on_track(track: MediaStreamTrack) -> None:
        if track.kind == "video":
            readers.append(asyncio.create_task(drain(
                track, lambda f: own_frames.append(luma_halves(f)))))  # type: ignore[arg-type]
        else:
            readers.append(asyncio.create_task(drain(track, lambda f: audio_frames.append(1))))

    client.on("track", on_track)
    client.addTrack(PatternTrack())
    client.addTrack(AudioStreamTrack())
    channel = client.createDataChannel("stats")
    channel.on("message", lambda m: reports.append(
        msgspec.json.decode(m, type=TechCheckStats)))
    try:
        await client.setLocalDescription(await client.createOffer())
        answer = await check.answer(client.localDescription.sdp)
        await client.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))

        await wait_for(lambda: len(own_frames) >= 10, 20, "own video frames echoed back")
        top, bottom = own_frames[-1]
        assert top > 170 and bottom < 80, (top, bottom)  # our pattern, not a blank frame
        await wait_for(lambda: len(audio_frames) >= 10, 10, "own audio echoed back")
        await wait_for(lambda: any(r.rtt_ms is not None for r in reports), 20, "an RTT report")
        last = reports[-1]
        kinds = {s.kind for s in last.streams}
        assert kinds == {"audio", "video"}
        video = next(s for s in last.streams if s.kind == "video")
        assert video.packets_received > 0 and 0.0 <= video.loss_fraction <= 0.05
        assert video.jitter_ms >= 0.0
        rtt = next(r.rtt_ms for r in reports if r.rtt_ms is not None)
        assert rtt is not None and rtt < 1000
        assert check.latest is not None and json.loads(msgspec.json.encode(check.latest))
    finally:
        for task in readers:
            task.cancel()
        await check.close()
        await client.close()
        await asyncio.gather(*readers, return_exceptions=True)
    assert check.closed


async def test_closing_client_ends_check() -> None:
    client = loopback_peer()
    check = TechCheck(loopback_config(), interval_s=0.2, max_lifetime_s=1.0)
    client.addTrack(PatternTrack())
    await client.setLocalDescription(await client.createOffer())
    answer = await check.answer(client.localDescription.sdp)
    await client.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await client.close()
    waiter: Callable[[], Awaitable[None]] = lambda: wait_for(  # noqa: E731
        lambda: check.closed, 10, "the check to end itself")
    await waiter()
