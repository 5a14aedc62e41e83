"""A warning that can repeat many times a second, logged at most once per period.

While a NATS stream or KV bucket elects its leader (seconds), every retry of a loop meets the
same refusal; one log line per retry drowns what an operator needs to read. `Occurrences.due`
counts each occurrence and says when one is to be logged, with how many there were since the
last line (this one included). Pure: the caller passes the clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Occurrences:
    """Occurrences of one condition, to be logged at most every `period_s` seconds."""

    def __init__(self, period_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._period_s = period_s
        self._clock = clock
        self._count = 0
        self._logged_at = float("-inf")

    def due(self) -> int | None:
        """Count one occurrence: how many to report now (the first is reported at once), or
        None while the period since the last line runs."""
        self._count += 1
        now = self._clock()
        if now - self._logged_at < self._period_s:
            return None
        count, self._count, self._logged_at = self._count, 0, now
        return count
