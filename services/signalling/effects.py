"""What a command asks the I/O shell to do, as data, plus the injected policy and randomness.

The shell performs effects in list order. Order matters for isolation: peer plans are listed
confidential side first (see membership.py), and a `Fail` is reported only after the new hearing
(e.g. an invitation's failure counter) has been stored.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from proto.audit import Outcome
from proto.ws import ChatLine, ServerMessage

from .errors import SignallingError

DetailValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Deliver:
    """Send `message` to every open connection of participant `to` (in this hearing), or
    only to the sockets in `conns` when any are named (published alone, not in a batch)."""

    to: str
    message: ServerMessage
    conns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Audit:
    """Publish an audit event; the shell adds id, time, actor (from the principal) and trace."""

    action: str
    resource_type: str
    resource_id: str
    outcome: Outcome = Outcome.ALLOWED
    details: dict[str, DetailValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reply:
    """The result for the caller (a REST/NATS reply, or the snapshot for a new connection)."""

    value: msgspec.Struct


@dataclass(frozen=True, slots=True)
class CloseSessions:
    """End every socket of this participant (or only those in `conns`, if any are named) and,
    unless `keep_sessions` (it left on purpose and may come back), every session of it; after
    the deliveries before it."""

    participant: str
    reason: str
    keep_sessions: bool = False
    conns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoreChat:
    """Keep one chat line in its room's history (chatlog.py); before its deliveries, so a line
    refused for flooding reaches nobody and the sender is told."""

    room: str
    line: ChatLine


@dataclass(frozen=True, slots=True)
class ForgetChat:
    """Purge these rooms' chat histories (a caucus closed, the hearing ended)."""

    rooms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fail:
    """Store the new hearing, then answer the caller with this error."""

    error: SignallingError


Effect = Deliver | Audit | Reply | CloseSessions | StoreChat | ForgetChat | Fail


@dataclass(frozen=True, slots=True)
class Policy:
    reconnect_grace_ms: int = 30_000
    invitation_ttl_ms: int = 7 * 86_400_000
    max_code_failures: int = 5
    code_block_ms: int = 5 * 60_000
    max_participants: int = 64
    max_sides: int = 16
    max_caucuses: int = 16
    max_knocks: int = 64
    #: How long an ended hearing's kept documents stay (retention.py); 0 = until destroyed by hand.
    document_retention_ms: int = 0


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def random_id() -> str:
    return uuid.uuid4().hex


def random_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def random_code() -> str:
    """Ten characters from a 32-letter alphabet (50 bits), shown as XXXXX-XXXXX."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@dataclass(frozen=True, slots=True)
class Env:
    policy: Policy = Policy()
    new_id: Callable[[], str] = random_id
    new_secret: Callable[[], str] = random_secret
    new_code: Callable[[], str] = random_code
