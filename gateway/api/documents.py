"""Document routes (DESIGN §8): streamed upload and download, metadata, release, key rotation.

The gateway only authenticates and applies a coarse rule (members of the hearing, its staff
mediator included); evidence makes the final, compartment-aware decision from the forwarded principal
and audits it. Bytes never pass through NATS: evidence hands out a single-use ticket and the
gateway streams to or from evidence's internal port (gateway/http/streaming.py).

Longer than 300 lines: every document route and the helpers that read its request (ids,
version, purpose, file name and its label) stay together, as each route's OpenAPI description
does.
"""

from __future__ import annotations

import re
import time
import unicodedata
import urllib.parse

import msgspec
from aiohttp import web

from gateway.api import upload_headers, uploads
from gateway.api.service_call import EVIDENCE
from gateway.http.body import json_response, read_json
from gateway.http.errors import error_response
from gateway.http.routes import RouteTable
from gateway.http.streaming import pull_download, push_upload
from gateway.identity.authn import require_principal
from gateway.identity.policy import Grant, Predicate, Rule, staff
from gateway.state import state_of
from gateway.ws import document_events
from parley.errors import ServiceFailure
from proto.common import ID_PATTERN, Role
from proto.errors import ErrorCode
from proto.evidence import (
    READ_PURPOSES,
    DocumentRequest,
    DocumentView,
    DownloadBeginReply,
    DownloadBeginRequest,
    ListDocumentsReply,
    ListDocumentsRequest,
    ReadPurpose,
    ReleaseBody,
    ReleaseReply,
    ReleaseRequest,
    RotateReply,
    RotateRequest,
    ShredReply,
    ShredRequest,
    UploadBeginReply,
    UploadBeginRequest,
    VersionsReply,
    VersionsRequest,
)

FILENAME_HEADER = "Parley-Filename"
COMPARTMENT_HEADER = "Parley-Compartment"
DOCS = "/api/v1/hearings/{hearing}/documents"
DOC = DOCS + "/{document}"
_ID = re.compile(ID_PATTERN)
_CONTENT_TYPE = re.compile(r"^[\x21-\x7e][\x20-\x7e]{0,199}$")

#: Members of THIS hearing only: `participant_of_hearing` already admits its staff mediator
#: (mediator_of_hearing); a mediator of another hearing, or of none, is refused here. Observers
#: never upload (evidence would refuse them anyway: DESIGN §2, the gateway rejects early).
READ_RULE = Rule("documents.read", (Grant(Predicate.PARTICIPANT_OF_HEARING),))
UPLOAD_RULE = Rule("documents.upload", (Grant(Predicate.PARTICIPANT_OF_HEARING,
                                              {Role.MEDIATOR, Role.PARTY, Role.COUNSEL}),))
RELEASE_RULE = Rule("documents.release",
                    (Grant(Predicate.PARTICIPANT_OF_HEARING, {Role.PARTY, Role.COUNSEL}),))
ROTATE_RULE = staff("evidence.rotate", Role.ADMIN)

_STREAMED_BODY = {"required": True,
                  "description": "the document's bytes, streamed (encrypted as they arrive)",
                  "content": {"application/octet-stream": {
                      "schema": {"type": "string", "format": "binary"},
                      "example": "%PDF-1.7 …"}}}
_HEX = "[0-9A-Fa-f]"
_CONT = f"%[89ABab]{_HEX}"
#: Percent-encoded UTF-8 (RFC 3629's well-formed sequences; no bare space: use %20), as
#: `decode_filename` accepts it.
PERCENT_ENCODED_UTF8 = "^(?:" + "|".join([
    r"[\x21-\x24\x26-\x7e]", f"%[0-7]{_HEX}",
    f"%[Cc][2-9A-Fa-f]{_CONT}", f"%[Dd]{_HEX}{_CONT}",
    f"%[Ee]0%[ABab]{_HEX}{_CONT}", f"%[Ee][1-9A-Ca-cEFef]{_CONT}{_CONT}",
    f"%[Ee][Dd]%[89]{_HEX}{_CONT}",
    f"%[Ff]0%(?:9{_HEX}|[ABab]{_HEX}){_CONT}{_CONT}", f"%[Ff][1-3]{_CONT}{_CONT}{_CONT}",
    f"%[Ff]4%8{_HEX}{_CONT}{_CONT}",
]) + ")+$"
# Content-Length is required too (411 without, the document's exact size: the body is streamed,
# not chunked), but it is HTTP framing that every client sets itself, so it is described here
# and not as a parameter.
_UPLOAD_HEADERS = [
    {"name": FILENAME_HEADER, "in": "header", "required": True,
     "description": "the file name, percent-encoded UTF-8", "example": "lease%202024.pdf",
     "schema": {"type": "string", "minLength": 1, "maxLength": 1024,
                "pattern": PERCENT_ENCODED_UTF8}},
    {"name": COMPARTMENT_HEADER, "in": "header", "required": True,
     "description": "where the document goes: joint (everyone), mediator, side:<side id> or "
                    "confidential:<side id> (that side and the mediator)",
     "example": "joint",
     "schema": {"type": "string",
                "pattern": "^(joint|mediator|(side|confidential):[A-Za-z0-9_-]{1,64})$"}},
    {"name": "Content-Length", "in": "header", "required": True,
     "description": "the document's exact size in bytes (the body is streamed, not chunked)",
     "example": 48213, "schema": {"type": "integer", "minimum": 0}},
    {"name": "Upload-Complete", "in": "header", "required": False,
     "description": "present: create a resumable upload (docs/uploads.md); ?1 if this request "
                    "carries the last byte", "example": "?0",
     "schema": {"type": "string", "enum": ["?0", "?1"]}},
    {"name": "Upload-Length", "in": "header", "required": False,
     "description": "with Upload-Complete: the file's size in bytes", "example": 52428800,
     "schema": {"type": "integer", "minimum": 1}},
]
_RANGE_HEADER = [{"name": "Range", "in": "header", "required": False,
                  "schema": {"type": "string"}, "description": "one range: bytes=a-b, a- or -n",
                  "example": "bytes=0-1023"}]
_VERSION_QUERY = [{"name": "version", "in": "query", "required": False,
                   "description": "one version's id (from …/versions); without it, the latest",
                   "example": "019a3c5e7f20a1b2c3d4e5f6", "schema": {"type": "string",
                                                                 "pattern": ID_PATTERN}}]
_PURPOSE_QUERY = [{"name": "purpose", "in": "query", "required": False,
                   "description": "why the bytes are read, for the audit log: view (shown in "
                                  "the page) or download (saved; the default)",
                   "example": "view", "schema": {"type": "string", "enum": list(READ_PURPOSES)}}]
#: The most a file name's label may hold (the web client's are "v12, confidential" and the like).
LABEL_MAX = 64
_LABEL_QUERY = [{"name": "label", "in": "query", "required": False,
                 "description": "a label the saved file's name carries before its extension "
                                "(Content-Disposition): label `v1, our side` saves "
                                "`Lease.pdf` as `Lease (v1, our side).pdf`, as the web client "
                                "names an earlier version; letters, digits, spaces, commas, "
                                "hyphens and underscores only",
                 "example": "v1, our side",
                 "schema": {"type": "string", "minLength": 1, "maxLength": LABEL_MAX}}]


def _path_id(request: web.Request, name: str) -> str:
    value = request.match_info[name]
    if not _ID.fullmatch(value):
        raise ServiceFailure(ErrorCode.NOT_FOUND, "no such document")
    return value


def _query_version(request: web.Request) -> str | None:
    """`?version=<id>`, or None for the latest; anything else is `invalid` (an id that no
    version has is evidence's `not_found`, as for a document the caller may not read)."""
    given = request.query.getall("version", [])
    if not given:
        return None
    if len(given) > 1 or not _ID.fullmatch(given[0]):
        raise ServiceFailure(ErrorCode.INVALID, "version must be one version id, as "
                             "…/versions lists them")
    return given[0]


def _query_purpose(request: web.Request) -> ReadPurpose:
    """`?purpose=view|download` (default download); anything else is `invalid`."""
    given = request.query.getall("purpose", ["download"])
    if len(given) != 1 or given[0] not in READ_PURPOSES:
        raise ServiceFailure(ErrorCode.INVALID, "purpose must be view or download")
    return "view" if given[0] == "view" else "download"


def _label_char(c: str) -> bool:
    return c in " ,-_" or unicodedata.category(c)[0] in "LMN"


def _query_label(request: web.Request) -> str | None:
    """`?label=`, or None: a few words the saved name carries (`labelled_name`), never a name of
    its own (no dots, slashes, quotes or control characters: the stored name and its extension
    stay as they are); anything else is `invalid`."""
    given = request.query.getall("label", [])
    if not given:
        return None
    label = given[0]
    if len(given) > 1 or not 0 < len(label) <= LABEL_MAX or not all(map(_label_char, label)):
        raise ServiceFailure(ErrorCode.INVALID, "label must be a few words (letters, digits, "
                             f"spaces, commas, hyphens), at most {LABEL_MAX} characters")
    return label


def labelled_name(filename: str, label: str | None) -> str:
    """`Lease.pdf` labelled `v1, our side`: `Lease (v1, our side).pdf`, the label before the
    extension (after the last dot, not a leading one), as the web client's versionFileName
    (js/documents/versions.js) names a file it saves itself."""
    if label is None:
        return filename
    dot = filename.rfind(".")
    if dot > 0:
        return f"{filename[:dot]} ({label}){filename[dot:]}"
    return f"{filename} ({label})"


def decode_filename(raw: str | None) -> str:
    if not raw:
        raise ServiceFailure(ErrorCode.INVALID, f"{FILENAME_HEADER} is required")
    try:
        name = urllib.parse.unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise ServiceFailure(ErrorCode.INVALID,
                             f"{FILENAME_HEADER} must be percent-encoded UTF-8") from None
    if not name or len(name) > 1024:
        raise ServiceFailure(ErrorCode.INVALID, f"{FILENAME_HEADER} is empty or too long")
    return name


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the RFC 8187 UTF-8 form of the stored name."""
    fallback = "".join(c if 0x20 < ord(c) < 0x7f and c not in '"\\%;' else "_" for c in filename)
    encoded = urllib.parse.quote(filename, safe="")
    return f"attachment; filename=\"{fallback or 'document'}\"; filename*=UTF-8''{encoded}"


def _document_fields(request: web.Request) -> dict[str, object]:
    """Compartment, name and media type of an upload, from its headers (one-shot or not)."""
    content_type = request.headers.get("Content-Type", "application/octet-stream")
    if not _CONTENT_TYPE.fullmatch(content_type):
        content_type = "application/octet-stream"
    return {"compartment": request.headers.get(COMPARTMENT_HEADER, ""),
            "filename": decode_filename(request.headers.get(FILENAME_HEADER)),
            "content_type": content_type}


def _begin_request(request: web.Request, hearing: str) -> UploadBeginRequest:
    declared = request.content_length
    if declared is None:
        raise web.HTTPLengthRequired(reason="Content-Length is required")
    try:
        return msgspec.convert({**_document_fields(request), "hearing": hearing,
                                "declared_size": declared}, UploadBeginRequest)
    except msgspec.ValidationError as exc:
        raise ServiceFailure(ErrorCode.INVALID, str(exc)) from None


def register(routes: RouteTable) -> None:
    @routes.route("POST", DOCS, access=UPLOAD_RULE, response=DocumentView, tags=("documents",),
                  summary="upload a document (streamed body) into a compartment; with "
                          "Upload-Complete, create a resumable upload (201, Location). A name "
                          "whose latest version is in another compartment: 409, reason "
                          "name_in_other_compartment",
                  openapi={"requestBody": _STREAMED_BODY, "parameters": _UPLOAD_HEADERS,
                           "status": 201})
    async def upload_document(request: web.Request) -> web.StreamResponse:
        state = state_of(request)
        hearing = _path_id(request, "hearing")
        principal = require_principal(request)
        if upload_headers.wants_resumable(request.headers):
            return await uploads.create(request, hearing, principal, _document_fields(request))
        begin = _begin_request(request, hearing)
        started = time.perf_counter()
        reply = await EVIDENCE.ask(request, "upload.begin", begin, UploadBeginReply,
                                   principal=principal)
        view = await push_upload(reply.url, reply.ticket, principal, request, begin.declared_size,
                                 connect_s=state.config.service_timeout_s,
                                 pace=state.config.pace, ca=state.config.evidence_tls_ca)
        state.metrics.upload_bytes.observe(view.size)
        state.metrics.upload_seconds.observe(time.perf_counter() - started)
        await document_events.announce(state.nc, hearing, view.compartment, view.document)
        response = json_response(view, status=201)
        response.headers["Location"] = f"/api/v1/hearings/{hearing}/documents/{view.document}"
        return response

    uploads.register(routes, UPLOAD_RULE, _path_id, require_principal)

    @routes.route("GET", DOCS, access=READ_RULE, response=ListDocumentsReply,
                  tags=("documents",), summary="the documents of a hearing this caller may see, "
                                               "and the largest a document may be "
                                               "(max_document_bytes)")
    async def list_documents(request: web.Request) -> web.StreamResponse:
        reply = await EVIDENCE.ask(request, "list",
                                   ListDocumentsRequest(hearing=_path_id(request, "hearing")),
                                   ListDocumentsReply, principal=require_principal(request))
        return json_response(reply)

    @routes.route("GET", DOC, access=READ_RULE, response=DocumentView, tags=("documents",),
                  summary="a document's metadata")
    async def get_document(request: web.Request) -> web.StreamResponse:
        req = DocumentRequest(hearing=_path_id(request, "hearing"),
                              document=_path_id(request, "document"))
        reply = await EVIDENCE.ask(request, "get", req, DocumentView,
                                   principal=require_principal(request))
        return json_response(reply)

    @routes.route("GET", DOC + "/versions", access=READ_RULE, response=VersionsReply,
                  tags=("documents",),
                  summary="the versions of a document this caller may read, newest first")
    async def document_versions(request: web.Request) -> web.StreamResponse:
        req = VersionsRequest(hearing=_path_id(request, "hearing"),
                              document=_path_id(request, "document"))
        reply = await EVIDENCE.ask(request, "versions", req, VersionsReply,
                                   principal=require_principal(request))
        return json_response(reply)

    @routes.route("GET", DOC + "/content", access=READ_RULE, tags=("documents",),
                  summary="download a document, or one version of it (decrypted, streamed; "
                          "Range supported)",
                  openapi={"produces": "application/octet-stream",
                           "parameters": _VERSION_QUERY + _PURPOSE_QUERY + _LABEL_QUERY
                                         + _RANGE_HEADER})
    async def download_document(request: web.Request) -> web.StreamResponse:
        state = state_of(request)
        principal = require_principal(request)
        label = _query_label(request)
        req = DownloadBeginRequest(hearing=_path_id(request, "hearing"),
                                   document=_path_id(request, "document"),
                                   version=_query_version(request),
                                   range=(request.headers.get("Range") or "")[:200] or None,
                                   purpose=_query_purpose(request))
        reply = await EVIDENCE.ask(request, "download.begin", req, DownloadBeginReply,
                                   principal=principal)
        size = reply.document.size
        if reply.ticket is None or reply.url is None:
            refusal = error_response(ErrorCode.INVALID, "range not satisfiable", status=416)
            refusal.headers["Content-Range"] = f"bytes */{size}"
            return refusal
        response = web.StreamResponse(status=206 if reply.partial else 200)
        response.content_type = "application/octet-stream"
        response.content_length = reply.end - reply.start
        response.headers["Content-Disposition"] = content_disposition(
            labelled_name(reply.document.filename, label))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Accept-Ranges"] = "bytes"
        response.headers["ETag"] = f"\"{reply.document.sha256}\""
        if reply.partial:
            response.headers["Content-Range"] = f"bytes {reply.start}-{reply.end - 1}/{size}"
        return await pull_download(request, response, reply.url, reply.ticket, principal,
                                   connect_s=state.config.service_timeout_s,
                                   ca=state.config.evidence_tls_ca)

    @routes.route("POST", DOC + "/release", access=RELEASE_RULE, request=ReleaseBody,
                  response=ReleaseReply, tags=("documents",),
                  summary="widen the compartment of a document's latest version (owning side "
                          "only; never narrows; earlier versions keep theirs). With `version`: "
                          "409, reason newer_version, if another version is the latest now; "
                          "404, reason version_not_found, if the document has no such version")
    async def release_document(request: web.Request) -> web.StreamResponse:
        body = await read_json(request, ReleaseBody)
        req = ReleaseRequest(hearing=_path_id(request, "hearing"),
                             document=_path_id(request, "document"), to=body.to,
                             version=body.version)
        reply = await EVIDENCE.ask(request, "release", req, ReleaseReply,
                                   principal=require_principal(request))
        await document_events.announce(state_of(request).nc, req.hearing,
                                       reply.document.compartment, reply.document.document)
        return json_response(reply)

    @routes.route("POST", "/api/v1/evidence/master-key/rotate", access=ROTATE_RULE,
                  response=RotateReply, tags=("documents",),
                  summary="re-wrap every hearing key under a new master key (admin)")
    async def rotate_master_key(request: web.Request) -> web.StreamResponse:
        reply = await EVIDENCE.ask(request, "rotate", RotateRequest(), RotateReply,
                                   principal=require_principal(request), timeout_s=120.0)
        return json_response(reply)


async def shred_documents(request: web.Request, hearing: str) -> None:
    """Crypto-shred every document of `hearing` (closing it with `destroy_documents`).

    Called after signalling accepted the close (a refused close destroys nothing); shredding
    is idempotent and audited once, so a failure here is finished by repeating the close."""
    await EVIDENCE.ask(request, "shred", ShredRequest(hearing=hearing), ShredReply,
                       principal=require_principal(request), timeout_s=60.0)
