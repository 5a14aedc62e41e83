"""Two gateways on a fresh deployment start together: exactly one prints the first-run bootstrap
secret, the other says so, and the printed secret works (gateway/identity/state.py
`announce_bootstrap`). Before, each printed its own and only the one stored last worked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from parley.provision import provision
from tests.harness import NatsServer, ServiceProcess, free_port, wait_until
from tests.integration.identity.identity_support import HIGH_LIMITS, raw
from tests.people import BOOTSTRAP_RE, PASSWORD


async def test_two_gateways_starting_together_print_one_working_secret(tmp_path: Path) -> None:
    server = NatsServer(data_dir=tmp_path / "nats", port=free_port())
    server.start()
    processes: list[ServiceProcess] = []
    try:
        nc = await server.connect("supervisor")
        await provision(nc.jetstream())
        await nc.drain()
        ports = [free_port(), free_port()]
        for i, port in enumerate(ports):
            process = ServiceProcess("gateway", server.service_env(
                "gateway", **HIGH_LIMITS, PARLEY_HTTP_PORT=str(port), PARLEY_READY_SERVICES=""),
                tmp_path / f"gateway-{i}.log")
            processes.append(process)
        for process in processes:
            process.start()

        async def both_announced() -> bool:
            return all("Parley first run" in p.log() for p in processes)

        await wait_until(both_announced, timeout=60, what="both gateways' first-run lines")
        printed = [s for p in processes for s in BOOTSTRAP_RE.findall(p.log())]
        assert len(printed) == 1, printed
        elsewhere = [p for p in processes if "another gateway has just printed" in p.log()]
        assert len(elsewhere) == 1
        # The secret works, through either gateway: here the one that did not print it. The
        # first-run line comes before the gateway listens, so wait for it to serve.
        url = f"http://127.0.0.1:{ports[processes.index(elsewhere[0])]}"

        async def serving() -> bool:
            try:
                status, _, _ = await raw(url, "GET", "/readyz")
            except aiohttp.ClientConnectorError:
                return False
            return status == 200

        await wait_until(serving, timeout=30, what="the other gateway to serve")
        status, body, _ = await raw(url, "POST", "/api/v1/auth/bootstrap", json={
            "secret": printed[0], "username": "root", "password": PASSWORD})
        assert status == 201, body
    finally:
        for process in processes:
            process.stop()
        server.stop()
        await asyncio.sleep(0)


pytestmark = pytest.mark.asyncio
