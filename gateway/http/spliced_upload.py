"""An upload body relayed to evidence in the kernel: one raw HTTP/1.1 PUT, body spliced.

Used by `streaming.push_body` when the client's connection and evidence's port are plain
sockets (TCP, or a Unix socket when co-located: evidence_link.py) and the body has a
Content-Length. The gateway writes the request head itself, hands
over what the HTTP server already buffered, then `splice`s the remaining bytes straight from the
client's socket to evidence's (splice.py), and reads evidence's short JSON reply. The client's
connection is closed after the response: its HTTP parser never saw the spliced bytes.

The client's bytes come at the gateway's pace (pacing.py), as on the copying path: the relay
waits for them at most the idle time, and the minimum rate holds once the grace time is over
(the relay reports every byte it moves to the pace's clock). A client too slow is
`ClientTooSlow` (answered 408, connection closed); one that stops early or breaks the
connection is `ClientBodyError`. Either way evidence's connection is aborted, so evidence sees a
cut body, exactly as on the copying path.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from gateway.http import splice
from gateway.http.evidence_link import Link
from gateway.http.headers import BODY_BYPASSED
from gateway.http.pacing import ClientTooSlow, Pace

MAX_HEAD = 16 * 1024
MAX_REPLY = 64 * 1024


class ClientBodyError(Exception):
    """The client's body ended early or stalled."""


class UpstreamError(Exception):
    """Evidence could not be reached, or broke the exchange."""


def usable(request: web.Request, link: Link, declared: int | None) -> bool:
    return (declared is not None and declared > 0 and link.plain
            and splice.available(request.transport))


def _head(link: Link, headers: dict[str, str], declared: int) -> bytes:
    lines = [f"PUT {link.path} HTTP/1.1", f"Host: {link.authority}",
             f"Content-Length: {declared}", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _reply(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise UpstreamError("no reply from evidence") from exc
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError):
        raise UpstreamError("malformed reply from evidence") from None
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length" and value.strip().isdigit():
            length = int(value.strip())
    if length > MAX_REPLY:
        raise UpstreamError("evidence's reply is too large")
    try:
        return status, await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        raise UpstreamError("evidence's reply was cut") from exc


async def push(link: Link, headers: dict[str, str], request: web.Request, declared: int, *,
               connect_s: float, idle_s: float, pace: Pace) -> tuple[int, bytes]:
    """PUT exactly `declared` bytes of `request`'s body to `link`; evidence's (status, body).

    `idle_s` bounds waits on evidence; the client's bytes must come at `pace`."""
    client = request.transport
    assert client is not None
    clock = pace.clock()
    head = _head(link, headers, declared)
    try:
        reader, writer = await asyncio.wait_for(link.open(), connect_s)
    except (OSError, TimeoutError) as exc:
        raise UpstreamError("evidence is unreachable") from exc
    upstream = writer.transport
    request[BODY_BYPASSED] = True  # this connection ends after the response (see above)
    try:
        client.pause_reading()  # from here on only the relay reads the client's socket
        buffered = request.content.read_nowait(-1) if not request.content.at_eof() else b""
        client.pause_reading()  # reading the buffer may have resumed it
        if len(buffered) > declared:
            raise ClientBodyError("the body is longer than its Content-Length")
        clock.arrived(len(buffered))
        writer.write(head)
        writer.write(buffered)
        await writer.drain()
        await splice.flushed(upstream, idle_s)
        rest = declared - len(buffered)
        if rest:
            try:
                await splice.relay(splice.fileno(client), splice.fileno(upstream), rest,
                                   idle_s=idle_s, budget=clock)
            except splice.SinkFailed:  # evidence refused early: its reply says why
                return await asyncio.wait_for(_reply(reader), connect_s)
            except splice.SourceStalled as exc:
                raise ClientTooSlow(str(exc)) from None
            except splice.SpliceError as exc:
                raise ClientBodyError("the upload was interrupted") from exc
        return await _reply(reader)
    except (ClientBodyError, ClientTooSlow, asyncio.CancelledError):
        upstream.abort()  # evidence sees a cut body: nothing committed (or whole segments kept)
        raise
    except (OSError, TimeoutError) as exc:
        upstream.abort()
        raise UpstreamError("the connection to evidence broke") from exc
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.close()
