"""A temporary password expires (on the real suite, PARLEY_TEMPORARY_PASSWORD_HOURS set short).

An administrator's new account and password reset each get a temporary password, good for
PARLEY_TEMPORARY_PASSWORD_HOURS: the reply says until when; before then it signs in (to choose
a new password), from then on the right one is refused with 403 `temporary_password_expired`
(its own sentence) and audited so; a wrong one is still the one 401. A reset gives a new time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from proto.audit import Outcome
from tests.harness import Suite
from tests.integration.identity.identity_support import HIGH_LIMITS, audit_events
from tests.people import INITIAL_PASSWORD, bootstrap_admin

#: 36 seconds: long enough to sign in once before it (on a loaded machine), short enough to wait for.
HOURS = 0.01
SIGNIN = "/api/v1/auth/signin"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("temporary") / "data",
                    extra_env={**HIGH_LIMITS, "PARLEY_TEMPORARY_PASSWORD_HOURS": str(HOURS)})
    running.start()
    yield running
    running.stop()


async def _sign_in(suite: Suite, username: str, password: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession(base_url=suite.base_url) as http, \
            http.post(SIGNIN, json={"username": username, "password": password}) as r:
        return r.status, await r.json()


async def _past(deadline_ms: int) -> None:
    """Wait until the server's stated time has passed (a known deadline, not a guess)."""
    await asyncio.sleep(max(0.0, deadline_ms / 1000 - time.time()) + 0.2)


@pytest.mark.slow  # mostly a wait for the expiry: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(300)  # ~50 s on an idle machine, 36 of them waiting for the expiry
async def test_a_temporary_password_signs_in_until_its_time_then_is_refused(suite: Suite) -> None:
    await suite.ready()  # the gateway may start slowly on a busy machine
    admin = await bootstrap_admin(suite)
    before = int(time.time() * 1000)
    status, created = await admin.call("POST", "/api/v1/accounts", {
        "username": "temp.holder", "role": "mediator", "password": INITIAL_PASSWORD})
    assert status == 201, created
    expires = created["temporary_password_expires_ms"]
    window = HOURS * 3_600_000
    assert before + window - 2_000 <= expires <= int(time.time() * 1000) + window + 2_000, created

    status, body = await _sign_in(suite, "temp.holder", INITIAL_PASSWORD)
    assert status == 200 and body["password_change_required"], body

    await _past(expires)
    status, body = await _sign_in(suite, "temp.holder", INITIAL_PASSWORD)
    assert status == 403, body
    assert body["error"]["reason"] == "temporary_password_expired", body
    assert "ask your administrator" in body["error"]["message"], body
    # A wrong password learns nothing of it: the one refusal for every cause.
    status, body = await _sign_in(suite, "temp.holder", "not the password at all")
    assert status == 401 and "reason" not in body["error"], body

    # The administrator resets it: a new password with a new time, which signs in.
    status, reset = await admin.call("POST", f"/api/v1/accounts/{created['id']}/password", {})
    assert status == 200, reset
    assert reset["account"]["temporary_password_expires_ms"] > expires, reset
    status, body = await _sign_in(suite, "temp.holder", reset["temporary_password"])
    assert status == 200 and body["password_change_required"], body

    nc = await suite.connect("supervisor")
    try:
        refused = [e for e in await audit_events(nc) if e.action == "auth.signin"
                   and e.resource.id == created["id"] and e.outcome is Outcome.DENIED]
    finally:
        await nc.drain()
    assert [e.details.get("reason") for e in refused] == ["temporary password expired"], refused
