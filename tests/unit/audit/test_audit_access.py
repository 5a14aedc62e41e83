"""Who may read the audit log: auditors only; every refusal is raised with its error code."""

from __future__ import annotations

import pytest

from proto.common import Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from services.audit.access import require_auditor
from services.audit.errors import NotAnAuditorError, NotSignedInError, ReadRefusedError


def test_an_auditor_may_read() -> None:
    auditor = Principal(kind=PrincipalKind.ACCOUNT, id="a1", role=Role.AUDITOR)
    assert require_auditor(auditor) is auditor


def test_nobody_signed_in_is_unauthenticated() -> None:
    with pytest.raises(NotSignedInError) as refused:
        require_auditor(None)
    assert refused.value.envelope().code is ErrorCode.UNAUTHENTICATED


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MEDIATOR])
def test_other_staff_are_forbidden(role: Role) -> None:
    with pytest.raises(NotAnAuditorError) as refused:
        require_auditor(Principal(kind=PrincipalKind.ACCOUNT, id="s1", role=role))
    assert refused.value.envelope().code is ErrorCode.FORBIDDEN


def test_a_participant_is_forbidden() -> None:
    with pytest.raises(ReadRefusedError) as refused:
        require_auditor(Principal(kind=PrincipalKind.PARTICIPANT, id="p1", hearing="h1"))
    assert refused.value.code is ErrorCode.FORBIDDEN
