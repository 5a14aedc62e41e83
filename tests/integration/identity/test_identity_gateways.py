"""Several real gateway processes on one real nats-server: revocation across processes, session
expiry with a short configured idle timeout, rate limits and sign-in backoff/lockout."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from parley.provision import provision
from tests.harness import SUITE_READY_S, NatsServer, ServiceProcess, free_port, wait_until
from tests.integration.identity.identity_support import HIGH_LIMITS, audit_events, raw
from tests.people import (
    INITIAL_PASSWORD,
    PASSWORD,
    Staff,
    bootstrap_secret,
    choose_password,
    enrol,
    sign_in,
)


@dataclass
class Gateway:
    process: ServiceProcess
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.process.log()


@pytest.fixture(scope="module")
def nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(data_dir=tmp_path_factory.mktemp("gw-nats"), port=free_port())
    server.start()
    yield server
    server.stop()


class Gateways:
    def __init__(self, nats: NatsServer, tmp: Path) -> None:
        self.nats, self.tmp, self.started = nats, tmp, list[Gateway]()

    async def start(self, name: str, **env: str) -> Gateway:
        port = free_port()
        extra = {**HIGH_LIMITS, "PARLEY_HTTP_PORT": str(port), "PARLEY_READY_SERVICES": "",
                 **env}
        process = ServiceProcess("gateway", self.nats.service_env("gateway", **extra),
                                 self.tmp / f"{name}.log")
        process.start()
        gateway = Gateway(process, port)
        self.started.append(gateway)

        async def alive() -> bool:
            return (await raw(gateway.url, "GET", "/healthz"))[0] == 200

        await wait_until(alive, timeout=SUITE_READY_S, what=f"gateway {name}")
        return gateway


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateways(nats: NatsServer, tmp_path_factory: pytest.TempPathFactory
                   ) -> AsyncIterator[Gateways]:
    nc = await nats.connect("supervisor")
    await provision(nc.jetstream())
    await nc.drain()
    running = Gateways(nats, tmp_path_factory.mktemp("gateways"))
    yield running
    for gateway in running.started:
        gateway.process.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def admin_on_a(gateways: Gateways) -> tuple[Gateway, Staff]:
    a = await gateways.start("a")
    secret = await bootstrap_secret(a.process)
    status, _, _ = await raw(a.url, "POST", "/api/v1/auth/bootstrap",
                             json={"secret": secret, "username": "root", "password": PASSWORD})
    assert status == 201
    admin = Staff(base_url=a.url, role="admin", username="root", password=PASSWORD)
    await sign_in(admin, {"username": "root", "password": PASSWORD})
    await enrol(admin)
    return a, admin


pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _staff_on(gateway: Gateway, admin: Staff, role: str, username: str) -> Staff:
    assert (await admin.call("POST", "/api/v1/accounts", {
        "username": username, "role": role, "password": INITIAL_PASSWORD}))[0] == 201
    staff = Staff(base_url=gateway.url, role=role, username=username, password=PASSWORD)
    await sign_in(staff, {"username": username, "password": INITIAL_PASSWORD})
    await choose_password(staff, INITIAL_PASSWORD)
    await enrol(staff)
    return staff


async def test_disable_ends_live_session_and_token_on_another_gateway(
        gateways: Gateways, admin_on_a: tuple[Gateway, Staff]) -> None:
    _, admin = admin_on_a
    b = await gateways.start("b")
    staff = await _staff_on(b, admin, "mediator", "mediator-b")
    assert (await staff.call("GET", "/api/v1/me"))[0] == 200
    assert (await staff.call("GET", "/api/v1/me", bearer=True))[0] == 200
    status, _ = await admin.call("PATCH", f"/api/v1/accounts/{staff.account_id}",
                                 {"disabled": True})
    assert status == 200
    disabled_at = time.monotonic()

    async def refused() -> bool:
        return (await staff.call("GET", "/api/v1/me"))[0] == 401

    await wait_until(refused, timeout=2.0, interval=0.01, what="the session to end on B")
    assert time.monotonic() - disabled_at < 2.0
    assert (await staff.call("GET", "/api/v1/me", bearer=True))[0] == 401
    # Enabling again does not revive the old session (the epoch moved on).
    assert (await admin.call("PATCH", f"/api/v1/accounts/{staff.account_id}",
                             {"disabled": False}))[0] == 200
    assert (await staff.call("GET", "/api/v1/me"))[0] == 401


async def test_sign_out_on_one_gateway_ends_the_session_on_another(
        gateways: Gateways, admin_on_a: tuple[Gateway, Staff]) -> None:
    a, admin = admin_on_a
    b = next(g for g in gateways.started if g is not a)
    staff = await _staff_on(a, admin, "auditor", "auditor-ab")
    on_b = {**staff.headers()}
    assert (await raw(b.url, "GET", "/api/v1/me", headers=on_b))[0] == 200
    assert (await staff.call("POST", "/api/v1/auth/signout"))[0] == 204

    async def refused() -> bool:
        return (await raw(b.url, "GET", "/api/v1/me", headers=on_b))[0] == 401

    await wait_until(refused, timeout=2.0, interval=0.01, what="sign-out to reach B")


async def test_idle_session_expires(gateways: Gateways, admin_on_a: tuple[Gateway, Staff]) -> None:
    _, admin = admin_on_a
    # 3 s: signing in and enrolling TOTP (argon2id, several requests) on a loaded machine can
    # take longer than 1 s, which would end the session before the test begins.
    c = await gateways.start("c", PARLEY_SESSION_IDLE_S="3", PARLEY_SESSION_TOUCH_S="0.2")
    staff = await _staff_on(c, admin, "auditor", "idle-one")
    # Activity keeps it alive past the idle timeout (each request within 3 s of the last)...
    started = time.monotonic()
    while time.monotonic() - started < 4:
        assert (await staff.call("GET", "/api/v1/me"))[0] == 200
        await asyncio.sleep(0.5)
    # ...and one idle period (the configured 3 s, the only wait here) ends it.
    await asyncio.sleep(3.0)
    status, body = await staff.call("GET", "/api/v1/me")
    assert status == 401 and body["error"]["message"] == "session expired"
    assert (await staff.call("GET", "/api/v1/me", bearer=True))[0] == 200  # tokens do not idle


async def test_a_socket_is_told_whether_its_session_expired_or_was_ended(
        gateways: Gateways, admin_on_a: tuple[Gateway, Staff]) -> None:
    """An open socket keeps its session from idling out, and ends with it: 4001 "session
    expired" at the session's absolute lifetime, 4001 "signed out" when it is ended earlier."""
    _, admin = admin_on_a
    e = await gateways.start("e", PARLEY_SESSION_ABSOLUTE_S="8", PARLEY_SESSION_IDLE_S="2",
                             PARLEY_SESSION_TOUCH_S="0.2")
    async with aiohttp.ClientSession() as http:
        expiring = await _staff_on(e, admin, "mediator", "expiring-one")
        lasting = await http.ws_connect(e.url + "/api/v1/ws", headers=expiring.headers())
        opened = time.monotonic()
        ending = await _staff_on(e, admin, "mediator", "ending-one")
        ended = await http.ws_connect(e.url + "/api/v1/ws", headers=ending.headers())
        assert (await ending.call("POST", "/api/v1/auth/signout"))[0] == 204
        closed = await ended.receive(timeout=5)
        assert (closed.type, closed.data, closed.extra) == (
            aiohttp.WSMsgType.CLOSE, 4001, "signed out")
        closed = await lasting.receive(timeout=15)  # well past the idle timeout: still open
        assert (closed.type, closed.data, closed.extra) == (
            aiohttp.WSMsgType.CLOSE, 4001, "session expired")
        assert time.monotonic() - opened > 2.0
    assert (await expiring.call("GET", "/api/v1/me"))[0] == 401


async def test_rate_limit_per_address_and_per_session(gateways: Gateways,
                                                      admin_on_a: tuple[Gateway, Staff]) -> None:
    _, admin = admin_on_a
    d = await gateways.start("d", PARLEY_RATE_ADDRESS_PER_S="0.5", PARLEY_RATE_ADDRESS_BURST="30",
                             PARLEY_RATE_SESSION_PER_S="0.5", PARLEY_RATE_SESSION_BURST="3",
                             PARLEY_RATE_ASSETS_PER_S="0.5", PARLEY_RATE_ASSETS_BURST="50")
    token_headers = {"Authorization": f"Bearer {admin.token}"}
    # The web client's files spend neither the session's bucket nor the address's: their own.
    files = [(await raw(d.url, "GET", "/static/js/app.js", headers=token_headers))[0]
             for _ in range(45)]
    assert files == [200] * 45
    statuses = [(await raw(d.url, "GET", "/api/v1/me", headers=token_headers))
                for _ in range(4)]
    assert [s[0] for s in statuses] == [200, 200, 200, 429]
    assert int(statuses[-1][2]["Retry-After"]) >= 1
    assert statuses[-1][1]["error"]["code"] == "rate_limited"
    async with aiohttp.ClientSession() as http:
        seen = []
        for _ in range(40):
            async with http.get(d.url + "/healthz") as response:
                seen.append(response.status)
        assert 429 in seen and seen[0] == 200
        files = []
        for _ in range(10):
            async with http.get(d.url + "/static/css/parley.css") as response:
                files.append(response.status)
        assert files[:5] == [200] * 5 and files[-1] == 429  # 45 + 10 > the burst of 50


async def test_the_audit_logs_reads_draw_from_a_bucket_of_their_own(
        gateways: Gateways, admin_on_a: tuple[Gateway, Staff]) -> None:
    """An auditor's report on the web client is tens of searches: the audit log's reads draw
    from their own per-session bucket (`rate="audit"`), so a report neither spends the session's
    ordinary bucket nor is refused by it, and still has a limit of its own."""
    a, admin = admin_on_a
    auditor = await _staff_on(a, admin, "auditor", "auditor-rate")
    f = await gateways.start("f", PARLEY_RATE_SESSION_PER_S="0.1", PARLEY_RATE_SESSION_BURST="3",
                             PARLEY_RATE_AUDIT_PER_S="0.1", PARLEY_RATE_AUDIT_BURST="8",
                             PARLEY_RATE_ADDRESS_BURST="1000")
    bearer = {"Authorization": f"Bearer {auditor.token}"}
    reads = [(await raw(f.url, "GET", "/api/v1/audit/events?limit=1", headers=bearer))[0]
             for _ in range(9)]
    assert 429 not in reads[:8] and reads[8] == 429, reads  # more than the session's 3
    mine = [(await raw(f.url, "GET", "/api/v1/me", headers=bearer))[0] for _ in range(4)]
    assert mine == [200, 200, 200, 429], mine  # the session's own bucket was not spent


async def test_sign_in_backoff_then_lockout_is_audited(
        gateways: Gateways, admin_on_a: tuple[Gateway, Staff], nats: NatsServer) -> None:
    _, admin = admin_on_a
    e = await gateways.start("e", PARLEY_SIGNIN_FREE_FAILURES="2",
                             PARLEY_SIGNIN_LOCKOUT_AFTER="3", PARLEY_SIGNIN_LOCKOUT_S="60",
                             PARLEY_SIGNIN_ADDRESS_FREE_FAILURES="100")
    victim = await _staff_on(e, admin, "mediator", "victim")
    wrong = {"username": "victim", "password": "not the password"}
    statuses = []
    for _ in range(3):
        status, _, _ = await raw(e.url, "POST", "/api/v1/auth/signin", json=wrong)
        statuses.append(status)
    assert statuses == [401, 401, 401]
    status, _, headers = await raw(e.url, "POST", "/api/v1/auth/signin", json={
        "username": "victim", "password": PASSWORD, "totp": await victim.next_totp()})
    assert status == 429 and int(headers["Retry-After"]) > 1  # locked even with the right password
    # Unknown usernames back off the same way: nothing tells them apart.
    ghost = [(await raw(e.url, "POST", "/api/v1/auth/signin",
                        json={"username": "ghost", "password": "x"}))[0] for _ in range(4)]
    assert ghost == [401, 401, 401, 429]
    nc = await nats.connect("supervisor")
    try:
        events = await audit_events(nc)
    finally:
        await nc.drain()
    lockouts = [ev for ev in events if ev.action == "auth.lockout"]
    assert any(ev.resource.id == victim.account_id for ev in lockouts)
    failures = [ev for ev in events if ev.action == "auth.signin" and ev.outcome == "failed"]
    assert len(failures) >= 3
    assert PASSWORD not in e.log() and "not the password" not in e.log()
