"""The pre-hearing tech check: a server-side aiortc peer that echoes a participant's media.

The participant offers (camera, microphone and a data channel named "stats"); this peer answers,
sends every received track straight back through a `MediaRelay`, and about once a second reads
`getStats()` and sends a `TechCheckStats` (round-trip time, jitter, loss) on the "stats" channel.
It is the one place Parley touches decoded media, and only the participant's own, before it joins
a room: no hearing media ever passes here. Each check ends itself after `max_lifetime_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import msgspec
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay

from parley.failures import note_failure
from proto.signalling import StreamQuality, TechCheckStats

log = logging.getLogger(__name__)

#: RTP clock rates used to turn jitter (timestamp units) into milliseconds: VP8/H.264 use 90 kHz
#: and Opus 48 kHz, the codecs aiortc and browsers negotiate for a tech check.
CLOCK_RATE = {"video": 90_000, "audio": 48_000}

STATS_LABEL = "stats"


def summarise(report: dict[str, Any], now_ms: int) -> TechCheckStats:
    """Turn an aiortc `RTCStatsReport` (a dict of stats objects) into a `TechCheckStats`."""
    rtts: list[float] = []
    echo_loss: dict[str, float] = {}
    streams: list[StreamQuality] = []
    for stats in report.values():
        if stats.type == "remote-inbound-rtp":
            if stats.roundTripTime is not None:
                rtts.append(stats.roundTripTime)
            echo_loss[str(stats.kind)] = min(1.0, max(0.0, float(stats.fractionLost) / 256.0))
    for stats in report.values():
        if stats.type != "inbound-rtp" or stats.kind not in CLOCK_RATE:
            continue
        received, lost = int(stats.packetsReceived), int(stats.packetsLost)
        expected = received + max(lost, 0)
        streams.append(StreamQuality(
            kind=stats.kind, packets_received=received, packets_lost=lost,
            loss_fraction=(max(lost, 0) / expected) if expected else 0.0,
            jitter_ms=max(0.0, stats.jitter * 1000.0 / CLOCK_RATE[stats.kind]),
            echo_loss_fraction=echo_loss.get(stats.kind),
        ))
    rtt = max(0.0, sum(rtts) / len(rtts) * 1000.0) if rtts else None
    return TechCheckStats(at=now_ms, rtt_ms=rtt, streams=streams)


class TechCheck:
    """One echo peer for one participant. Create, `await answer(offer)`, `await close()`.

    `configuration` is required: aiortc's own default asks Google's public STUN server, which
    would tell a third party where the service runs (and waits out a timeout where it cannot)."""

    def __init__(self, configuration: RTCConfiguration, *,
                 interval_s: float = 1.0, max_lifetime_s: float = 300.0,
                 clock: Callable[[], float] = time.time) -> None:
        self._pc = RTCPeerConnection(configuration)
        self._relay = MediaRelay()
        self._interval = interval_s
        self._lifetime = max_lifetime_s
        self._clock = clock
        self._channel: Any = None
        self._task: asyncio.Task[None] | None = None
        self._closed = asyncio.Event()
        self.latest: TechCheckStats | None = None
        self._pc.on("track", self._on_track)
        self._pc.on("datachannel", self._on_datachannel)
        self._pc.on("connectionstatechange", self._on_state)

    def _on_track(self, track: Any) -> None:
        # Fires during setRemoteDescription, before the answer: the echo rides on the same
        # transceiver, which becomes sendrecv.
        self._pc.addTrack(self._relay.subscribe(track, buffered=False))

    def _on_datachannel(self, channel: Any) -> None:
        if channel.label == STATS_LABEL:
            self._channel = channel

    async def _on_state(self) -> None:
        if self._pc.connectionState in ("failed", "closed"):
            await self.close()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    async def answer(self, offer_sdp: str) -> str:
        """Answer the participant's offer; returns the answer SDP (ICE candidates included)."""
        await self._pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        await self._pc.setLocalDescription(await self._pc.createAnswer())
        self._task = asyncio.create_task(self._report_loop())
        return str(self._pc.localDescription.sdp)

    async def collect(self) -> TechCheckStats:
        report = await self._pc.getStats()
        stats = summarise(dict(report), int(self._clock() * 1000))
        self.latest = stats
        return stats

    async def _report_loop(self) -> None:
        deadline = asyncio.get_running_loop().time() + self._lifetime
        try:
            while asyncio.get_running_loop().time() < deadline and not self.closed:
                await asyncio.sleep(self._interval)
                stats = await self.collect()
                ch = self._channel
                if ch is not None and ch.readyState == "open":
                    ch.send(msgspec.json.encode(stats).decode())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a broken peer ends its own check, never the service
            note_failure(log, "techcheck.stats", exc, level=logging.ERROR)
        if not self.closed:
            await self.close()

    async def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._pc.close()
