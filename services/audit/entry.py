"""Log entries: an AuditEvent as RFC 8785 (JCS) canonical JSON, at most 65,535 bytes.

The limit is 65,535 rather than 64 KiB because C2SP tlog-tiles entry bundles prefix each entry
with a big-endian uint16 length, so a 65,536-byte entry could not be served by the tiles read path.

Canonicalisation has a fast path: for values without floats, with integers inside the I-JSON safe
range and with keys that sort the same in UTF-16 and code-point order (no characters above
U+FFFF), `msgspec` with sorted keys emits exactly the RFC 8785 bytes (same string escaping, same
integer form) about 25x faster. Anything else goes to the `rfc8785` package. A property test checks
the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import msgspec
import rfc8785

from proto.audit import AuditEvent, event_as_dict
from proto.codec import JsonDecoder
from services.audit.errors import EntryError, EntryTooLargeError

MAX_ENTRY_BYTES: Final = 65_535
_SAFE_INT: Final = 2**53 - 1
#: `msgspec.json.decode(..., type=AuditEvent)` with the type resolved once (intake's and
#: verification's hot paths).
EVENT_DECODER: Final[JsonDecoder[AuditEvent]] = JsonDecoder(AuditEvent)


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One entry ready for the store: the canonical bytes plus the indexed columns."""

    event_id: str
    data: bytes
    time: int
    action: str
    actor: str
    resource_type: str
    resource_id: str
    outcome: str
    hearing: str | None


def _fast_path_ok(value: Any) -> bool:
    if isinstance(value, dict):
        return all(
            max(key, default="\0") <= "\uffff" and _fast_path_ok(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return all(_fast_path_ok(item) for item in value)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return -_SAFE_INT <= value <= _SAFE_INT
    return False  # floats and anything unexpected take the reference implementation


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON of a JSON-compatible value."""
    if _fast_path_ok(value):
        try:
            return msgspec.json.encode(value, order="sorted")
        except UnicodeEncodeError as exc:  # lone surrogates
            raise EntryError(f"not canonicalisable: {exc}") from exc
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise EntryError(f"not canonicalisable: {exc}") from exc


def _event_fast_path_ok(event: AuditEvent) -> bool:
    """`_fast_path_ok` for an event, checking only what its contract leaves open.

    Every key but the `details` keys is a fixed ASCII field name, and every other value is a
    string or a bounded integer, so only `details` can hold a float, an unsafe integer or a key
    above U+FFFF (this is intake's hot path: ~10x cheaper than walking the whole value).
    """
    if event.time > _SAFE_INT:
        return False
    for key, value in event.details.items():
        if not key.isascii() and max(key) > "\uffff":
            return False
        if isinstance(value, float):
            return False
        if isinstance(value, int) and not -_SAFE_INT <= value <= _SAFE_INT:
            return False
    return True


def canonical_entry(event: AuditEvent) -> bytes:
    """The entry bytes the log hashes for `event`."""
    if _event_fast_path_ok(event):
        try:
            data = msgspec.json.encode(event, order="sorted")
        except UnicodeEncodeError as exc:  # lone surrogates
            raise EntryError(f"not canonicalisable: {exc}") from exc
    else:
        data = canonical_json(event_as_dict(event))
    if len(data) > MAX_ENTRY_BYTES:
        raise EntryTooLargeError(len(data), MAX_ENTRY_BYTES)
    return data


def record_for(event: AuditEvent) -> LogRecord:
    """Canonicalise `event` and pull out the columns the store indexes for queries."""
    return LogRecord(
        event_id=event.id,
        data=canonical_entry(event),
        time=event.time,
        action=event.action,
        actor=event.actor.id,
        resource_type=event.resource.type,
        resource_id=event.resource.id,
        outcome=str(event.outcome),
        hearing=event.hearing,
    )


def parse_entry(data: bytes) -> AuditEvent:
    """Decode (and validate) an entry back into an event; raises EntryError if it is not one."""
    try:
        return EVENT_DECODER.decode(data)
    except msgspec.ValidationError as exc:
        raise EntryError(f"entry is not an audit event: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise EntryError(f"entry is not JSON: {exc}") from exc
