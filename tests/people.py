"""Signed-in staff for integration tests, made through the real API of a running suite.

    from tests.people import staff_people

    async def test_something(suite: Suite) -> None:
        people = await staff_people(suite)          # once per suite: bootstrap, create, enrol
        async with people.mediator.session() as http:   # cookie + CSRF header already set
            async with http.post("/api/v1/hearings", json={...}) as r: ...
        async with people.auditor.session(bearer=True) as http:   # Authorization: Bearer prl_…
            ...
        status, body = await people.admin.call("GET", "/api/v1/me")

API (everything else here is an implementation detail):
- `await staff_people(suite) -> People`: bootstrap the first admin with the one-time secret the
  gateway printed, create a mediator and an auditor through `POST /api/v1/accounts`, sign each in,
  enrol TOTP (codes from pyotp), and make each a bearer token. Memoised per `Suite` object, so
  every test of a module shares one set of accounts (sessions are plain values, not tied to a
  loop: each test opens its own `aiohttp` sessions).
  An account an administrator creates must choose its own password at its first sign-in: each
  is created with `INITIAL_PASSWORD` and changes it to `PASSWORD` (`choose_password`) first.
- `People.admin`, `.mediator`, `.auditor`, `.by_role(role)`: `Staff` records.
- `Staff.session(bearer=False) -> aiohttp.ClientSession` with `base_url` = the gateway and either
  the session cookie + `Parley-CSRF` header, or `Authorization: Bearer …`. Close it (async with).
- `Staff.headers(bearer=False) -> dict`: the same credentials as headers, for your own client.
- `await Staff.call(method, path, json=None, bearer=False) -> (status, body)`: one request.
- `await Staff.sign_in_again() -> None`: a fresh cookie session (same account; uses a new TOTP step).
- `await create_staff(suite, admin, role, username) -> Staff`: one more enrolled account (named
  `username-2`, … when another module of the run's shared suite took the name: read
  `staff.username`).
- `await bootstrap_secret(suite) -> str`: the one-time secret from the suite's log.
- `sign_in(staff, body)`, `choose_password(staff, current)`, `enrol(staff)`: the steps, for
  gateways started without a `Suite`.
- `totp_code(secret, step)`/`Staff.next_totp()`: codes that never reuse a step (the server refuses
  a replayed step, and accepts the steps now-1..now+1).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
import pyotp

from tests.harness import SUITE_READY_S, Suite, wait_until

BOOTSTRAP_RE = re.compile(r"pbs_[A-Za-z0-9_-]{43}")
CSRF_HEADER = "Parley-CSRF"
SESSION_COOKIE = "parley_session"
PASSWORD = "correct horse battery staple"
#: What an administrator types when creating an account; its holder replaces it at once.
INITIAL_PASSWORD = "initial password from the admin"
_PERIOD = 30
#: A code handed out is taken by the server for at least this long.
TOTP_MARGIN_S = 15


def totp_code(secret: str, step: int) -> str:
    return str(pyotp.TOTP(secret).generate_otp(step))


@dataclass
class Staff:
    """One enrolled staff account and its live credentials (plain values, loop-independent)."""

    base_url: str
    role: str
    username: str
    password: str
    account_id: str = ""
    totp_secret: str = ""
    recovery_codes: tuple[str, ...] = ()
    cookie: str = ""
    csrf: str = ""
    token: str = ""
    last_step: int = -1

    def headers(self, *, bearer: bool = False) -> dict[str, str]:
        if bearer:
            return {"Authorization": f"Bearer {self.token}"}
        return {"Cookie": f"{SESSION_COOKIE}={self.cookie}", CSRF_HEADER: self.csrf}

    def session(self, *, bearer: bool = False) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(base_url=self.base_url, headers=self.headers(bearer=bearer))

    async def call(self, method: str, path: str, json: Any = None, *,
                   bearer: bool = False) -> tuple[int, Any]:
        async with self.session(bearer=bearer) as http:
            return await _call(http, method, path, json)

    async def next_totp(self) -> str:
        """A code for the earliest step after the last one used that the server will still take
        for TOTP_MARGIN_S (waits if none). The server takes the steps next to its own, so a code
        for the step before now expires when this one ends: made a second before, a page typing
        it in and hashing the password on a loaded machine took longer, and the sign-in was
        refused (401). Always starting at the current step instead cost the suite 1.5 min of
        waits (a person signing in three times within 30 s waited for the next step)."""
        async def step_available() -> int | None:
            now_s = time.time()
            now = int(now_s // _PERIOD)
            fresh = now - 1 if _PERIOD - now_s % _PERIOD >= TOTP_MARGIN_S else now
            step = max(self.last_step + 1, fresh)
            return step if step <= now + 1 else None

        step = await wait_until(step_available, timeout=2 * _PERIOD + 5, interval=0.5,
                                what="a fresh TOTP step")
        self.last_step = step
        return totp_code(self.totp_secret, step)

    async def sign_in_again(self) -> None:
        body = {"username": self.username, "password": self.password,
                "totp": await self.next_totp()}
        await sign_in(self, body)


@dataclass
class People:
    admin: Staff
    mediator: Staff
    auditor: Staff
    extra: dict[str, Staff] = field(default_factory=dict)

    def by_role(self, role: str) -> Staff:
        staff: Staff = getattr(self, role)
        return staff


async def _call(http: aiohttp.ClientSession, method: str, path: str,
                json: Any = None) -> tuple[int, Any]:
    async with http.request(method, path, json=json) as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


async def _gateway_alive(base_url: str, timeout: float = SUITE_READY_S) -> None:
    """A wait, not a delay: it returns at the first 200 (a suite's start, SUITE_READY_S)."""
    async def alive() -> bool:
        async with aiohttp.ClientSession() as http, http.get(f"{base_url}/healthz") as r:
            return r.status == 200

    await wait_until(alive, timeout=timeout, interval=0.1, what="the gateway's /healthz")


class HasLog(Protocol):
    def log(self) -> str: ...


async def bootstrap_secret(suite: HasLog, timeout: float = SUITE_READY_S) -> str:
    """The last one-time bootstrap secret the gateway printed into the log (a `Suite`, or a
    `ServiceProcess` running the gateway alone)."""
    async def found() -> str | None:
        matches = BOOTSTRAP_RE.findall(suite.log())
        return matches[-1] if matches else None

    return await wait_until(found, timeout=timeout, what="the bootstrap secret in the log")


async def sign_in(staff: Staff, body: dict[str, Any]) -> None:
    """POST /auth/signin with `body`; store the cookie, CSRF token and account id on `staff`."""
    async with aiohttp.ClientSession(base_url=staff.base_url) as http, \
            http.post("/api/v1/auth/signin", json=body) as response:
        assert response.status == 200, (response.status, await response.text())
        reply = await response.json()
        morsel = response.cookies[SESSION_COOKIE]
        staff.cookie = morsel.value
        staff.csrf = reply["csrf_token"]
        staff.account_id = reply["id"]


async def choose_password(staff: Staff, current: str) -> None:
    """The first step of a signed-in `staff` whose password an administrator set: replace
    `current` with `staff.password` (the session stays)."""
    async with staff.session() as http:
        status, reply = await _call(http, "POST", "/api/v1/me/password",
                                    {"current": current, "new": staff.password})
        assert status == 204, (status, reply)


async def enrol(staff: Staff) -> None:
    """Enrol TOTP for a signed-in `staff` (pyotp codes), keep its recovery codes, make a token."""
    async with staff.session() as http:
        status, reply = await _call(http, "POST", "/api/v1/auth/totp/enroll", {})
        assert status == 200, (status, reply)
        staff.totp_secret = reply["secret"]
        status, reply = await _call(http, "POST", "/api/v1/auth/totp/confirm",
                                    {"code": await staff.next_totp()})
        assert status == 200, (status, reply)
        staff.recovery_codes = tuple(reply["recovery_codes"])
        status, reply = await _call(http, "POST", "/api/v1/tokens", {"name": "tests"})
        assert status == 201, (status, reply)
        staff.token = reply["token"]


async def bootstrap_admin(suite: Suite, username: str = "admin") -> Staff:
    """Create the first admin with the printed secret; sign in; enrol TOTP; make a token.

    Needs only the gateway (not /readyz: identity does not depend on the other services).
    """
    await _gateway_alive(suite.base_url)
    secret = await bootstrap_secret(suite)
    admin = Staff(base_url=suite.base_url, role="admin", username=username, password=PASSWORD)
    async with aiohttp.ClientSession(base_url=suite.base_url) as http:
        status, reply = await _call(http, "POST", "/api/v1/auth/bootstrap",
                                    {"secret": secret, "username": username, "password": PASSWORD})
        assert status == 201, (status, reply)
    await sign_in(admin, {"username": username, "password": PASSWORD})
    await enrol(admin)
    return admin


def _unused_username(suite: Suite, username: str) -> str:
    """`username`, or (another module of a shared suite took it) `username-2`, `-3`, …"""
    taken: set[str] = suite.__dict__.setdefault("_parley_usernames", set())
    chosen, n = username, 1
    while chosen in taken:
        n += 1
        chosen = f"{username}-{n}"
    taken.add(chosen)
    return chosen


async def create_staff(suite: Suite, admin: Staff, role: str, username: str,
                       display_name: str = "") -> Staff:
    """One more account of `role` (named `display_name`), created by `admin` with
    `INITIAL_PASSWORD`, signed in, its own password (`PASSWORD`) chosen, and enrolled."""
    username = _unused_username(suite, username)
    staff = Staff(base_url=suite.base_url, role=role, username=username, password=PASSWORD)
    status, reply = await admin.call("POST", "/api/v1/accounts", {
        "username": username, "role": role, "password": INITIAL_PASSWORD,
        "display_name": display_name})
    assert status == 201, (status, reply)
    await sign_in(staff, {"username": username, "password": INITIAL_PASSWORD})
    await choose_password(staff, INITIAL_PASSWORD)
    await enrol(staff)
    return staff


async def staff_people(suite: Suite) -> People:
    """Admin, mediator and auditor for this suite, made once (see the module docstring)."""
    people: People | None = getattr(suite, "_parley_people", None)
    if people is None:
        admin = await bootstrap_admin(suite)
        mediator = await create_staff(suite, admin, "mediator", "mediator")
        auditor = await create_staff(suite, admin, "auditor", "auditor")
        people = People(admin=admin, mediator=mediator, auditor=auditor)
        suite._parley_people = people  # type: ignore[attr-defined]
    return people
