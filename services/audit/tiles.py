"""C2SP tlog-tiles layout: tile paths, tile contents and entry bundles (tile height 8).

A tile at level L, index N holds up to 256 consecutive hashes of tree level 8L, starting at node
index 256N: level-0 tiles are leaf hashes, level-1 tiles hold the roots of full level-0 tiles, and
so on. For a tree of size s the rightmost tile at level L is partial with width
floor(s / 256**L) mod 256 and is served at `<path>.p/<W>`. Entry bundles are the entries of one
level-0 tile, each prefixed with its length as a big-endian uint16.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from services.audit.errors import BundleFormatError, IndexOutOfRangeError

TILE_HEIGHT: Final = 8
TILE_WIDTH: Final = 1 << TILE_HEIGHT
_INDEX_RE: Final = r"(?:x[0-9]{3}/)*[0-9]{3}"
_PATH_RE: Final = re.compile(
    rf"^tile/(?:(?P<level>0|[1-9][0-9]?)|entries)/(?P<index>{_INDEX_RE})(?:\.p/(?P<width>[1-9][0-9]{{0,2}}))?$"
)


@dataclass(frozen=True, slots=True)
class TileId:
    """A tile (level >= 0) or an entry bundle (level None); width 256 means full."""

    level: int | None
    index: int
    width: int = TILE_WIDTH

    def path(self) -> str:
        kind = "entries" if self.level is None else str(self.level)
        suffix = "" if self.width == TILE_WIDTH else f".p/{self.width}"
        return f"tile/{kind}/{encode_index(self.index)}{suffix}"


def encode_index(index: int) -> str:
    """1234067 -> 'x001/x234/067': 3-digit groups, all but the last prefixed with 'x'."""
    if index < 0:
        raise IndexOutOfRangeError(f"negative tile index {index}")
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if index == 0:
            break
    groups.reverse()
    return "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])


def parse_tile_path(path: str) -> TileId:
    """Strictly parse `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`."""
    match = _PATH_RE.fullmatch(path)
    if match is None:
        raise IndexOutOfRangeError(f"not a tile path: {path[:80]!r}")
    index = int(match["index"].replace("x", "").replace("/", ""))
    if encode_index(index) != match["index"]:
        raise IndexOutOfRangeError(f"non-canonical tile index in {path[:80]!r}")
    level = None if match["level"] is None else int(match["level"])
    if level is not None and level > 63:
        raise IndexOutOfRangeError("tile level above 63")
    width = TILE_WIDTH if match["width"] is None else int(match["width"])
    if width > 255 and match["width"] is not None:
        raise IndexOutOfRangeError("partial tile width above 255")
    return TileId(level, index, width)


def tile_exists(tile: TileId, size: int) -> bool:
    """Whether a tree of `size` has this tile at this width (full, or its exact partial width)."""
    level = tile.level or 0
    hashes_at_level = size >> (TILE_HEIGHT * level)
    full_tiles, partial_width = divmod(hashes_at_level, TILE_WIDTH)
    if tile.width == TILE_WIDTH:
        return tile.index < full_tiles
    return tile.index == full_tiles and tile.width == partial_width


def tiles_for_size(size: int) -> list[TileId]:
    """Every hash tile a tree of `size` is made of (the set a mirror would fetch)."""
    out: list[TileId] = []
    level = 0
    while True:
        count = size >> (TILE_HEIGHT * level)
        if count == 0:
            return out
        full, partial = divmod(count, TILE_WIDTH)
        out.extend(TileId(level, n) for n in range(full))
        if partial:
            out.append(TileId(level, full, partial))
        level += 1


#: (tree level, first node index, count) -> the hashes of those full subtrees, in order.
NodeRange = Callable[[int, int, int], Sequence[bytes]]


def tile_bytes(tile: TileId, nodes: NodeRange) -> bytes:
    """The concatenated hashes of a tile, read from a node-range source."""
    if tile.level is None:
        raise IndexOutOfRangeError("an entry bundle is not a hash tile")
    hashes = nodes(TILE_HEIGHT * tile.level, tile.index * TILE_WIDTH, tile.width)
    if len(hashes) != tile.width:
        raise IndexOutOfRangeError(f"{tile.path()} is not (yet) available")
    return b"".join(hashes)


def encode_entry_bundle(entries: Iterable[bytes]) -> bytes:
    out = bytearray()
    for entry in entries:
        if len(entry) > 0xFFFF:
            raise BundleFormatError(f"entry of {len(entry)} bytes does not fit a tile bundle")
        out += len(entry).to_bytes(2, "big") + entry
    return bytes(out)


def decode_entry_bundle(data: bytes) -> list[bytes]:
    entries: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise BundleFormatError("entry bundle ends inside a length prefix")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if pos + 2 + length > len(data):
            raise BundleFormatError("entry bundle ends inside an entry")
        entries.append(data[pos + 2 : pos + 2 + length])
        pos += 2 + length
    return entries
