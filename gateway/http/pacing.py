"""How long the gateway waits for a client's bytes: an idle timeout and a minimum rate.

A client that declares a body and then sends it slowly (or not at all), or opens a WebSocket
and stalls in the middle of a frame, holds a connection, a task and a buffer for as long as the
gateway keeps waiting ("slow loris"). Every read of client bytes therefore goes through one
policy, `Pace`, from the gateway's configuration (`PARLEY_CLIENT_*`):

- **idle**: no read waits longer than `idle_s` for the next bytes;
- **minimum rate**: once `grace_s` has passed since the first read, the bytes received so far
  must average at least `min_rate` bytes per second, so a client trickling one byte just
  inside every idle window is still cut off.

`PaceClock` is the pure core (no I/O; time is passed in): it says how long the next read may
wait, and raises `ClientTooSlow` when the budget is spent. `paced_read` and `paced_chunks` apply
it to aiohttp's `StreamReader` (request bodies: JSON and streamed uploads). WebSockets get the
idle rule from gateway/ws/keepalive.py (one task pings quiet sockets and closes silent ones).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.streams import StreamReader


class ClientTooSlow(Exception):
    """The client went silent for too long, or sent below the minimum rate."""


@dataclass(frozen=True)
class Pace:
    idle_s: float
    min_rate: float  # bytes per second, averaged from the first read
    grace_s: float

    def clock(self, now: Callable[[], float] = time.monotonic) -> PaceClock:
        return PaceClock(self, now)


@dataclass
class PaceClock:
    """One read sequence's budget (a body, or a WebSocket's life)."""

    pace: Pace
    now: Callable[[], float]
    received: int = 0
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        self.started = self.now()

    def arrived(self, count: int) -> None:
        self.received += count

    def wait_s(self) -> float:
        """How long the next read may wait; raises `ClientTooSlow` if nothing is left."""
        now = self.now()
        # The moment the average would fall below the minimum rate if nothing more came.
        rate_deadline = self.started + max(self.pace.grace_s, self.received / self.pace.min_rate)
        left = min(self.pace.idle_s, rate_deadline - now)
        if left <= 0:
            raise ClientTooSlow(f"{self.received} bytes in {now - self.started:.1f} s is below "
                                f"the minimum rate of {self.pace.min_rate:g} bytes/s")
        return left


#: The application's pace (set from the configuration when the app is built).
PACE: web.AppKey[Pace] = web.AppKey("parley_pace", Pace)
#: For applications built without one (unit tests): the configuration's defaults.
DEFAULT_PACE = Pace(idle_s=30.0, min_rate=1024.0, grace_s=10.0)


def pace_of(app: web.Application) -> Pace:
    return app.get(PACE, DEFAULT_PACE)


async def paced_read(reader: StreamReader, clock: PaceClock) -> bytes:
    """The next piece of a body (b"" at its end) within the pace's budget."""
    try:
        chunk = await asyncio.wait_for(reader.readany(), clock.wait_s())
    except TimeoutError:
        raise ClientTooSlow(f"no bytes for {clock.pace.idle_s:g} s") from None
    clock.arrived(len(chunk))
    return chunk


async def paced_chunks(reader: StreamReader, pace: Pace) -> AsyncIterator[bytes]:
    """A body's pieces as they arrive, each within the pace's budget."""
    clock = pace.clock()
    while chunk := await paced_read(reader, clock):
        yield chunk
