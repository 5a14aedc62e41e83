"""The web client's files through the real gateway: content types, security headers, and a real
Chromium running the ES modules under the gateway's strict CSP (no inline script)."""

from __future__ import annotations

import re

import aiohttp
import pytest

from gateway.http.headers import CONTENT_SECURITY_POLICY
from gateway.webclient.routes import ASSETS, PAGES, WEBCLIENT
from tests.browser import chromium_page, requires_chromium
from tests.harness import Suite

EXPECTED_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


def test_every_client_file_is_served_and_every_import_resolves() -> None:
    on_disk = {p.name for p in WEBCLIENT.iterdir() if p.is_file()}
    served = set(ASSETS) | set(PAGES.values())
    assert on_disk == served  # nothing unserved is shipped, nothing served is missing
    for name in ASSETS:
        text = (WEBCLIENT / name).read_text()
        for target in re.findall(r'from "\./([^"]+)"', text):
            assert target in ASSETS, f"{name} imports {target}, which is not served"
    for page in set(PAGES.values()):
        for src in re.findall(r'(?:src|href)="/static/([^"]+)"', (WEBCLIENT / page).read_text()):
            assert src in ASSETS, f"{page} loads {src}, which is not served"


async def test_files_have_types_and_security_headers(suite: Suite) -> None:
    await suite.ready(timeout=60)
    urls = [*PAGES, *(f"/static/{name}" for name in ASSETS)]
    async with aiohttp.ClientSession(base_url=suite.base_url) as http:
        for url in urls:
            async with http.get(url) as response:
                assert response.status == 200, url
                name = PAGES.get(url, url)
                suffix = name[name.rindex("."):]
                assert response.content_type == EXPECTED_TYPES[suffix], url
                assert response.charset == "utf-8"
                assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert response.headers["X-Frame-Options"] == "DENY"
                body = await response.text()
                if suffix == ".html":
                    # Scripts only as external modules: the CSP would block anything inline.
                    assert "<script>" not in body and " style=" not in body
        for bad in ("/static/../app.py", "/static/nope.js", "/static/%2e%2e/app.py"):
            async with http.get(bad) as response:
                assert response.status == 404, bad
                assert response.content_type == "application/json"


@pytest.mark.browser
@requires_chromium
async def test_pages_run_under_the_csp(suite: Suite) -> None:
    await suite.ready(timeout=60)
    async with chromium_page(suite.base_url) as tab:
        await tab.page.goto("/")
        # The module ran, called the API as an anonymous visitor and said what to do.
        await tab.wait_for("document.getElementById('status').textContent.includes('invitation')")
        await tab.page.goto("/join#t=h.i.0123456789abcdef0123")
        await tab.wait_for("!document.getElementById('redeem').hidden")
        assert "t=" not in tab.page.url  # the token left the address bar at once
        refused = [line for line in tab.console if "Content Security Policy" in line]
        assert not refused, tab.dump()
        assert not tab.errors, tab.dump()
