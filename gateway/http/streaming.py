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

from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import msgspec
from aiohttp import web

from parley.errors import ServiceFailure
from proto.errors import Error, ErrorCode
from proto.evidence import TICKET_HEADER, DocumentView
from proto.principal import PRINCIPAL_HEADER, Principal, encode_principal

CHUNK = 1 << 20
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


def _headers(ticket: str, principal: Principal) -> dict[str, str]:
    return {TICKET_HEADER: ticket, PRINCIPAL_HEADER: encode_principal(principal)}


def _timeout(connect_s: float) -> aiohttp.ClientTimeout:
    # No total timeout: a large document takes as long as it takes. A stalled peer is caught
    # by the per-read timeout.
    return aiohttp.ClientTimeout(total=None, connect=connect_s, sock_read=300)


async def _error_of(response: aiohttp.ClientResponse) -> ServiceFailure:
    raw = await response.content.read(MAX_REPLY)
    try:
        error = msgspec.json.decode(raw, type=Error)
        return ServiceFailure(error.code, error.message)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return ServiceFailure(ErrorCode.UNAVAILABLE, "evidence returned an unexpected reply")


async def push_upload(url: str, ticket: str, principal: Principal, body: web.Request,
                      declared: int, *, connect_s: float = 5.0) -> DocumentView:
    """Stream `body` (exactly `declared` bytes) to evidence; return the committed document."""
    counter = _Counter()

    async def chunks() -> AsyncIterator[bytes]:
        try:
            # Pieces as they arrive: joining them would copy the document once more, and with
            # a Content-Length (below) aiohttp sends each piece as is, without chunk framing.
            async for chunk in body.content.iter_any():
                counter.received += len(chunk)
                if counter.received > declared:
                    raise BodyError("the body is longer than its Content-Length")
                yield chunk
        except BodyError as exc:
            counter.failure = exc
            raise
        except Exception as exc:  # the client vanished or sent a short, broken body
            counter.failure = BodyError("the upload was interrupted; nothing was stored")
            raise counter.failure from exc
        if counter.received != declared:
            counter.failure = BodyError("the body is shorter than its Content-Length")
            raise counter.failure

    try:
        async with aiohttp.ClientSession(timeout=_timeout(connect_s), read_bufsize=CHUNK) as http, \
                http.put(url, data=chunks(), headers={
                    **_headers(ticket, principal), "Content-Length": str(declared)}) as response:
            if response.status != 201:
                raise await _error_of(response)
            raw = await response.content.read(MAX_REPLY)
    except (aiohttp.ClientError, TimeoutError, BodyError) as exc:
        if counter.failure is not None:
            raise ServiceFailure(ErrorCode.INVALID, counter.failure.message) from None
        raise ServiceFailure(ErrorCode.UNAVAILABLE,
                             "the evidence service failed during the upload; nothing was "
                             "stored, please retry") from exc
    try:
        return msgspec.json.decode(raw, type=DocumentView)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise ServiceFailure(ErrorCode.INTERNAL, "malformed reply from evidence") from None


async def pull_download(request: web.Request, response: web.StreamResponse, url: str,
                        ticket: str, principal: Principal, *,
                        connect_s: float = 5.0) -> web.StreamResponse:
    """Copy evidence's plaintext stream into `response` (prepared here, once evidence answers)."""
    try:
        async with aiohttp.ClientSession(timeout=_timeout(connect_s), read_bufsize=CHUNK) as http, \
                http.get(url, headers=_headers(ticket, principal)) as upstream:
            if upstream.status != 200:
                raise await _error_of(upstream)
            await response.prepare(request)
            try:
                async for chunk in upstream.content.iter_any():  # no joining copy
                    await response.write(chunk)
            except (aiohttp.ClientError, TimeoutError):
                # Headers are gone already: cut the connection so the client sees the break.
                if request.transport is not None:
                    request.transport.abort()
                return response
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ServiceFailure(ErrorCode.UNAVAILABLE, "the evidence service is unavailable") from exc
    await response.write_eof()
    return response
