"""Wire contracts of the audit log's read side (DESIGN §7, §8): queries, proofs, exports.

Hashes travel as standard base64 strings (the C2SP formats' encoding). Cursors are opaque
strings; today the decimal index of the last entry returned.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from proto.audit import ACTION_PATTERN
from proto.common import Id, TimestampMs

B64Hash = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9+/]{43}=$")]
TreeSize = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Cursor = Annotated[str, msgspec.Meta(pattern=r"^(0|[1-9][0-9]{0,15})$")]
#: An action, or a family prefix ending in '.' (e.g. "document.") to match every action in it.
ActionFilter = Annotated[
    str, msgspec.Meta(pattern=rf"({ACTION_PATTERN})|(^[a-z]{{1,16}}\.$)", max_length=64)
]
MAX_PAGE = 1000


class EventQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """`GET /api/v1/audit/events` filters; all optional, combined with AND; `to` is exclusive."""

    hearing: Id | None = None
    actor: Id | None = None
    action: ActionFilter | None = None
    resource_type: Annotated[str, msgspec.Meta(pattern=r"^[a-z_]{1,32}$")] | None = None
    resource_id: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    time_from: TimestampMs | None = None
    time_to: TimestampMs | None = None
    cursor: Cursor | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGE)] = 100


class LoggedEvent(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One log entry: its index and the canonical entry text (RFC 8785 JSON, as hashed)."""

    index: TreeSize
    entry: Annotated[str, msgspec.Meta(max_length=65_535)]


class EventPage(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    events: Annotated[list[LoggedEvent], msgspec.Meta(max_length=MAX_PAGE)]
    next_cursor: Cursor | None = None


class InclusionProof(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """RFC 9162 inclusion proof of entry `index` in the tree of `size`."""

    index: TreeSize
    size: TreeSize
    hashes: Annotated[list[B64Hash], msgspec.Meta(max_length=64)]


class ConsistencyProof(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """RFC 9162 consistency proof from the tree of size `first` to the tree of size `second`."""

    first: TreeSize
    second: TreeSize
    hashes: Annotated[list[B64Hash], msgspec.Meta(max_length=128)]


class ExportRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """`POST /api/v1/audit/exports`: either a contiguous index range or a filter (not both)."""

    begin: TreeSize | None = None
    end: TreeSize | None = None
    filter: EventQuery | None = None


# --- bundle lines (JSON Lines; see services/audit/bundle.py for the format) -----------------

BUNDLE_FORMAT = "parley-audit-bundle/v1"


class RangeProof(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Hashes of the full subtrees left of the range ([0, begin)) and right of it ([end, size))."""

    left: Annotated[list[B64Hash], msgspec.Meta(max_length=64)]
    right: Annotated[list[B64Hash], msgspec.Meta(max_length=128)]


class BundleHeader(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    format: Annotated[str, msgspec.Meta(max_length=64)]
    kind: Annotated[str, msgspec.Meta(pattern=r"^(range|selection)$")]
    vkey: Annotated[str, msgspec.Meta(max_length=512)]
    checkpoint: Annotated[str, msgspec.Meta(max_length=65_536)]
    count: TreeSize
    begin: TreeSize | None = None
    end: TreeSize | None = None
    range_proof: RangeProof | None = None
    #: What the exporter was asked for: informational, not authenticated.
    filter: EventQuery | None = None
    exported_at: TimestampMs | None = None


class BundleEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    index: TreeSize
    #: base64 of the canonical entry bytes (exact bytes, so hashing needs no re-encoding).
    entry: Annotated[str, msgspec.Meta(max_length=87_384)]
    proof: Annotated[list[B64Hash], msgspec.Meta(max_length=64)] | None = None


class BundleTrailer(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    end_of_bundle: bool
    count: TreeSize


__all__ = [
    "BUNDLE_FORMAT",
    "BundleEntry",
    "BundleHeader",
    "BundleTrailer",
    "ConsistencyProof",
    "EventPage",
    "EventQuery",
    "ExportRequest",
    "InclusionProof",
    "LoggedEvent",
    "RangeProof",
]
