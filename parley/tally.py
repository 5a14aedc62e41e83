"""Per-source tallies over a period, so a flood costs the audit log one entry, not one per event.

`note(key)` answers whether this is the key's first event of its current period (audit it now,
in full) and returns windows that closed meanwhile. A closed window with more than one event is
worth one summary entry with its count. Memory is bounded: past `max_keys` open windows the
oldest is closed early. Pure: the caller passes the time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Generic, TypeVar

K = TypeVar("K")
MAX_KEYS: Final = 10_000


@dataclass
class Window(Generic[K]):
    key: K
    started_ms: int
    count: int = 0


@dataclass
class PeriodTally(Generic[K]):
    period_ms: int
    max_keys: int = MAX_KEYS
    _open: dict[K, Window[K]] = field(default_factory=dict)

    def note(self, key: K, now_ms: int) -> tuple[bool, list[Window[K]]]:
        """Count one event of `key`: (first of its period?, windows closed by this call)."""
        closed: list[Window[K]] = []
        window = self._open.get(key)
        if window is not None and now_ms - window.started_ms >= self.period_ms:
            closed.append(self._open.pop(key))
            window = None
        first = window is None
        if window is None:
            if len(self._open) >= self.max_keys:
                closed.append(self._open.pop(next(iter(self._open))))
            window = self._open[key] = Window(key, now_ms)
        window.count += 1
        return first, closed

    def forget(self, key: K) -> None:
        self._open.pop(key, None)

    def due(self, now_ms: int) -> list[Window[K]]:
        """Windows whose period is over, removed from the tally."""
        expired = [k for k, w in self._open.items() if now_ms - w.started_ms >= self.period_ms]
        return [self._open.pop(k) for k in expired]

    def drain(self) -> list[Window[K]]:
        windows, self._open = list(self._open.values()), {}
        return windows
