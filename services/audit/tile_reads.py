"""Tile reading audited per reader and period, not per GET (pure: time is passed in).

A tile reader (Go's `tlog.TileHashReader`, our verifier) fetches many tiles to check one proof,
and auditing every GET as its own entry would grow the log without bound just by reading it.
Instead, for each reader (session or token) and period:

- the first tile read of a period is audited *before* it is answered (`audit.proof`, kind
  `tiles`, naming the first tile), so no reading goes unaudited even if the service dies;
- when the period is over, one summary entry (kind `tiles.summary`) names what was read: how
  many tiles and entry bundles, and the range of leaves they cover, `[leaf_from, leaf_to)`.

So a reader costs the log at most two entries per period, whatever the number of GETs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from parley.tally import MAX_KEYS, PeriodTally, Window
from proto.principal import Principal
from services.audit.tiles import TILE_HEIGHT, TILE_WIDTH, TileId

DEFAULT_PERIOD_MS: Final = 60_000


def leaf_range(tile: TileId) -> tuple[int, int]:
    """The leaves a tile's hashes (or an entry bundle's entries) cover: [first, end)."""
    span = 1 << (TILE_HEIGHT * (tile.level or 0))
    first = tile.index * TILE_WIDTH * span
    return first, first + tile.width * span


@dataclass
class ReadWindow:
    """One reader's tile reads in one period."""

    reader: Principal
    started_ms: int
    first_path: str
    tiles: int = 0
    bundles: int = 0
    leaf_from: int = 0
    leaf_to: int = 0
    levels: set[int] = field(default_factory=set)

    def add(self, tile: TileId) -> None:
        low, high = leaf_range(tile)
        if self.tiles + self.bundles == 0:
            self.leaf_from, self.leaf_to = low, high
        else:
            self.leaf_from, self.leaf_to = min(self.leaf_from, low), max(self.leaf_to, high)
        if tile.level is None:
            self.bundles += 1
        else:
            self.tiles += 1
            self.levels.add(tile.level)

    def summary(self, ended_ms: int) -> dict[str, str | int | float | bool | None]:
        return {"kind": "tiles.summary", "from_ms": self.started_ms, "to_ms": ended_ms,
                "tiles": self.tiles, "entry_bundles": self.bundles, "leaf_from": self.leaf_from,
                "leaf_to": self.leaf_to,
                "levels": ",".join(str(level) for level in sorted(self.levels))}


class TileReadLedger:
    """Open reading windows per reader (their timing kept by a `PeriodTally`)."""

    def __init__(self, period_ms: int = DEFAULT_PERIOD_MS, max_readers: int = MAX_KEYS) -> None:
        self.period_ms = period_ms
        self._tally: PeriodTally[str] = PeriodTally(period_ms, max_readers)
        self._windows: dict[str, ReadWindow] = {}

    @staticmethod
    def key(reader: Principal) -> str:
        return f"{reader.id}/{reader.session or '-'}"

    def _closed(self, windows: list[Window[str]]) -> list[ReadWindow]:
        return [self._windows.pop(w.key) for w in windows if w.key in self._windows]

    def read(self, reader: Principal, tile: TileId, now_ms: int) -> tuple[bool, list[ReadWindow]]:
        """Note one tile read: (whether it opens a window and must be audited first, windows
        closed by it: the reader's expired one, or the oldest when too many are open)."""
        key = self.key(reader)
        opens, closed = self._tally.note(key, now_ms)
        done = self._closed(closed)
        if opens:
            self._windows[key] = ReadWindow(reader, now_ms, tile.path())
        self._windows[key].add(tile)
        return opens, done

    def forget(self, reader: Principal) -> None:
        """Drop a window whose opening entry could not be audited (the read was refused)."""
        self._windows.pop(self.key(reader), None)
        self._tally.forget(self.key(reader))

    def due(self, now_ms: int) -> list[ReadWindow]:
        """Windows whose period is over (removed: their summary is the caller's to audit)."""
        return self._closed(self._tally.due(now_ms))

    def drain(self) -> list[ReadWindow]:
        """Every open window (at shutdown)."""
        return self._closed(self._tally.drain())
