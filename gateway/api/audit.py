"""Audit routes (DESIGN §7, §8): queries, checkpoints, proofs, tiles, receipts and exports.

Auditors only: the gateway's coarse rule admits the auditor role alone (an admin sees nothing of
the log unless also an auditor), and the audit service decides again from the forwarded
principal and audits every read. Query parameters are parsed strictly and bounded here (unknown
or repeated parameters, non-canonical numbers, over-long values: 400 JSON) and validated again
by the contract types.

Exports stream: the service answers one part (<= ~400 KiB of bundle lines, under NATS's 1 MB
message limit) per request with a cursor for the next, and the gateway writes each part to the
client as it arrives, so neither process ever holds a whole bundle. A failure after the first
part aborts the connection: the client gets a bundle without its trailer, which
`parley-audit verify` rejects as truncated, never a short bundle that looks whole.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Any, Final

from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.api.audit_openapi import NAME_QUERY, RANGE_OR_FILTER, UINT, query_params
from gateway.api.audit_params import (
    EVENT_PARAMETERS,
    NAME_PARAMETERS,
    convert,
    event_query,
    integer,
    people_query,
    query_parameters,
)
from gateway.api.service_call import AUDIT
from gateway.http.body import json_response, read_json
from gateway.http.routes import Route, RouteTable
from gateway.identity.authn import require_principal
from gateway.identity.policy import staff
from parley.errors import DomainError, ServiceFailure
from proto.auditlog import (
    MAX_NAME_CURSOR,
    AuditStatus,
    CheckpointInfo,
    ConsistencyProof,
    ConsistencyRequest,
    EventPage,
    ExportPart,
    ExportPartRequest,
    ExportRequest,
    InclusionProof,
    InclusionRequest,
    NameList,
    NoArguments,
    ReceiptRequest,
    TileRequest,
    VerifierKey,
)
from proto.common import Role
from proto.errors import ErrorCode

AUDITORS: Final = staff("audit.read", Role.AUDITOR)
#: A tile path below /log/ has 2 to 8 segments after `tile` (tile/<L>/x…/NNN[.p/W]).
TILE_DEPTHS: Final = range(2, 9)
_TAGS: Final = ("audit",)
_EXPORT_TIMEOUT_S: Final = 30.0


def _text(body: str | bytes) -> web.Response:
    data = body.encode() if isinstance(body, str) else body
    return web.Response(body=data, content_type="text/plain", charset="utf-8")


async def events(request: web.Request) -> web.Response:
    query = event_query(query_parameters(request, EVENT_PARAMETERS))
    return json_response(await AUDIT.ask(request, "events", query, EventPage))


async def names(request: web.Request) -> web.Response:
    query = people_query(query_parameters(request, NAME_PARAMETERS,
                                          longer={"cursor": MAX_NAME_CURSOR}))
    return json_response(await AUDIT.ask(request, "names", query, NameList))


async def checkpoint(request: web.Request) -> web.Response:
    query_parameters(request, ())
    return json_response(await AUDIT.ask(request, "checkpoint", NoArguments(), CheckpointInfo))


async def log_checkpoint(request: web.Request) -> web.Response:
    query_parameters(request, ())
    info: CheckpointInfo = await AUDIT.ask(request, "checkpoint", NoArguments(), CheckpointInfo)
    return _text(info.note)


async def vkey(request: web.Request) -> web.Response:
    query_parameters(request, ())
    key: VerifierKey = await AUDIT.ask(request, "vkey", NoArguments(), VerifierKey)
    return _text(key.vkey + "\n")


async def status(request: web.Request) -> web.Response:
    query_parameters(request, ())
    return json_response(await AUDIT.ask(request, "status", NoArguments(), AuditStatus))


async def inclusion(request: web.Request) -> web.Response:
    params = query_parameters(request, ("index", "size"))
    index = integer(params, "index")
    if index is None:
        raise ServiceFailure(ErrorCode.INVALID, "index is required")
    body = InclusionRequest(index=index, size=integer(params, "size"))
    return json_response(await AUDIT.ask(request, "inclusion", body, InclusionProof))


async def consistency(request: web.Request) -> web.Response:
    params = query_parameters(request, ("from", "to"))
    first = integer(params, "from")
    if first is None:
        raise ServiceFailure(ErrorCode.INVALID, "from is required")
    body = ConsistencyRequest(first=first, second=integer(params, "to"))
    return json_response(await AUDIT.ask(request, "consistency", body, ConsistencyProof))


async def receipt(request: web.Request) -> web.Response:
    query_parameters(request, ())
    index = integer(request.match_info, "index")
    if index is None:
        raise ServiceFailure(ErrorCode.INVALID, "index is required")
    return _text(await AUDIT.ask_raw(request, "receipt", ReceiptRequest(index=index)))


async def tile(request: web.Request) -> web.Response:
    query_parameters(request, ())
    path = request.path.split("/api/v1/audit/log/", 1)[1]
    # Like the static file tree tlog-tiles describes, a path that names no tile is "not found"
    # (the OpenAPI document cannot spell the tile grammar per segment).
    try:
        body = convert({"path": path}, TileRequest)
        data = await AUDIT.ask_raw(request, "tile", body)
    except DomainError as exc:
        if exc.code is ErrorCode.INVALID:
            raise ServiceFailure(ErrorCode.NOT_FOUND, f"no tile at {path[:80]}: {exc.message}") \
                from None
        raise
    headers = {"Vary": "Accept-Encoding"}
    if path.startswith("tile/entries/") and "gzip" in request.headers.get("Accept-Encoding", ""):
        # C2SP tlog-tiles: entry bundles SHOULD be served compressed (JSON text shrinks ~5x).
        data = gzip.compress(data, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    # A full tile or bundle never changes (the log only appends): cache it for ever. A partial
    # one is replaced as the log grows.
    headers["Cache-Control"] = ("private, max-age=31536000, immutable" if ".p/" not in path
                                else "private, no-cache")
    return web.Response(body=data, content_type="application/octet-stream", headers=headers)


async def export(request: web.Request) -> web.StreamResponse:
    spec = await read_json(request, ExportRequest)
    principal = require_principal(request)
    part: ExportPart = await AUDIT.ask(request, "export", ExportPartRequest(request=spec),
                                       ExportPart, principal=principal, timeout_s=_EXPORT_TIMEOUT_S)
    response = web.StreamResponse(headers={
        "Content-Type": "application/x-ndjson",
        "Content-Disposition": 'attachment; filename="audit-bundle.jsonl"'})
    await response.prepare(request)
    while True:
        await response.write(part.lines.encode())
        if part.cursor is None:
            break
        part = await AUDIT.ask(request, "export",
                               ExportPartRequest(request=spec, cursor=part.cursor), ExportPart,
                               principal=principal, timeout_s=_EXPORT_TIMEOUT_S)
    await response.write_eof()
    return response


def register(routes: RouteTable) -> None:
    base = "/api/v1/audit"
    # The auditor's reads draw from a bucket of their own (`rate="audit"`): one report on the
    # web client is tens of searches (a document's story, its versions, the names), and an
    # auditor going through reports would spend a session's ordinary bucket in seconds.
    def add(method: str, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return routes.route(method, path, **kw, rate="audit" if method == "GET" else "default")

    add("GET", f"{base}/events", access=AUDITORS, tags=_TAGS, response=EventPage,
        summary="query the audit log (paginated, with the total; every query is audited)",
        openapi={"parameters": query_params(*EVENT_PARAMETERS)})(events)
    add("GET", f"{base}/names", access=AUDITORS, tags=_TAGS, response=NameList,
        summary="people, sides, hearings, rooms and documents as the log named them (by part of"
                " a name, a hearing, or an id; by name, a page at a time)",
        openapi={"parameters": query_params(*NAME_PARAMETERS, own=NAME_QUERY)})(names)
    add("GET", f"{base}/checkpoint", access=AUDITORS, tags=_TAGS, response=CheckpointInfo,
        summary="the latest signed checkpoint")(checkpoint)
    add("GET", f"{base}/vkey", access=AUDITORS, tags=_TAGS, summary="the log's verifier key (vkey)",
        openapi={"produces": "text/plain"})(vkey)
    add("GET", f"{base}/status", access=AUDITORS, tags=_TAGS, response=AuditStatus,
        summary="the audit service's state: log size, checkpoint age, signing ok or refused")(status)
    add("GET", f"{base}/proofs/inclusion", access=AUDITORS, tags=_TAGS, response=InclusionProof,
        summary="RFC 9162 inclusion proof (size defaults to the latest checkpoint)",
        openapi={"parameters": query_params("index", "size", required=("index",))})(inclusion)
    add("GET", f"{base}/proofs/consistency", access=AUDITORS, tags=_TAGS,
        response=ConsistencyProof, summary="RFC 9162 consistency proof between two tree sizes",
        openapi={"parameters": query_params("from", "to", required=("from",))})(consistency)
    add("GET", f"{base}/entries/{{index}}/receipt", access=AUDITORS, tags=_TAGS,
        summary="C2SP tlog-proof receipt of one entry under the latest checkpoint",
        openapi={"produces": "text/plain", "path_schemas": {"index": UINT}})(receipt)
    add("GET", f"{base}/log/checkpoint", access=AUDITORS, tags=_TAGS,
        summary="C2SP tlog-tiles: the latest checkpoint (signed note)",
        openapi={"produces": "text/plain"})(log_checkpoint)
    add("POST", f"{base}/exports", access=AUDITORS, tags=_TAGS, request=ExportRequest,
        summary="stream an export bundle (JSON lines) for parley-audit verify",
        openapi={"produces": "application/x-ndjson",
                 "request_constraint": RANGE_OR_FILTER})(export)
    # aiohttp's canonical path of a regex route drops the regex, so the access check could not
    # find it: one plain route per tile path depth instead.
    for depth in TILE_DEPTHS:
        segments = "/".join(f"{{s{n}}}" for n in range(depth))
        routes.add(Route("GET", f"{base}/log/tile/{segments}", tile, AUDITORS,
                         "C2SP tlog-tiles: a hash tile or an entry bundle", tags=_TAGS,
                         openapi={"produces": "application/octet-stream"},
                         name=f"audit_tile_{depth}", rate="tiles"))
