"""No administrator can lock the administrators out, against the real suite: an admin's own
account cannot be disabled or demoted by them (by cookie or by API token), nor the last active
admin by anyone; each refusal is a `conflict` with its own `reason` (the page's sentence) and an
audit event with outcome `denied`; nothing changes. Another admin, while one remains, can be."""

from __future__ import annotations

from typing import Any

from nats.aio.client import Client

from gateway.identity.accounts import decode_account
from proto.audit import AuditEvent, Outcome
from proto.common import Role
from proto.principal import PrincipalKind
from tests.harness import Suite, wait_until
from tests.integration.identity.identity_support import audit_events, forge_session, raw
from tests.people import People, Staff, create_staff, staff_people


def _reason(body: Any) -> tuple[str, str | None]:
    return body["error"]["code"], body["error"].get("reason")


async def _states(people: People) -> dict[str, tuple[str, bool]]:
    """username → (role, disabled), as the admin's accounts list shows them."""
    status, listed = await people.admin.call("GET", "/api/v1/accounts")
    assert status == 200, listed
    return {a["username"]: (a["role"], a.get("disabled", False)) for a in listed["accounts"]}


async def _denied(nc: Client, reason: str, resource: str) -> list[AuditEvent]:
    return [e for e in await audit_events(nc, "gateway")
            if e.action == "account.update" and e.outcome is Outcome.DENIED
            and e.details.get("reason") == reason and e.resource.id == resource]


async def test_an_admin_cannot_disable_or_demote_their_own_account(suite: Suite) -> None:
    people = await staff_people(suite)
    admin = people.admin
    own = f"/api/v1/accounts/{admin.account_id}"
    before = await _states(people)
    for body, reason in (({"disabled": True}, "self_disable"), ({"role": "mediator"}, "self_demote"),
                         ({"disabled": True, "display_name": "Root"}, "self_disable")):
        for bearer in (False, True):
            status, refused = await admin.call("PATCH", own, body, bearer=bearer)
            assert status == 409 and _reason(refused) == ("conflict", reason), refused
    # Nothing changed, not even the name sent with a refused disable; the admin is still in.
    assert await _states(people) == before
    status, me = await admin.call("GET", "/api/v1/me")
    assert status == 200 and not me.get("display_name"), me
    nc = await suite.connect("supervisor")
    try:
        async def audited() -> bool:
            return (len(await _denied(nc, "self_disable", admin.account_id)) == 4
                    and len(await _denied(nc, "self_demote", admin.account_id)) == 2)

        await wait_until(audited, timeout=10, what="the refusals in the audit stream")
        assert all(e.actor.id == admin.account_id
                   for e in await _denied(nc, "self_disable", admin.account_id))
    finally:
        await nc.drain()


async def test_the_last_active_admin_cannot_be_disabled_or_demoted(suite: Suite) -> None:
    people = await staff_people(suite)
    admin = people.admin
    second = await create_staff(suite, admin, "admin", "second-admin")
    # While another active admin remains, an admin disables, enables, demotes another one.
    for body in ({"disabled": True}, {"disabled": False}, {"role": "auditor"}, {"role": "admin"}):
        status, reply = await admin.call("PATCH", f"/api/v1/accounts/{second.account_id}", body)
        assert status == 200, (body, reply)
    status, _ = await admin.call("PATCH", f"/api/v1/accounts/{second.account_id}",
                                 {"disabled": True})
    assert status == 200  # `admin` is now the only active administrator

    # A request from a credential whose own admin rights were taken away a moment ago, on a
    # gateway whose watched copy of the account had not caught up yet: the gateway still takes
    # it for an admin's. Made here by a session naming the (active) mediator's account with the
    # admin role. It must not take away the one admin left.
    stale = await _stale_admin(suite, people.mediator)
    target = f"/api/v1/accounts/{admin.account_id}"
    for body in ({"disabled": True}, {"role": "mediator"}):
        status, refused, _ = await raw(suite.base_url, "PATCH", target, headers=stale, json=body)
        assert status == 409 and _reason(refused) == ("conflict", "last_admin"), refused
    assert (await _states(people))["admin"] == ("admin", False)
    # Renaming the last admin takes nothing away: allowed.
    status, renamed, _ = await raw(suite.base_url, "PATCH", target, headers=stale,
                                   json={"display_name": "Ms Root"})
    assert status == 200 and renamed["display_name"] == "Ms Root", renamed
    nc = await suite.connect("supervisor")
    try:
        async def audited() -> bool:
            return len(await _denied(nc, "last_admin", admin.account_id)) == 2

        await wait_until(audited, timeout=10, what="the last-admin refusals in the audit stream")
        assert {e.actor.id for e in await _denied(nc, "last_admin", admin.account_id)} == {
            people.mediator.account_id}
    finally:
        await nc.drain()
    status, _ = await admin.call("PATCH", f"/api/v1/accounts/{second.account_id}",
                                 {"disabled": False})
    assert status == 200


async def _stale_admin(suite: Suite, staff: Staff) -> dict[str, str]:
    nc = await suite.connect("gateway")  # the one user that writes sessions
    try:
        kv = await nc.jetstream().key_value("parley_accounts")
        entry = await kv.get(f"account.{staff.account_id}")
        assert entry.value is not None
        epoch = decode_account(entry.value).epoch
        secret, csrf = await forge_session(nc, kind=PrincipalKind.ACCOUNT,
                                           subject=staff.account_id, role=Role.ADMIN,
                                           account_epoch=epoch)
    finally:
        await nc.drain()
    return {"Cookie": f"parley_session={secret}", "Parley-CSRF": csrf}
