"""Which refusals reach the audit log, against the real suite (its own, so that no earlier
refusal of this module's address is being counted instead of audited, gateway/identity/denials.py).

The web client's "who am I?" probe — `GET /api/v1/me` with no credential at all, on every page
load — is answered 401 but not audited; the same route with a credential that does not hold (a
bogus session cookie) is, and so is any other route refused for want of a sign-in. The rule:
`UNAUDITED_PROBES` in gateway/identity/authn.py (unit tests: tests/unit/identity/
test_identity_denial_rule.py)."""

from __future__ import annotations

from proto.audit import AuditEvent, Outcome
from tests.harness import Suite, wait_until
from tests.integration.identity.identity_support import audit_events, raw
from tests.people import staff_people

ME = "GET /api/v1/me"
TOKENS = "GET /api/v1/tokens"


async def _anonymous_denials(suite: Suite) -> list[AuditEvent]:
    nc = await suite.connect("supervisor")
    try:
        return [e for e in await audit_events(nc) if e.action == "auth.denied"
                and e.actor.id == "anonymous" and e.outcome is Outcome.DENIED]
    finally:
        await nc.drain()


async def test_the_who_am_i_probe_without_a_credential_is_not_audited(suite: Suite) -> None:
    await staff_people(suite)  # the suite is up and its identity ready
    for _ in range(3):  # as a participant's page, the join page and the tech check would
        status, body, _ = await raw(suite.base_url, "GET", "/api/v1/me")
        assert status == 401 and body["error"]["code"] == "unauthenticated"
    # A credential that does not hold, on the same route: audited as before.
    status, body, _ = await raw(suite.base_url, "GET", "/api/v1/me",
                                headers={"Cookie": "parley_session=" + "A" * 43})
    assert status == 401 and body["error"]["code"] == "unauthenticated"
    # Another route, without any credential: audited as before.
    status, body, _ = await raw(suite.base_url, "GET", "/api/v1/tokens")
    assert status == 401 and body["error"]["code"] == "unauthenticated"

    async def both() -> list[AuditEvent] | None:
        denied = await _anonymous_denials(suite)
        keys = {e.resource.id for e in denied}
        return denied if {ME, TOKENS} <= keys else None

    denied = await wait_until(both, timeout=20, what="the two audited refusals")
    me = [e for e in denied if e.resource.id == ME]
    # Only the bogus cookie's refusal: had the probes been audited (or counted), the first of
    # them would be this entry, with no `credential`, and the cookie's only a count.
    assert len(me) == 1, me
    assert "credential" in me[0].details and me[0].details.get("kind") == "unauthenticated"
    assert me[0].details.get("summary") is None
    tokens = [e for e in denied if e.resource.id == TOKENS]
    assert len(tokens) == 1 and "credential" not in tokens[0].details
    assert str(tokens[0].details["reason"]).endswith("sign-in required")
