"""When the gateway lends a client's connection to evidence (gateway/http/handoff.py): only a
plain TCP connection, and only to an evidence on this host (a Unix socket link). With TLS in the
gateway the bytes must pass its TLS layer, so the relay stays: shown on real aiohttp servers,
one plain and one TLS, asked by real clients."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from gateway.http import handoff
from gateway.http.evidence_link import link_of
from parley.tlsfiles import ensure_tls
from tests.harness import free_port

CO_LOCATED = link_of("http+unix://%2Frun%2Fevidence-http.sock/downloads/x")
ELSEWHERE = link_of("http://10.0.0.7:8090/downloads/x")


async def choice(request: web.Request) -> web.Response:
    return web.json_response({"co_located": handoff.usable(request, CO_LOCATED),
                              "elsewhere": handoff.usable(request, ELSEWHERE)})


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[tuple[str, str, ssl.SSLContext]]:
    tls = ensure_tls(tmp_path / "tls", {"gateway": ["127.0.0.1"]})["gateway"]
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(tls.cert, tls.key)
    app = web.Application()
    app.router.add_get("/", choice)
    runner = web.AppRunner(app)
    await runner.setup()
    plain, secure = free_port(), free_port()
    await web.TCPSite(runner, "127.0.0.1", plain).start()
    await web.TCPSite(runner, "127.0.0.1", secure, ssl_context=served).start()
    yield (f"http://127.0.0.1:{plain}/", f"https://127.0.0.1:{secure}/",
           ssl.create_default_context(cafile=str(tls.ca)))
    await runner.cleanup()


async def test_only_plain_tcp_to_a_co_located_evidence_is_handed_off(
        servers: tuple[str, str, ssl.SSLContext]) -> None:
    plain, secure, trust = servers
    async with aiohttp.ClientSession() as http:
        async with http.get(plain) as r:
            assert await r.json() == {"co_located": True, "elsewhere": False}
        async with http.get(secure, ssl=trust) as r:
            assert await r.json() == {"co_located": False, "elsewhere": False}


async def test_cutting_a_lent_connection_ends_it_for_a_descriptor_evidence_kept() -> None:
    """After a hand-off the gateway shuts the connection down: a copy of its descriptor kept by
    evidence (a compromised one could dup it) reads nothing the client sends afterwards."""
    accepted: asyncio.Future[asyncio.Transport] = asyncio.get_running_loop().create_future()

    class Server(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted.set_result(transport)  # type: ignore[arg-type]

    port = free_port()
    server = await asyncio.get_running_loop().create_server(Server, "127.0.0.1", port)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        transport = await asyncio.wait_for(accepted, 5)
        kept = socket.socket(fileno=os.dup(transport.get_extra_info("socket").fileno()))
        kept.setblocking(False)
        with kept:
            handoff.cut(transport)
            assert await asyncio.wait_for(reader.read(), 5) == b""  # the client sees the end
            writer.write(b"GET /next HTTP/1.1\r\nCookie: parley_session=secret\r\n\r\n")
            with contextlib.suppress(ConnectionError):
                await writer.drain()
            await asyncio.sleep(0.1)
            try:
                got = kept.recv(4096)
            except ConnectionResetError:  # the request met a closed socket: reset
                got = b""
            assert got == b""  # the kept copy: end of stream, never the request
    finally:
        writer.close()
        server.close()
        await server.wait_closed()
