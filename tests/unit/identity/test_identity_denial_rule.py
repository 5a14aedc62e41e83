"""Which refusals the gateway audits (gateway/identity/authn.py `audits_denial`): every one but
the browser's "who am I?" probe (`UNAUDITED_PROBES` answered 401 without a bearer token: with
no session cookie, or one whose session has ended). The behaviour against the real
suite: tests/integration/identity/test_identity_denial_audit.py."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import make_mocked_request

from gateway.app import build_routes
from gateway.identity.authn import UNAUDITED_PROBES, audits_denial, presents_credential
from gateway.identity.policy import Predicate
from proto.errors import ErrorCode

ME = "GET /api/v1/me"


def test_the_browsers_probe_is_not_audited() -> None:
    assert not audits_denial(ME, ErrorCode.UNAUTHENTICATED, bearer_presented=False)


def test_the_probe_with_a_bearer_token_is_audited() -> None:
    assert audits_denial(ME, ErrorCode.UNAUTHENTICATED, bearer_presented=True)


@pytest.mark.parametrize("presented", [False, True])
def test_other_routes_and_codes_are_audited(presented: bool) -> None:
    assert audits_denial("GET /api/v1/tokens", ErrorCode.UNAUTHENTICATED, presented)
    assert audits_denial("GET /api/v1/audit/events", ErrorCode.UNAUTHENTICATED, presented)
    assert audits_denial(ME, ErrorCode.FORBIDDEN, presented)


def test_every_probe_names_a_declared_route_that_needs_sign_in() -> None:
    routes = {route.key: route for route in build_routes()}
    for key in UNAUDITED_PROBES:
        assert key in routes, key  # a renamed route must not silently start auditing again
        assert all(g.predicate is not Predicate.ANYONE for g in routes[key].access.grants)


@pytest.mark.parametrize(("headers", "presented"), [
    ({}, False),
    ({"Cookie": "other=1"}, False),
    ({"Cookie": "parley_session=bogus"}, True),
    ({"Cookie": "parley_session="}, True),
    ({"Authorization": "Bearer prl_x"}, True),
    ({"authorization": ""}, True),
])
def test_a_credential_is_any_session_cookie_or_authorization_header(
        headers: dict[str, str], presented: bool) -> None:
    assert presents_credential(make_mocked_request("GET", "/api/v1/me", headers=headers)) \
        is presented
