"""The web client through the real gateway: the shell for every client route, a real not-found
page for unknown ones, files with their exact types and the security headers, and a real
Chromium running the ES modules under the gateway's strict CSP (no inline script)."""

from __future__ import annotations

import aiohttp
import pytest

from gateway.http.headers import CONTENT_SECURITY_POLICY
from gateway.webclient.routes import VERSION, asset_table
from tests.browser import chromium_page, requires_chromium
from tests.harness import Suite

EXPECTED_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json",
                  ".svg": "image/svg+xml"}
PAGES = ("/", "/signin", "/join", "/techcheck", "/hearings", "/hearings/01HXYZ/setup", "/audit",
         "/admin/accounts")


async def test_shell_files_types_and_security_headers(suite: Suite) -> None:
    await suite.ready()
    async with aiohttp.ClientSession(base_url=suite.base_url) as http:
        shell = None
        for url in PAGES:
            async with http.get(url) as response:
                assert response.status == 200, url
                assert response.content_type == "text/html"
                assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
                body = await response.text()
                shell = shell or body
                assert body == shell  # one shell page; the client's router picks the screen
                assert "<script>" not in body and " style=" not in body
        for name in asset_table():
            async with http.get(f"/static/{name}") as response:
                assert response.status == 200, name
                assert response.content_type == EXPECTED_TYPES[name[name.rindex("."):]], name
                assert response.charset == "utf-8"
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert response.headers["X-Frame-Options"] == "DENY"
        # The shell loads the client under the current version's prefix: immutable, so moving
        # between pages fetches no file twice; unprefixed, revalidated by ETag.
        assert shell is not None and f'src="/static/{VERSION}/js/app.js"' in shell
        async with http.get(f"/static/{VERSION}/js/app.js") as response:
            assert response.status == 200
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            etag = response.headers["ETag"]
        async with http.get("/static/js/app.js") as response:
            assert response.headers["Cache-Control"] == "no-cache"
            assert response.headers["ETag"] == etag
        async with http.get("/static/js/app.js", headers={"If-None-Match": f'W/{etag}, "x"'}) as response:
            assert response.status == 304 and await response.read() == b""
        async with http.get("/static/0123456789abcdef/js/app.js") as response:
            assert response.status == 404  # another release's files are not mixed in
        for bad in ("/static/../app.py", "/static/nope.js", "/static/%2e%2e/app.py",
                    "/static/js/../routes.py", "/static/__init__.py", "/static/index.html"):
            async with http.get(bad) as response:
                assert response.status == 404, bad
                assert response.content_type == "application/json"
        # An unknown page: a real page with status 404 for a browser, JSON for an API client.
        async with http.get("/login", headers={"Accept": "text/html"}) as response:
            assert response.status == 404
            assert response.content_type == "text/html"
        async with http.get("/api/v1/nope", headers={"Accept": "text/html"}) as response:
            assert response.status == 404
            assert response.content_type == "application/json"


@pytest.mark.browser
@requires_chromium
async def test_pages_run_under_the_csp(suite: Suite) -> None:
    await suite.ready()
    async with chromium_page(suite.base_url) as tab:
        await tab.page.goto("/")
        # The modules ran, asked who is signed in (nobody) and say how to come in.
        await tab.wait_for("document.getElementById('status').textContent.includes('invitation')")
        await tab.page.goto("/join#t=h.i.0123456789abcdef0123")
        await tab.wait_for("document.querySelector('form.join input[name=access_code]')")
        assert "t=" not in tab.page.url  # the token left the address bar at once
        await tab.page.goto("/no/such/page")
        await tab.wait_for("document.querySelector('h1').textContent === 'Page not found'")
        await tab.check_accessible("notfound")
        tab.assert_clean(secrets=["0123456789abcdef0123"])
