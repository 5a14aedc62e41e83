"""Requests aiohttp cannot parse still get the JSON error envelope and the security headers.

aiohttp answers those before any middleware runs; gateway/http/server.py swaps in a protocol
handler that answers in JSON. No public aiohttp hook does this, so this test pins the behaviour
on the aiohttp versions pyproject.toml allows: a change there that breaks it fails here.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import web

from gateway.config import GatewayConfig
from gateway.http.server import runner_for
from tests.harness import free_port


async def _exchange(port: int, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


async def _serve(tmp_path: Path) -> tuple[web.AppRunner, int]:
    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", ok)
    port = free_port()
    config = GatewayConfig(data_dir=tmp_path, http_port=port, max_header_bytes=1024, max_headers=8)
    runner = runner_for(app, config)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def test_oversized_and_malformed_requests_answer_in_json(tmp_path: Path) -> None:
    runner, port = await _serve(tmp_path)
    try:
        status, headers, _ = await _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status == 200

        big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 4096 + b"\r\n\r\n"
        status, headers, body = await _exchange(port, big)
        assert 400 <= status < 500
        assert headers["content-type"].startswith("application/json")
        assert headers["x-content-type-options"] == "nosniff"
        assert json.loads(body)["error"]["message"] == "malformed or oversized request"

        status, headers, body = await _exchange(port, b"NOT A REQUEST\r\n\r\n")
        assert status == 400
        assert json.loads(body)["error"]["code"] == "invalid"
        assert "content-security-policy" in headers
    finally:
        await runner.cleanup()
