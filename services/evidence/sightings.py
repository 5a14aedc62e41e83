"""`Sightings`: how long a sweeper has itself seen each leftover, by its own steady clock (pure).

A sweeper that judged a leftover's age by the date its store gives it would trust another
machine's clock: an S3 server whose clock runs an hour behind dates a fresh object an hour old,
and a sweep with an hour's limit would take it for a leftover at once. Counting from the
sweeper's own first sight instead can only make a leftover wait longer (it existed before it was
first seen), never shorter, and a wall-clock step here changes nothing (`steady_ms`). A
restarted sweeper has seen nothing yet, so it waits the whole limit again.

Used for orphan contents (sweeper.py) and for S3 multipart uploads (store/s3.py).
"""

from __future__ import annotations

from collections.abc import Iterable


class Sightings:
    """Since when each key has been seen, pass after pass, without a break."""

    def __init__(self) -> None:
        self._since: dict[str, int] = {}

    def seen_for(self, keys: Iterable[str], now_ms: int, age_ms: int) -> list[str]:
        """Record that `keys` (every key this pass saw) were seen at `now_ms` (steady clock);
        return those seen on every pass since at least `age_ms` ago, in the order given. A key
        this pass did not see is forgotten: seen again later, it is watched from then."""
        self._since = {key: self._since.get(key, now_ms) for key in keys}
        return [key for key, since in self._since.items() if now_ms - since >= age_ms]
