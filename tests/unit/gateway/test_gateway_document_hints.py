"""Who is told that a document changed: exactly those who may read its compartment."""

from __future__ import annotations

import pytest

from gateway.ws.document_events import may_read
from proto.common import Role
from proto.principal import Principal, PrincipalKind


def person(role: Role, side: str | None = None) -> Principal:
    kind = PrincipalKind.ACCOUNT if role is Role.MEDIATOR else PrincipalKind.PARTICIPANT
    return Principal(kind=kind, id="p", role=role, hearing="h", side=side)


@pytest.mark.parametrize(("who", "compartment", "told"), [
    (person(Role.PARTY, "A"), "joint", True),
    (person(Role.PARTY, "A"), "side:A", True),
    (person(Role.COUNSEL, "A"), "confidential:A", True),
    (person(Role.PARTY, "B"), "side:A", False),
    (person(Role.PARTY, "B"), "confidential:A", False),
    (person(Role.PARTY, "A"), "mediator", False),
    (person(Role.OBSERVER), "joint", True),
    (person(Role.OBSERVER), "side:A", False),
    (person(Role.OBSERVER), "confidential:A", False),
    (person(Role.MEDIATOR), "confidential:A", True),
    (person(Role.MEDIATOR), "side:A", False),
    (person(Role.MEDIATOR), "mediator", True),
    (person(Role.PARTY, None), "side:None", False),
])
def test_only_readers_of_a_compartment_are_told(who: Principal, compartment: str,
                                                told: bool) -> None:
    assert may_read(who, compartment) is told
