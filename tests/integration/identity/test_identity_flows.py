"""Identity against the real suite (`parley up` → nats-server + services + gateway).

Enrolment, sign-in with and without TOTP, replayed codes, recovery codes, sign-out, CSRF, API
tokens, the operator CLI, the bootstrap secret's single use, and bad input (4xx JSON, never 500,
no secret in any log).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.harness import REPO, Suite
from tests.integration.identity.identity_support import HIGH_LIMITS, audit_events, raw
from tests.people import (
    INITIAL_PASSWORD,
    PASSWORD,
    Staff,
    bootstrap_secret,
    create_staff,
    staff_people,
)

SIGNIN = "/api/v1/auth/signin"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("identity") / "data", extra_env=HIGH_LIMITS)
    running.start()
    yield running
    running.stop()


async def test_bootstrap_secret_works_once(suite: Suite) -> None:
    people = await staff_people(suite)  # used the secret
    secret = await bootstrap_secret(suite)
    status, body, _ = await raw(suite.base_url, "POST", "/api/v1/auth/bootstrap",
                                json={"secret": secret, "username": "second-admin",
                                      "password": PASSWORD})
    assert status == 401 and body["error"]["code"] == "unauthenticated"
    status, body = await people.admin.call("GET", "/api/v1/accounts")
    assert status == 200
    assert {a["username"] for a in body["accounts"]} >= {"admin", "mediator", "auditor"}
    assert "second-admin" not in {a["username"] for a in body["accounts"]}
    # Every staff account here has signed in: the admin console shows when.
    assert all(a["last_signin_ms"] > 0 for a in body["accounts"]
               if a["username"] in ("admin", "mediator", "auditor"))


async def test_enrolment_is_mandatory_then_totp_is_required(suite: Suite) -> None:
    people = await staff_people(suite)
    status, _ = await people.admin.call("POST", "/api/v1/accounts", {
        "username": "newcomer", "role": "mediator", "password": INITIAL_PASSWORD})
    assert status == 201
    fresh = Staff(base_url=suite.base_url, role="mediator", username="newcomer", password=PASSWORD)
    status, body, headers = await raw(suite.base_url, "POST", SIGNIN,
                                      json={"username": "newcomer", "password": INITIAL_PASSWORD})
    assert status == 200 and body["mfa_complete"] is False
    assert body["password_change_required"] is True  # the administrator typed that one
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    fresh.cookie = cookie.split(";")[0].split("=", 1)[1]
    fresh.csrf = body["csrf_token"]
    # First its own password: not even enrolment before that.
    assert (await fresh.call("POST", "/api/v1/auth/totp/enroll", {}))[0] == 403
    status, me = await fresh.call("GET", "/api/v1/me")
    assert status == 200 and me["password_change_required"] is True
    status, _ = await fresh.call("POST", "/api/v1/me/password",
                                 {"current": INITIAL_PASSWORD, "new": PASSWORD})
    assert status == 204
    # Before TOTP: only enrolment, me and sign-out.
    assert (await fresh.call("GET", "/api/v1/tokens"))[0] == 403
    status, me = await fresh.call("GET", "/api/v1/me")
    assert status == 200 and me["mfa_complete"] is False and me["username"] == "newcomer"
    status, enrol = await fresh.call("POST", "/api/v1/auth/totp/enroll", {})
    assert status == 200 and enrol["otpauth_uri"].startswith("otpauth://totp/Parley:newcomer?")
    fresh.totp_secret = enrol["secret"]
    status, body = await fresh.call("POST", "/api/v1/auth/totp/confirm", {"code": "000000"})
    assert status == 400  # a wrong code (or a 1-in-a-million right one: then rerun)
    status, body = await fresh.call("POST", "/api/v1/auth/totp/confirm",
                                    {"code": await fresh.next_totp()})
    assert status == 200 and len(body["recovery_codes"]) == 10
    assert (await fresh.call("GET", "/api/v1/tokens"))[0] == 200  # the session is now complete
    assert (await fresh.call("POST", "/api/v1/auth/totp/enroll", {}))[0] == 409
    # A password alone no longer signs in; password + a fresh code does; the same code again not.
    status, _, _ = await raw(suite.base_url, "POST", SIGNIN,
                             json={"username": "newcomer", "password": PASSWORD})
    assert status == 401
    code = await fresh.next_totp()
    body_ok = {"username": "newcomer", "password": PASSWORD, "totp": code}
    status, body, _ = await raw(suite.base_url, "POST", SIGNIN, json=body_ok)
    assert status == 200 and body.get("mfa_complete", True) is True
    status, body, _ = await raw(suite.base_url, "POST", SIGNIN, json=body_ok)
    assert status == 401  # replayed step
    assert "already used" in body["error"]["message"]  # its own message: wait for the next code


async def test_recovery_code_works_once(suite: Suite) -> None:
    people = await staff_people(suite)
    staff = await create_staff(suite, people.admin, "auditor", "recoverer")
    body = {"username": "recoverer", "password": PASSWORD,
            "recovery_code": staff.recovery_codes[0]}
    status, reply, _ = await raw(suite.base_url, "POST", SIGNIN, json=body)
    assert status == 200 and reply.get("mfa_complete", True) is True
    status, reply, _ = await raw(suite.base_url, "POST", SIGNIN, json=body)
    assert status == 401 and reply["error"]["message"] == "invalid credentials"
    status, accounts = await people.admin.call("GET", "/api/v1/accounts")
    left = {a["username"]: a["recovery_codes_left"] for a in accounts["accounts"]}
    assert left["recoverer"] == 9


async def test_unknown_user_and_wrong_password_look_the_same(suite: Suite) -> None:
    await staff_people(suite)
    a = await raw(suite.base_url, "POST", SIGNIN, json={"username": "nobody-here",
                                                        "password": PASSWORD})
    b = await raw(suite.base_url, "POST", SIGNIN, json={"username": "auditor",
                                                        "password": "wrong password!"})
    assert a[0] == b[0] == 401 and a[1] == b[1]


async def test_sign_out_ends_the_session(suite: Suite) -> None:
    people = await staff_people(suite)
    staff = await create_staff(suite, people.admin, "mediator", "leaver")
    assert (await staff.call("GET", "/api/v1/me"))[0] == 200
    status, _ = await staff.call("POST", "/api/v1/auth/signout")
    assert status == 204
    status, body = await staff.call("GET", "/api/v1/me")
    assert status == 401 and body["error"]["code"] == "unauthenticated"
    assert (await staff.call("GET", "/api/v1/me", bearer=True))[0] == 200  # tokens are separate


async def test_cross_site_form_post_with_the_cookie_is_refused(suite: Suite) -> None:
    people = await staff_people(suite)
    cookie = {"Cookie": f"parley_session={people.mediator.cookie}"}
    status, body, _ = await raw(suite.base_url, "POST", "/api/v1/tokens", headers={
        **cookie, "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "https://evil.example"}, data="name=stolen")
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body, _ = await raw(suite.base_url, "POST", "/api/v1/tokens", json={"name": "x"},
                                headers={**cookie, "Parley-CSRF": "A" * 43})
    assert status == 403
    status, body, _ = await raw(suite.base_url, "POST", "/api/v1/tokens", json={"name": "ok"},
                                headers={**cookie, "Parley-CSRF": people.mediator.csrf})
    assert status == 201
    nc = await suite.connect("supervisor")
    try:
        denied = [e for e in await audit_events(nc) if e.action == "auth.denied"]
    finally:
        await nc.drain()
    assert any(e.resource.id == "POST /api/v1/tokens" and "CSRF" in str(e.details["reason"])
               and e.actor.id == people.mediator.account_id for e in denied)


async def test_tokens_are_listed_without_secrets_and_revocable(suite: Suite) -> None:
    people = await staff_people(suite)
    status, made = await people.auditor.call("POST", "/api/v1/tokens",
                                             {"name": "cli", "expires_in_s": 3600})
    assert status == 201 and made["token"].startswith("prl_")
    token_headers = {"Authorization": f"Bearer {made['token']}"}
    assert (await raw(suite.base_url, "GET", "/api/v1/me", headers=token_headers))[0] == 200
    status, listed = await people.auditor.call("GET", "/api/v1/tokens")
    assert made["info"]["id"] in {t["id"] for t in listed["tokens"]}
    assert made["token"] not in str(listed)
    assert (await people.mediator.call("DELETE", f"/api/v1/tokens/{made['info']['id']}"))[0] == 404
    status, _ = await people.auditor.call("DELETE", f"/api/v1/tokens/{made['info']['id']}")
    assert status == 204
    status, _, _ = await raw(suite.base_url, "GET", "/api/v1/me", headers=token_headers)
    assert status == 401


async def test_operator_cli_creates_an_account(suite: Suite) -> None:
    people = await staff_people(suite)
    env = dict(suite.env)
    result = subprocess.run(
        [sys.executable, "-m", "parley.cli", "account", "create", "--role", "auditor",
         "--username", "from-cli", "--display-name", "Mr Ben Ho\u202e"], input=PASSWORD + "\n",
        env=env, cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    status, body, _ = await raw(suite.base_url, "POST", SIGNIN,
                                json={"username": "from-cli", "password": PASSWORD})
    assert status == 200 and body["mfa_complete"] is False and body["role"] == "auditor"
    status, listed = await people.admin.call("GET", "/api/v1/accounts")
    assert {a["username"]: a.get("display_name") for a in listed["accounts"]}["from-cli"] \
        == "Mr Ben Ho"
    again = subprocess.run(
        [sys.executable, "-m", "parley.cli", "account", "create", "--role", "auditor",
         "--username", "from-cli"], input=PASSWORD + "\n", env=env, cwd=REPO,
        capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 1 and "already in use" in again.stderr


BAD_SIGNINS = [
    b"not json", b"[]", b'{"username": "admin"}',
    b'{"username": "admin", "password": "x", "extra": 1}',
    b'{"username": 5, "password": "x"}',
    b'{"username": "' + b"a" * 65 + b'", "password": "x"}',
    b'{"username": "admin", "password": "' + b"p" * 257 + b'"}',
    b'{"username": "admin", "password": "' + b"p" * 60000 + b'"}',
    b'{"username": "admin", "password": "pw", "totp": "12345"}',
    b'{"username": "admin", "password": "pw", "totp": "abcdef"}',
    b'{"username": "admin", "password": "pw", "totp": 123456}',
    b'{"username": "admin", "password": "pw", "recovery_code": "not-a-code"}',
    b'{"username": "Admin Root", "password": "pw"}',
]
BAD_HEADERS = [
    {"Cookie": "parley_session=short"}, {"Cookie": "parley_session=" + "A" * 2000},
    {"Cookie": "parley_session=\"quoted;value\""}, {"Authorization": "Bearer"},
    {"Authorization": "Basic YWRtaW46YWRtaW4="}, {"Authorization": "Bearer prl_nothex_x"},
    {"Authorization": "Bearer prl_0123456789abcdef_" + "A" * 43},
    {"Authorization": "Bearer " + "x" * 600}, {"Authorization": "Bearer prl_0123456789abcdef_" + "é" * 43},
]


async def test_bad_input_is_4xx_json_and_never_logged(suite: Suite) -> None:
    people = await staff_people(suite)
    for payload in BAD_SIGNINS:
        status, body, _ = await raw(suite.base_url, "POST", SIGNIN, data=payload,
                                    headers={"Content-Type": "application/json"})
        assert 400 <= status < 500 and body["error"]["code"] in ("invalid", "too_large"), payload
    for headers in BAD_HEADERS:
        status, body, _ = await raw(suite.base_url, "GET", "/api/v1/me", headers=headers)
        assert status == 401 and body["error"]["code"] == "unauthenticated", headers
    for bad in ({"code": "12"}, {"code": "abcdef"}, {"code": 123456}, {"code": "1" * 500},
                {"code": "123456", "x": 1}):
        status, body = await people.mediator.call("POST", "/api/v1/auth/totp/confirm", bad)
        assert status in (400, 409) and "error" in body
    for bad in ({"username": "x", "role": "admin", "password": PASSWORD},
                {"username": "valid-name", "role": "party", "password": PASSWORD},
                {"username": "valid-name", "role": "auditor", "password": "short"},
                {"username": "valid-name", "role": "auditor", "password": "p" * 300}):
        status, body = await people.admin.call("POST", "/api/v1/accounts", bad)
        assert status == 400, bad
    log = suite.log()
    gateway_errors = [line for line in log.splitlines()
                      if '"service": "gateway"' in line and '"level": "error"' in line]
    assert gateway_errors == []
    for secret in (PASSWORD, people.admin.totp_secret, people.admin.cookie, people.admin.token,
                   people.admin.recovery_codes[0], "p" * 257):
        assert secret not in log
