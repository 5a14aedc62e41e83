import pytest

from gateway.identity.policy import (
    Grant,
    Predicate,
    RequestContext,
    Rule,
    anyone,
    decide,
    signed_in,
    staff,
)
from proto.common import Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind

H, G = "hearing-h", "hearing-g"
ACC, PART = PrincipalKind.ACCOUNT, PrincipalKind.PARTICIPANT

# name -> (principal, hearings the gateway says this staff member mediates, TOTP done)
PRINCIPALS: dict[str, tuple[Principal | None, frozenset[str], bool]] = {
    "anonymous": (None, frozenset(), True),
    "admin": (Principal(kind=ACC, id="a1", role=Role.ADMIN), frozenset(), True),
    "admin_no_totp": (Principal(kind=ACC, id="a2", role=Role.ADMIN), frozenset(), False),
    "mediator_H": (Principal(kind=ACC, id="m1", role=Role.MEDIATOR), frozenset({H}), True),
    "mediator_G": (Principal(kind=ACC, id="m2", role=Role.MEDIATOR), frozenset({G}), True),
    "auditor": (Principal(kind=ACC, id="au", role=Role.AUDITOR), frozenset(), True),
    "party_A": (Principal(kind=PART, id="p1", role=Role.PARTY, hearing=H, side="A"),
                frozenset(), True),
    "counsel_A": (Principal(kind=PART, id="p2", role=Role.COUNSEL, hearing=H, side="A"),
                  frozenset(), True),
    "party_B": (Principal(kind=PART, id="p3", role=Role.PARTY, hearing=H, side="B"),
                frozenset(), True),
    "observer": (Principal(kind=PART, id="p4", role=Role.OBSERVER, hearing=H), frozenset(), True),
    "party_of_G": (Principal(kind=PART, id="p5", role=Role.PARTY, hearing=G, side="A"),
                   frozenset(), True),
    "participant_mediator_H": (Principal(kind=PART, id="p6", role=Role.MEDIATOR, hearing=H),
                               frozenset(), True),
}

RULES: list[Rule] = [
    anyone("signin"),
    signed_in("me", allow_pending_mfa=True),
    staff("totp.enroll", allow_pending_mfa=True),
    staff("accounts", Role.ADMIN),
    staff("audit.events", Role.AUDITOR),
    Rule("hearing.detail", (Grant(Predicate.STAFF, {Role.ADMIN}),
                            Grant(Predicate.MEDIATOR_OF_HEARING))),
    Rule("hearing.documents", (Grant(Predicate.PARTICIPANT_OF_HEARING),)),
    Rule("document.release", (Grant(Predicate.PARTICIPANT_OF_HEARING,
                                    {Role.PARTY, Role.COUNSEL}),)),
    Rule("ice", (Grant(Predicate.PARTICIPANT),)),
]

# Y = allowed, 401 = unauthenticated, 403 = forbidden. Columns follow RULES.
EXPECTED: dict[str, tuple[str, ...]] = {
    #                        signin me   totp accts audit detail docs release ice
    "anonymous":            ("Y", "401", "401", "401", "401", "401", "401", "401", "401"),
    "admin":                ("Y", "Y",   "Y",   "Y",   "403", "Y",   "403", "403", "403"),
    "admin_no_totp":        ("Y", "Y",   "Y",   "403", "403", "403", "403", "403", "403"),
    "mediator_H":           ("Y", "Y",   "Y",   "403", "403", "Y",   "Y",   "403", "403"),
    "mediator_G":           ("Y", "Y",   "Y",   "403", "403", "403", "403", "403", "403"),
    "auditor":              ("Y", "Y",   "Y",   "403", "Y",   "403", "403", "403", "403"),
    "party_A":              ("Y", "Y",   "403", "403", "403", "403", "Y",   "Y",   "Y"),
    "counsel_A":            ("Y", "Y",   "403", "403", "403", "403", "Y",   "Y",   "Y"),
    "party_B":              ("Y", "Y",   "403", "403", "403", "403", "Y",   "Y",   "Y"),
    "observer":             ("Y", "Y",   "403", "403", "403", "403", "Y",   "403", "Y"),
    "party_of_G":           ("Y", "Y",   "403", "403", "403", "403", "403", "403", "Y"),
    "participant_mediator_H": ("Y", "Y", "403", "403", "403", "Y",   "Y",   "403", "Y"),
}


def _status(rule: Rule, who: str) -> str:
    principal, mediated, mfa = PRINCIPALS[who]
    decision = decide(rule, principal, RequestContext(hearing=H, mediated_hearings=mediated,
                                                      mfa_complete=mfa))
    if decision.allowed:
        assert decision.code is None
        return "Y"
    assert decision.reason.startswith(rule.name)
    assert decision.code is not None
    return {ErrorCode.UNAUTHENTICATED: "401", ErrorCode.FORBIDDEN: "403"}[decision.code]


def test_table_covers_every_principal_and_rule() -> None:
    assert set(EXPECTED) == set(PRINCIPALS)
    assert all(len(row) == len(RULES) for row in EXPECTED.values())


@pytest.mark.parametrize("who", sorted(PRINCIPALS))
def test_principal_rule_matrix(who: str) -> None:
    got = tuple(_status(rule, who) for rule in RULES)
    assert got == EXPECTED[who]


def test_mediator_of_hearing_needs_a_hearing_in_context() -> None:
    principal, mediated, _ = PRINCIPALS["mediator_H"]
    rule = Rule("x", (Grant(Predicate.MEDIATOR_OF_HEARING),))
    assert not decide(rule, principal, RequestContext(mediated_hearings=mediated)).allowed


def test_denial_reason_names_the_requirement() -> None:
    principal, _, _ = PRINCIPALS["auditor"]
    decision = decide(staff("accounts.create", Role.ADMIN), principal, RequestContext())
    assert decision.reason == "accounts.create: requires staff[admin]"


def test_rule_without_grants_refused() -> None:
    with pytest.raises(ValueError, match="grants nothing"):
        Rule("empty", ())
