"""Open WebSockets re-check their credentials when those change, not on a per-socket timer.

Before, each socket woke every 2 s to resolve its cookie or token again (and touch its session):
O(sockets) work every 2 s whatever happened, which at thousands of sockets held moves for up to a
second. Now the work is O(changes):

- Each socket is indexed by the KV keys its credentials stand on (its session, its account, its
  API token: `keys_of`). The gateway's watched copies of `parley_sessions` and `parley_accounts`
  (gateway/identity/kv_mirror.py) report every key that changes; only the sockets under that key
  are re-checked (a sign-out, revocation, disabled account or role change elsewhere reaches them
  within the watch's latency, as before).
- Time still matters for two things: an open socket keeps its session alive (the idle timeout
  counts from the last touch), and a session ends at its absolute expiry. So each socket is also
  re-checked once per `period_s` (`keep_alive_period`: a quarter of the idle timeout, never
  below the touch interval; the check touches the session) and at its session's expiry, from
  one heap, spread over the period, by one task. A touch written by any process is not a change
  to react to (the session mirror does not report it), so one socket's touch does not re-check
  every other socket of the same session.
- A failed check closes the socket; a check that cannot decide (NATS away) keeps it.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

#: How many sockets one pass re-checks before letting the event loop run other work.
SLICE: Final = 64


def keep_alive_period(touch_s: float, idle_s: float) -> float:
    """How often an open socket re-checks (and so touches) its session: often enough that the
    session never idles out while the socket is open, no oftener than a touch would write."""
    return max(touch_s, idle_s / 4)


@dataclass(eq=False)
class Watched:
    """One open socket as the watch sees it: what to run to re-check it, and its keys."""

    check: Callable[[], Awaitable[bool]]
    keys: frozenset[str]
    #: Monotonic time at which its session ends regardless of activity (None: no deadline).
    expires_at: float | None = None
    open: bool = field(default=True)
    #: Only its latest heap entry counts (a check reschedules it; older entries are skipped).
    generation: int = 0


class CredentialWatch:
    def __init__(self, period_s: float, clock: Callable[[], float] | None = None) -> None:
        self.period_s = period_s
        self._clock = clock or asyncio.get_running_loop().time
        self._by_key: dict[str, set[Watched]] = {}
        self._due: list[tuple[float, int, int, Watched]] = []
        self._order = itertools.count()
        self._dirty: set[Watched] = set()
        self._wake = asyncio.Event()
        self.checks = 0

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def add(self, watched: Watched) -> None:
        for key in watched.keys:
            self._by_key.setdefault(key, set()).add(watched)
        # Spread the periodic checks: sockets opened together are not re-checked together.
        self._schedule(watched, self._clock() + self.period_s * random.uniform(0.5, 1.0))

    def remove(self, watched: Watched) -> None:
        watched.open = False  # its heap entry is skipped when it comes due
        self._dirty.discard(watched)
        for key in watched.keys:
            group = self._by_key.get(key)
            if group is not None:
                group.discard(watched)
                if not group:
                    del self._by_key[key]

    def changed(self, key: str) -> None:
        """A watched copy saw `key` change (written, deleted, or dropped on a re-watch)."""
        group = self._by_key.get(key)
        if group:
            self._dirty |= group
            self._wake.set()

    def _schedule(self, watched: Watched, at: float) -> None:
        if watched.expires_at is not None and watched.expires_at > self._clock():
            at = min(at, watched.expires_at)
        watched.generation += 1
        heapq.heappush(self._due, (at, next(self._order), watched.generation, watched))
        if self._due[0][3] is watched:
            self._wake.set()

    @staticmethod
    def _live(entry: tuple[float, int, int, Watched]) -> bool:
        return entry[3].open and entry[2] == entry[3].generation

    def take_due(self, now: float) -> list[Watched]:
        """The sockets to re-check now: those whose keys changed, then those due by time."""
        batch = [w for w in self._dirty if w.open]
        self._dirty.clear()
        chosen = set(batch)
        while self._due and self._due[0][0] <= now:
            entry = heapq.heappop(self._due)
            watched = entry[3]
            if self._live(entry) and watched not in chosen:
                batch.append(watched)
                chosen.add(watched)
        return batch

    def next_wait(self, now: float) -> float | None:
        while self._due and not self._live(self._due[0]):
            heapq.heappop(self._due)
        return None if not self._due else max(0.0, self._due[0][0] - now)

    async def run(self) -> None:
        while True:
            wait = self.next_wait(self._clock())
            if not self._dirty:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
            await self._check_all(self.take_due(self._clock()))

    async def _check_all(self, batch: Iterable[Watched]) -> None:
        for n, watched in enumerate(batch, start=1):
            if not watched.open:
                continue
            self.checks += 1
            keep = await watched.check()
            if not keep:
                watched.open = False  # refused: its socket is closing; never checked again
            elif watched.open:
                # Its timed re-check moves a full period on, from now.
                self._schedule(watched, self._clock() + self.period_s)
            if n % SLICE == 0:
                await asyncio.sleep(0)
