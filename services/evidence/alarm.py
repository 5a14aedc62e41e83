"""How often a broken stored object is audited (pure: no I/O, the clock is passed in).

Every listing reads every manifest of a hearing, so one request can meet many broken objects,
and a store writer can plant thousands. Each failure must reach the audit log, but a flood of
them must not flood it. The rules:

- the same object is reported at most once per `window_ms`;
- a hearing gets at most `burst` reports per `window_ms` (a fixed window per hearing);
- whatever is held back is counted, and the next report of that hearing carries the count
  (`suppressed`), so the log still tells how many failures there were;
- memory is bounded: at most `max_entries` objects and hearings are remembered, the oldest
  forgotten first (a forgotten object may be reported again: more events, never fewer).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def _remember(table: OrderedDict[K, V], key: K, value: V, limit: int) -> None:
    table[key] = value
    table.move_to_end(key)
    while len(table) > limit:
        table.popitem(last=False)


@dataclass
class _Window:
    start_ms: int
    reported: int = 0
    suppressed: int = 0


class AlarmLimiter:
    def __init__(self, *, window_ms: int = 600_000, burst: int = 20,
                 max_entries: int = 10_000) -> None:
        if window_ms <= 0 or burst <= 0 or max_entries <= 0:
            raise ValueError("alarm limits must be positive")
        self._window_ms = window_ms
        self._burst = burst
        self._max = max_entries
        self._objects: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._hearings: OrderedDict[str, _Window] = OrderedDict()

    def admit(self, hearing: str, obj: str, now_ms: int) -> int | None:
        """None: hold this report back. Otherwise report it, with the returned number of
        reports of this hearing held back since its last one."""
        last = self._objects.get((hearing, obj))
        if last is not None and now_ms - last < self._window_ms:
            return None  # the same object again: already in the log this window
        window = self._hearings.get(hearing)
        if window is None or now_ms - window.start_ms >= self._window_ms:
            held = window.suppressed if window is not None else 0
            window = _Window(start_ms=now_ms, suppressed=held)
        if window.reported >= self._burst:
            window.suppressed += 1
            _remember(self._hearings, hearing, window, self._max)
            return None
        window.reported += 1
        held, window.suppressed = window.suppressed, 0
        _remember(self._hearings, hearing, window, self._max)
        _remember(self._objects, (hearing, obj), now_ms, self._max)
        return held
