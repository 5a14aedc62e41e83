"""Reading evidence's advertised byte-port URL (gateway/http/evidence_link.py): TCP or a socket."""

from __future__ import annotations

import aiohttp
import msgspec
import pytest

from gateway.http.evidence_link import LinkError, link_of
from proto.evidence import InternalUrl, unix_url


def test_a_unix_socket_url_names_the_socket_and_a_plain_http_request() -> None:
    base = unix_url("/var/lib/parley data/run/evidence-http.sock")
    assert base == "http+unix://%2Fvar%2Flib%2Fparley%20data%2Frun%2Fevidence-http.sock"
    link = link_of(f"{base}/uploads/abc?x=1")
    assert link.socket == "/var/lib/parley data/run/evidence-http.sock"
    assert link.url == "http://evidence/uploads/abc?x=1" and link.path == "/uploads/abc?x=1"
    assert link.plain and link.authority == "evidence"
    assert msgspec.convert(f"{base}/uploads/abc", InternalUrl) == f"{base}/uploads/abc"


async def test_the_connector_follows_the_link() -> None:
    unix = link_of(unix_url("/run/e.sock") + "/downloads/d").connector()
    assert isinstance(unix, aiohttp.UnixConnector) and unix.path == "/run/e.sock"
    await unix.close()
    assert link_of("http://127.0.0.1:8081/downloads/d").connector() is None


@pytest.mark.parametrize(("url", "host", "port", "plain"), [
    ("http://127.0.0.1:8081/uploads/u", "127.0.0.1", 8081, True),
    ("https://evidence-1.internal/uploads/u", "evidence-1.internal", 443, False),
    ("http://[::1]:9/appends/a", "::1", 9, True),
])
def test_tcp_urls_keep_host_port_and_scheme(url: str, host: str, port: int, plain: bool) -> None:
    link = link_of(url)
    assert (link.host, link.port, link.plain, link.socket, link.url) == (host, port, plain, None,
                                                                         url)


@pytest.mark.parametrize("url", ["ftp://x/y", "http:///nohost", "http+unix://relative.sock/u",
                                 "http+unix://%2Fa%00b/u", "http://h:99999/u"])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(LinkError):
        link_of(url)
