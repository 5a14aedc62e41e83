"""Who may do what to which document (pure; DESIGN §1 compartments, §6 access).

Compartments:
    joint              every participant of the hearing (observers only while admitted)
    side:<id>          that side only (its party and counsel); not even the mediator
    confidential:<id>  that side and the mediator ("shared with the mediator in confidence")
    mediator           the hearing's mediator only (own notes)

Principals resolve to one *standing* in the hearing, from the forwarded principal and what the
roster says (`HearingFacts`); anything that does not resolve is an outsider and is denied
everything: admins and auditors (staff who run or audit the institution, not read its evidence),
system principals, participants of another hearing, a mediator of another hearing, a
party/counsel whose side is not in the roster, an observer not currently admitted.

Release (`to`): only the owning side, and only widening:
    side:X → confidential:X or joint;  confidential:X → joint.   Nothing else, ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from services.evidence.errors import ReleaseError


class Action(StrEnum):
    LIST = "list"
    VIEW = "view"
    DOWNLOAD = "download"
    RELEASE = "release"
    UPLOAD = "upload"


READ_ACTIONS = frozenset({Action.LIST, Action.VIEW, Action.DOWNLOAD})


@dataclass(frozen=True)
class Compartment:
    kind: str  # "joint" | "side" | "confidential" | "mediator"
    side: str | None = None

    @classmethod
    def parse(cls, text: str) -> Compartment:
        kind, _, side = text.partition(":")
        if kind in ("joint", "mediator") and not side:
            return cls(kind)
        if kind in ("side", "confidential") and side:
            return cls(kind, side)
        raise ValueError("unknown compartment")

    def __str__(self) -> str:
        return self.kind if self.side is None else f"{self.kind}:{self.side}"


@dataclass(frozen=True)
class HearingFacts:
    """What the roster says about this hearing and this principal, looked up by the caller."""

    hearing: str
    mediators: frozenset[str]  # ids (account or participant) that mediate this hearing
    sides: frozenset[str]
    observer_admitted: bool = False  # the principal, an observer, is in a room right now
    #: The participant principal is on the roster now (not removed, not denied). Sessions can
    #: outlive a removal by a moment; evidence asks the roster, not the session.
    member: bool = True
    #: The hearing is closed (final): its documents can still be read, never added to.
    closed: bool = False
    #: Its documents are destroyed (signalling decided: ended with "destroy", or its retention
    #: period passed): none is read any more, even before the key is shredded.
    destroyed: bool = False


@dataclass(frozen=True)
class Standing:
    kind: str  # "mediator" | "side" | "observer"
    side: str | None = None


def standing(principal: Principal, facts: HearingFacts) -> Standing | None:
    """The principal's place in this hearing, or None for an outsider."""
    if principal.kind is PrincipalKind.ACCOUNT:
        if principal.role is Role.MEDIATOR and principal.id in facts.mediators:
            return Standing("mediator")
        return None
    if principal.kind is not PrincipalKind.PARTICIPANT or principal.hearing != facts.hearing \
            or not facts.member:
        return None
    if principal.role is Role.MEDIATOR:
        return Standing("mediator") if principal.id in facts.mediators else None
    if principal.role in (Role.PARTY, Role.COUNSEL):
        side = principal.side
        return Standing("side", side) if side is not None and side in facts.sides else None
    if principal.role is Role.OBSERVER and facts.observer_admitted:
        return Standing("observer")
    return None


def can_read(who: Standing | None, compartment: Compartment) -> bool:
    if who is None:
        return False
    match compartment.kind:
        case "joint":
            return True
        case "side":
            return who.kind == "side" and who.side == compartment.side
        case "confidential":
            return who.kind == "mediator" or (who.kind == "side" and who.side == compartment.side)
        case "mediator":
            return who.kind == "mediator"
    return False


def can_upload(who: Standing | None, compartment: Compartment) -> bool:
    """Sides upload to joint or their own side/confidential compartments; the mediator to joint
    or its notes. Observers never upload."""
    if who is None or who.kind == "observer":
        return False
    if who.kind == "mediator":
        return compartment.kind in ("joint", "mediator")
    return compartment.kind == "joint" or (
        compartment.kind in ("side", "confidential") and compartment.side == who.side)


def owner_for(who: Standing, compartment: Compartment) -> str:
    """The owner recorded on upload: the uploader's side, or the mediator."""
    return "mediator" if who.kind == "mediator" else f"side:{who.side}"


def is_widening(current: Compartment, target: Compartment) -> bool:
    if current.kind == "side":
        return target.kind == "joint" or (target.kind == "confidential"
                                          and target.side == current.side)
    return current.kind == "confidential" and target.kind == "joint"


def check_widening(current: Compartment, target: Compartment) -> None:
    if not is_widening(current, target):
        raise ReleaseError("a release may only widen the document's own compartment")


def allowed(principal: Principal, facts: HearingFacts, action: Action, compartment: Compartment,
            *, owner: str | None = None, target: Compartment | None = None) -> bool:
    """The single decision function. `owner` and `target` matter for RELEASE only."""
    who = standing(principal, facts)
    if action in READ_ACTIONS:
        return not facts.destroyed and can_read(who, compartment)
    if action is Action.UPLOAD:
        return not facts.closed and can_upload(who, compartment)
    if action is Action.RELEASE:
        return (who is not None and who.kind == "side" and owner == f"side:{who.side}"
                and can_read(who, compartment) and target is not None
                and is_widening(compartment, target))
    return False
