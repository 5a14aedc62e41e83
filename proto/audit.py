"""The audit event (DESIGN §7): one fact, who did what to which resource, when, with what outcome."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import msgspec

from proto.codec import decode_json
from proto.common import Id, Role, TimestampMs

AUDIT_STREAM = "AUDIT"
AUDIT_SUBJECT_PREFIX = "parley.v1.audit.event"

#: The closed vocabulary's families; an action is `<family>.<verb>` (e.g. `document.download`).
ACTION_FAMILIES = ("auth", "hearing", "participant", "room", "document", "audit", "account",
                   "token", "system")
ACTION_PATTERN = r"^(auth|hearing|participant|room|document|audit|account|token|system)\.[a-z_.]{1,48}$"

Action = Annotated[str, msgspec.Meta(pattern=ACTION_PATTERN, max_length=64)]
DetailValue = str | int | float | bool | None


class Outcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    FAILED = "failed"


class Actor(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    id: Id
    role: Role | None = None
    side: Id | None = None
    kind: Annotated[str, msgspec.Meta(max_length=16)] = "account"


class Resource(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    type: Annotated[str, msgspec.Meta(pattern=r"^[a-z_]{1,32}$")]
    id: Annotated[str, msgspec.Meta(max_length=200)]


class AuditEvent(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """One audit fact. `details` never holds secrets or document content."""

    id: Id
    time: TimestampMs
    actor: Actor
    action: Action
    resource: Resource
    outcome: Outcome
    service: Annotated[str, msgspec.Meta(pattern=r"^[a-z]{1,16}$")]
    hearing: Id | None = None
    trace_id: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{32}$")] | None = None
    details: Annotated[dict[str, DetailValue], msgspec.Meta(max_length=32)] = {}


def audit_subject(service: str) -> str:
    return f"{AUDIT_SUBJECT_PREFIX}.{service}"


def encode_event(event: AuditEvent) -> bytes:
    return msgspec.json.encode(event)


def decode_event(raw: bytes) -> AuditEvent:
    return decode_json(raw, AuditEvent)


def event_as_dict(event: AuditEvent) -> dict[str, Any]:
    """Plain JSON-compatible form (what the audit log canonicalises with RFC 8785)."""
    result: dict[str, Any] = msgspec.to_builtins(event)
    return result
