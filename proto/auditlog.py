"""Wire contracts of the audit log's read side (DESIGN §7, §8): queries, proofs, exports.

Hashes travel as standard base64 strings (the C2SP formats' encoding). Cursors are opaque
strings; today the decimal index of the last entry returned.

Longer than 300 lines: it is one service's whole read contract (queries, pages, proofs, tiles,
receipts, exports, names), each type with the bounds the gateway and the service both enforce;
split, the types a query and its page share would be spread over files.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from proto.audit import ACTION_PATTERN
from proto.common import Id, TimestampMs

#: The audit service's name: its endpoints are `parley.v1.audit.<verb>`.
SERVICE = "audit"

B64Hash = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9+/]{43}=$")]
TreeSize = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Cursor = Annotated[str, msgspec.Meta(pattern=r"^(0|[1-9][0-9]{0,15})$")]
#: An action, or a family prefix ending in '.' (e.g. "document.") to match every action in it.
ACTION_FILTER_PATTERN = rf"({ACTION_PATTERN})|(^[a-z]{{1,16}}\.$)"
ActionFilter = Annotated[str, msgspec.Meta(pattern=ACTION_FILTER_PATTERN, max_length=64)]
MAX_PAGE = 1000
#: A page of names continues after the last name of the one before: its cursor is opaque
#: (today that name's sort key, base64url JSON: services/audit/names_table.py), at most this long.
MAX_NAME_CURSOR = 4096
NameCursor = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]+$", max_length=MAX_NAME_CURSOR)]
#: Encoded bytes of one page of names, at most: well under NATS's 1 MB message (`max_payload`,
#: infra/nats), leaving room for the rest of the reply and its headers. Long names make a page
#: shorter than its `limit`.
MAX_NAMES_PAGE_BYTES = 512 * 1024
#: C2SP signed-note: verifiers MUST accept at least 16 signatures. The largest signature we
#: bound for is ML-DSA-87's (4,627 bytes) + the 4-byte key ID, base64 in a line with a key name
#: of up to 256 bytes: 6,440 bytes. Notes may then be 16 such lines after up to 64 KiB of text.
MAX_NOTE_SIGNATURE_BYTES = 4627 + 4
MAX_NOTE_TEXT_BYTES = 64 * 1024
MAX_NOTE_BYTES = MAX_NOTE_TEXT_BYTES + 16 * 6440


class EventQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """`GET /api/v1/audit/events` filters; all optional, combined with AND; `to` is exclusive."""

    hearing: Id | None = None
    actor: Id | None = None
    action: ActionFilter | None = None
    resource_type: Annotated[str, msgspec.Meta(pattern=r"^[a-z_]{1,32}$")] | None = None
    resource_id: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    time_from: TimestampMs | None = None
    time_to: TimestampMs | None = None
    outcome: Annotated[str, msgspec.Meta(pattern=r"^(allowed|denied|failed)$")] | None = None
    #: A person by name (case-insensitive, part of the name): their actions, the events about
    #: them and every use of the invitations issued to them (services/audit/invitations.py),
    #: resolved through the names the log itself introduced (services/audit/directory.py).
    person: Annotated[str, msgspec.Meta(min_length=2, max_length=100)] | None = None
    #: With `actor` (an id, not a name; no `person`): what they did and every use of the
    #: invitations issued to them (services/audit/invitations.py), whose entries name the
    #: invitation, not the person: a person's report, each entry once.
    with_invitations: bool = False
    #: Log order, oldest first ("asc") or newest first ("desc"); the log records in time order.
    order: Annotated[str, msgspec.Meta(pattern=r"^(asc|desc)$")] = "asc"
    cursor: Cursor | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGE)] = 100

    def __post_init__(self) -> None:
        if self.with_invitations and (self.actor is None or self.person is not None):
            raise ValueError("with_invitations needs actor (a person's id), and no person")


class LoggedEvent(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One log entry: its index and the canonical entry text (RFC 8785 JSON, as hashed)."""

    index: TreeSize
    entry: Annotated[str, msgspec.Meta(max_length=65_535)]


class EventPage(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    events: Annotated[list[LoggedEvent], msgspec.Meta(max_length=MAX_PAGE)]
    next_cursor: Cursor | None = None
    #: How many entries match the filters in all (every page), at the time of the query.
    total: Annotated[int, msgspec.Meta(ge=0)] | None = None


class PeopleQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """`GET /api/v1/audit/names`: names the log introduced, by part of a name (or of a staff
    account's user name), by hearing, or by id; by name, a page at a time (`cursor`: the
    `next_cursor` of the page before). A page holds at most `limit` names, and fewer when they
    are long (at most MAX_NAMES_PAGE_BYTES of them encoded)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    hearing: Id | None = None
    id: Id | None = None
    kind: Annotated[str, msgspec.Meta(pattern=r"^(person|side|hearing|document|room)$")] | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGE)] = 200
    cursor: NameCursor | None = None


class NamedThing(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """A person, side, hearing or document as the log named it (at entry `index`). A staff
    account is named by its display name, else its user name; `username` is its user name."""

    kind: str
    id: str
    name: str
    index: TreeSize
    hearing: str | None = None
    role: str | None = None
    side: str | None = None
    username: str | None = None


class NameList(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    names: Annotated[list[NamedThing], msgspec.Meta(max_length=MAX_PAGE)]
    #: Set when more names match: ask again with it as `cursor` for the next page.
    next_cursor: NameCursor | None = None


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
    """`POST /api/v1/audit/exports`: either a contiguous index range or a filter (not both).

    Nothing set: the whole log up to the latest checkpoint (a range bundle). A filter's `cursor`
    and `limit` are ignored: a selection export holds every matching entry.
    """

    begin: TreeSize | None = None
    end: TreeSize | None = None
    filter: EventQuery | None = None


# --- the service's request/reply messages (parley.v1.audit.<verb>) ---------------------------

class InclusionRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """`inclusion`: proof of entry `index` in the tree of `size` (default: latest checkpoint)."""

    index: TreeSize
    size: TreeSize | None = None


class ConsistencyRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """`consistency`: proof from size `first` to size `second` (default: latest checkpoint)."""

    first: TreeSize
    second: TreeSize | None = None


class ReceiptRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`receipt`: a C2SP tlog-proof for entry `index` under the latest checkpoint."""

    index: TreeSize


class TileRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`tile`: a C2SP tlog-tiles path relative to the log prefix, e.g. `tile/0/x001/234.p/7`."""

    path: Annotated[str, msgspec.Meta(min_length=7, max_length=96, pattern=r"^tile/[a-z0-9x./]+$")]


class NoArguments(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Requests that carry nothing (`checkpoint`, `vkey`, `status`)."""


class CheckpointInfo(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The latest signed checkpoint: its size, root and the signed note verbatim."""

    size: TreeSize
    root: B64Hash
    note: Annotated[str, msgspec.Meta(max_length=MAX_NOTE_BYTES)]
    time: TimestampMs


class VerifierKey(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The log's verifier key in the Go note `vkey` form, and its origin."""

    origin: Annotated[str, msgspec.Meta(max_length=256)]
    vkey: Annotated[str, msgspec.Meta(max_length=512)]


class AuditStatus(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """The audit service's own state: signing is `refused` once tampering was detected."""

    size: TreeSize
    checkpoint_size: TreeSize
    checkpoint_age_ms: Annotated[int, msgspec.Meta(ge=0)] | None = None
    signing: Annotated[str, msgspec.Meta(pattern=r"^(ok|refused)$")] = "ok"
    tamper: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    intake_seq: Annotated[int, msgspec.Meta(ge=0)] = 0
    rejected: Annotated[int, msgspec.Meta(ge=0)] = 0


class ExportCursor(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Where an export stream continues: the pinned checkpoint size and the next position.

    Made by the service, carried back only by the gateway (never shown to the HTTP client).
    `after` is the last entry index already sent (-1 before the first entry).
    """

    size: TreeSize
    after: Annotated[int, msgspec.Meta(ge=-1, le=2**53)]


class ExportPartRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """`export`: the first part (no cursor) or the next one."""

    request: ExportRequest
    cursor: ExportCursor | None = None


class ExportPart(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Some bundle lines (`\\n`-terminated) and the cursor of the next part (None: the last)."""

    lines: Annotated[str, msgspec.Meta(max_length=900_000)]
    cursor: ExportCursor | None = None


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
    checkpoint: Annotated[str, msgspec.Meta(max_length=MAX_NOTE_BYTES)]
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


#: Every message above, for the JSON Schemas (proto/catalog.py).
WIRE_MESSAGES: list[type[msgspec.Struct]] = [
    EventQuery, LoggedEvent, EventPage, InclusionProof, ConsistencyProof, ExportRequest,
    InclusionRequest, ConsistencyRequest, ReceiptRequest, TileRequest, NoArguments,
    CheckpointInfo, VerifierKey, AuditStatus, ExportCursor, ExportPartRequest, ExportPart,
    RangeProof, BundleHeader, BundleEntry, BundleTrailer,
]

__all__ = [
    "BUNDLE_FORMAT",
    "WIRE_MESSAGES",
    "AuditStatus",
    "BundleEntry",
    "BundleHeader",
    "BundleTrailer",
    "CheckpointInfo",
    "ConsistencyProof",
    "ConsistencyRequest",
    "EventPage",
    "EventQuery",
    "ExportCursor",
    "ExportPart",
    "ExportPartRequest",
    "ExportRequest",
    "InclusionProof",
    "InclusionRequest",
    "LoggedEvent",
    "NoArguments",
    "RangeProof",
    "ReceiptRequest",
    "TileRequest",
    "VerifierKey",
]
