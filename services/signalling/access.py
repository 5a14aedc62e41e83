"""Who may act in a hearing. The final authority on room moves is here, not in the gateway.

* The hearing's mediator is the staff account named in `Hearing.mediator`, signed in with the
  mediator role; it is also that hearing's participant with the same id. No other account, not
  even an admin, holds mediator controls (an admin may create hearings and read their detail).
* A participant principal acts only in the hearing its session is bound to, and only while its
  status is `active` (a denied or removed participant can do nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.ws import HearingState

from .effects import Env
from .errors import Conflict, Forbidden
from .model import Hearing, Participant, ParticipantStatus


@dataclass(frozen=True, slots=True)
class Ctx:
    h: Hearing
    principal: Principal
    now: int
    env: Env
    #: The socket a WebSocket command came from (None: a REST or internal command).
    conn: str | None = None


def is_hearing_mediator(h: Hearing, principal: Principal) -> bool:
    return (principal.kind is PrincipalKind.ACCOUNT and principal.role is Role.MEDIATOR
            and principal.id == h.mediator)


def identify(h: Hearing, principal: Principal) -> Participant:
    """The participant record this principal is, whatever its status; raises `Forbidden`."""
    if is_hearing_mediator(h, principal):
        return h.participants[h.mediator]
    if principal.kind is PrincipalKind.PARTICIPANT and principal.hearing == h.id:
        p = h.participants.get(principal.id)
        if p is not None and p.role is not Role.MEDIATOR:
            return p
    raise Forbidden("not a participant of this hearing")


def actor(h: Hearing, principal: Principal) -> Participant:
    """The active participant acting; raises `Forbidden` for anyone else."""
    p = identify(h, principal)
    if p.status is not ParticipantStatus.ACTIVE:
        raise Forbidden("participant is not active in this hearing")
    return p


def mediator(h: Hearing, principal: Principal) -> Participant:
    """The hearing's own mediator; raises `Forbidden` for anyone else (parties, admins, ...)."""
    if not is_hearing_mediator(h, principal):
        raise Forbidden("only this hearing's mediator may do that")
    return h.participants[h.mediator]


def may_read_detail(h: Hearing, principal: Principal) -> None:
    if is_hearing_mediator(h, principal):
        return
    if principal.kind is PrincipalKind.ACCOUNT and principal.role is Role.ADMIN:
        return
    raise Forbidden("only the hearing's mediator or an admin may read its detail")


def may_read_schedule(h: Hearing, principal: Principal) -> None:
    """The title, start and zone (the calendar file): whoever may read the detail, and the
    hearing's own participants (a party waiting for it, whatever their status now)."""
    if principal.kind is PrincipalKind.PARTICIPANT:
        identify(h, principal)
        return
    may_read_detail(h, principal)


def not_closed(h: Hearing) -> None:
    if h.state is HearingState.CLOSED:
        raise Conflict("the hearing is closed")


def is_open(h: Hearing) -> None:
    if h.state is not HearingState.OPEN:
        raise Conflict(f"the hearing is {h.state}, not open")
