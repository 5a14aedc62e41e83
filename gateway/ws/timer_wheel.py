"""A timing wheel: many items each due at some time, with O(1) scheduling and no timer each.

A gateway's sockets each need looking at now and then (ping the quiet ones, close the silent
ones). One asyncio timer per socket costs a `TimerHandle` in the event loop's heap per socket,
re-pushed on every reset, and every one of them is one more long-lived object for the garbage
collector. The wheel instead files each item under a slot of `tick_s` seconds; one task asks
for the slots that have come due (`due`) and gets their items in one list. An item is due no
earlier than its time and at most one tick later (times are rounded up to the next slot).

Pure: time is passed in; nothing here awaits. An item is in at most one slot (scheduling it
again moves it).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class TimerWheel(Generic[K]):
    def __init__(self, tick_s: float, now: float) -> None:
        if tick_s <= 0:
            raise ValueError("tick_s must be positive")
        self.tick_s = tick_s
        self._slots: dict[int, set[K]] = {}
        self._slot_of: dict[K, int] = {}
        #: Every slot up to and including this one has been handed out by `due`.
        self._done = self._slot(now) - 1

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, item: K) -> bool:
        return item in self._slot_of

    def _slot(self, at: float) -> int:
        return math.ceil(at / self.tick_s)

    def schedule(self, item: K, at: float) -> None:
        """`item` becomes due at `at` (or the next `due` call, if that slot has passed)."""
        self.cancel(item)
        slot = max(self._slot(at), self._done + 1)
        self._slots.setdefault(slot, set()).add(item)
        self._slot_of[item] = slot

    def cancel(self, item: K) -> None:
        slot = self._slot_of.pop(item, None)
        if slot is None:
            return
        group = self._slots[slot]
        group.discard(item)
        if not group:
            del self._slots[slot]

    def due(self, now: float) -> list[K]:
        """The items whose slot has come by `now`, removed from the wheel, oldest slot first."""
        last = math.floor(now / self.tick_s)
        out: list[K] = []
        if last <= self._done:
            return out
        # Walk the slots in use, not every tick since the last call (a long pause is one step).
        for slot in sorted(s for s in self._slots if s <= last):
            for item in self._slots.pop(slot):
                del self._slot_of[item]
                out.append(item)
        self._done = last
        return out

    def next_at(self) -> float | None:
        """When the earliest slot comes due (None: the wheel is empty)."""
        return None if not self._slots else min(self._slots) * self.tick_s
