"""Every open WebSocket is pinged when quiet and closed when silent, by one task for all.

The rule (the gateway's idle timeout, `PARLEY_CLIENT_IDLE_S`, applied to WebSockets): a client
must deliver a complete frame (data, ping or pong) at least every `idle_s`. One that goes quiet
for `ping_s` (half of that) is pinged once, so a live client's pong keeps it open however long
it says nothing; one stalled inside a frame (slow loris) cannot answer and is closed when the
`idle_s` runs out.

Before, aiohttp's per-socket heartbeat and a timeout around every receive did this: a timer
handle per socket, re-armed on every frame, and a timeout context per receive. Here each socket
only records when it last heard from its client (`heard_at`, a float assignment per frame) and
sits in a timing wheel (gateway/ws/timer_wheel.py) at the moment `next_step` says to look at it
again; one task takes the due slots every tick. Closes each get a task (a close handshake
waits). Pings are written by the keep-alive task itself, one after the other: a ping is a few
bytes handed to a transport whose buffer is empty, which cannot wait, and a task per ping cost as
much again as the write (at 10,000 sockets, about 670 pings a second). A socket whose output is
backed up (its client is not reading) could make a ping wait for it, so it gets a task of its own
and cannot hold the others. A tick's pings are written a slice at a time with the event loop let
through in between.

Pings are spread, not bunched. Each socket waits its own quiet time before its ping, drawn once
when it opens from `ping_window` (between half and three quarters of the idle time: every client
still has at least a quarter of it to answer), and the wheel ticks every 0.1 s at most. A fixed
half of the idle time let sockets that were pinged together answer together and so be pinged
together again, for ever; and any stall of the event loop (a collection, a busy machine) merged
the slots that came due meanwhile into one batch that then stayed one. At 10,000 sockets the
longest busy stretches of the event loop in the move phase (100-360 ms, when moves came late;
py-spy) were mostly ping writes and the wheel handing out a large slot. Drawn quiet times break
a bunch up within one round, and a later ping is also a rarer one (about a fifth fewer pings
than at half the idle time).

`next_step` is the pure core: what to do with one socket now, and when to look at it next.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Protocol

from gateway.ws.timer_wheel import TimerWheel
from parley.failures import handled

log = logging.getLogger("parley.gateway.ws")


class Step(enum.Enum):
    WAIT = "wait"
    PING = "ping"
    CLOSE = "close"


def next_step(heard_at: float, pinged_at: float, now: float, ping_s: float,
              idle_s: float) -> tuple[Step, float]:
    """What to do with a socket last heard from at `heard_at` (and last pinged at `pinged_at`),
    and when to look at it again (meaningless after CLOSE)."""
    deadline = heard_at + idle_s
    if now >= deadline:
        return Step.CLOSE, deadline
    ping_at = heard_at + ping_s
    if now < ping_at:
        return Step.WAIT, ping_at
    if pinged_at <= heard_at:  # not pinged since the client was last heard
        return Step.PING, deadline
    return Step.WAIT, deadline


#: Pings written between two turns of the event loop.
PING_SLICE = 32


class Kept(Hashable, Protocol):
    """A socket as the keep-alive sees it."""

    heard_at: float
    pinged_at: float
    #: How long it may be quiet before it is pinged (drawn by `Keepalive.add`).
    ping_after: float

    def ping(self) -> Awaitable[None]: ...

    def backed_up(self) -> bool:
        """Whether a frame written now could wait for the client to read."""
        ...

    def expire(self) -> Awaitable[None]: ...


def tick_for(idle_s: float) -> float:
    """The wheel's slot: fine enough that a silent socket is closed within an eighth of the idle
    time of its deadline, and that one slot's pings are a small batch (see the module doc)."""
    return min(0.1, idle_s / 8)


def ping_window(idle_s: float) -> tuple[float, float]:
    """The range a socket's quiet time before its ping is drawn from (see the module doc)."""
    return idle_s / 2, idle_s * 3 / 4


class Keepalive:
    def __init__(self, idle_s: float, clock: Callable[[], float] = time.monotonic,
                 rng: random.Random | None = None) -> None:
        self.idle_s = idle_s
        self.ping_window = ping_window(idle_s)
        self._clock = clock
        self._rng = rng or random.Random()
        self.wheel: TimerWheel[Kept] = TimerWheel(tick_for(idle_s), clock())
        #: Pings and closes under way (held so they are not collected mid-flight).
        self._running: set[asyncio.Task[None]] = set()
        self.pings = 0
        self.closed = 0

    def __len__(self) -> int:
        return len(self.wheel)

    def add(self, sock: Kept) -> None:
        now = self._clock()
        sock.heard_at = now
        sock.pinged_at = now
        sock.ping_after = self._rng.uniform(*self.ping_window)
        self.wheel.schedule(sock, now + sock.ping_after)

    def remove(self, sock: Kept) -> None:
        self.wheel.cancel(sock)

    def tick(self) -> list[Kept]:
        """Look at every socket that has come due: start closing the silent ones; the quiet
        ones to ping now are returned (for `ping`)."""
        now = self._clock()
        to_ping: list[Kept] = []
        for sock in self.wheel.due(now):
            step, at = next_step(sock.heard_at, sock.pinged_at, now, sock.ping_after,
                                 self.idle_s)
            if step is Step.CLOSE:
                self.closed += 1
                self._start(sock.expire())
                continue
            if step is Step.PING:
                self.pings += 1
                sock.pinged_at = now
                to_ping.append(sock)
            self.wheel.schedule(sock, at)
        return to_ping

    async def ping(self, socks: list[Kept]) -> None:
        """Ping each socket: written from here, a slice at a time (see the module doc)."""
        for n, sock in enumerate(socks, start=1):
            if sock.backed_up():
                self._start(sock.ping())
            else:
                with handled(log, "ws.keepalive", level=logging.DEBUG):
                    await sock.ping()
            if n % PING_SLICE == 0:
                await asyncio.sleep(0)

    def _start(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(_logged(work))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.wheel.tick_s)
            await self.ping(self.tick())

    async def stop(self) -> None:
        for task in list(self._running):
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)


async def _logged(work: Awaitable[None]) -> None:
    with handled(log, "ws.keepalive", level=logging.DEBUG):
        await work
