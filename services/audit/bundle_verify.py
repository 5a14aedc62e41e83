"""Offline verification of an export bundle (format in `bundle.py`). Pure: no network, no server.

Order of checks (the first failure is raised, as a `VerificationError` subclass):
1. the header parses and names the known format;
2. the key: the bundle's vkey parses and is the key the auditor pinned. The pin is required:
   a bundle carries its own key, so without one an attacker who changes an entry, rebuilds the
   tree and re-signs the checkpoint with a key of their own would be "verified";
3. the checkpoint note verifies under that key, and its origin is the key name;
4. every entry line parses, its entry is a JSON object with the fields the report reads (time,
   actor, action, resource; with `keep_events`, the whole audit-event contract is checked),
   indices are ascending, unique and inside the tree;
5. range: the indices are exactly begin..end-1 and left + entries + right rebuild the signed root;
   selection: each entry's inclusion proof verifies against the signed root;
6. the trailer is present, last, and its count (and the header's) matches the entries seen.

Tampering (a changed, removed, inserted or reordered entry, a forged checkpoint) is caught by 2,
3 and 5, which hash the exact entry bytes. Check 4 does not re-validate every field pattern of
every event unless the events are kept: that costs more than all the hashing (the entries were
validated at intake, and the signed tree fixes their bytes), so a 10^5-entry range verifies in
about a second.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import msgspec

from proto.audit import AuditEvent
from proto.auditlog import BUNDLE_FORMAT, BundleEntry, BundleHeader, BundleTrailer, EventQuery
from services.audit import tree
from services.audit.checkpoint import Checkpoint, open_checkpoint
from services.audit.compact import CompactRange
from services.audit.entry import MAX_ENTRY_BYTES, parse_entry
from services.audit.errors import (
    BundleFormatError,
    EntryError,
    EntryOrderError,
    InvalidProofError,
    KeyMismatchError,
    RootMismatchError,
)
from services.audit.hasher import RFC6962, Hasher
from services.audit.keys import NoteVerifier, parse_vkey
from services.audit.verify import verify_inclusion


@dataclass
class BundleReport:
    """What a verified bundle proves."""

    kind: str
    checkpoint: Checkpoint
    vkey: str
    count: int
    begin: int | None = None
    end: int | None = None
    first_time: int | None = None
    last_time: int | None = None
    filter: EventQuery | None = None
    filter_matches: int | None = None
    events: list[tuple[int, AuditEvent]] = field(default_factory=list)


#: Decoding with the type resolved once: verification's per-entry hot path.
_ENTRY_LINE: Final = msgspec.json.Decoder(BundleEntry)


def _hashes(items: list[str], what: str) -> list[bytes]:
    try:
        return [base64.b64decode(h, validate=True) for h in items]
    except binascii.Error as exc:
        raise BundleFormatError(f"{what}: bad base64 hash") from exc


class _Who(msgspec.Struct):
    id: str


class _What(msgspec.Struct):
    type: str
    id: str


class _Summary(msgspec.Struct):
    """What the report reads from an entry (unknown fields ignored, no pattern checks)."""

    time: int
    actor: _Who
    action: str
    resource: _What
    hearing: str | None = None
    outcome: str = ""


_SUMMARY: Final = msgspec.json.Decoder(_Summary)


def _summary(data: bytes) -> _Summary:
    try:
        return _SUMMARY.decode(data)
    except msgspec.DecodeError as exc:  # ValidationError included
        raise EntryError(f"entry is not an audit event: {exc}") from exc


def _matches(query: EventQuery, event: _Summary | AuditEvent) -> bool:
    action_ok = query.action is None or (
        event.action.startswith(query.action) if query.action.endswith(".")
        else event.action == query.action
    )
    return (
        action_ok
        and query.hearing in (None, event.hearing)
        and query.outcome in (None, event.outcome)
        and query.actor in (None, event.actor.id)
        and query.resource_type in (None, event.resource.type)
        and query.resource_id in (None, event.resource.id)
        and (query.time_from is None or event.time >= query.time_from)
        and (query.time_to is None or event.time < query.time_to)
    )


def verify_bundle(
    lines: Iterable[bytes],
    pinned: NoteVerifier,
    *,
    hasher: Hasher = RFC6962,
    keep_events: bool = False,
) -> BundleReport:
    """Verify a bundle given as its lines; return the report or raise the first failure.

    The steps follow the module docstring's order: header and key (1-3), entries (4-5), trailer
    and counts (6), and for a range the rebuilt root (5).
    """
    it = iter(lines)
    header = _header(next(it, None))
    key = parse_vkey(header.vkey)
    if key != pinned:
        raise KeyMismatchError(f"bundle key {key.vkey} is not the pinned key {pinned.vkey}")
    checkpoint = open_checkpoint(header.checkpoint, key)
    report = BundleReport(
        kind=header.kind, checkpoint=checkpoint, vkey=key.vkey,
        count=0, begin=header.begin, end=header.end, filter=header.filter,
        filter_matches=0 if header.filter is not None else None,
    )
    edge = _range_start(header, checkpoint.size, hasher)
    trailer = _read_entries(it, header, checkpoint, edge, report, hasher, keep_events)
    _check_counts(header, trailer, report)
    if edge is not None:
        _check_range_root(edge, header, checkpoint)
    return report


def _header(first: bytes | None) -> BundleHeader:
    if first is None:
        raise BundleFormatError("bundle is empty")
    try:
        header = msgspec.json.decode(first, type=BundleHeader)
    except msgspec.DecodeError as exc:
        raise BundleFormatError(f"line 1: bad header: {exc}") from exc
    if header.format != BUNDLE_FORMAT:
        raise BundleFormatError(f"line 1: unknown format {header.format!r}")
    return header


def _range_start(header: BundleHeader, size: int, hasher: Hasher) -> CompactRange | None:
    """For a range bundle, the compact range of everything left of it (None: a selection)."""
    if header.kind != "range":
        return None
    if header.begin is None or header.end is None or header.range_proof is None:
        raise BundleFormatError("line 1: a range bundle needs begin, end and range_proof")
    if not 0 <= header.begin <= header.end <= size:
        raise InvalidProofError(f"range [{header.begin}, {header.end}) not inside size {size}")
    left = _hashes(header.range_proof.left, "range proof")
    left_ids = tree.full_subtrees(0, header.begin)
    if len(left) != len(left_ids):
        raise InvalidProofError(f"range proof has {len(left)} left hashes, needs {len(left_ids)}")
    return CompactRange(hasher, 0, [(lv, ix, h) for (lv, ix), h in zip(left_ids, left, strict=True)])


def _read_entries(lines: Iterable[bytes], header: BundleHeader, checkpoint: Checkpoint,
                  edge: CompactRange | None, report: BundleReport, hasher: Hasher,
                  keep_events: bool) -> BundleTrailer | None:
    """Check every entry line (step 4, and 5's hashing); fill the report; return the trailer.

    The per-entry hot path of verification: kept in one loop, the checks inline.
    """
    size = checkpoint.size
    previous = -1
    trailer: BundleTrailer | None = None
    hash_leaf = hasher.hash_leaf
    count = matches = 0
    times: list[int] = []
    for number, raw in enumerate(lines, start=2):
        if trailer is not None:
            raise BundleFormatError(f"line {number}: data after the trailer")
        if raw.startswith(b'{"end_of_bundle"'):
            trailer = _trailer(number, raw)
            continue
        index, data, proof = _entry_line(number, raw)
        if index <= previous:
            raise EntryOrderError(f"line {number}: entry {index} after entry {previous}")
        if index >= size:
            raise EntryOrderError(f"line {number}: entry {index} is beyond the tree size {size}")
        try:
            event = parse_entry(data) if keep_events else _summary(data)
        except EntryError as exc:
            raise BundleFormatError(f"line {number}: entry {index}: {exc}") from exc
        leaf = hash_leaf(data)
        if edge is not None:
            if index != edge.end:
                raise EntryOrderError(f"line {number}: entry {index} where entry {edge.end} belongs")
            if index >= (header.end or 0):
                raise EntryOrderError(f"line {number}: entry {index} is outside the range")
            edge.push_leaf(leaf)
        else:
            _prove_selected(number, index, leaf, proof, checkpoint, hasher)
        previous = index
        count += 1
        times.append(event.time)
        if header.filter is not None and _matches(header.filter, event):
            matches += 1
        if isinstance(event, AuditEvent):  # keep_events
            report.events.append((index, event))
    report.count = count
    if times:
        report.first_time, report.last_time = min(times), max(times)
    if header.filter is not None:
        report.filter_matches = matches
    return trailer


def _trailer(number: int, raw: bytes) -> BundleTrailer:
    try:
        return msgspec.json.decode(raw, type=BundleTrailer)
    except msgspec.DecodeError as exc:
        raise BundleFormatError(f"line {number}: bad trailer: {exc}") from exc


def _entry_line(number: int, raw: bytes) -> tuple[int, bytes, list[str] | None]:
    """(index, entry bytes, inclusion proof) of one entry line."""
    try:
        line = _ENTRY_LINE.decode(raw)
        data = binascii.a2b_base64(line.entry, strict_mode=True)
    except (msgspec.DecodeError, ValueError) as exc:  # binascii.Error, non-ASCII
        raise BundleFormatError(f"line {number}: bad entry line: {exc}") from exc
    if len(data) > MAX_ENTRY_BYTES:
        raise BundleFormatError(f"line {number}: entry larger than {MAX_ENTRY_BYTES} bytes")
    return line.index, data, line.proof


def _prove_selected(number: int, index: int, leaf: bytes, proof: list[str] | None,
                    checkpoint: Checkpoint, hasher: Hasher) -> None:
    """A selected entry's inclusion proof must verify against the signed root."""
    if proof is None:
        raise BundleFormatError(f"line {number}: selection entry {index} has no proof")
    try:
        verify_inclusion(hasher, index, checkpoint.size, leaf, _hashes(proof, "proof"),
                         checkpoint.root)
    except InvalidProofError as exc:
        raise InvalidProofError(f"line {number}: entry {index}: {exc}") from exc
    except RootMismatchError as exc:
        raise RootMismatchError(
            f"line {number}: inclusion of entry {index}", exc.expected, exc.computed, entry=index
        ) from exc


def _check_counts(header: BundleHeader, trailer: BundleTrailer | None, report: BundleReport) -> None:
    if trailer is None:
        raise BundleFormatError(f"bundle truncated: no trailer after {report.count} entries")
    if not trailer.end_of_bundle or trailer.count != report.count or header.count != report.count:
        raise EntryOrderError(
            f"bundle has {report.count} entries, header says {header.count}, "
            f"trailer says {trailer.count}"
        )


def _check_range_root(edge: CompactRange, header: BundleHeader, checkpoint: Checkpoint) -> None:
    """left + entries + right must rebuild the signed root (step 5 for a range)."""
    # _range_start checked these
    assert header.range_proof is not None and header.begin is not None and header.end is not None
    if edge.end != header.end:
        raise EntryOrderError(f"range ends at entry {edge.end}, expected {header.end}")
    right = _hashes(header.range_proof.right, "range proof")
    right_ids = tree.full_subtrees(header.end, checkpoint.size)
    if len(right) != len(right_ids):
        raise InvalidProofError(f"range proof has {len(right)} right hashes, needs {len(right_ids)}")
    for (level, index), digest in zip(right_ids, right, strict=True):
        edge.push(level, index, digest)
    computed = edge.root()
    if computed != checkpoint.root:
        raise RootMismatchError(f"entries [{header.begin}, {header.end}) with the range proof",
                                checkpoint.root, computed, entries=(header.begin, header.end))
