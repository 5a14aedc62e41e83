"""Single-use, short-lived tickets for evidence's internal HTTP port (pure: no I/O).

`upload.begin` and `download.begin` (NATS, where the decision is made and audited) issue a
ticket bound to one grant: who asked, which hearing, which document or upload. The gateway then
presents it once, in the `Parley-Ticket` header (never a URL: URLs end up in logs), with the same
principal. Only a SHA-256 of the ticket is kept; any presentation consumes the entry, right or
wrong, so a ticket cannot be replayed and an id cannot be probed twice. Tickets live in the
memory of the instance that issued them, and the reply's URL names that instance.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Generic, TypeVar

from proto.evidence import Manifest
from proto.principal import Principal
from services.evidence.errors import TicketError

G = TypeVar("G")
MAX_OUTSTANDING = 10_000


@dataclass(frozen=True)
class UploadGrant:
    principal: Principal
    hearing: str
    compartment: str
    filename: str
    declared_size: int
    content_type: str
    owner: str


@dataclass(frozen=True)
class DownloadGrant:
    principal: Principal
    manifest: Manifest
    start: int
    end: int


@dataclass(frozen=True)
class _Entry(Generic[G]):
    digest: bytes
    grant: G
    expires_ms: int


@dataclass(frozen=True)
class Issued:
    id: str
    ticket: str
    expires_ms: int


def _digest(ticket: str) -> bytes:
    return hashlib.sha256(ticket.encode()).digest()


class TicketBook(Generic[G]):
    def __init__(self, ttl_ms: int) -> None:
        if ttl_ms <= 0:
            raise ValueError("ticket lifetime must be positive")
        self._ttl_ms = ttl_ms
        self._entries: dict[str, _Entry[G]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def issue(self, grant: G, now_ms: int) -> Issued:
        self.prune(now_ms)
        if len(self._entries) >= MAX_OUTSTANDING:
            raise TicketError("too many transfers waiting to start")
        ident, ticket = secrets.token_hex(16), secrets.token_urlsafe(32)
        expires = now_ms + self._ttl_ms
        self._entries[ident] = _Entry(_digest(ticket), grant, expires)
        return Issued(ident, ticket, expires)

    def redeem(self, ident: str, ticket: str | None, principal: Principal | None,
               now_ms: int) -> G:
        """The grant, once. Raises TicketError for an unknown, expired, wrong or reused ticket,
        or a principal other than the one the ticket was issued to."""
        entry = self._entries.pop(ident, None)
        if entry is None or ticket is None:
            raise TicketError("no such transfer, or its ticket was used")
        if not hmac.compare_digest(entry.digest, _digest(ticket)):
            raise TicketError("wrong ticket")
        if now_ms >= entry.expires_ms:
            raise TicketError("ticket expired")
        owner = getattr(entry.grant, "principal", None)
        if principal is None or owner is None or principal.id != owner.id \
                or principal.kind != owner.kind:
            raise TicketError("ticket issued to someone else")
        return entry.grant

    def prune(self, now_ms: int) -> int:
        stale = [k for k, e in self._entries.items() if now_ms >= e.expires_ms]
        for key in stale:
            del self._entries[key]
        return len(stale)
