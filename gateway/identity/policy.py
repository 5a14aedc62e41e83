"""Authorization as data: every route declares a `Rule`; `decide` evaluates it.

A `Rule` is a list of `Grant`s; the request is allowed if ANY grant admits the principal. A grant
admits when its predicate holds AND (if it names roles) the principal's role is one of them:

    Rule("hearing.detail", (Grant(Predicate.STAFF, roles={ADMIN}),
                            Grant(Predicate.MEDIATOR_OF_HEARING)))

Predicates (the principal comes from the session or token, the context from the gateway):
- `anyone`: everyone, signed in or not.
- `signed_in`: any principal.
- `staff`: an account principal (admin, mediator, auditor).
- `participant`: a participant principal (bound to one hearing through an invitation).
- `mediator_of_hearing`: the path's hearing H is mediated by this principal: a participant whose
  role is mediator in H, or a staff mediator whose hearings (`context.mediated_hearings`, filled by
  the gateway from signalling's data) include H.
- `participant_of_hearing`: a participant bound to H, or the mediator of H (a mediator is a
  participant of its hearing, DESIGN §1).

Staff whose session has not completed TOTP enrolment (`context.mfa_complete` False) are refused
everything except rules marked `allow_pending_mfa` (enrolment, `me`, sign-out): TOTP is mandatory
before any other action. The same for an account that must choose its own password
(`context.password_change_required`: an administrator set the one it signed in with): only rules
marked `allow_pending_password` (changing it, `me`, sign-out). That step comes first; enrolment
follows it. Anonymous callers refused by a rule get `unauthenticated` (401); signed-in
ones get `forbidden` (403). The decision's `reason` goes into the denial's audit event.

This is the gateway's coarse check; the owning service makes the final decision (DESIGN §2).

Each route declares its rule in the gateway's route table (gateway/http/routes.py), which refuses
to freeze with a route that has none: the gateway cannot start with an undeclared route.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from proto.common import STAFF_ROLES, Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind


class Predicate(StrEnum):
    ANYONE = "anyone"
    SIGNED_IN = "signed_in"
    STAFF = "staff"
    PARTICIPANT = "participant"
    MEDIATOR_OF_HEARING = "mediator_of_hearing"
    PARTICIPANT_OF_HEARING = "participant_of_hearing"


@dataclass(frozen=True)
class Grant:
    predicate: Predicate
    roles: frozenset[Role] | None = None

    def __init__(self, predicate: Predicate, roles: Iterable[Role] | None = None) -> None:
        object.__setattr__(self, "predicate", predicate)
        object.__setattr__(self, "roles", None if roles is None else frozenset(roles))


@dataclass(frozen=True)
class Rule:
    name: str
    grants: tuple[Grant, ...]
    allow_pending_mfa: bool = False
    allow_pending_password: bool = False

    def __post_init__(self) -> None:
        if not self.grants:
            raise ValueError(f"rule {self.name!r} grants nothing; declare who may call it")


@dataclass(frozen=True)
class RequestContext:
    """What the gateway knows about the request beyond the principal."""

    hearing: str | None = None
    mediated_hearings: frozenset[str] = frozenset()
    mfa_complete: bool = True
    password_change_required: bool = False


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    code: ErrorCode | None = None  # set when denied: UNAUTHENTICATED or FORBIDDEN


# --- common rules ---------------------------------------------------------------------------

def anyone(name: str) -> Rule:
    return Rule(name, (Grant(Predicate.ANYONE),), allow_pending_mfa=True,
                allow_pending_password=True)


def signed_in(name: str, *, allow_pending_mfa: bool = False,
              allow_pending_password: bool = False) -> Rule:
    return Rule(name, (Grant(Predicate.SIGNED_IN),), allow_pending_mfa=allow_pending_mfa,
                allow_pending_password=allow_pending_password)


def staff(name: str, *roles: Role, allow_pending_mfa: bool = False) -> Rule:
    return Rule(name, (Grant(Predicate.STAFF, roles or None),), allow_pending_mfa)


# --- evaluation -----------------------------------------------------------------------------

def _mediates(principal: Principal, context: RequestContext) -> bool:
    if context.hearing is None or principal.role is not Role.MEDIATOR:
        return False
    if principal.kind is PrincipalKind.PARTICIPANT:
        return principal.hearing == context.hearing
    if principal.kind is PrincipalKind.ACCOUNT:
        return context.hearing in context.mediated_hearings
    return False


def _holds(predicate: Predicate, principal: Principal | None, context: RequestContext) -> bool:
    if predicate is Predicate.ANYONE:
        return True
    if principal is None:
        return False
    match predicate:
        case Predicate.SIGNED_IN:
            return True
        case Predicate.STAFF:
            return principal.kind is PrincipalKind.ACCOUNT and principal.role in STAFF_ROLES
        case Predicate.PARTICIPANT:
            return principal.kind is PrincipalKind.PARTICIPANT and principal.hearing is not None
        case Predicate.MEDIATOR_OF_HEARING:
            return _mediates(principal, context)
        case Predicate.PARTICIPANT_OF_HEARING:
            bound = (principal.kind is PrincipalKind.PARTICIPANT and context.hearing is not None
                     and principal.hearing == context.hearing)
            return bound or _mediates(principal, context)


def decide(rule: Rule, principal: Principal | None, context: RequestContext) -> Decision:
    """Evaluate `rule` for `principal` (None: anonymous) in `context`."""
    if principal is not None and context.password_change_required \
            and not rule.allow_pending_password:
        return Decision(False, f"{rule.name}: a new password must be chosen first",
                        ErrorCode.FORBIDDEN)
    if principal is not None and not context.mfa_complete and not rule.allow_pending_mfa:
        return Decision(False, f"{rule.name}: TOTP enrolment required first", ErrorCode.FORBIDDEN)
    for grant in rule.grants:
        if not _holds(grant.predicate, principal, context):
            continue
        if grant.roles is not None and (principal is None or principal.role not in grant.roles):
            continue
        return Decision(True, f"{rule.name}: {grant.predicate}")
    if principal is None:
        return Decision(False, f"{rule.name}: sign-in required", ErrorCode.UNAUTHENTICATED)
    wanted = " or ".join(
        g.predicate.value + ("" if g.roles is None else f"[{','.join(sorted(g.roles))}]")
        for g in rule.grants
    )
    return Decision(False, f"{rule.name}: requires {wanted}", ErrorCode.FORBIDDEN)
