"""Passwords over the real suite: a staff member changes their own, an administrator resets one.

- Changing one's own (`POST /api/v1/me/password`): a wrong current password is refused as a
  sign-in is (401, the same body) and counts against the same guard (it backs off, and the
  sign-in with that username too); the new one follows the new-password rule and differs from
  the current; an API token cannot change it. Done: this session goes on, every other session
  ends (told `password_changed`) and so does every API token; the old password no longer signs
  in. Audited, never with a password.
- An administrator's reset (`POST /api/v1/accounts/{id}/password`): a temporary password shown
  once; every session and token of the account ends at once (told `password_reset`); signing
  in with it (and the authenticator) opens a session that may do nothing but choose a new
  password (403 everywhere else, as before TOTP enrolment), read `me` and sign out; the
  temporary password cannot be kept as the new one. Only administrators reset, and only there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from proto.audit import AuditEvent
from tests.harness import Suite
from tests.integration.identity.identity_support import HIGH_LIMITS, audit_events, raw
from tests.people import PASSWORD, Staff, create_staff, sign_in, staff_people

SIGNIN = "/api/v1/auth/signin"
OWN = "/api/v1/me/password"
NEW = "a brand new passphrase of mine"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("passwords") / "data", extra_env=HIGH_LIMITS)
    running.start()
    yield running
    running.stop()


async def _events(suite: Suite, action: str, account: str) -> list[AuditEvent]:
    nc = await suite.connect("supervisor")
    try:
        return [e for e in await audit_events(nc)
                if e.action == action and e.resource.id == account]
    finally:
        await nc.drain()


async def _second_session(staff: Staff) -> Staff:
    """The same person signed in a second time (another browser)."""
    other = replace(staff)
    await other.sign_in_again()
    staff.last_step = other.last_step
    return other


async def test_changing_your_own_password_keeps_this_session_and_ends_the_others(
        suite: Suite) -> None:
    people = await staff_people(suite)
    me = await create_staff(suite, people.admin, "mediator", "changer")
    elsewhere = await _second_session(me)
    assert (await elsewhere.call("GET", "/api/v1/me"))[0] == 200

    # A wrong current password: the sign-in's own refusal, word for word; nothing ends.
    status, wrong = await me.call("POST", OWN, {"current": "not my password", "new": NEW})
    _, signin_wrong, _ = await raw(suite.base_url, "POST", SIGNIN,
                                   json={"username": "nobody-at-all", "password": "x" * 12})
    assert status == 401 and wrong == signin_wrong, wrong
    # The same password again, one too short, an API token: each refused, nothing changed.
    status, same = await me.call("POST", OWN, {"current": PASSWORD, "new": PASSWORD})
    assert status == 400 and same["error"]["reason"] == "password_unchanged", same
    assert (await me.call("POST", OWN, {"current": PASSWORD, "new": "too short"}))[0] == 400
    status, body = await me.call("POST", OWN, {"current": PASSWORD, "new": NEW}, bearer=True)
    assert status == 403, body
    assert (await elsewhere.call("GET", "/api/v1/me"))[0] == 200

    status, body = await me.call("POST", OWN, {"current": PASSWORD, "new": NEW})
    assert status == 204, body
    # This session goes on, and may do everything it did before.
    assert (await me.call("GET", "/api/v1/me"))[0] == 200
    assert (await me.call("GET", "/api/v1/hearings"))[0] == 200
    # Every other session ends, told why; every API token too.
    status, ended = await elsewhere.call("GET", "/api/v1/me")
    assert status == 401 and ended["error"]["reason"] == "password_changed", ended
    assert (await me.call("GET", "/api/v1/me", bearer=True))[0] == 401
    # The old password signs in no more; the new one (with the authenticator) does.
    status, _, _ = await raw(suite.base_url, "POST", SIGNIN, json={
        "username": me.username, "password": PASSWORD, "totp": await me.next_totp()})
    assert status == 401
    me.last_step -= 1  # refused at the password: its code's step was not used up
    me.password = NEW
    later = replace(me)
    await later.sign_in_again()
    me.last_step = later.last_step
    # The kept session changes it again: it stood on the new epoch, so nothing ends it now.
    status, _ = await me.call("POST", OWN, {"current": NEW, "new": PASSWORD})
    assert status == 204
    assert (await me.call("GET", "/api/v1/me"))[0] == 200
    assert (await later.call("GET", "/api/v1/me"))[0] == 401

    done = await _events(suite, "account.password_change", me.account_id)
    # The first: the one it owed at its first sign-in (tests/people.py `create_staff`).
    assert [e.outcome.value for e in done] == ["allowed", "failed", "allowed", "allowed"], done
    assert done[0].details["required"] is True
    assert done[1].details["reason"] == "invalid credentials"
    assert done[2].details["required"] is False and done[2].details["sessions_ended"] == 1
    assert done[2].actor.id == me.account_id
    for event in done:
        assert PASSWORD not in str(event) and NEW not in str(event)


async def test_a_wrong_current_password_backs_off_like_a_sign_in(suite: Suite) -> None:
    people = await staff_people(suite)
    me = await create_staff(suite, people.admin, "auditor", "guesser")
    statuses = []
    for n in range(5):
        status, _ = await me.call("POST", OWN, {"current": f"guess number {n}", "new": NEW})
        statuses.append(status)
    assert statuses[:3] == [401, 401, 401] and 429 in statuses, statuses
    # The same guard as sign-in's: the username is backing off there too, even with the
    # right password.
    status, body, headers = await raw(suite.base_url, "POST", SIGNIN, json={
        "username": me.username, "password": PASSWORD, "totp": await me.next_totp()})
    assert status == 429 and "Retry-After" in headers, body
    assert (await me.call("GET", "/api/v1/me"))[0] == 200  # guessing ends no session


async def test_an_administrator_resets_a_password_and_a_new_one_comes_first(
        suite: Suite) -> None:
    people = await staff_people(suite)
    admin = people.admin
    person = await create_staff(suite, admin, "mediator", "forgetful")
    other = await _second_session(person)

    status, reply = await admin.call("POST", f"/api/v1/accounts/{person.account_id}/password",
                                     {})
    assert status == 200, reply
    temporary = reply["temporary_password"]
    assert len(temporary) >= 12 and reply["account"]["must_change_password"] is True
    # Every session and token of the account ended at once, each told why.
    for session in (person, other):
        status, ended = await session.call("GET", "/api/v1/me")
        assert status == 401 and ended["error"]["reason"] == "password_reset", ended
    assert (await person.call("GET", "/api/v1/me", bearer=True))[0] == 401
    # The old password no longer signs in; the temporary one with the authenticator does.
    status, _, _ = await raw(suite.base_url, "POST", SIGNIN, json={
        "username": person.username, "password": PASSWORD, "totp": await person.next_totp()})
    assert status == 401
    person.last_step -= 1  # refused at the password: its code's step was not used up
    await sign_in(person, {"username": person.username, "password": temporary,
                           "totp": await person.next_totp()})
    status, me = await person.call("GET", "/api/v1/me")
    assert status == 200 and me["password_change_required"] is True, me
    # Nothing else until a new password is chosen: refused as before TOTP enrolment.
    for method, path, body in (("GET", "/api/v1/hearings", None), ("GET", "/api/v1/tokens", None),
                               ("POST", "/api/v1/tokens", {"name": "sneak"}),
                               ("PATCH", "/api/v1/me", {"display_name": "Sneaky"}),
                               ("GET", "/api/v1/ws", None)):
        status, refused = await person.call(method, path, body)
        assert status == 403 and "new password" in refused["error"]["message"], (path, refused)
    # Not by keeping the temporary one either.
    status, same = await person.call("POST", OWN, {"current": temporary, "new": temporary})
    assert status == 400 and same["error"]["reason"] == "password_unchanged"
    status, _ = await person.call("POST", OWN, {"current": temporary, "new": PASSWORD})
    assert status == 204
    status, me = await person.call("GET", "/api/v1/me")
    assert status == 200 and "password_change_required" not in me
    assert (await person.call("GET", "/api/v1/hearings"))[0] == 200

    reset = await _events(suite, "account.password_reset", person.account_id)
    assert len(reset) == 1 and reset[0].actor.id == admin.account_id
    assert reset[0].details["sessions_ended"] == 2
    assert temporary not in str(reset[0])
    changed = await _events(suite, "account.password_change", person.account_id)
    assert changed[-1].details["required"] is True
    status, listed = await admin.call("GET", "/api/v1/accounts")
    row = next(a for a in listed["accounts"] if a["id"] == person.account_id)
    assert "must_change_password" not in row


async def test_only_administrators_reset_and_only_through_the_reset(suite: Suite) -> None:
    people = await staff_people(suite)
    target = people.auditor.account_id
    for who in (people.mediator, people.auditor):
        status, body = await who.call("POST", f"/api/v1/accounts/{target}/password", {})
        assert status == 403, body
    status, body = await people.admin.call("POST", "/api/v1/accounts/0123456789abcdef/password",
                                           {})
    assert status == 404, body
    # No other route takes a password: the account and profile changes refuse the field.
    status, body = await people.admin.call("PATCH", f"/api/v1/accounts/{target}",
                                           {"password": "set by someone else"})
    assert status == 400, body
    status, body = await people.auditor.call("PATCH", "/api/v1/me",
                                             {"display_name": "A", "password": NEW})
    assert status == 400, body
    # Still the same password: the auditor signs in with it.
    again = replace(people.auditor)
    await again.sign_in_again()
    people.auditor.last_step = again.last_step
