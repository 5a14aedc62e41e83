"""Turning `AUDIT` stream messages into log records: pure, deterministic, never failing.

A message that is not a valid audit event (malformed JSON, a field out of bounds, an entry over
65,535 bytes once canonicalised) must neither block intake nor vanish: it becomes an
`audit.intake_rejected` entry naming the stream sequence, the size and SHA-256 of what arrived,
and why. Everything in that entry comes from the message itself (its stream sequence and
timestamp), so rebuilding the log from the stream reproduces byte-identical entries, and with
them the same tree and roots that were signed before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

import msgspec

from proto.audit import Actor, AuditEvent, Outcome, Resource
from services.audit.entry import EVENT_DECODER, LogRecord, record_for
from services.audit.errors import EntryError

REJECTED_ACTION: Final = "audit.intake_rejected"


@dataclass(frozen=True, slots=True)
class StreamMessage:
    """What intake needs from one delivered message."""

    data: bytes
    stream_seq: int
    time_ms: int


def rejection(message: StreamMessage, reason: str) -> AuditEvent:
    """The entry standing in for a message that is not a loggable event."""
    return AuditEvent(
        id=f"rejected-{message.stream_seq}",
        time=max(0, message.time_ms),
        actor=Actor(id="audit", kind="system"),
        action=REJECTED_ACTION,
        resource=Resource(type="stream_message", id=str(message.stream_seq)),
        outcome=Outcome.FAILED,
        service="audit",
        details={"reason": reason[:300], "bytes": len(message.data),
                 "sha256": hashlib.sha256(message.data).hexdigest()},
    )


def to_record(message: StreamMessage) -> tuple[LogRecord, bool]:
    """The record for one message, and whether it was accepted as it came (False: rejected)."""
    try:
        return record_for(EVENT_DECODER.decode(message.data)), True
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        reason = f"not an audit event: {exc}"
    except EntryError as exc:
        reason = str(exc)
    return record_for(rejection(message, reason)), False
