"""Reaching one evidence instance's byte port from the URL it advertised (pure but for `open`).

    http://host:port/path        TCP (an internal network, or loopback)
    https://host:port/path       TCP with TLS, checked against the suite's CA (streaming.py)
    http+unix://<socket>/path    a Unix socket on this host: evidence and the gateway co-located;
                                 <socket> is the socket's absolute path, percent-encoded

A Unix socket spares both processes the TCP stack on every relayed byte (segmenting, checksums,
acknowledgements), and only processes that may open the socket file (0600, evidence's user) can
reach the port at all. The request itself is the same HTTP/1.1 either way: `url` is what goes
to aiohttp and on the request line, with the placeholder host `evidence` for a socket.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from dataclasses import dataclass

import aiohttp

from parley.rawsocket import widen_unix_send_buffer
from proto.evidence import UNIX_SCHEME

_UNIX_HOST = "evidence"


class LinkError(ValueError):
    """The advertised URL is not one the gateway can reach."""


@dataclass(frozen=True)
class Link:
    url: str  # http(s)://host[:port]/path, or http://evidence/path for a socket
    host: str
    port: int
    socket: str | None = None  # the Unix socket's path, for `http+unix`

    @property
    def plain(self) -> bool:
        """No TLS: the bytes may be spliced in the kernel (splice.py)."""
        return self.url.startswith("http://")

    @property
    def authority(self) -> str:
        return _UNIX_HOST if self.socket is not None else urllib.parse.urlsplit(self.url).netloc

    @property
    def path(self) -> str:
        parts = urllib.parse.urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def connector(self) -> aiohttp.BaseConnector | None:
        """aiohttp's connector for this link (None: the default TCP one)."""
        return aiohttp.UnixConnector(path=self.socket) if self.socket is not None else None

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.socket is not None:
            reader, writer = await asyncio.open_unix_connection(self.socket)
            widen_unix_send_buffer(writer.get_extra_info("socket"))  # for the relayed body
            return reader, writer
        return await asyncio.open_connection(self.host, self.port)


def link_of(url: str) -> Link:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == UNIX_SCHEME:
        socket = urllib.parse.unquote(parts.netloc)
        if not socket.startswith("/") or "\x00" in socket:
            raise LinkError("a Unix socket URL names an absolute path")
        rest = urllib.parse.urlunsplit(("http", _UNIX_HOST, parts.path, parts.query, ""))
        return Link(url=rest, host=_UNIX_HOST, port=80, socket=socket)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LinkError("not an http(s) or http+unix URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise LinkError("bad port") from None
    return Link(url=url, host=parts.hostname, port=port)
