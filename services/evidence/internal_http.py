"""Evidence's internal HTTP port: the byte streams behind `upload.begin` / `download.begin`.

    PUT /uploads/{id}    body = the document (Content-Length or chunked), `Parley-Ticket` header
                         → 201 DocumentView, or the Error envelope with the code's status
    GET /downloads/{id}  `Parley-Ticket` header → 200 plaintext of the granted range
    PUT /appends/{id}    body = bytes of a resumable upload from the granted offset, ticket
                         → 200 AppendResult (the offset reached; the document once complete)

Only the gateway talks to this port (loopback by default; TLS on an internal network in compose).
The ticket is in a header, never the URL, and is never logged. Backpressure is end to end: the
body is read one chunk at a time as the store accepts it, and a download writes one chunk at a
time as the peer drains it (`StreamResponse.write` waits on the transport). A download that hits
an integrity failure after its headers were sent is cut off (the connection is aborted, so the
peer sees fewer bytes than Content-Length): unauthenticated bytes are never served.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable

import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler

from parley.errors import DomainError
from parley.rawsocket import DirectSender, SendStalled, flushed, plain_socket
from proto.errors import HTTP_STATUS, Error, ErrorCode
from proto.evidence import TICKET_HEADER, document_view
from proto.principal import PRINCIPAL_HEADER, Principal, decode_principal
from services.evidence.decisions import Evidence
from services.evidence.errors import IntegrityError
from services.evidence.tickets import DownloadGrant
from services.evidence.upload_decisions import ResumableUploads

log = logging.getLogger("parley.evidence.http")
CHUNK = 1 << 20
#: A download whose reader (the gateway) takes no byte for this long is cut.
IDLE_S = 120.0
EVIDENCE = web.AppKey("evidence", Evidence)
UPLOADS = web.AppKey("uploads", ResumableUploads)
CLOCK: web.AppKey[Callable[[], int]] = web.AppKey("clock")


def _error(code: ErrorCode, message: str) -> web.Response:
    return web.Response(status=HTTP_STATUS[code], content_type="application/json",
                        body=msgspec.json.encode(Error(code=code, message=message[:500])))


def _principal(request: web.Request) -> Principal | None:
    raw = request.headers.get(PRINCIPAL_HEADER)
    if raw is None:
        return None
    try:
        return decode_principal(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DomainError as exc:  # the envelope the error itself defines (parley.errors)
        envelope = exc.envelope()
        return _error(envelope.code, envelope.message)


async def _body(request: web.Request) -> AsyncIterator[bytes]:
    # Pieces as the socket delivered them, one at a time: `iter_any` (and `iter_chunked`) join
    # whatever is buffered, one more copy of the document whenever the encryptor falls behind
    # the socket; `readchunk` hands over one buffered piece as it is. The encryptor and the
    # store take any size without copying (stream.py). The end is `at_eof`, not an empty piece:
    # an empty body's reader is aiohttp's shared EMPTY_PAYLOAD, whose readchunk answers "end of
    # an HTTP chunk" from its second use on, so iter_chunks would spin on it forever.
    content = request.content
    while True:
        chunk, _ = await content.readchunk()
        if chunk:
            yield chunk
        elif content.at_eof():
            return


async def upload(request: web.Request) -> web.StreamResponse:
    evidence = request.app[EVIDENCE]
    grant = evidence.uploads.redeem(request.match_info["id"], request.headers.get(TICKET_HEADER),
                                    _principal(request), request.app[CLOCK]())
    manifest = await evidence.receive(grant, _body(request))
    return web.Response(status=201, content_type="application/json",
                        body=msgspec.json.encode(document_view(manifest)))


async def append(request: web.Request) -> web.StreamResponse:
    """Stage the bytes of one append. A cut connection is not a failure here: what arrived is
    kept (the staging core decides), so the work runs shielded from handler cancellation."""
    uploads = request.app[UPLOADS]
    grant = uploads.appends.redeem(request.match_info["id"], request.headers.get(TICKET_HEADER),
                                   _principal(request), request.app[CLOCK]())
    work = asyncio.ensure_future(uploads.receive(grant, _body(request)))
    result = await asyncio.shield(work)
    return web.Response(status=200, content_type="application/json",
                        body=msgspec.json.encode(result))


async def download(request: web.Request) -> web.StreamResponse:
    evidence = request.app[EVIDENCE]
    grant = evidence.downloads.redeem(request.match_info["id"],
                                      request.headers.get(TICKET_HEADER), _principal(request),
                                      request.app[CLOCK]())
    # On a plain socket the chunks after the first go out through a DirectSender, at most one
    # in flight while the next is opened, so the plaintext buffers may be reused (see `_send`);
    # anything else is copied before it is handed to the transport.
    stream = evidence.serve(grant, reuse=plain_socket(request.transport) is not None)
    try:
        return await _send(request, evidence, grant, stream)
    finally:
        await stream.aclose()  # releases the store's read handle at once, even on a cut


async def _send(request: web.Request, evidence: Evidence, grant: DownloadGrant,
                stream: AsyncGenerator[bytes, None]) -> web.StreamResponse:
    try:  # the first chunk before the headers: a failure here is still a clean error reply
        first = await anext(stream, b"")
    except IntegrityError:
        await evidence.integrity_failure(grant)
        raise
    response = web.StreamResponse(status=200)
    response.content_type = "application/octet-stream"
    response.content_length = grant.end - grant.start
    await response.prepare(request)
    sender: DirectSender | None = None
    try:
        if first:  # with the headers; a copy, as the transport may keep what it cannot send
            await response.write(bytes(first))
        sender = await _direct(request)
        async for chunk in stream:
            if sender is not None:
                await sender.send(chunk)
            else:
                await response.write(bytes(chunk))
        if sender is not None:
            await sender.drain()
    except IntegrityError:
        await evidence.integrity_failure(grant)
        log.error("integrity failure: download cut off",
                  extra={"document": grant.manifest.document})
        if request.transport is not None:
            request.transport.abort()
        return response
    except (OSError, SendStalled):  # the gateway went away or stalled: nothing more to send
        if request.transport is not None:
            request.transport.abort()
        return response
    finally:
        if sender is not None:
            await sender.aclose()
    await response.write_eof()
    return response


async def _direct(request: web.Request) -> DirectSender | None:
    """On a plain socket (a Unix socket or TCP without TLS), the rest of the body goes to the
    socket itself once the transport has sent the headers and first chunk: the transport would
    copy whatever the socket does not take at once (a Unix socket takes ~200 KiB)."""
    transport = request.transport
    sock = plain_socket(transport)
    if transport is None or sock is None:
        return None
    await flushed(transport, IDLE_S)
    return DirectSender(sock, IDLE_S)


def internal_app(evidence: Evidence, clock: Callable[[], int], *,
                 uploads: ResumableUploads | None = None) -> web.Application:
    """The byte port; with `uploads`, resumable appends too."""
    app = web.Application(middlewares=[_errors], client_max_size=1024)
    app[EVIDENCE] = evidence
    app[CLOCK] = clock
    app.router.add_put("/uploads/{id}", upload)
    app.router.add_get("/downloads/{id}", download)
    if uploads is not None:
        app[UPLOADS] = uploads
        app.router.add_put("/appends/{id}", append)
    return app
