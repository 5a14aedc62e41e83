"""The role x route matrix: EVERY route of `gateway.app.build_routes()` x every kind of caller.

One row per route; one column per principal; a cell is what the real gateway (in the real suite)
answers that caller:
    ok   the caller gets past access control: any status but 401/403 (and never 5xx); the
         request bodies below are chosen so that an allowed call does no harm (mostly 400/404)
    401  refused as not signed in (anonymous, or credentials that no longer hold)
    403  refused as signed in but not allowed (by the gateway's rule or the owning service)

Hearings H and G are real (identity_hearings.py, through the API): medH created and opened H
with sides A and B, invited partyA, counselA, partyB and the observer, who each redeemed their
invitation; medG created G. {hearing} is H, {document} a joint document medH uploaded into H, so
the hearing and document rows show the gateway's rule AND the owning service's final decision.
The observer waits in H's lobby (never admitted): evidence gives it no standing, hence its 403s.

ADDING A ROUTE: add its row to MATRIX (columns in the order of PRINCIPALS), and if an allowed
call would change something that matters, a harmless body in BODIES or path values in PARAMS.
A route without a row, or a row without a route, fails `test_every_route_has_a_row`.
`PARLEY_MATRIX_PRINT=1` prints the observed table in this format (check it before pasting!).

A staff session whose account owes a new password (an administrator reset it) is refused every
route but `me`, sign-out, changing the password and the routes open to anyone:
`test_a_password_owed_refuses_every_other_route`, over the same routes.

Principals (all made through the real API except `expired`, a session record past its expiry):
    anon     no credentials                 admin/mediator/auditor  staff (TOTP enrolled);
                                            `mediator` mediates no hearing
    medH     staff mediator who created H   medG     staff mediator of another hearing, G
    partyA   party of H, side A             counselA counsel of H, side A
    partyB   party of H, side B             observer observer of H (no side)
    disabled staff session of a disabled account
    expired  staff session past its expiry  revoked  a revoked bearer token
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from gateway.app import build_routes
from proto.common import Role
from proto.principal import PrincipalKind
from tests.harness import Suite
from tests.integration.identity.identity_hearings import hearing_world
from tests.integration.identity.identity_support import HIGH_LIMITS, forge_session, raw
from tests.people import create_staff, sign_in, staff_people

PRINCIPALS = ("anon", "admin", "mediator", "auditor", "medH", "medG", "partyA", "counselA",
              "partyB", "observer", "disabled", "expired", "revoked")

# route                                         anon admin medtr audit medH medG  pA   cA   pB   obs  dis  exp  rev
MATRIX = """
GET /                                            ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /join                                        ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /techcheck                                   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /admin                                       ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /admin/{view:[A-Za-z0-9/_-]+}                ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /audit                                       ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /audit/{view:[A-Za-z0-9/_-]+}                ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /hearing                                     ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /hearings                                    ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /hearings/{hearing}                          ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /hearings/{hearing}/setup                    ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /lobby                                       ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /signin                                      ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /signin/enroll                               ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /signin/password                             ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /static/{file:[A-Za-z0-9_./-]+}              ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /healthz                                     ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /readyz                                      ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /api/v1/openapi.json                         ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /api/v1/asyncapi.json                        ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
POST /api/v1/auth/bootstrap                      ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
POST /api/v1/auth/signin                         ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
POST /api/v1/auth/signout                        401  ok   ok   ok   ok   ok   ok   ok   ok   ok   401  401  401
GET /api/v1/me                                   401  ok   ok   ok   ok   ok   ok   ok   ok   ok   401  401  401
PATCH /api/v1/me                                 401  ok   ok   ok   ok   ok   403  403  403  403  401  401  401
POST /api/v1/auth/totp/enroll                    401  ok   ok   ok   ok   ok   403  403  403  403  401  401  401
POST /api/v1/auth/totp/confirm                   401  ok   ok   ok   ok   ok   403  403  403  403  401  401  401
GET /api/v1/tokens                               401  ok   ok   ok   ok   ok   403  403  403  403  401  401  401
POST /api/v1/tokens                              401  ok   ok   ok   ok   ok   403  403  403  403  401  401  401
DELETE /api/v1/tokens/{token}                    401  ok   ok   ok   ok   ok   403  403  403  403  401  401  401
GET /api/v1/accounts                             401  ok   403  403  403  403  403  403  403  403  401  401  401
POST /api/v1/accounts                            401  ok   403  403  403  403  403  403  403  403  401  401  401
PATCH /api/v1/accounts/{account}                 401  ok   403  403  403  403  403  403  403  403  401  401  401
POST /api/v1/accounts/{account}/password         401  ok   403  403  403  403  403  403  403  403  401  401  401
POST /api/v1/me/password                         401  ok   ok   ok   ok   ok   403  403  403  403  401  401  401
POST /api/v1/invitations/redeem                  ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok
GET /api/v1/hearings                             401  ok   ok   403  ok   ok   403  403  403  403  401  401  401
POST /api/v1/hearings                            401  ok   ok   403  ok   ok   403  403  403  403  401  401  401
GET /api/v1/hearings/{hearing}                   401  ok   403  403  ok   403  403  403  403  403  401  401  401
PATCH /api/v1/hearings/{hearing}                 401  403  403  403  ok   403  403  403  403  403  401  401  401
POST /api/v1/hearings/{hearing}/mediator         401  ok   403  403  403  403  403  403  403  403  401  401  401
POST /api/v1/hearings/{hearing}/open             401  403  403  403  ok   403  403  403  403  403  401  401  401
POST /api/v1/hearings/{hearing}/close            401  403  403  403  ok   403  403  403  403  403  401  401  401
POST /api/v1/hearings/{hearing}/sides            401  403  403  403  ok   403  403  403  403  403  401  401  401
PATCH /api/v1/hearings/{hearing}/sides/{side}  401  403  403  403  ok   403  403  403  403  403  401  401  401
DELETE /api/v1/hearings/{hearing}/sides/{side}  401  403  403  403  ok   403  403  403  403  403  401  401  401
POST /api/v1/hearings/{hearing}/participants     401  403  403  403  ok   403  403  403  403  403  401  401  401
DELETE /api/v1/hearings/{hearing}/participants/{participant}  401  403  403  403  ok   403  403  403  403  403  401  401  401
POST /api/v1/hearings/{hearing}/participants/{participant}/invitations  401  403  403  403  ok   403  403  403  403  403  401  401  401
GET /api/v1/ice-servers                          401  403  403  403  ok   403  ok   ok   ok   ok   401  401  401
POST /api/v1/techcheck                           401  403  ok   403  ok   ok   ok   ok   ok   ok   401  401  401
GET /api/v1/ws                                   401  403  ok   403  ok   ok   ok   ok   ok   ok   401  401  401
GET /api/v1/hearings/{hearing}/documents         401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
POST /api/v1/hearings/{hearing}/documents        401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
GET /api/v1/hearings/{hearing}/documents/{document}  401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
GET /api/v1/hearings/{hearing}/documents/{document}/content  401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
GET /api/v1/hearings/{hearing}/documents/{document}/versions  401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
POST /api/v1/hearings/{hearing}/documents/{document}/release  401  403  403  403  403  403  ok   ok   ok   403  401  401  401
POST /api/v1/evidence/master-key/rotate          401  ok   403  403  403  403  403  403  403  403  401  401  401
GET /api/v1/audit/events                         401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/checkpoint                     401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/vkey                           401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/status                         401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/entries/{index}/receipt        401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/proofs/inclusion               401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/proofs/consistency             401  403  403  ok   403  403  403  403  403  403  401  401  401
POST /api/v1/audit/exports                       401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/checkpoint                 401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/tile/{s0}/{s1}             401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/tile/{s0}/{s1}/{s2}        401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/tile/{s0}/{s1}/{s2}/{s3}   401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/tile/{s0}/{s1}/{s2}/{s3}/{s4}  401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/tile/{s0}/{s1}/{s2}/{s3}/{s4}/{s5}  401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/tile/{s0}/{s1}/{s2}/{s3}/{s4}/{s5}/{s6}  401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/log/tile/{s0}/{s1}/{s2}/{s3}/{s4}/{s5}/{s6}/{s7}  401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/audit/names                          401  403  403  ok   403  403  403  403  403  403  401  401  401
GET /api/v1/hearings/{hearing}/calendar.ics      401  ok   403  403  ok   403  ok   ok   ok   ok   401  401  401
DELETE /api/v1/hearings/{hearing}/uploads/{upload} 401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
GET /api/v1/hearings/{hearing}/uploads/{upload}  401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
HEAD /api/v1/hearings/{hearing}/uploads/{upload} 401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
PATCH /api/v1/hearings/{hearing}/uploads/{upload} 401  403  403  403  ok   403  ok   ok   ok   403  401  401  401
GET /api/v1/settings                             401  ok   403  403  403  403  403  403  403  403  401  401  401
"""

#: Harmless bodies: an allowed call must not change anything the next cells depend on.
BODIES: dict[str, Any] = {
    "POST /api/v1/auth/totp/enroll": {"unexpected": 1},  # enrolled staff would get 409 anyway
    "POST /api/v1/evidence/master-key/rotate": {"unexpected": 1},
    "POST /api/v1/hearings/{hearing}/close": {"unexpected": 1},  # medH must not close H
    "PATCH /api/v1/hearings/{hearing}": {"unexpected": 1},  # H keeps its title and time
    "POST /api/v1/hearings/{hearing}/mediator": {"unexpected": 1},  # H keeps medH
    "POST /api/v1/accounts/{account}/password": {"unexpected": 1},  # no reset
    "POST /api/v1/me/password": {"unexpected": 1},  # everyone keeps their password
}
#: Query strings (formatted with PARAMS): staff mediators name the hearing for ICE servers.
QUERY = {"GET /api/v1/ice-servers": "?hearing={hearing}"}
#: Path values; anything not named here is "x0".
PARAMS = {"participant": "p0", "index": "0"}  # + hearing, document, token, account: set up
#: Rows that end the caller's session run after every other row.
LAST = ("POST /api/v1/auth/signout",)


def expected_table() -> dict[str, dict[str, str]]:
    table = {}
    for line in MATRIX.strip().splitlines():
        parts = line.split()
        key, cells = f"{parts[0]} {parts[1]}", parts[2:]
        assert len(cells) == len(PRINCIPALS), f"{key}: {len(cells)} cells"
        assert key not in table, f"{key}: two rows"
        table[key] = dict(zip(PRINCIPALS, cells, strict=True))
    return table


def test_every_route_has_a_row() -> None:
    routes = {route.key for route in build_routes()}
    rows = set(expected_table())
    assert not routes - rows, f"routes without a matrix row: {sorted(routes - rows)}"
    assert not rows - routes, f"rows for routes that do not exist: {sorted(rows - routes)}"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("matrix") / "data", extra_env=HIGH_LIMITS)
    running.start()
    yield running
    running.stop()


async def _principals(suite: Suite) -> dict[str, dict[str, str]]:
    """Request headers for every principal."""
    world = await hearing_world(suite)
    people = world.people
    gone = await create_staff(suite, people.admin, "mediator", "gone")
    assert (await people.admin.call("PATCH", f"/api/v1/accounts/{gone.account_id}",
                                    {"disabled": True}))[0] == 200
    status, made = await people.admin.call("POST", "/api/v1/tokens", {"name": "to-revoke"})
    assert status == 201
    assert (await people.admin.call("DELETE", f"/api/v1/tokens/{made['info']['id']}"))[0] == 204
    PARAMS.update(token=made["info"]["id"], account=gone.account_id, hearing=world.hearing,
                  document=world.document)
    headers = {"anon": {}, "admin": people.admin.headers(), "mediator": people.mediator.headers(),
               "auditor": people.auditor.headers(), "disabled": gone.headers(),
               "revoked": {"Authorization": f"Bearer {made['token']}"}}
    headers.update(world.headers)
    nc = await suite.connect("gateway")
    try:
        secret, csrf = await forge_session(nc, kind=PrincipalKind.ACCOUNT,
                                           subject=people.auditor.account_id, role=Role.AUDITOR,
                                           expired=True)
        headers["expired"] = {"Cookie": f"parley_session={secret}", "Parley-CSRF": csrf}
    finally:
        await nc.drain()
    return headers


def _classify(status: int) -> str:
    if status >= 500:
        return "5xx"  # never expected: a server error is always a failure
    return str(status) if status in (401, 403) else "ok"


async def test_role_route_matrix(suite: Suite) -> None:
    headers = await _principals(suite)
    table = expected_table()
    routes = sorted(build_routes(), key=lambda r: (r.key in LAST, r.path, r.method))
    observed: dict[str, dict[str, str]] = {}
    wrong = []
    for route in routes:
        path = route.path
        for name in route.path.split("{")[1:]:
            param = name.split("}")[0]
            path = path.replace("{" + param + "}", PARAMS.get(param, "x0"))
        path += QUERY.get(route.key, "").format(**PARAMS)
        body = BODIES.get(route.key, {}) if route.method in ("POST", "PATCH", "PUT") else None
        row = observed.setdefault(route.key, {})
        for principal in PRINCIPALS:
            status, reply, _ = await raw(suite.base_url, route.method, path,
                                         headers=headers[principal], json=body)
            row[principal] = _classify(status)
            want = table.get(route.key, {}).get(principal)
            if want is not None and want != row[principal]:
                wrong.append(f"{route.key} x {principal}: expected {want}, got {status} {reply}")
    if os.environ.get("PARLEY_MATRIX_PRINT"):
        for key, row in observed.items():
            print(f"{key:<48} " + "  ".join(f"{row[p]:<3}" for p in PRINCIPALS))
    assert not wrong, "\n".join(wrong)


#: What a session that owes a new password may still do (besides the routes open to anyone).
WHILE_PASSWORD_OWED = frozenset({"GET /api/v1/me", "POST /api/v1/me/password",
                                 "POST /api/v1/auth/signout"})


def _path(route_path: str) -> str:
    path = route_path
    for name in route_path.split("{")[1:]:
        param = name.split("}")[0]
        path = path.replace("{" + param + "}", PARAMS.get(param, "x0"))
    return path


async def test_a_password_owed_refuses_every_other_route(suite: Suite) -> None:
    people = await staff_people(suite)
    await people.admin.sign_in_again()  # the matrix signed every cookie session out
    owing = await create_staff(suite, people.admin, "mediator", "owes-a-password")
    status, reset = await people.admin.call(
        "POST", f"/api/v1/accounts/{owing.account_id}/password", {})
    assert status == 200, reset
    await sign_in(owing, {"username": owing.username, "password": reset["temporary_password"],
                          "totp": await owing.next_totp()})
    table = expected_table()
    wrong = []
    for route in sorted(build_routes(), key=lambda r: (r.key in LAST, r.path, r.method)):
        body = BODIES.get(route.key, {}) if route.method in ("POST", "PATCH", "PUT") else None
        status, reply, _ = await raw(suite.base_url, route.method, _path(route.path),
                                     headers=owing.headers(), json=body)
        open_to_all = table[route.key]["anon"] == "ok"
        want = "ok" if open_to_all or route.key in WHILE_PASSWORD_OWED else "403"
        if _classify(status) != want:
            wrong.append(f"{route.key}: expected {want}, got {status} {reply}")
    assert not wrong, "\n".join(wrong)
