"""The compartment matrix: every principal kind x every compartment x every action."""

from __future__ import annotations

import pytest

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from services.evidence.access import (
    Action,
    Compartment,
    HearingFacts,
    allowed,
    check_widening,
    owner_for,
    standing,
)
from services.evidence.errors import ReleaseError

H = "h1"
FACTS = HearingFacts(hearing=H, mediators=frozenset({"med1", "pmed"}), sides=frozenset({"A", "B"}))
ADMITTED = HearingFacts(hearing=H, mediators=FACTS.mediators, sides=FACTS.sides,
                        observer_admitted=True)
ACC, PART = PrincipalKind.ACCOUNT, PrincipalKind.PARTICIPANT


def p(kind: PrincipalKind, pid: str, role: Role | None, hearing: str | None = None,
      side: str | None = None) -> Principal:
    return Principal(kind=kind, id=pid, role=role, hearing=hearing, side=side)


#: name → (principal, facts, compartments it may read)
PRINCIPALS: dict[str, tuple[Principal, HearingFacts, set[str]]] = {
    "admin": (p(ACC, "adm", Role.ADMIN), FACTS, set()),
    "auditor": (p(ACC, "aud", Role.AUDITOR), FACTS, set()),
    "mediator-account": (p(ACC, "med1", Role.MEDIATOR), FACTS,
                         {"joint", "confidential:A", "confidential:B", "mediator"}),
    "mediator-of-other-hearing": (p(ACC, "med9", Role.MEDIATOR), FACTS, set()),
    "mediator-participant": (p(PART, "pmed", Role.MEDIATOR, H), FACTS,
                             {"joint", "confidential:A", "confidential:B", "mediator"}),
    "party-A": (p(PART, "pa", Role.PARTY, H, "A"), FACTS, {"joint", "side:A", "confidential:A"}),
    "counsel-A": (p(PART, "ca", Role.COUNSEL, H, "A"), FACTS,
                  {"joint", "side:A", "confidential:A"}),
    "party-B": (p(PART, "pb", Role.PARTY, H, "B"), FACTS, {"joint", "side:B", "confidential:B"}),
    "counsel-B": (p(PART, "cb", Role.COUNSEL, H, "B"), FACTS,
                  {"joint", "side:B", "confidential:B"}),
    "party-unknown-side": (p(PART, "px", Role.PARTY, H, "Z"), FACTS, set()),
    "party-no-side": (p(PART, "pn", Role.PARTY, H), FACTS, set()),
    "party-other-hearing": (p(PART, "po", Role.PARTY, "h2", "A"), FACTS, set()),
    "observer-admitted": (p(PART, "ob", Role.OBSERVER, H), ADMITTED, {"joint"}),
    "observer-not-admitted": (p(PART, "ob", Role.OBSERVER, H), FACTS, set()),
    "system": (p(PrincipalKind.SYSTEM, "sweeper", None), FACTS, set()),
}
COMPARTMENTS = ["joint", "side:A", "side:B", "confidential:A", "confidential:B", "mediator"]
#: (owning side, from, to) releases that are allowed; everything else is denied
RELEASES = {("A", "side:A", "confidential:A"), ("A", "side:A", "joint"),
            ("A", "confidential:A", "joint"), ("B", "side:B", "confidential:B"),
            ("B", "side:B", "joint"), ("B", "confidential:B", "joint")}
UPLOADS = {
    "mediator-account": {"joint", "mediator"}, "mediator-participant": {"joint", "mediator"},
    "party-A": {"joint", "side:A", "confidential:A"},
    "counsel-A": {"joint", "side:A", "confidential:A"},
    "party-B": {"joint", "side:B", "confidential:B"},
    "counsel-B": {"joint", "side:B", "confidential:B"},
}


def owner_of(compartment: str) -> str:
    return "side:" + compartment.split(":")[1] if ":" in compartment else "mediator"


@pytest.mark.parametrize("name", PRINCIPALS)
@pytest.mark.parametrize("compartment", COMPARTMENTS)
@pytest.mark.parametrize("action", [Action.LIST, Action.VIEW, Action.DOWNLOAD])
def test_read_matrix(name: str, compartment: str, action: Action) -> None:
    principal, facts, readable = PRINCIPALS[name]
    got = allowed(principal, facts, action, Compartment.parse(compartment),
                  owner=owner_of(compartment))
    assert got == (compartment in readable)


@pytest.mark.parametrize("name", PRINCIPALS)
@pytest.mark.parametrize("compartment", COMPARTMENTS)
def test_upload_matrix(name: str, compartment: str) -> None:
    principal, facts, _ = PRINCIPALS[name]
    got = allowed(principal, facts, Action.UPLOAD, Compartment.parse(compartment))
    assert got == (compartment in UPLOADS.get(name, set()))


@pytest.mark.parametrize("name", PRINCIPALS)
@pytest.mark.parametrize("current", COMPARTMENTS)
@pytest.mark.parametrize("target", COMPARTMENTS)
def test_release_matrix(name: str, current: str, target: str) -> None:
    principal, facts, _ = PRINCIPALS[name]
    got = allowed(principal, facts, Action.RELEASE, Compartment.parse(current),
                  owner=owner_of(current), target=Compartment.parse(target))
    side = principal.side if principal.kind is PART and principal.hearing == H else None
    assert got == ((side, current, target) in RELEASES)


@pytest.mark.parametrize("owner", ["side:A", "mediator"])
def test_joint_document_released_by_its_owner_is_still_denied(owner: str) -> None:
    principal = PRINCIPALS["party-A"][0]
    assert not allowed(principal, FACTS, Action.RELEASE, Compartment.parse("joint"), owner=owner,
                       target=Compartment.parse("joint"))


def test_side_member_cannot_release_a_document_it_does_not_own() -> None:
    """side:A uploaded by side A but (somehow) owned by B: owner decides, not compartment."""
    principal = PRINCIPALS["party-A"][0]
    assert not allowed(principal, FACTS, Action.RELEASE, Compartment.parse("side:A"),
                       owner="side:B", target=Compartment.parse("joint"))


@pytest.mark.parametrize("current,target", [
    ("joint", "side:A"), ("confidential:A", "side:A"), ("mediator", "joint"),
    ("side:A", "side:B"), ("side:A", "confidential:B"), ("confidential:A", "confidential:B"),
    ("side:A", "side:A"), ("joint", "joint"), ("side:A", "mediator")])
def test_widening_only(current: str, target: str) -> None:
    with pytest.raises(ReleaseError):
        check_widening(Compartment.parse(current), Compartment.parse(target))


def test_owner_recorded_on_upload() -> None:
    who_a = standing(PRINCIPALS["counsel-A"][0], FACTS)
    who_m = standing(PRINCIPALS["mediator-account"][0], FACTS)
    assert who_a is not None and who_m is not None
    assert owner_for(who_a, Compartment.parse("joint")) == "side:A"
    assert owner_for(who_m, Compartment.parse("joint")) == "mediator"


@pytest.mark.parametrize("text", ["", "side", "side:", "joint:x", "mediator:A", "confidential",
                                  "public"])
def test_compartment_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        Compartment.parse(text)
