"""The web client's files cross the network gzip-compressed when the browser accepts it
(gateway/webclient/routes.py): real HTTP through aiohttp's test server, decoded by the client."""

from __future__ import annotations

import gzip

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gateway.webclient.routes import ASSETS, VERSION, accepts_gzip, assets_handler


@pytest.mark.parametrize(("header", "wanted"), [
    ("gzip, deflate, br, zstd", True), ("gzip;q=0.5", True), ("*", True), ("*;q=0, gzip", True),
    ("gzip;q=0", False), ("br, gzip;q=0.000", False), ("identity", False), ("", False),
    ("deflate, *;q=0", False)])
def test_accepts_gzip_reads_the_header_as_rfc_9110_says(header: str, wanted: bool) -> None:
    assert accepts_gzip(header) is wanted


async def test_a_file_is_sent_gzip_only_to_a_client_that_accepts_it() -> None:
    app = web.Application()
    app.router.add_get("/static/{file:[A-Za-z0-9_./-]+}", assets_handler(ASSETS, VERSION))
    async with TestClient(TestServer(app)) as client:
        url = f"/static/{VERSION}/js/screens/console.js"
        original = ASSETS["js/screens/console.js"][0]
        plain = await client.get(url, headers={"Accept-Encoding": "identity"},
                                 auto_decompress=False)
        assert plain.headers.get("Content-Encoding") is None
        assert await plain.read() == original
        packed = await client.get(url, headers={"Accept-Encoding": "gzip, br"},
                                  auto_decompress=False)
        assert packed.headers["Content-Encoding"] == "gzip"
        assert packed.headers["Vary"] == "Accept-Encoding"
        assert packed.headers["Content-Type"].startswith("text/javascript")
        body = await packed.read()
        assert len(body) < len(original) / 2 and gzip.decompress(body) == original
        # Each form has its own ETag, and revalidating either answers 304.
        assert packed.headers["ETag"] != plain.headers["ETag"]
        again = await client.get(url, headers={"Accept-Encoding": "gzip",
                                               "If-None-Match": packed.headers["ETag"]})
        assert again.status == 304 and again.headers["Content-Encoding"] == "gzip"
