"""The evidence service's decisions: every NATS endpoint and both transfers, audited.

Longer than 300 lines: every access decision and its audit event stay in this one class, so
each rule is read (and changed) in one place; resumable uploads build on it (upload_decisions).

Rules kept here (DESIGN §2, §6):
- The principal is the one the gateway forwarded; its standing comes from the roster now.
- Outsiders (no standing in the hearing) are refused with `forbidden`. A member who may not read
  a document gets `not_found`, exactly as for a document that does not exist, so a denial never
  reveals a document's name or even its existence. Every denial is an audit event.
- Every list, view, download, upload, release, shred and rotation is an audit event published
  (and acknowledged by JetStream) *before* the action takes effect: a failed publish fails it.
  Uploads are audited after the content is stored and before the manifest (the commit point).
- A stored manifest that fails authentication is never used: a listing leaves it out and lists
  the rest; asking for its document (or that version) is refused with `integrity`. Each is a
  `document.manifest_rejected` event, rate-limited per hearing (alarm.py) so a flood of
  planted objects cannot flood the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Mapping

from parley.auditpub import AuditPublisher
from parley.errors import ServiceFailure
from parley.failures import handled, note_failure
from parley.futures import retrieved
from parley.micro import RequestContext
from proto.audit import DetailValue, Outcome
from proto.common import Role
from proto.errors import ErrorCode
from proto.evidence import (
    DocumentRequest,
    DocumentView,
    DownloadBeginReply,
    DownloadBeginRequest,
    ListDocumentsReply,
    ListDocumentsRequest,
    Manifest,
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
    counted_view,
    document_view,
)
from proto.principal import Principal, PrincipalKind
from services.evidence import access
from services.evidence.access import Action, Compartment, HearingFacts
from services.evidence.alarm import AlarmLimiter
from services.evidence.errors import (
    DocumentNotFoundError,
    HearingShreddedError,
    IntegrityError,
    ManifestError,
    TooLargeError,
)
from services.evidence.manifest_store import Rejected
from services.evidence.ranges import resolve
from services.evidence.roster import RosterReader
from services.evidence.tickets import DownloadGrant, TicketBook, UploadGrant
from services.evidence.vault import Vault

log = logging.getLogger("parley.evidence")


class Evidence:
    def __init__(self, vault: Vault, roster: RosterReader, audit: AuditPublisher, *,
                 uploads: TicketBook[UploadGrant], downloads: TicketBook[DownloadGrant],
                 base_url: Callable[[], str], clock: Callable[[], int],
                 alarms: AlarmLimiter | None = None) -> None:
        self.vault = vault
        self.alarms = alarms or AlarmLimiter()
        self.roster = roster
        self.audit = audit
        self.uploads = uploads
        self.downloads = downloads
        self._base_url = base_url
        self._clock = clock

    # -- helpers --------------------------------------------------------------------------

    async def _record(self, principal: Principal | None, action: str, resource: tuple[str, str],
                      outcome: Outcome, hearing: str | None,
                      details: Mapping[str, DetailValue] | None = None) -> None:
        await self.audit.record(actor=principal, action=action, resource_type=resource[0],
                                resource_id=resource[1], outcome=outcome, hearing=hearing,
                                details=details)

    async def _deny(self, principal: Principal | None, action: str, hearing: str,
                    resource: tuple[str, str], code: ErrorCode, message: str,
                    reason: str | None = None, *, answer: str | None = None,
                    asked: Mapping[str, DetailValue] | None = None) -> ServiceFailure:
        """Audit a denial; the failure to raise. `reason` is the audit event's, `answer` the
        reason the caller is told (if any); `asked`: what the request declared, recorded as
        its granted event would record it (a download's `purpose`)."""
        details: dict[str, DetailValue] = {"action": action, "reason": reason or "not visible",
                                           **(asked or {})}
        await self._record(principal, "document.denied", resource, Outcome.DENIED, hearing, details)
        return ServiceFailure(code, message, reason=answer)

    async def _report_rejected(self, principal: Principal, hearing: str,
                               rejected: list[Rejected]) -> None:
        """Audit manifests that were not used (within the alarm limits)."""
        for item in rejected:
            held = self.alarms.admit(hearing, item.key, self._clock())
            if held is None:
                continue
            await self._record(principal, "document.manifest_rejected",
                               ("document", item.document), Outcome.FAILED, hearing,
                               {"version": item.version, "reason": item.reason,
                                "suppressed": held})

    async def _key_failure(self, principal: Principal, hearing: str) -> None:
        """The hearing's key record is unusable (nothing of the hearing can be trusted): the
        request is refused with `integrity` by the caller; audited here within the limits."""
        if self.alarms.admit(hearing, f"keys/{hearing}", self._clock()) is not None:
            await self._record(principal, "document.integrity_failure", ("hearing", hearing),
                               Outcome.FAILED, hearing, {"reason": "hearing_key"})

    async def check_size(self, principal: Principal, hearing: str, size: int) -> None:
        """Refuse a document over the size limit before a byte of it is read: a
        `document.denied` event recording the size declared and the limit, then `too_large`
        (reason `document_too_large`, so the client can say the limit)."""
        try:
            self.vault.check_size(size)
        except TooLargeError:
            await self._record(principal, "document.denied", ("hearing", hearing),
                               Outcome.DENIED, hearing,
                               {"action": "upload", "reason": "too large", "declared_size": size,
                                "limit": self.vault.limits.max_document_size})
            raise

    async def _member(self, ctx: RequestContext, hearing: str, action: Action,
                      asked: Mapping[str, DetailValue] | None = None
                      ) -> tuple[Principal, HearingFacts]:
        principal = ctx.require_principal()
        facts = await self.roster.facts(hearing, principal)
        if access.standing(principal, facts) is None:
            raise await self._deny(principal, action.value, hearing, ("hearing", hearing),
                                   ErrorCode.FORBIDDEN, "not a member of this hearing",
                                   asked=asked)
        return principal, facts

    async def _readable(self, ctx: RequestContext, hearing: str, document: str,
                        version: str | None, action: Action,
                        asked: Mapping[str, DetailValue] | None = None
                        ) -> tuple[Principal, HearingFacts, Manifest]:
        principal, facts, manifest, _ = await self._decided(ctx, hearing, document, version,
                                                            action, asked)
        return principal, facts, manifest

    async def _decided(self, ctx: RequestContext, hearing: str, document: str,
                       version: str | None, action: Action,
                       asked: Mapping[str, DetailValue] | None = None
                       ) -> tuple[Principal, HearingFacts, Manifest, list[Manifest]]:
        """`_readable`, with every authentic version of the document read on the way (oldest
        first; the caller decides on each what it may see of it). `asked`: see `_deny`."""
        # The stored record is read while the roster is: a download's first byte waits for both
        # (a non-member is refused as before, and what was being read is dropped).
        finding = asyncio.ensure_future(self.vault.find(hearing, document, version))
        try:
            principal, facts = await self._member(ctx, hearing, action, asked)
        except BaseException:
            finding.cancel()
            finding.add_done_callback(retrieved)
            raise
        try:
            found = await finding
        except (DocumentNotFoundError, HearingShreddedError):
            raise await self._deny(principal, action.value, hearing, ("document", document),  # probe
                                   ErrorCode.NOT_FOUND, "no such document", "missing",
                                   asked=asked) from None
        except IntegrityError as exc:
            await self._key_failure(principal, hearing)
            raise exc from None
        await self._report_rejected(principal, hearing, found.rejected)
        manifest = found.manifest
        if manifest is None:
            if found.rejected:  # never used to decide anything: refused, whoever asks
                raise ManifestError(found.rejected[0].reason, "the document's stored record "
                                    "failed its integrity check; it was not used")
            raise await self._deny(principal, action.value, hearing, ("document", document),
                                   ErrorCode.NOT_FOUND, "no such document", "missing",
                                   asked=asked)
        if not access.allowed(principal, facts, Action.VIEW if action is Action.RELEASE else action,
                              Compartment.parse(manifest.compartment)):
            raise await self._deny(principal, action.value, hearing, ("document", document),
                                   ErrorCode.NOT_FOUND, "no such document", asked=asked)
        return principal, facts, manifest, found.versions

    @staticmethod
    def _details(manifest: Manifest, **extra: DetailValue) -> dict[str, DetailValue]:
        return {"version": manifest.version, "filename": manifest.filename,
                "compartment": manifest.compartment,
                "sha256": manifest.sha256, "size": manifest.size, **extra}

    # -- NATS endpoints -------------------------------------------------------------------

    async def upload_begin(self, ctx: RequestContext, req: UploadBeginRequest) -> UploadBeginReply:
        # The hearing's versions are counted while the roster is read (both are reads; the
        # count is dropped if the caller is refused), so a grant waits for the slower only.
        counting = asyncio.ensure_future(self.vault.version_count(req.hearing))
        counting.add_done_callback(retrieved)
        try:
            principal, facts = await self._member(ctx, req.hearing, Action.UPLOAD)
        except BaseException:
            counting.cancel()
            raise
        place = Compartment.parse(req.compartment)
        if not access.allowed(principal, facts, Action.UPLOAD, place):
            raise await self._deny(principal, "upload", req.hearing, ("hearing", req.hearing),
                                   ErrorCode.FORBIDDEN, "you may not upload to that compartment")
        who = access.standing(principal, facts)
        assert who is not None  # _member checked it
        await self.check_size(principal, req.hearing, req.declared_size)
        self.vault.check_count(await counting)
        grant = UploadGrant(principal=principal, hearing=req.hearing,
                            compartment=req.compartment, filename=req.filename,
                            declared_size=req.declared_size, content_type=req.content_type,
                            owner=access.owner_for(who, place))
        issued = self.uploads.issue(grant, self._clock())
        return UploadBeginReply(upload_id=issued.id, ticket=issued.ticket,
                                expires_ms=issued.expires_ms,
                                url=f"{self._base_url()}/uploads/{issued.id}")

    async def list(self, ctx: RequestContext, req: ListDocumentsRequest) -> ListDocumentsReply:
        principal, facts = await self._member(ctx, req.hearing, Action.LIST)
        history: dict[str, list[Manifest]] = {}
        try:
            listing = await self.vault.listing(req.hearing)
            manifests, rejected, history = listing.documents, listing.rejected, listing.history
        except (DocumentNotFoundError, HearingShreddedError):
            manifests, rejected = [], []
        except IntegrityError:
            await self._key_failure(principal, req.hearing)
            raise
        await self._report_rejected(principal, req.hearing, rejected)

        def may(m: Manifest) -> bool:
            return access.allowed(principal, facts, Action.LIST, Compartment.parse(m.compartment))

        # A version is counted only where the caller may read it (as `versions` shows them).
        visible = [counted_view(m, [v for v in history.get(m.document, [m]) if may(v)])
                   for m in manifests if may(m)]
        await self._record(principal, "document.list", ("hearing", req.hearing), Outcome.ALLOWED,
                           req.hearing, {"count": len(visible)})
        return ListDocumentsReply(documents=visible,
                                  max_document_bytes=self.vault.limits.max_document_size)

    async def get(self, ctx: RequestContext, req: DocumentRequest) -> DocumentView:
        principal, _, manifest = await self._readable(ctx, req.hearing, req.document, req.version,
                                                      Action.VIEW)
        await self._record(principal, "document.view", ("document", req.document),
                           Outcome.ALLOWED, req.hearing, self._details(manifest))
        return document_view(manifest)

    async def versions(self, ctx: RequestContext, req: VersionsRequest) -> VersionsReply:
        """The versions of a document the caller may read, newest first: the document is
        decided as `get` decides it (on its latest version), then each version on its own
        record. Audited as `document.versions_list` (entries before it: `document.view` with
        `versions` in its details)."""
        principal, facts, latest, every = await self._decided(ctx, req.hearing, req.document,
                                                              None, Action.VIEW)
        readable = [m for m in reversed(every) if access.allowed(
            principal, facts, Action.VIEW, Compartment.parse(m.compartment))]
        await self._record(principal, "document.versions_list", ("document", req.document),
                           Outcome.ALLOWED, req.hearing,
                           self._details(latest, versions=len(readable)))
        return VersionsReply(document=counted_view(latest, readable),
                             versions=[document_view(m) for m in readable])

    async def download_begin(self, ctx: RequestContext,
                             req: DownloadBeginRequest) -> DownloadBeginReply:
        # A refusal records the purpose declared, as the grant below does.
        principal, _, manifest = await self._readable(ctx, req.hearing, req.document, req.version,
                                                      Action.DOWNLOAD, {"purpose": req.purpose})
        view = document_view(manifest)
        span = resolve(req.range, manifest.size)
        if not span.satisfiable:
            return DownloadBeginReply(document=view, start=0, end=0, partial=True)
        # One action for every read of the bytes (they leave the service either way); the
        # purpose the caller declared (`view`: shown in the page) tells the two apart.
        await self._record(principal, "document.download", ("document", req.document),
                           Outcome.ALLOWED, req.hearing,
                           self._details(manifest, start=span.start, end=span.end,
                                         purpose=req.purpose))
        issued = self.downloads.issue(DownloadGrant(principal, manifest, span.start, span.end),
                                      self._clock())
        return DownloadBeginReply(document=view, start=span.start, end=span.end,
                                  partial=span.partial, ticket=issued.ticket,
                                  url=f"{self._base_url()}/downloads/{issued.id}",
                                  expires_ms=issued.expires_ms)

    async def release(self, ctx: RequestContext, req: ReleaseRequest) -> ReleaseReply:
        """Widen the latest version only (vault.py `release`): the one decided on and audited
        (`version` in the event) is the one released, or nothing is.

        A `version` that is not the latest: one the caller may read was superseded (`conflict`,
        reason `newer_version`); any other (never the document's, rejected, or one the caller
        may not read) is `not_found`, reason `version_not_found`, the same answer for all."""
        principal, facts, manifest, versions = await self._decided(
            ctx, req.hearing, req.document, None, Action.RELEASE)
        if not access.allowed(principal, facts, Action.RELEASE,
                              Compartment.parse(manifest.compartment), owner=manifest.owner,
                              target=Compartment.parse(req.to)):
            raise await self._deny(principal, "release", req.hearing,
                                   ("document", req.document), ErrorCode.FORBIDDEN,
                                   "only the owning side may release, and only wider")
        if req.version is not None and req.version != manifest.version:
            named = next((m for m in versions if m.version == req.version), None)
            if named is None or not access.allowed(principal, facts, Action.VIEW,
                                                   Compartment.parse(named.compartment)):
                raise await self._deny(principal, "release", req.hearing,
                                       ("document", req.document), ErrorCode.NOT_FOUND,
                                       "no such version", "missing" if named is None else None,
                                       answer="version_not_found")
            raise ServiceFailure(ErrorCode.CONFLICT, "a newer version of the document has "
                                 "arrived; nothing was released", reason="newer_version")
        await self._record(principal, "document.release", ("document", req.document),
                           Outcome.ALLOWED, req.hearing,
                           self._details(manifest, to=req.to))
        try:
            released = await self.vault.release(req.hearing, req.document, req.to,
                                                by=principal.id, version=manifest.version)
        except BaseException:
            # Recorded as allowed, then not done (a version arrived in between, the store
            # failed): a second event says so, as for an upload whose commit failed.
            with handled(log, "evidence.release.failed_audit", level=logging.ERROR):
                await self._record(principal, "document.release", ("document", req.document),
                                   Outcome.FAILED, req.hearing,
                                   self._details(manifest, to=req.to))
            raise
        return ReleaseReply(document=document_view(released))

    async def shred(self, ctx: RequestContext, req: ShredRequest) -> ShredReply:
        """Closing a hearing with destroy: its mediator (or an admin) shreds every document."""
        principal = ctx.require_principal()
        admin = principal.kind is PrincipalKind.ACCOUNT and principal.role is Role.ADMIN
        if not admin:
            facts = await self.roster.facts(req.hearing, principal)
            who = access.standing(principal, facts)
            if who is None or who.kind != "mediator":
                raise await self._deny(principal, "shred", req.hearing,
                                       ("hearing", req.hearing), ErrorCode.FORBIDDEN,
                                       "only the hearing's mediator may destroy its documents")
        # Idempotent and audited once: a repeated shred (finishing one that failed half-way)
        # deletes what is left without a second `document.shred` event.
        if not await self.vault.hearing_shredded(req.hearing):
            await self._record(principal, "document.shred", ("hearing", req.hearing),
                               Outcome.ALLOWED, req.hearing)
        versions = await self.vault.shred_hearing(req.hearing)
        return ShredReply(hearing=req.hearing, versions=versions)

    async def rotate(self, ctx: RequestContext, _: RotateRequest) -> RotateReply:
        principal = ctx.require_principal()
        if principal.kind is not PrincipalKind.ACCOUNT or principal.role is not Role.ADMIN:
            await self._record(principal, "document.denied", ("master_key", "current"),
                               Outcome.DENIED, None, {"action": "rotate"})
            raise ServiceFailure(ErrorCode.FORBIDDEN, "only an admin may rotate the master key")
        await self._record(principal, "document.rotate", ("master_key", "current"),
                           Outcome.ALLOWED, None)
        rewrapped = await self.vault.rotate_master()
        return RotateReply(rewrapped=rewrapped)

    # -- transfers (internal HTTP) --------------------------------------------------------

    async def receive(self, grant: UploadGrant, chunks: AsyncIterable[bytes]) -> Manifest:
        """Stream one upload into the vault (audited just before the commit point)."""
        return await self.commit_audited(grant.principal, grant.hearing, lambda audit: (
            self.vault.upload(grant.hearing, grant.compartment, grant.filename,
                              grant.declared_size, chunks, owner=grant.owner, before_commit=audit,
                              uploaded_by=grant.principal.id, content_type=grant.content_type)))

    async def commit_audited(self, principal: Principal, hearing: str, commit: Callable[[
            Callable[[Manifest], Awaitable[None]]], Awaitable[Manifest]]) -> Manifest:
        """Run `commit`, which calls the audit hook after storing and before the manifest; if
        the commit then fails, a second event says so (one-shot and resumable uploads)."""
        audited: list[Manifest] = []

        async def audit(manifest: Manifest) -> None:
            await self._record(principal, "document.upload", ("document", manifest.document),
                               Outcome.ALLOWED, hearing,
                               self._details(manifest, content_type=manifest.content_type))
            audited.append(manifest)

        try:
            return await commit(audit)
        except BaseException:
            if audited:
                with handled(log, "evidence.upload.failed_audit", level=logging.ERROR):
                    await self._record(principal, "document.upload",
                                       ("document", audited[0].document), Outcome.FAILED,
                                       hearing, self._details(audited[0]))
            raise

    def serve(self, grant: DownloadGrant, *, reuse: bool = False) -> AsyncGenerator[bytes, None]:
        """The granted plaintext; with `reuse`, see `Reading.open_range`."""
        return self.vault.reads.open_range(grant.manifest, grant.start, grant.end, reuse=reuse)

    async def integrity_failure(self, grant: DownloadGrant) -> None:
        """Best effort: the stream is stopped whatever happens here."""
        try:
            await self._record(grant.principal, "document.integrity_failure",
                               ("document", grant.manifest.document), Outcome.FAILED,
                               grant.manifest.hearing,
                               self._details(grant.manifest, start=grant.start, end=grant.end))
        except Exception as exc:  # best effort by design: the stream stops whatever happens
            note_failure(log, "evidence.integrity_audit", exc, level=logging.ERROR,
                         document=grant.manifest.document)
