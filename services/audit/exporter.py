"""Export bundles in parts, so a bundle of any size crosses NATS (1 MB messages) in pieces.

Each part is made from a position alone (`ExportCursor`: the pinned checkpoint size and the last
entry index already sent), so the service keeps no per-export state and memory stays bounded by
one part (`part_bytes` plus one entry line) whatever the bundle's size. Concatenating the parts'
lines gives exactly the bundle `bundle.range_bundle` / `bundle.selection_bundle` would stream
(format in bundle.py); the first part starts with the header, the last ends with the trailer.

The checkpoint is pinned at the first part (the latest signed one), and every entry and proof
is taken from the tree of that size, so entries appended meanwhile (including the export's own
`audit.export` event) never change a bundle half-way through.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Final

import msgspec

from proto.auditlog import (
    BUNDLE_FORMAT,
    BundleEntry,
    BundleHeader,
    BundleTrailer,
    EventQuery,
    ExportCursor,
    ExportRequest,
)
from services.audit.bundle import b64_hashes, encode_line, range_proof
from services.audit.errors import ExportRequestError
from services.audit.log import LogStore, StoredCheckpoint

#: Bundle bytes per part, before the one line that crosses it (an entry line is < 90 KiB).
PART_BYTES: Final = 384 * 1024
_PAGE: Final = 1000
_DEFAULT_LIMIT: Final = EventQuery().limit


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """What one export covers: a range [begin, end) or a filter, under one checkpoint."""

    checkpoint: StoredCheckpoint
    begin: int
    end: int
    filter: EventQuery | None

    @property
    def kind(self) -> str:
        return "range" if self.filter is None else "selection"


def plan_export(request: ExportRequest, checkpoint: StoredCheckpoint) -> ExportPlan:
    """Validate the request against the pinned checkpoint (raises ExportRequestError)."""
    size = checkpoint.size
    if request.filter is not None:
        if request.begin is not None or request.end is not None:
            raise ExportRequestError("give either a range (begin, end) or a filter, not both")
        clean = msgspec.structs.replace(request.filter, cursor=None, limit=_DEFAULT_LIMIT)
        return ExportPlan(checkpoint, 0, size, clean)
    begin = 0 if request.begin is None else request.begin
    end = size if request.end is None else request.end
    if not begin <= end:
        raise ExportRequestError(f"begin {begin} is after end {end}")
    if end > size:
        raise ExportRequestError(f"end {end} is beyond the latest checkpoint's size {size}")
    return ExportPlan(checkpoint, begin, end, None)


def _header(store: LogStore, plan: ExportPlan, vkey: str, exported_at: int | None) -> bytes:
    cp = plan.checkpoint
    if plan.filter is None:
        return encode_line(BundleHeader(
            format=BUNDLE_FORMAT, kind="range", vkey=vkey, checkpoint=cp.note,
            count=plan.end - plan.begin, begin=plan.begin, end=plan.end,
            range_proof=range_proof(store, plan.begin, plan.end, cp.size), exported_at=exported_at,
        ))
    return encode_line(BundleHeader(
        format=BUNDLE_FORMAT, kind="selection", vkey=vkey, checkpoint=cp.note,
        count=store.count(plan.filter, below=cp.size), filter=plan.filter, exported_at=exported_at,
    ))


def export_part(
    store: LogStore,
    plan: ExportPlan,
    vkey: str,
    cursor: ExportCursor | None,
    *,
    exported_at: int | None = None,
    part_bytes: int = PART_BYTES,
) -> tuple[bytes, ExportCursor | None]:
    """The next part of the bundle after `cursor` (None: the first), and the cursor after it."""
    out = bytearray()
    if cursor is None:
        out += _header(store, plan, vkey, exported_at)
        after = plan.begin - 1
    else:
        after = cursor.after
    size = plan.checkpoint.size
    done = False
    if plan.filter is None:
        while len(out) < part_bytes:
            start = after + 1
            stop = min(plan.end, start + _PAGE)
            if start >= stop:
                done = True
                break
            for index, data in store.iter_entries(start, stop):
                out += encode_line(BundleEntry(index=index, entry=base64.b64encode(data).decode()))
                after = index
                if len(out) >= part_bytes:
                    break
    else:
        while len(out) < part_bytes:
            page = msgspec.structs.replace(
                plan.filter, cursor=None if after < 0 else str(after), limit=_PAGE
            )
            rows, _ = store.query(page, below=size)
            if not rows:
                done = True
                break
            for index, data in rows:
                proof = b64_hashes(store.inclusion_proof(index, size))
                out += encode_line(
                    BundleEntry(index=index, entry=base64.b64encode(data).decode(), proof=proof)
                )
                after = index
                if len(out) >= part_bytes:
                    break
    if not done:
        return bytes(out), ExportCursor(size=size, after=after)
    count = plan.end - plan.begin if plan.filter is None else store.count(plan.filter, below=size)
    out += encode_line(BundleTrailer(end_of_bundle=True, count=count))
    return bytes(out), None
