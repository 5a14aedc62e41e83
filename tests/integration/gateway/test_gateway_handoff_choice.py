"""When the gateway lends a client's connection to evidence (gateway/http/handoff.py): only a
plain TCP connection, and only to an evidence on this host (a Unix socket link). With TLS in the
gateway the bytes must pass its TLS layer, so the relay stays: shown on real aiohttp servers,
one plain and one TLS, asked by real clients."""

from __future__ import annotations

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
