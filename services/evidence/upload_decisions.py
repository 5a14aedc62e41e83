"""Resumable uploads' decisions (docs/uploads.md): NATS endpoints and the internal append.

The same rules as a one-shot upload (decisions.py): the caller must be a member of the hearing
now (checked on every request, so a removed participant cannot finish an upload), allowed to
upload to the compartment; the upload is audited just before its commit point. On top: an upload
answers only the session that created it; to anyone else it does not exist (`not_found`).

An upload's times are instants for machines, never text: its last activity gives the
`expires_ms` of its view, which the gateway turns into `Upload-Limit: expires=<seconds left>`.
They stay epoch milliseconds from the injected clock (the record's `created_ms`, the clock at an
append), never a `datetime` made from them: that goes through the host's zone rules (C
`localtime`/`gmtime`), and on a host whose zone counts leap seconds (`right/…`) it is 27 s off.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from dataclasses import dataclass

from parley.micro import RequestContext
from proto.errors import ErrorCode
from proto.evidence import (
    AppendResult,
    UploadAppendReply,
    UploadAppendRequest,
    UploadCreateRequest,
    UploadRef,
    UploadView,
    document_view,
)
from proto.principal import Principal
from services.evidence import access
from services.evidence.access import Action, Compartment
from services.evidence.decisions import Evidence
from services.evidence.errors import OffsetMismatchError, UploadNotFoundError
from services.evidence.resumable import Part, UploadRecord, check_append, offset_of
from services.evidence.staging import StagedUploads, expires_ms
from services.evidence.tickets import TicketBook


@dataclass(frozen=True)
class AppendGrant:
    principal: Principal
    hearing: str
    upload: str
    offset: int


class ResumableUploads:
    def __init__(self, evidence: Evidence, staged: StagedUploads, *,
                 appends: TicketBook[AppendGrant], idle_s: float) -> None:
        self.evidence = evidence
        self.staged = staged
        self.appends = appends
        self.idle_s = idle_s

    def view(self, record: UploadRecord, parts: list[Part], last_ms: int) -> UploadView:
        """The upload as its caller sees it, last active at `last_ms` (epoch milliseconds)."""
        return UploadView(upload=record.upload, hearing=record.hearing, offset=offset_of(parts),
                          length=record.length, expires_ms=expires_ms(last_ms, self.idle_s))

    async def _open(self, ctx: RequestContext, hearing: str,
                    upload: str) -> tuple[Principal, UploadRecord, list[Part], int]:
        principal, _ = await self.evidence._member(ctx, hearing, Action.UPLOAD)
        try:
            record, parts, last = await self.staged.open(hearing, upload, principal)
        except UploadNotFoundError:
            raise await self.evidence._deny(principal, "upload", hearing, ("upload", upload),
                                            ErrorCode.NOT_FOUND, "no such upload") from None
        return principal, record, parts, last  # the store's mtime

    # -- NATS endpoints -----------------------------------------------------------------------

    async def create(self, ctx: RequestContext, req: UploadCreateRequest) -> UploadView:
        principal, facts = await self.evidence._member(ctx, req.hearing, Action.UPLOAD)
        place = Compartment.parse(req.compartment)
        if not access.allowed(principal, facts, Action.UPLOAD, place):
            raise await self.evidence._deny(principal, "upload", req.hearing,
                                            ("hearing", req.hearing), ErrorCode.FORBIDDEN,
                                            "you may not upload to that compartment")
        who = access.standing(principal, facts)
        assert who is not None  # _member checked it
        await self.evidence.check_size(principal, req.hearing, req.length)  # audits a refusal
        record = await self.staged.create(
            hearing=req.hearing, compartment=req.compartment, filename=req.filename,
            length=req.length, content_type=req.content_type,
            owner=access.owner_for(who, place), principal=principal)
        return self.view(record, [], record.created_ms)

    async def status(self, ctx: RequestContext, req: UploadRef) -> UploadView:
        _, record, parts, last = await self._open(ctx, req.hearing, req.upload)
        return self.view(record, parts, last)

    async def cancel(self, ctx: RequestContext, req: UploadRef) -> UploadView:
        _, record, parts, last = await self._open(ctx, req.hearing, req.upload)
        async with self.staged.lock(record.upload):
            await self.staged.discard(record.hearing, record.upload)
        return self.view(record, parts, last)

    async def append(self, ctx: RequestContext, req: UploadAppendRequest) -> UploadAppendReply:
        principal, record, parts, last = await self._open(ctx, req.hearing, req.upload)
        view = self.view(record, parts, last)
        try:
            check_append(record, view.offset, req.offset, req.length, req.complete)
        except OffsetMismatchError:
            return UploadAppendReply(upload=view)
        issued = self.appends.issue(AppendGrant(principal, req.hearing, req.upload,
                                                view.offset), self.evidence._clock())
        return UploadAppendReply(upload=view, ticket=issued.ticket, expires_ms=issued.expires_ms,
                                 url=f"{self.evidence._base_url()}/appends/{issued.id}")

    # -- the bytes (internal HTTP) ------------------------------------------------------------

    async def receive(self, grant: AppendGrant, chunks: AsyncIterable[bytes]) -> AppendResult:
        """Stage the bytes; commit the document if they were the last ones."""
        async with self.staged.lock(grant.upload):
            record, parts, _ = await self.staged.open(grant.hearing, grant.upload,
                                                      grant.principal)
            if offset_of(parts) != grant.offset:  # another append got in first
                raise OffsetMismatchError(offset_of(parts))
            parts = await self.staged.append(record, parts, chunks)
            if offset_of(parts) < record.length:
                return AppendResult(upload=self.view(record, parts, self.evidence._clock()))
            manifest = await self.evidence.commit_audited(
                grant.principal, grant.hearing, lambda audit: self.staged.complete(
                    record, parts, uploaded_by=grant.principal.id, before_commit=audit))
        done = UploadView(upload=record.upload, hearing=record.hearing, offset=record.length,
                          length=record.length, expires_ms=0)
        return AppendResult(upload=done, document=document_view(manifest))

