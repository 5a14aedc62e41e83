"""The real suite (`parley up` subprocess): readiness, supervision, headers, bad input."""

from __future__ import annotations

import os
import signal
import socket

import aiohttp
import pytest

from parley.provision import HEARINGS_BUCKET
from proto.audit import AUDIT_STREAM
from tests.harness import Suite, pid_alive, wait_until

SERVICES = ("signalling", "evidence", "audit", "gateway")
pytestmark = pytest.mark.own_suite  # kills and restarts the suite's processes


async def test_ready_lists_every_process(suite: Suite) -> None:
    ready = await suite.ready()
    names = {c["name"]: c["status"] for c in ready["components"]}
    assert names == {"gateway": "ok", "nats": "ok", "signalling": "ok", "evidence": "ok", "audit": "ok"}
    assert set(suite.processes()) == {"nats", *SERVICES}


async def test_every_service_is_discoverable_over_micro(suite: Suite) -> None:
    await suite.ready()
    nc = await suite.connect("gateway")
    try:
        for verb in ("PING", "INFO", "STATS"):
            for name in ("signalling", "evidence", "audit"):
                reply = await nc.request(f"$SRV.{verb}.{name}", b"", timeout=2)
                assert b'"name": "' + name.encode() + b'"' in reply.data
        info = await nc.request("$SRV.INFO.audit", b"", timeout=2)
        assert b"parley.v1.audit.health" in info.data
    finally:
        await nc.drain()


async def test_security_headers_on_every_response(suite: Suite) -> None:
    await suite.ready()
    async with aiohttp.ClientSession() as http:
        for path in ("/healthz", "/readyz", "/api/v1/openapi.json",
                     "/api/v1/asyncapi.json", "/no/such/route"):
            async with http.get(suite.base_url + path) as response:
                h = response.headers
                assert "script-src 'self'" in h["Content-Security-Policy"], path
                assert "unsafe-inline" not in h["Content-Security-Policy"]
                assert h["X-Content-Type-Options"] == "nosniff"
                assert h["Referrer-Policy"] == "no-referrer"
                assert h["X-Frame-Options"] == "DENY"
                assert "camera=(self)" in h["Permissions-Policy"]


async def test_metrics_are_prometheus_text_on_their_own_listener_only(suite: Suite) -> None:
    await suite.ready()
    async with aiohttp.ClientSession() as http:
        async with http.get(suite.metrics_url) as response:
            text = await response.text()
        assert response.content_type == "text/plain"
        assert 'parley_http_requests_total{method="GET",route="/readyz",status="200"}' in text
        # Closed on the public listener, whoever asks (per-route counts are not for outsiders).
        async with http.get(suite.base_url + "/metrics") as response:
            assert response.status == 404
            assert (await response.json())["error"]["code"] == "not_found"


async def test_unknown_route_and_method_are_json_errors(suite: Suite) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(suite.base_url + "/api/v1/nothing") as response:
            assert response.status == 404
            assert (await response.json())["error"]["code"] == "not_found"
        async with http.delete(suite.base_url + "/healthz") as response:
            assert response.status == 405
            assert (await response.json())["error"]["code"] == "invalid"


def _raw_http(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("request_bytes", [
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: " + b"a" * 20000 + b"\r\n\r\n",
    b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n",
    b"BREW /healthz HTCPCP/1.0\r\n\r\n",
])
async def test_unparseable_requests_get_json_4xx(suite: Suite, request_bytes: bytes) -> None:
    await suite.ready()
    raw = _raw_http(suite.http_port, request_bytes)
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    assert 400 <= status < 500, head
    assert b"application/json" in head and b'"error"' in body
    assert b"Traceback" not in raw and b"nosniff" in head


async def test_kill_9_of_each_service_is_restarted(suite: Suite) -> None:
    await suite.ready()
    for name in SERVICES:
        old = suite.processes()[name]
        os.kill(old, signal.SIGKILL)

        async def restarted(name: str = name, old: int = old) -> bool:
            pid = suite.processes().get(name)
            return pid is not None and pid != old and pid_alive(pid)

        await wait_until(restarted, timeout=20, what=f"{name} restart")
        await suite.ready()


async def test_kill_9_of_nats_keeps_jetstream_data(suite: Suite) -> None:
    await suite.ready()
    nc = await suite.connect("supervisor")
    try:
        js = nc.jetstream()
        ack = await js.publish("parley.v1.audit.event.supervisor", b'{"probe":1}',
                               headers={"Nats-Msg-Id": "probe-before-kill"})
    finally:
        await nc.close()
    old = suite.processes()["nats"]
    os.kill(old, signal.SIGKILL)

    async def nats_back() -> bool:
        pid = suite.processes().get("nats")
        return pid is not None and pid != old and pid_alive(pid)

    await wait_until(nats_back, timeout=20, what="nats restart")
    await suite.ready()  # every service reconnected
    nc = await suite.connect("supervisor")
    try:
        js = nc.jetstream()
        stored = await js.get_msg(AUDIT_STREAM, ack.seq)
        assert stored.data == b'{"probe":1}'
        await js.key_value(HEARINGS_BUCKET)
    finally:
        await nc.close()
