"""`GET /api/v1/audit/events`'s query parameters as the gateway reads them: a person's report
(`actor` with `with_invitations`) is asked for as true or false, and only with an actor."""

from __future__ import annotations

import pytest

from gateway.api.audit_params import event_query
from parley.errors import ServiceFailure
from proto.errors import ErrorCode


def test_with_invitations_is_true_or_false_and_needs_an_actor() -> None:
    assert event_query({"actor": "pCy", "with_invitations": "true"}).with_invitations
    assert not event_query({"actor": "pCy", "with_invitations": "false"}).with_invitations
    assert not event_query({"actor": "pCy"}).with_invitations
    for params in ({"actor": "pCy", "with_invitations": "yes"}, {"with_invitations": "true"},
                   {"actor": "pCy", "person": "Cy Wong", "with_invitations": "true"}):
        with pytest.raises(ServiceFailure) as raised:
            event_query(params)
        assert raised.value.code is ErrorCode.INVALID, params
