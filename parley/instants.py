"""Instants as integer epoch milliseconds, turned to and from aware UTC `datetime`s by arithmetic.

`datetime.fromtimestamp(t, UTC)`, `datetime.now(UTC)` and `time.gmtime` all go through the C
library's zone rules, `gmtime` included: on a host whose zone counts leap seconds
(`TZ=right/…`) they read the kernel's clock 27 s off (measured: `fromtimestamp(t,
UTC).timestamp() - t == -27.0`). A hearing's calendar file would then start at 09:29:33, and an
upload would expire 27 s early. Every instant the suite writes for people or other servers is
turned here instead, with plain arithmetic from the epoch, which involves no zone.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def now_ms() -> int:
    """The kernel's wall clock in epoch milliseconds (the clock injected where time is stamped)."""
    return time.time_ns() // 1_000_000


def steady_ms() -> int:
    """A clock that never steps (`time.monotonic`), in milliseconds: for how long something has
    lasted on this host, which a wall-clock step (NTP, an operator) must not shorten."""
    return time.monotonic_ns() // 1_000_000


def ms_of(when: datetime) -> int:
    """An aware `datetime` (a server's time) as epoch milliseconds."""
    return (when - _EPOCH) // _MS


def instant(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC `datetime`."""
    return _EPOCH + ms * _MS


def instant_of_seconds(seconds: float) -> datetime:
    """Epoch seconds (a `time.time()` reading) as an aware UTC `datetime`."""
    return _EPOCH + timedelta(seconds=seconds)
