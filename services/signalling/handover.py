"""Who mediates a hearing: an administrator hands it over to another mediator (a pure handler).

A hearing's mediator is the staff account named in `Hearing.mediator`, also its participant id
(access.py decides every mediator control by it). An institution must be able to change it: a
mediator disabled mid-hearing (DESIGN §8: the admin manages accounts) would otherwise leave the
parties with nobody in charge, since no other account, not even an admin, holds the controls.
So an administrator names another mediator account (enabled, with the mediator role: accounts
live in the gateway, which checks that and sends the account's display name), and from then on:

- that account is the hearing's mediator, in the room the old one held (where the parties
  expect the mediator), with nothing of the old one's client state (sockets, peer links, hand);
  it sees the hearing in its list and opens the console like any hearing of its own;
- the old account leaves the roster and holds nothing here; its open sockets are closed (reason
  `handed_over`, so its console can say so) but not its staff session, which is not bound to a
  hearing;
- everyone's views follow from the record (membership.presence): the parties' pages name the new
  mediator, and whoever was connected to the old one drops that peer.

Audited `hearing.mediator_handover`: the administrator (actor), from whom and to whom, with the
new mediator's name. A closed hearing keeps its mediator, as its audit trail does; handing a
hearing to the mediator it has already changes nothing (a repeated request is answered again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import HandOverCommand

from .access import Ctx, not_closed
from .effects import Audit, CloseSessions, Effect
from .errors import Conflict, Forbidden
from .model import PLENARY, Hearing, Participant, ParticipantStatus, shown_name

#: Why the old mediator's sockets close (the console turns it into its own sentence).
HANDED_OVER = "handed_over"


def hand_over(ctx: Ctx, cmd: HandOverCommand) -> tuple[Hearing, list[Effect]]:
    who, h = ctx.principal, ctx.h
    if who.kind is not PrincipalKind.ACCOUNT or who.role is not Role.ADMIN:
        raise Forbidden("only an administrator hands a hearing over to another mediator")
    not_closed(h)
    if cmd.account == h.mediator:
        return h, []
    if cmd.account in h.participants:  # ids of accounts and invitees never meet; never trust it
        raise Conflict("that account is already a participant of this hearing")
    old = h.participants[h.mediator]
    new = Participant(id=cmd.account, name=cmd.mediator_name, role=Role.MEDIATOR,
                      status=ParticipantStatus.ACTIVE, room=old.room or PLENARY,
                      admitted_once=True, entered_at=ctx.now)
    others = {pid: p for pid, p in h.participants.items() if pid != old.id}
    after = msgspec.structs.replace(h, mediator=new.id, participants={new.id: new, **others})
    effects: list[Effect] = [Audit("hearing.mediator_handover", "hearing", h.id, details={
        "from": old.id, "from_name": shown_name(old), "to": new.id, "mediator": new.id,
        "mediator_name": cmd.mediator_name})]
    if old.conns:
        effects.append(CloseSessions(old.id, HANDED_OVER, keep_sessions=True))
    return after, effects


def former_mediator(h: Hearing, principal: Principal) -> bool:
    """A staff mediator account that is not this hearing's mediator (any more): the
    goodbye of a socket the handover closed changes nothing and is no refusal."""
    return principal.kind is PrincipalKind.ACCOUNT and principal.role is Role.MEDIATOR \
        and principal.id != h.mediator and principal.id not in h.participants


HANDLERS: dict[type, Callable[[Ctx, Any], tuple[Hearing, list[Effect]]]] = {
    HandOverCommand: hand_over,
}
