"""Streaming bytes between a client and evidence's internal port, never a whole document in memory.

Upload: the client's body is read one chunk at a time and written into a chunked PUT to evidence;
a chunk is read only once the previous one was handed to the socket, so a slow store slows the
client (backpressure end to end). The declared `Content-Length` is enforced as bytes arrive; a
body that ends early, or a client that disconnects, aborts the PUT, and evidence then commits
nothing. Download: evidence's response is copied chunk by chunk; if it stops early (an integrity
failure cuts the stream on purpose), the client's connection is aborted too, so a client never
takes a truncated document for a whole one.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import aiohttp
import msgspec
from aiohttp import web

from gateway.http import handoff, splice, spliced_upload
from gateway.http.evidence_link import Link, LinkError, link_of
from gateway.http.pacing import DEFAULT_PACE, ClientTooSlow, Pace, paced_chunks
from parley.errors import ServiceFailure
from proto.errors import Error, ErrorCode
from proto.evidence import TICKET_HEADER, DocumentView
from proto.principal import PRINCIPAL_HEADER, Principal, encode_principal

CHUNK = 1 << 20
#: A relayed body with no progress for this long is cut (a stalled peer holds nothing).
IDLE_S = 120.0
T = TypeVar("T")
MAX_REPLY = 64 * 1024


class BodyError(Exception):
    """The client's body did not match its declared length, or the client went away."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Counter:
    received: int = 0
    failure: BodyError | None = None
    too_slow: ClientTooSlow | None = None


def _headers(ticket: str, principal: Principal) -> dict[str, str]:
    return {TICKET_HEADER: ticket, PRINCIPAL_HEADER: encode_principal(principal)}


@lru_cache(maxsize=4)
def evidence_tls(ca: Path | None) -> ssl.SSLContext | bool:
    """How the gateway checks evidence's internal port: against the suite's CA when TLS is on."""
    if ca is None:
        return True  # aiohttp's default (only used if the advertised URL is https)
    context = ssl.create_default_context(cafile=str(ca))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _timeout(connect_s: float) -> aiohttp.ClientTimeout:
    # No total timeout: a large document takes as long as it takes. A stalled peer is caught
    # by the per-read timeout.
    return aiohttp.ClientTimeout(total=None, connect=connect_s, sock_read=300)


def _link(url: str) -> Link:
    try:
        return link_of(url)
    except LinkError:
        raise ServiceFailure(ErrorCode.INTERNAL, "evidence advertised an unusable URL") from None


def _session(link: Link, connect_s: float) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=_timeout(connect_s), read_bufsize=CHUNK,
                                 connector=link.connector())


async def _error_of(response: aiohttp.ClientResponse) -> ServiceFailure:
    return _failure_of(await response.content.read(MAX_REPLY))


async def push_upload(url: str, ticket: str, principal: Principal, body: web.Request,
                      declared: int, *, connect_s: float = 5.0,
                      pace: Pace = DEFAULT_PACE, ca: Path | None = None) -> DocumentView:
    """Stream `body` (exactly `declared` bytes) to evidence; return the committed document."""
    return await push_body(url, ticket, principal, body, declared, DocumentView, status=201,
                           connect_s=connect_s, pace=pace, ca=ca,
                           unavailable="the evidence service failed during the upload; "
                                       "nothing was stored, please retry")


async def push_body(url: str, ticket: str, principal: Principal, body: web.Request,
                    declared: int | None, reply: type[T], *, status: int, unavailable: str,
                    connect_s: float = 5.0, pace: Pace = DEFAULT_PACE,
                    ca: Path | None = None) -> T:
    """Stream `body` to evidence with PUT; decode evidence's `status` reply as `reply`.

    With `declared` set, the body must be exactly that long (else nothing is stored: evidence
    sees the PUT aborted); without it, the body is sent as it comes (chunked). The client's
    bytes must come at `pace` (idle timeout, minimum rate) on either path: spliced in the
    kernel (plain sockets and a declared length, spliced_upload.py) or copied here."""
    counter = _Counter()

    async def chunks() -> AsyncIterator[bytes]:
        try:
            # Pieces as they arrive: joining them would copy the document once more, and with
            # a Content-Length (below) aiohttp sends each piece as is, without chunk framing.
            async for chunk in paced_chunks(body.content, pace):
                counter.received += len(chunk)
                if declared is not None and counter.received > declared:
                    raise BodyError("the body is longer than its Content-Length")
                yield chunk
        except BodyError as exc:
            counter.failure = exc
            raise
        except ClientTooSlow as exc:
            counter.too_slow = exc
            counter.failure = BodyError(f"the upload was too slow ({exc}); nothing was stored")
            raise counter.failure from exc
        except Exception as exc:  # the client vanished or sent a short, broken body
            counter.failure = BodyError("the upload was interrupted")
            raise counter.failure from exc
        if declared is not None and counter.received != declared:
            counter.failure = BodyError("the body is shorter than its Content-Length")
            raise counter.failure

    headers = _headers(ticket, principal)
    link = _link(url)
    if declared is not None and spliced_upload.usable(body, link, declared):
        raw = await _push_spliced(link, headers, body, declared, status, unavailable, connect_s,
                                  pace)
        return _decoded(raw, reply)
    if declared is not None:
        headers["Content-Length"] = str(declared)
    try:
        async with _session(link, connect_s) as http, \
                http.put(link.url, data=chunks(), ssl=evidence_tls(ca),
                         headers=headers) as response:
            if response.status != status:
                raise await _error_of(response)
            raw = await response.content.read(MAX_REPLY)
    except (aiohttp.ClientError, TimeoutError, BodyError) as exc:
        if counter.too_slow is not None:  # answered 408, connection closed (error middleware)
            raise ClientTooSlow(counter.failure.message if counter.failure else "") from None
        if counter.failure is not None:
            raise ServiceFailure(ErrorCode.INVALID, counter.failure.message) from None
        raise ServiceFailure(ErrorCode.UNAVAILABLE, unavailable) from exc
    return _decoded(raw, reply)


def _decoded(raw: bytes, reply: type[T]) -> T:
    try:
        return msgspec.json.decode(raw, type=reply)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise ServiceFailure(ErrorCode.INTERNAL, "malformed reply from evidence") from None


def _failure_of(raw: bytes) -> ServiceFailure:
    try:
        error = msgspec.json.decode(raw, type=Error)
        # The reason goes on: a refused upload says why (`name_in_other_compartment`), and a
        # conflict with a reason is not the offset conflict gateway/api/uploads.py resolves;
        # so does `retry_after_s` (the client's Retry-After).
        return ServiceFailure.of(error)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return ServiceFailure(ErrorCode.UNAVAILABLE, "evidence returned an unexpected reply")


async def _push_spliced(link: Link, headers: dict[str, str], body: web.Request, declared: int,
                        status: int, unavailable: str, connect_s: float, pace: Pace) -> bytes:
    """The spliced relay; a client too slow stays `ClientTooSlow` (408 at the boundary)."""
    try:
        got, raw = await spliced_upload.push(link, headers, body, declared,
                                             connect_s=connect_s, idle_s=IDLE_S, pace=pace)
    except spliced_upload.ClientBodyError as exc:
        raise ServiceFailure(ErrorCode.INVALID, str(exc)) from None
    except spliced_upload.UpstreamError as exc:
        raise ServiceFailure(ErrorCode.UNAVAILABLE, unavailable) from exc
    if got != status:
        raise _failure_of(raw)
    return raw


async def pull_download(request: web.Request, response: web.StreamResponse, url: str,
                        ticket: str, principal: Principal, *, connect_s: float = 5.0,
                        idle_s: float = IDLE_S, ca: Path | None = None) -> web.StreamResponse:
    """Copy evidence's plaintext stream into `response` (prepared here, once evidence answers).

    With evidence on this host and the client on plain TCP, evidence writes the body onto the
    client's socket itself (handoff.py). Otherwise, on plain sockets both ways the bytes are
    spliced in the kernel (splice.py) after the first piece; else, or for an unknown length,
    they are copied chunk by chunk."""
    link = _link(url)
    if response.content_length is not None and handoff.usable(request, link):
        with contextlib.suppress(handoff.Unreachable):  # nothing spent: relay instead
            return await handoff.deliver(request, response, link, ticket, principal,
                                         connect_s=connect_s, idle_s=idle_s)
    try:
        async with _session(link, connect_s) as http, \
                http.get(link.url, headers=_headers(ticket, principal),
                         ssl=evidence_tls(ca)) as upstream:
            if upstream.status != 200:
                raise await _error_of(upstream)
            await response.prepare(request)
            try:
                first = await upstream.content.readany()
                if first:  # sends the headers with it
                    await response.write(first)
                rest = (upstream.content_length or 0) - len(first)
                source = upstream.connection.transport if upstream.connection else None
                if rest > 0 and splice.available(source, request.transport):
                    assert source is not None and request.transport is not None
                    await _splice_rest(upstream, source, request.transport, rest, idle_s)
                else:
                    async for chunk in upstream.content.iter_any():  # no joining copy
                        await response.write(chunk)
            except (aiohttp.ClientError, TimeoutError, splice.SpliceError):
                # Headers are gone already: cut the connection so the client sees the break.
                if request.transport is not None:
                    request.transport.abort()
                upstream.close()
                return response
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ServiceFailure(ErrorCode.UNAVAILABLE, "the evidence service is unavailable") from exc
    await response.write_eof()
    return response


async def _splice_rest(upstream: aiohttp.ClientResponse, source: asyncio.Transport,
                       target: asyncio.Transport, rest: int, idle_s: float) -> None:
    """Relay the last `rest` bytes of `upstream` to the client socket in the kernel: what the
    client library already buffered goes first, then the sockets are spliced directly."""
    source.pause_reading()  # from here on only the relay reads evidence's socket
    buffered = upstream.content.read_nowait(-1) if not upstream.content.at_eof() else b""
    source.pause_reading()  # reading the buffer may have resumed it
    if buffered:
        target.write(buffered)
        rest -= len(buffered)
    await splice.flushed(target, idle_s)
    try:
        await splice.relay(splice.fileno(source), splice.fileno(target), rest, idle_s=idle_s)
    finally:
        upstream.close()  # the client library's view of that connection is stale now
