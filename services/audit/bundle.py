"""Export bundles: a self-describing JSON Lines file an auditor verifies offline.

Format `parley-audit-bundle/v1` (UTF-8, one JSON object per line, `\\n`-terminated):

    line 1      header   {"format", "kind": "range"|"selection", "vkey", "checkpoint", "count",
                          "begin"?, "end"?, "range_proof"? {"left": [...], "right": [...]},
                          "filter"?, "exported_at"?}
    lines 2..   entries  {"index": N, "entry": base64(canonical entry bytes), "proof"?: [...]}
    last line   trailer  {"end_of_bundle": true, "count": k}

- `checkpoint` is the C2SP signed note (tlog-checkpoint body) the entries are proved against;
  `vkey` is the log's verifier key (Go note form); hashes are standard base64.
- kind `range`: the entries are exactly indices begin..end-1, in order, and `range_proof` holds
  the full-subtree hashes covering [0, begin) (`left`) and [end, size) (`right`), left to right.
  The verifier rebuilds the checkpoint root from left + the entries' leaf hashes + right, so any
  changed, removed, inserted or reordered entry in the range changes the root. With begin = 0 and
  end = size both lists are empty and the root is recomputed from the entries alone.
- kind `selection`: each entry line carries its RFC 9162 inclusion proof in the checkpoint's
  tree. This proves each listed entry is in the log at its index; it cannot prove that no other
  entry matches (the header count and trailer only catch accidental loss).
- `filter` records what the exporter was asked for; it is not authenticated. The header is not
  signed either: everything it claims is re-derived from the checkpoint and the entries.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from typing import Final

import msgspec

from proto.auditlog import (
    BUNDLE_FORMAT,
    BundleEntry,
    BundleHeader,
    BundleTrailer,
    EventQuery,
    RangeProof,
)
from services.audit.errors import IndexOutOfRangeError
from services.audit.log import LogStore, StoredCheckpoint

MEDIA_TYPE: Final = "application/x-ndjson"
_ENCODER: Final = msgspec.json.Encoder()
_CHUNK: Final = 4096


def _b64(items: Iterable[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in items]


def encode_line(obj: msgspec.Struct) -> bytes:
    """One bundle line: compact JSON and a newline."""
    return _ENCODER.encode(obj) + b"\n"


_line = encode_line


def range_proof(store: LogStore, begin: int, end: int, size: int) -> RangeProof:
    """The full-subtree hashes left of [begin, end) and right of it, in the tree of `size`."""
    return RangeProof(left=_b64(store.compact_nodes(0, begin)), right=_b64(store.compact_nodes(end, size)))


def b64_hashes(items: Iterable[bytes]) -> list[str]:
    return _b64(items)


def range_bundle(
    store: LogStore,
    begin: int,
    end: int,
    checkpoint: StoredCheckpoint,
    vkey: str,
    *,
    query: EventQuery | None = None,
    exported_at: int | None = None,
) -> Iterator[bytes]:
    """Stream the lines of a range bundle for entries [begin, end) under `checkpoint`."""
    if not 0 <= begin <= end <= checkpoint.size:
        raise IndexOutOfRangeError(f"range [{begin}, {end}) is not inside size {checkpoint.size}")
    proof = range_proof(store, begin, end, checkpoint.size)
    yield _line(
        BundleHeader(
            format=BUNDLE_FORMAT, kind="range", vkey=vkey, checkpoint=checkpoint.note,
            count=end - begin, begin=begin, end=end, range_proof=proof, filter=query,
            exported_at=exported_at,
        )
    )
    for start in range(begin, end, _CHUNK):
        for index, data in store.iter_entries(start, min(start + _CHUNK, end)):
            yield _line(BundleEntry(index=index, entry=base64.b64encode(data).decode()))
    yield _line(BundleTrailer(end_of_bundle=True, count=end - begin))


def selection_bundle(
    store: LogStore,
    indices: Iterable[int],
    checkpoint: StoredCheckpoint,
    vkey: str,
    *,
    query: EventQuery | None = None,
    exported_at: int | None = None,
) -> Iterator[bytes]:
    """Stream a selection bundle: the given entries (ascending), each with its inclusion proof."""
    chosen = sorted(set(indices))
    if chosen and not 0 <= chosen[0] <= chosen[-1] < checkpoint.size:
        raise IndexOutOfRangeError(f"an index is outside the tree of size {checkpoint.size}")
    yield _line(
        BundleHeader(
            format=BUNDLE_FORMAT, kind="selection", vkey=vkey, checkpoint=checkpoint.note,
            count=len(chosen), filter=query, exported_at=exported_at,
        )
    )
    for index in chosen:
        data = store.entries(index, index + 1)[0]
        proof = store.inclusion_proof(index, checkpoint.size)
        yield _line(
            BundleEntry(index=index, entry=base64.b64encode(data).decode(), proof=_b64(proof))
        )
    yield _line(BundleTrailer(end_of_bundle=True, count=len(chosen)))
