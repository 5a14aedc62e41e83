"""The move loop both paths share: each hearing moves one participant at a time, all hearings
together paced to a total rate; a sample is the time from sending the move to the last affected
client's notification."""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections.abc import Awaitable, Callable

from .participants import PLENARY, Hearing, Pending, Sock, affected

Send = Callable[[Hearing, Sock, str, int], Awaitable[None]]


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def move_loop(hearings: list[Hearing], rate: float, seconds: float, send: Send,
                    lag: list[float] | None = None) -> list[float]:
    """Milliseconds per move; the same seed on both paths, so both make the same moves.

    `lag` receives this process's event-loop lag samples (ms) during the loop: the client's own
    loop delays every timestamp it takes, so a reader can tell a slow server from a saturated
    load generator."""
    samples: list[float] = []
    period = len(hearings) / rate
    stop_at = time.perf_counter() + seconds
    rng = random.Random(7)
    serial = iter(range(1, 10**9))

    async def one(h: Hearing, offset: float) -> None:
        await asyncio.sleep(offset)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            moved = rng.choice(h.members)
            to_room = h.caucus if moved.room == PLENARY else PLENARY
            pending = Pending(moved.id, to_room, affected(h, moved, to_room))
            h.pending = pending
            t0 = time.perf_counter()
            await send(h, moved, to_room, next(serial))
            try:
                await asyncio.wait_for(pending.done.wait(), 10)
                samples.append((pending.last - t0) * 1000)
            except TimeoutError:
                print(f"move lost in {h.id}: still waiting for {pending.waiting}", file=sys.stderr)
            h.pending = None
            for s in h.sockets:  # the tracker already followed the plan; keep the baseline in step
                if s.id == moved.id:
                    s.room = to_room
            await asyncio.sleep(max(0.0, period - (time.perf_counter() - started)))

    lag = [] if lag is None else lag
    monitor = asyncio.create_task(loop_lag(lag))
    await asyncio.gather(*(one(h, rng.random() * period) for h in hearings))
    monitor.cancel()
    return samples


async def loop_lag(out: list[float], tick: float = 0.01) -> None:
    while True:
        before = time.perf_counter()
        await asyncio.sleep(tick)
        out.append((time.perf_counter() - before - tick) * 1000)
