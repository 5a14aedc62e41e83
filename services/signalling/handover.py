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

The record keeps the hand-over (`Hearing.handovers`): the hearing's detail names its former
mediators (their notes, which stay in the mediator's compartment and so pass to the new one,
are credited to them by name), and a former mediator's list says, for a while, which of its
hearings went to whom and when (`handed_away`).

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
from proto.signalling import HANDED_AWAY_DAYS, HandedAway, HandOverCommand

from .access import Ctx, not_closed
from .effects import Audit, CloseSessions, Effect
from .errors import Conflict, Forbidden
from .model import (
    MAX_HANDOVERS,
    PLENARY,
    Handover,
    Hearing,
    Participant,
    ParticipantStatus,
    shown_name,
)

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
    record = Handover(former=old.id, former_name=shown_name(old), to=new.id,
                      to_name=cmd.mediator_name, at=ctx.now)
    after = msgspec.structs.replace(h, mediator=new.id, participants={new.id: new, **others},
                                    handovers=(*h.handovers, record)[-MAX_HANDOVERS:])
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


def handed_away(h: Hearing, account: str, now: int) -> HandedAway | None:
    """The latest hand-over of `h` away from `account`, if it was within `HANDED_AWAY_DAYS`
    and the hearing is not the account's again (handed back since)."""
    if h.mediator == account:
        return None
    last = next((x for x in reversed(h.handovers) if x.former == account), None)
    if last is None or now - last.at > HANDED_AWAY_DAYS * 86_400_000:
        return None
    holder = h.participants.get(h.mediator)  # whoever holds it now, by the name shown today
    return HandedAway(id=h.id, title=h.title, to_name=shown_name(holder) if holder else "",
                      at=last.at)


HANDLERS: dict[type, Callable[[Ctx, Any], tuple[Hearing, list[Effect]]]] = {
    HandOverCommand: hand_over,
}
