"""Which refusals reach the audit log, against the real suite (its own, so that no earlier
refusal of this module's address is being counted instead of audited, gateway/identity/denials.py).

The web client's "who am I?" probe — `GET /api/v1/me` on every page load, the join page's too,
with no session cookie or one whose session has ended — is answered 401 but not audited; the
same route with a bearer token that does not hold is, and so is any other route refused for want
of a sign-in, with or without a cookie. The rule:
`UNAUDITED_PROBES` in gateway/identity/authn.py (unit tests: tests/unit/identity/
test_identity_denial_rule.py)."""

from __future__ import annotations

from proto.audit import AuditEvent, Outcome
from tests.harness import Suite, wait_until
from tests.integration.identity.identity_support import audit_events, raw
from tests.people import staff_people

ME = "GET /api/v1/me"
TOKENS = "GET /api/v1/tokens"
HEARINGS = "GET /api/v1/hearings"


async def _anonymous_denials(suite: Suite) -> list[AuditEvent]:
    nc = await suite.connect("supervisor")
    try:
        return [e for e in await audit_events(nc) if e.action == "auth.denied"
                and e.actor.id == "anonymous" and e.outcome is Outcome.DENIED]
    finally:
        await nc.drain()


async def test_the_who_am_i_probe_of_a_browser_is_not_audited(suite: Suite) -> None:
    await staff_people(suite)  # the suite is up and its identity ready
    stale = {"Cookie": "parley_session=" + "A" * 43}  # a cookie whose session has ended
    for headers in ({}, {}, stale, stale):  # the join page and the tech check, loaded twice
        status, body, _ = await raw(suite.base_url, "GET", "/api/v1/me", headers=headers)
        assert status == 401 and body["error"]["code"] == "unauthenticated"
    # The same route asked with a bearer token that does not hold: audited.
    status, body, _ = await raw(suite.base_url, "GET", "/api/v1/me",
                                headers={"Authorization": "Bearer prl_" + "A" * 43})
    assert status == 401 and body["error"]["code"] == "unauthenticated"
    # Protected routes, without any credential and with the stale cookie: audited (two
    # routes: a source refused again on one route in the same period is only counted).
    for path, headers in (("/api/v1/tokens", {}), ("/api/v1/hearings", stale)):
        status, body, _ = await raw(suite.base_url, "GET", path, headers=headers)
        assert status == 401 and body["error"]["code"] == "unauthenticated"

    async def all_three() -> list[AuditEvent] | None:
        denied = await _anonymous_denials(suite)
        keys = {e.resource.id for e in denied}
        return denied if {ME, TOKENS, HEARINGS} <= keys else None

    denied = await wait_until(all_three, timeout=20, what="the audited refusals")
    me = [e for e in denied if e.resource.id == ME]
    # Only the bearer token's refusal: had a probe been audited (or counted), the first of
    # them would be this entry, without `credential`, or with the cookie's.
    assert len(me) == 1, me
    assert "credential" in me[0].details and me[0].details.get("kind") == "unauthenticated"
    assert me[0].details.get("summary") is None
    [tokens] = [e for e in denied if e.resource.id == TOKENS]
    [hearings] = [e for e in denied if e.resource.id == HEARINGS]
    assert "credential" not in tokens.details and "credential" in hearings.details
    assert all(str(e.details["reason"]).endswith("sign-in required") for e in (tokens, hearings))
