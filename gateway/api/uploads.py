"""Resumable upload routes (docs/uploads.md; the IETF resumable-upload draft's four requests).

Creation is `POST …/documents` with `Upload-Complete` (documents.py hands it here); the
upload resource `…/uploads/{u}` answers HEAD (offset), GET (the same as JSON), PATCH (append)
and DELETE (cancel). The gateway keeps nothing: every request asks evidence, which holds the
staged upload and decides, so a restarted gateway (or another instance) continues any upload.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import msgspec
from aiohttp import web

from gateway.api.upload_headers import (
    COMPLETE,
    LENGTH,
    OFFSET,
    complete_of,
    integer_of,
    progress_headers,
)
from gateway.http.body import json_response
from gateway.http.errors import error_response
from gateway.http.routes import RouteTable
from gateway.http.streaming import push_body
from gateway.identity.policy import Rule
from gateway.state import state_of
from gateway.ws import document_events
from parley.errors import ServiceFailure
from parley.rpc import call
from proto.errors import ErrorCode
from proto.evidence import (
    SERVICE,
    AppendResult,
    DocumentView,
    UploadAppendReply,
    UploadAppendRequest,
    UploadCreateRequest,
    UploadRef,
    UploadView,
)
from proto.principal import Principal

UPLOAD = "/api/v1/hearings/{hearing}/uploads/{upload}"
_RESUME_HINT = "the connection to the evidence service broke; ask for the offset and resume"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _upload_url(view: UploadView) -> str:
    return f"/api/v1/hearings/{view.hearing}/uploads/{view.upload}"


def _progress(view: UploadView, status: int, *, body: bool) -> web.StreamResponse:
    response = json_response(view, status=status) if body else web.Response(status=status)
    response.headers.update(progress_headers(view, _now_ms()))
    return response


def _declared(request: web.Request) -> int | None:
    return request.content_length  # None: a chunked body, counted by evidence as it arrives


async def create(request: web.Request, hearing: str, principal: Principal,
                 fields: dict[str, object]) -> web.StreamResponse:
    """`POST …/documents` with `Upload-Complete`: create the upload, then append any body."""
    state = state_of(request)
    complete = complete_of(request.headers)
    try:
        req = msgspec.convert({**fields, "hearing": hearing,
                               "length": integer_of(request.headers, LENGTH)},
                              UploadCreateRequest)
    except msgspec.ValidationError as exc:
        raise ServiceFailure(ErrorCode.INVALID, str(exc)) from None
    view = await call(state.nc, SERVICE, "upload.create", req, UploadView, principal=principal,
                      timeout=state.config.service_timeout_s)
    if request.body_exists and _declared(request) != 0:
        response = await append(request, principal, view, 0, complete)
    else:
        response = _progress(view, 201, body=True)
    response.headers.setdefault("Location", _upload_url(view))
    if response.status == 204:  # a creation always answers 201 (with the offset reached)
        response.set_status(201)
    return response


async def append(request: web.Request, principal: Principal, view: UploadView, offset: int,
                 complete: bool) -> web.StreamResponse:
    """Ask evidence for a ticket at `offset`, stream the body to it, and answer as the draft
    says: 204 with the new offset, 201 with the document once committed, 409 on a wrong one."""
    state = state_of(request)
    declared = _declared(request)
    reply = await call(state.nc, SERVICE, "upload.append", UploadAppendRequest(
        hearing=view.hearing, upload=view.upload, offset=offset, length=declared,
        complete=complete), UploadAppendReply, principal=principal,
        timeout=state.config.service_timeout_s)
    if reply.ticket is None or reply.url is None:
        return _conflict(reply.upload)
    try:
        result = await push_body(reply.url, reply.ticket, principal, request, declared,
                                 AppendResult, status=200, unavailable=_RESUME_HINT,
                                 connect_s=state.config.service_timeout_s,
                                 pace=state.config.pace, ca=state.config.evidence_tls_ca)
    except ServiceFailure as exc:
        if exc.code is not ErrorCode.CONFLICT or exc.reason is not None:
            raise  # a conflict with a reason is a refusal (e.g. the name is elsewhere now)
        # An earlier, interrupted append was committed meanwhile: say where it ended.
        now = await call(state.nc, SERVICE, "upload.status", UploadRef(
            hearing=view.hearing, upload=view.upload), UploadView, principal=principal,
            timeout=state.config.service_timeout_s)
        return _conflict(now)
    if result.document is not None:
        # Those who may read it refresh their lists (gateway/ws/document_events.py).
        await document_events.announce(state.nc, result.document.hearing,
                                       result.document.compartment, result.document.document)
        return _committed(result.document)
    if complete:
        refusal = error_response(ErrorCode.INVALID, "Upload-Complete is set but bytes are "
                                 f"missing: the upload is at offset {result.upload.offset}")
        refusal.headers.update(progress_headers(result.upload, _now_ms()))
        return refusal
    return _progress(result.upload, 204, body=False)


def _conflict(view: UploadView) -> web.StreamResponse:
    """409 with the true offset (the draft's mismatching-offset answer)."""
    refusal = error_response(ErrorCode.CONFLICT, f"the upload is at offset {view.offset}; "
                             "resume there")
    refusal.headers.update(progress_headers(view, _now_ms()))
    return refusal


def _committed(document: DocumentView) -> web.StreamResponse:
    response = json_response(document, status=201)
    response.headers["Location"] = (f"/api/v1/hearings/{document.hearing}/documents/"
                                    f"{document.document}")
    response.headers[COMPLETE] = "?1"
    response.headers["Cache-Control"] = "no-store"
    return response


def register(routes: RouteTable, access: Rule, ident: Callable[[web.Request, str], str],
             who: Callable[[web.Request], Principal]) -> None:
    """The upload resource's routes, under the same rule as uploading (`access`); `ident`
    reads a path id (unknown shapes are 404) and `who` the signed-in caller."""

    def ref(request: web.Request) -> UploadRef:
        return UploadRef(hearing=ident(request, "hearing"), upload=ident(request, "upload"))

    async def status(request: web.Request) -> UploadView:
        state = state_of(request)
        return await call(state.nc, SERVICE, "upload.status", ref(request), UploadView,
                          principal=who(request), timeout=state.config.service_timeout_s)

    headers_doc = {"parameters": [
        {"name": OFFSET, "in": "header", "required": True,
         "schema": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999},
         "description": "where these bytes start: the offset HEAD reported (a wrong one is 409 "
                        "with the true offset)", "example": 8388608},
        {"name": COMPLETE, "in": "header", "required": True,
         "schema": {"type": "string", "enum": ["?0", "?1"]},
         "description": "?1 if this request carries the file's last byte, else ?0",
         "example": "?0"}],
        "requestBody": {"required": True,
                        "description": "the next bytes of the file, from Upload-Offset on",
                        "content": {"application/partial-upload": {
                            "schema": {"type": "string", "format": "binary"},
                            "example": "(bytes)"}}},
        "status": 204}

    @routes.route("HEAD", UPLOAD, access=access, tags=("documents",),
                  summary="a resumable upload's offset (Upload-Offset header; 204)",
                  openapi={"status": 204})
    async def upload_offset(request: web.Request) -> web.StreamResponse:
        return _progress(await status(request), 204, body=False)

    @routes.route("GET", UPLOAD, access=access, response=UploadView, tags=("documents",),
                  summary="a resumable upload's progress, as JSON")
    async def upload_progress(request: web.Request) -> web.StreamResponse:
        return _progress(await status(request), 200, body=True)

    @routes.route("PATCH", UPLOAD, access=access, response=DocumentView, tags=("documents",),
                  summary="append bytes at Upload-Offset (204; 201 with the document when "
                          "complete; 409 with the true Upload-Offset on a wrong one)",
                  openapi=headers_doc)
    async def upload_append(request: web.Request) -> web.StreamResponse:
        offset = integer_of(request.headers, OFFSET)
        complete = complete_of(request.headers)
        hearing, upload = ident(request, "hearing"), ident(request, "upload")
        # The view is only addressing here: evidence checks the offset and ownership itself.
        view = UploadView(upload=upload, hearing=hearing, offset=offset, length=0, expires_ms=0)
        return await append(request, who(request), view, offset, complete)

    @routes.route("DELETE", UPLOAD, access=access, tags=("documents",),
                  summary="cancel a resumable upload (its staged bytes are deleted)",
                  openapi={"status": 204})
    async def upload_cancel(request: web.Request) -> web.StreamResponse:
        state = state_of(request)
        await call(state.nc, SERVICE, "upload.cancel", ref(request), UploadView,
                   principal=who(request), timeout=state.config.service_timeout_s)
        return web.Response(status=204)
