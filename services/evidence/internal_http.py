"""Evidence's internal HTTP port: the byte streams behind `upload.begin` / `download.begin`.

    PUT /uploads/{id}    body = the document (Content-Length or chunked), `Parley-Ticket` header
                         → 201 DocumentView, or the Error envelope with the code's status
    GET /downloads/{id}  `Parley-Ticket` header → 200 plaintext of the granted range
    PUT /appends/{id}    body = bytes of a resumable upload from the granted offset, ticket
                         → 200 AppendResult (the offset reached; the document once complete)

Only the gateway talks to this port (loopback by default; TLS on an internal network in compose).
The ticket is in a header, never the URL, and is never logged. Backpressure is end to end: the
body is read one chunk at a time as the store accepts it, and a download is written as the peer
drains it (on a plain socket by evidence itself, delivery.py; through the transport with TLS,
`StreamResponse.write` waiting on it). A download that hits
an integrity failure after its headers were sent is cut off (the connection is aborted, so the
peer sees fewer bytes than Content-Length): unauthenticated bytes are never served.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler

from parley.errors import DomainError
from parley.rawsocket import SendStalled, flushed, plain_socket
from proto.errors import HTTP_STATUS, Error
from proto.evidence import TICKET_HEADER, document_view
from proto.principal import PRINCIPAL_HEADER, Principal, decode_principal
from services.evidence.decisions import Evidence
from services.evidence.delivery import IDLE_S, Written, opened
from services.evidence.errors import IntegrityError
from services.evidence.range_pump import PumpThreads
from services.evidence.tickets import DownloadGrant
from services.evidence.upload_decisions import ResumableUploads

log = logging.getLogger("parley.evidence.http")
EVIDENCE = web.AppKey("evidence", Evidence)
UPLOADS = web.AppKey("uploads", ResumableUploads)
CLOCK: web.AppKey[Callable[[], int]] = web.AppKey("clock")
PUMPS = web.AppKey("pumps", PumpThreads)


def error_reply(envelope: Error) -> web.Response:
    """The envelope as it is, every field (`retry_after_s`, `reason`) for the gateway to pass on."""
    return web.Response(status=HTTP_STATUS[envelope.code], content_type="application/json",
                        body=msgspec.json.encode(envelope))


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
        return error_reply(exc.envelope())


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
    sock = plain_socket(request.transport)
    if sock is None:
        return await _copied(request, evidence, grant)
    # On a plain socket evidence writes the body itself once the head is out (delivery.py):
    # the transport would copy whatever the socket does not take at once. Opening first: a
    # failure there is still a clean error reply (the middleware's).
    delivery = await opened(evidence, grant, request.app.get(PUMPS))
    try:
        response = _response(grant)
        await response.prepare(request)
        await response.write(b"")  # aiohttp holds the head for the first body bytes
        try:
            if request.transport is None:
                raise SendStalled("the gateway went away")
            await flushed(request.transport, IDLE_S)
        except SendStalled:
            written = Written(0, False)
        else:
            written = await delivery.write(sock)
    finally:
        await delivery.close()
    if not written.complete:  # the reader sees fewer bytes than Content-Length: a break
        if request.transport is not None:
            request.transport.abort()
        return response
    await response.write_eof()
    return response


def _response(grant: DownloadGrant) -> web.StreamResponse:
    response = web.StreamResponse(status=200)
    response.content_type = "application/octet-stream"
    response.content_length = grant.end - grant.start
    return response


async def _copied(request: web.Request, evidence: Evidence,
                  grant: DownloadGrant) -> web.StreamResponse:
    """Through the transport (TLS on the byte port): every chunk its own buffer."""
    stream = evidence.serve(grant)
    try:
        try:  # the first chunk before the headers: a failure here is still a clean error reply
            first = await anext(stream, b"")
        except IntegrityError:
            await evidence.integrity_failure(grant)
            raise
        response = _response(grant)
        await response.prepare(request)
        try:
            await response.write(first)
            async for chunk in stream:
                await response.write(chunk)
        except IntegrityError:
            await evidence.integrity_failure(grant)
            log.error("integrity failure: download cut off",
                      extra={"document": grant.manifest.document})
            if request.transport is not None:
                request.transport.abort()
            return response
        except OSError:  # the gateway went away: nothing more to send
            if request.transport is not None:
                request.transport.abort()
            return response
    finally:
        await stream.aclose()  # releases the store's read handle at once, even on a cut
    await response.write_eof()
    return response


def internal_app(evidence: Evidence, clock: Callable[[], int], *,
                 uploads: ResumableUploads | None = None,
                 pumps: PumpThreads | None = None) -> web.Application:
    """The byte port; with `uploads`, resumable appends too. `pumps`: the threads downloads
    are written from (delivery.py; default: the loop's default pool)."""
    app = web.Application(middlewares=[_errors], client_max_size=1024)
    app[EVIDENCE] = evidence
    app[CLOCK] = clock
    if pumps is not None:
        app[PUMPS] = pumps
    app.router.add_put("/uploads/{id}", upload)
    app.router.add_get("/downloads/{id}", download)
    if uploads is not None:
        app[UPLOADS] = uploads
        app.router.add_put("/appends/{id}", append)
    return app
