"""What the session check costs, and how long a sign-in takes with the chosen argon2 parameters.

    python benchmarks/gateway_auth.py [--quick]

Runs the real gateway application (every middleware: tracing, metrics, errors, per-address rate
limit, authentication) on a real nats-server, with two extra routes that share one handler:
`GET /bench/open` (anyone) and `GET /bench/authed` (signed in: cookie session resolved from the
watched copy of `parley_sessions`, account epoch checked, per-session bucket). Both are measured
in the same run with the same client (keep-alive, fixed concurrency), alternating rounds, and the
ratio authed/open is printed (goal ≥ 0.8). Then the median latency of `POST /api/v1/auth/signin`
over HTTP, and of one bare argon2id verification, with `DEFAULT_PARAMS`.
Last stdout line: {"auth_ratio": …, "signin_ms": …}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.app import build_routes, create_app
from gateway.config import GatewayConfig
from gateway.http.body import json_response
from gateway.http.routes import Route, RouteTable
from gateway.identity import accounts as acc
from gateway.identity.passwords import DEFAULT_PARAMS, measure_signin_ms
from gateway.identity.policy import anyone, signed_in
from gateway.identity.session_store import kv_key_for_secret
from gateway.identity.sessions import SESSION_COOKIE, new_session
from gateway.state import STATE
from parley.natsconn import connect
from parley.provision import provision
from proto.common import Role
from proto.principal import PrincipalKind
from tests.harness import NatsServer, free_port

PASSWORD = "benchmark password 123"


async def _hello(request: web.Request) -> web.Response:
    return json_response({"ok": True})


def _routes() -> RouteTable:
    table = build_routes()
    routes = RouteTable()
    for route in table:
        routes.add(route)
    routes.add(Route("GET", "/bench/open", _hello, anyone("bench.open"), "bench", name="open"))
    routes.add(Route("GET", "/bench/authed", _hello, signed_in("bench.authed"), "bench",
                     name="authed"))
    routes.freeze()
    return routes


async def _rate(url: str, cookie: str | None, seconds: float, concurrency: int) -> float:
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}
    count = 0
    deadline = time.perf_counter() + seconds
    async with aiohttp.ClientSession(headers=headers) as http:
        async def worker() -> None:
            nonlocal count
            while time.perf_counter() < deadline:
                async with http.get(url) as response:
                    await response.read()
                    assert response.status == 200, response.status
                count += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - start)


async def run(quick: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        server = NatsServer(data_dir=Path(tmp), port=free_port())
        server.start()
        try:
            return await _measure(server, Path(tmp), quick)
        finally:
            server.stop()


async def _measure(server: NatsServer, tmp: Path, quick: bool) -> dict[str, float]:
    nc_admin = await server.connect("supervisor")
    await provision(nc_admin.jetstream())
    await nc_admin.drain()
    port = free_port()
    config = GatewayConfig(
        data_dir=tmp, nats_url=server.url, nats_credentials=server.credentials_path("gateway"),
        http_port=port, ready_services=(), rate_address_per_s=1e6, rate_address_burst=1e6,
        rate_session_per_s=1e6, rate_session_burst=1e6)
    nc = await connect(config, "bench-gateway")
    app = create_app(config, nc, _routes())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        ident = app[STATE].identity
        assert ident is not None
        now = ident.now_ms()
        account = acc.create_account(account_id="benchaccount", username="bench",
                                     role=Role.ADMIN, password=PASSWORD, hasher=ident.hasher,
                                     now_ms=now, must_change_password=False)
        await ident.accounts.create(account)
        secret, record = new_session(kind=PrincipalKind.ACCOUNT, subject=account.id,
                                     role=account.role, now_ms=now, policy=ident.policy)
        await ident.sessions.create(kv_key_for_secret(secret), record)
        base = f"http://127.0.0.1:{port}"
        seconds, rounds = (1.5, 3) if quick else (5.0, 5)
        await _rate(base + "/bench/authed", secret, 0.5, 8)  # warm-up (and read-through)
        open_rates, authed_rates = [], []
        for _ in range(rounds):
            open_rates.append(await _rate(base + "/bench/open", None, seconds, 8))
            authed_rates.append(await _rate(base + "/bench/authed", secret, seconds, 8))
        signin = []
        async with aiohttp.ClientSession() as http:
            for _ in range(5 if quick else 20):
                start = time.perf_counter()
                async with http.post(base + "/api/v1/auth/signin",
                                     json={"username": "bench", "password": PASSWORD}) as r:
                    assert r.status == 200, await r.text()
                signin.append((time.perf_counter() - start) * 1000)
        open_rps, authed_rps = statistics.median(open_rates), statistics.median(authed_rates)
        return {"open_rps": round(open_rps, 1), "authed_rps": round(authed_rps, 1),
                "auth_ratio": round(authed_rps / open_rps, 3),
                "signin_ms": round(statistics.median(signin), 1),
                "argon2_verify_ms": round(measure_signin_ms(DEFAULT_PARAMS, 5), 1)}
    finally:
        await runner.cleanup()
        await nc.drain()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short rounds (under a minute)")
    args = parser.parse_args()
    result = asyncio.run(run(args.quick))
    p = DEFAULT_PARAMS
    print(f"argon2id t={p.time_cost} m={p.memory_cost_kib} KiB p={p.parallelism}: "
          f"verify {result['argon2_verify_ms']} ms, HTTP sign-in {result['signin_ms']} ms")
    print(f"open {result['open_rps']} req/s, authenticated {result['authed_rps']} req/s, "
          f"ratio {result['auth_ratio']} (goal >= 0.8)")
    print(json.dumps({"auth_ratio": result["auth_ratio"], "signin_ms": result["signin_ms"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
