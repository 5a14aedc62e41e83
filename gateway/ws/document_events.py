"""Live document hints on the hearing WebSocket (`documents` messages, proto/ws.py).

When an upload commits or a release widens a compartment, the gateway that handled it publishes
`{compartment, document}` on `parley.v1.hearing.<h>.documents`; every gateway forwards it to its
open sockets of that hearing whose principal may read that compartment, and to nobody else (a
side learns nothing of another side's uploads, not even that one happened). The page then
re-lists, and the list is access-checked by evidence as always: the hint is never the authority.

Who may read a compartment (DESIGN §1), as evidence decides it: `joint` every participant and
the mediator; `side:<s>` that side; `confidential:<s>` that side and the mediator; `mediator`
the mediator only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from parley.failures import handled
from proto.common import Role
from proto.principal import Principal
from proto.signalling import documents_subject
from proto.ws import DocumentsChanged

if TYPE_CHECKING:
    from gateway.ws.deliveries import Deliveries
    from gateway.ws.session import WsSession

log = logging.getLogger("parley.gateway.documents")


class Hint(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    compartment: str
    document: str


def may_read(principal: Principal, compartment: str) -> bool:
    if compartment == "joint":
        return True
    if principal.role is Role.MEDIATOR:
        return compartment == "mediator" or compartment.startswith("confidential:")
    if principal.role in (Role.PARTY, Role.COUNSEL) and principal.side:
        return compartment in (f"side:{principal.side}", f"confidential:{principal.side}")
    return False


async def announce(nc: Client, hearing: str, compartment: str, document: str) -> None:
    """Best effort: a lost hint only delays a list refresh, so it never fails the request."""
    with handled(log, "documents.announce"):
        await nc.publish(documents_subject(hearing),
                         msgspec.json.encode(Hint(compartment=compartment, document=document)))


async def follow(nc: Client, deliveries: Deliveries[WsSession]) -> Subscription:
    """Forward every hint to this process's sockets of its hearing that may read its
    compartment (found through the per-hearing index, not a walk over every socket)."""

    async def deliver(msg: Msg) -> None:
        hearing = msg.subject.split(".")[3]
        try:
            hint = msgspec.json.decode(msg.data, type=Hint)
        except (msgspec.ValidationError, msgspec.DecodeError):
            log.warning("undecodable document hint dropped")
            return
        message = DocumentsChanged(compartment=hint.compartment[:80], document=hint.document)
        for session in _readers(deliveries.recipients(hearing), hearing, hint.compartment):
            with handled(log, "documents.deliver", level=logging.DEBUG):
                await session.send(message)

    return await nc.subscribe(documents_subject("*"), cb=deliver)


def _readers(sessions: Iterable[WsSession], hearing: str,
             compartment: str) -> list[WsSession]:
    return [s for s in sessions if s.joined and s.hearing == hearing
            and may_read(s.principal, compartment)]
