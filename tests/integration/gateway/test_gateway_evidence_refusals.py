"""Evidence's refusal of a byte stream reaches the client whole: the wait it asks for
(`retry_after_s`, and the Retry-After header) and its reason, on an upload and a download
(gateway/http/streaming.py `_failure_of`, services/evidence/internal_http.py `error_reply`).

Real aiohttp servers on real sockets: evidence's side answers with its own error reply, the
gateway's side relays with the real streaming functions behind the real error middleware.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import msgspec
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from gateway.http.error_middleware import error_middleware
from gateway.http.streaming import pull_download, push_upload
from proto.errors import Error, ErrorCode, ErrorReply
from services.evidence.internal_http import error_reply
from tests.integration.evidence.writer_bench import participant

REFUSAL = Error(code=ErrorCode.RATE_LIMITED, message="the store is busy; try again shortly",
                retry_after_s=7, reason="store_busy")
WHO = participant("pa-h1", "A", "h1")


async def refuse(request: web.Request) -> web.Response:
    await request.read()  # the whole body first: the refusal, not a cut upload, is tested
    return error_reply(REFUSAL)


@pytest.fixture
async def gateway() -> AsyncIterator[str]:
    evidence_app = web.Application()
    evidence_app.router.add_put("/uploads/{id}", refuse)
    evidence_app.router.add_get("/downloads/{id}", refuse)
    evidence = TestServer(evidence_app, host="127.0.0.1")
    await evidence.start_server()
    base = str(evidence.make_url("")).rstrip("/")

    async def upload(request: web.Request) -> web.Response:
        assert request.content_length is not None
        await push_upload(f"{base}/uploads/u1", "ticket", WHO, request, request.content_length)
        return web.Response(status=201)

    async def download(request: web.Request) -> web.StreamResponse:
        return await pull_download(request, web.StreamResponse(), f"{base}/downloads/d1",
                                   "ticket", WHO)

    app = web.Application(middlewares=[error_middleware])
    app.router.add_put("/upload", upload)
    app.router.add_get("/download", download)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()
    await evidence.close()


@pytest.mark.parametrize(("method", "path", "body"), [("PUT", "/upload", b"x" * 4096),
                                                      ("GET", "/download", None)])
async def test_evidence_refusal_keeps_its_retry_after_and_reason(
        gateway: str, method: str, path: str, body: bytes | None) -> None:
    async with aiohttp.ClientSession() as http, \
            http.request(method, gateway + path, data=body) as response:
        answered = msgspec.json.decode(await response.read(), type=ErrorReply).error
        assert (response.status, response.headers.get("Retry-After")) == (429, "7")
    assert answered == REFUSAL
