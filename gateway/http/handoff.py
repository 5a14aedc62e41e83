"""The gateway's side of the download hand-off (proto/handoff.py): the client's socket lent to
a co-located evidence instance for one response body, instead of relaying the body.

Used by `streaming.pull_download` when evidence's byte port is a Unix socket on this host and
the client's connection is plain TCP (behind a TLS terminator; with TLS in the gateway the
bytes must pass through its TLS layer, so the relay stays). The gateway still answers the
request: it writes the response head itself once evidence says the range is readable and its
first segments authentic, and evidence's refusal before that is an ordinary error reply.

The gateway keeps the connection throughout, and never serves another request on it: the
response says `Connection: close`, and once evidence reports that it wrote exactly the
response's length, all of it authenticated, the gateway ends the response and shuts the socket
down. Whatever comes next on a connection (behind a TLS terminator, the next request on its
upstream connection may be another person's, with their session cookie) must never be readable
through a copy of the descriptor evidence might have kept: shutting the socket down ends it for
every holder. On anything else (a short or failed delivery, evidence gone, a broken exchange,
this handler cancelled) it cuts the connection at once: the client sees a broken response,
never a silently short one. A new connection per download costs the terminator one loopback
connect; a download is megabytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import urllib.parse

import msgspec
from aiohttp import web

from gateway.http.evidence_link import Link
from parley import rawsocket
from parley.errors import ServiceFailure
from parley.fdpass import FrameError, recv_frame, send_frame
from proto.errors import ErrorCode
from proto.handoff import MAX_FRAME, HandoffGo, HandoffReply, HandoffRequest, handoff_socket
from proto.principal import Principal, encode_principal

_UNAVAILABLE = "the evidence service is unavailable"


class Unreachable(Exception):
    """No hand-off: evidence's hand-off socket cannot be reached. Nothing was spent (the
    ticket was not sent), so the caller relays instead."""


def usable(request: web.Request, link: Link) -> bool:
    sock = rawsocket.plain_socket(request.transport)
    return link.socket is not None and sock is not None \
        and sock.family in (socket.AF_INET, socket.AF_INET6)


def cut(transport: asyncio.Transport | None) -> None:
    """End the client's connection for every holder of its descriptor (evidence's copy too)."""
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    transport.abort()


async def _connect(link: Link, connect_s: float) -> socket.socket:
    assert link.socket is not None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.setblocking(False)
    try:
        await asyncio.wait_for(asyncio.get_running_loop().sock_connect(
            conn, handoff_socket(link.socket)), connect_s)
    except (OSError, TimeoutError) as exc:
        conn.close()
        raise Unreachable(str(exc)) from exc
    return conn


async def _reply(conn: socket.socket, idle_s: float | None) -> HandoffReply:
    payload, _ = await recv_frame(conn, max_len=MAX_FRAME, idle_s=idle_s)
    return msgspec.json.decode(payload, type=HandoffReply)


async def _ready(conn: socket.socket, request: web.Request, link: Link, ticket: str,
                 principal: Principal, idle_s: float) -> None:
    """Lend the socket and wait until evidence can serve; a refusal is its error."""
    client = rawsocket.plain_socket(request.transport)
    assert client is not None
    ask = HandoffRequest(path=urllib.parse.urlsplit(link.url).path, ticket=ticket,
                         principal=encode_principal(principal))
    try:
        await send_frame(conn, msgspec.json.encode(ask), fds=[client.fileno()], idle_s=idle_s)
        reply = await _reply(conn, idle_s)
    except (FrameError, msgspec.DecodeError) as exc:
        raise ServiceFailure(ErrorCode.UNAVAILABLE, _UNAVAILABLE) from exc
    if reply.state == "refused" and reply.error is not None:
        raise ServiceFailure.of(reply.error)
    if reply.state != "ready":
        raise ServiceFailure(ErrorCode.UNAVAILABLE, _UNAVAILABLE)


async def deliver(request: web.Request, response: web.StreamResponse, link: Link, ticket: str,
                  principal: Principal, *, connect_s: float,
                  idle_s: float) -> web.StreamResponse:
    """Answer `request` with `response` (its length set), evidence writing the body.

    Raises Unreachable (before anything is spent) or ServiceFailure (before the head is sent)."""
    conn = await _connect(link, connect_s)
    with conn:
        await _ready(conn, request, link, ticket, principal, idle_s)
        response.force_close()
        try:
            await response.prepare(request)
            await response.write(b"")  # aiohttp holds the head for the first body bytes
            if request.transport is None:
                raise ConnectionResetError("the client went away")
            await rawsocket.flushed(request.transport, idle_s)
            await send_frame(conn, msgspec.json.encode(HandoffGo()), idle_s=idle_s)
            # No bound here: a large document to a slow client takes as long as it takes;
            # evidence cuts a client that takes nothing for its idle time, and reports that.
            done = await _reply(conn, None)
        except (OSError, FrameError, msgspec.DecodeError, rawsocket.SendStalled):
            cut(request.transport)
            return response
        except BaseException:  # cancelled: the connection must not outlive our doubt
            cut(request.transport)
            raise
    if done.state != "done" or not done.complete or done.sent != response.content_length:
        cut(request.transport)
        return response
    await response.write_eof()
    transport = request.transport
    if transport is not None:
        with contextlib.suppress(rawsocket.SendStalled):  # the bytes are the kernel's now
            await rawsocket.flushed(transport, idle_s)
    cut(transport)
    return response
