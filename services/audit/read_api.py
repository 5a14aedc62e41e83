"""The audit service's NATS endpoints, `parley.v1.audit.<verb>` (DESIGN §7, §8).

Every verb is for auditors only (access.py). Reads of the log are themselves audited before the
answer leaves: `events` is `audit.query`; `checkpoint`, `inclusion`, `consistency` and `receipt`
are `audit.proof`; the first part of an `export` is `audit.export`. If that event cannot be
published the request fails (`unavailable`): no unaudited read. Tiles are audited per reader and
period (the first read, then a summary of the range read: tile_reads.py), not per GET. The public key
(`vkey`) and the service's own `status` are not log content and are not audited.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import msgspec

from parley.auditpub import AuditPublisher
from parley.errors import AuditPublishError, ServiceFailure
from parley.micro import RequestContext, ServiceHost
from proto.audit import DetailValue, Outcome
from proto.auditlog import (
    AuditStatus,
    CheckpointInfo,
    ConsistencyProof,
    ConsistencyRequest,
    EventPage,
    EventQuery,
    ExportPart,
    ExportPartRequest,
    InclusionProof,
    InclusionRequest,
    LoggedEvent,
    NameList,
    NoArguments,
    PeopleQuery,
    ReceiptRequest,
    TileRequest,
    VerifierKey,
)
from proto.errors import ErrorCode
from services.audit import names_table
from services.audit.access import require_auditor
from services.audit.copy_freshness import CopyFreshness
from services.audit.errors import ReadRefusedError
from services.audit.exporter import export_part, plan_export
from services.audit.keys import NoteSigner
from services.audit.log import LogStore
from services.audit.receipt import format_receipt
from services.audit.signing_loop import CheckpointLoop, wall_ms
from services.audit.tile_reads import ReadWindow, TileReadLedger
from services.audit.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    TileId,
    encode_entry_bundle,
    parse_tile_path,
    tile_bytes,
)

log = logging.getLogger("parley.audit")
Req = TypeVar("Req")
Resp = TypeVar("Resp")


def _b64(items: list[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in items]


def tile_available(tile: TileId, size: int) -> bool:
    """Whether a tree of `size` covers this tile (full) or at least `width` of it (partial)."""
    count = size >> (TILE_HEIGHT * (tile.level or 0))
    return tile.index * TILE_WIDTH + tile.width <= count


@dataclass
class AuditEndpoints:
    store: LogStore
    signer: NoteSigner
    checkpoints: CheckpointLoop
    audit: AuditPublisher
    rejected: Callable[[], int] = lambda: 0
    #: How current this process's copy is (the sequencer's, or a standby's): copy_freshness.py.
    copy: CopyFreshness | None = None
    tile_reads: TileReadLedger = field(default_factory=TileReadLedger)

    def __post_init__(self) -> None:
        self.fresh = self.copy or CopyFreshness(self.store)

    # --- helpers ---------------------------------------------------------------------------

    async def _admit(self, call: RequestContext, action: str, resource: str,
                     details: dict[str, DetailValue]) -> None:
        """Refuse non-auditors (audited as denied); audit the allowed read before it happens."""
        try:
            require_auditor(call.principal)
        except ReadRefusedError:
            await self._record(call, action, resource, details, Outcome.DENIED)
            raise
        await self._record(call, action, resource, details, Outcome.ALLOWED)

    async def _record(self, call: RequestContext, action: str, resource: str,
                      details: dict[str, DetailValue], outcome: Outcome) -> None:
        await self.audit.record(actor=call.principal, action=action, resource_type="audit_log",
                                resource_id=resource, outcome=outcome, details=details)

    # --- verbs -----------------------------------------------------------------------------

    async def events(self, call: RequestContext, query: EventQuery) -> EventPage:
        details: dict[str, DetailValue] = {
            k: v for k, v in msgspec.structs.asdict(query).items() if v is not None
        }
        await self._admit(call, "audit.query", "events", details)
        rows, cursor, total = self.store.search(query)
        return EventPage(events=[LoggedEvent(index=i, entry=e.decode()) for i, e in rows],
                         next_cursor=cursor, total=total)

    async def names(self, call: RequestContext, query: PeopleQuery) -> NameList:
        """A page of names (at most `limit`, and few enough bytes to cross NATS: names_table.py
        `page`); a later page continues after the name its cursor carries (the audited read
        records that name, not the cursor's bytes)."""
        after = None if query.cursor is None else names_table.decode_cursor(query.cursor)
        details: dict[str, DetailValue] = {
            k: v for k, v in msgspec.structs.asdict(query).items()
            if v is not None and k != "cursor"}
        if after is not None:
            details["after"] = after[0]
        await self._admit(call, "audit.query", "names", details)
        rows = self.store.names(name=query.name, hearing=query.hearing, kind=query.kind,
                                ident=query.id, limit=query.limit + 1, after=after)
        return names_table.page(rows, query.limit)  # bounded in bytes too, for NATS

    async def checkpoint(self, call: RequestContext, _: NoArguments) -> CheckpointInfo:
        await self._admit(call, "audit.proof", "checkpoint", {"kind": "checkpoint"})
        cp = await self.fresh.current()
        return CheckpointInfo(size=cp.size, root=base64.b64encode(cp.root).decode(), note=cp.note,
                              time=cp.time)

    async def vkey(self, call: RequestContext, _: NoArguments) -> VerifierKey:
        require_auditor(call.principal)
        return VerifierKey(origin=self.signer.name, vkey=self.signer.verifier.vkey)

    def gauges(self) -> dict[str, int]:
        """What operators alert on, in `$SRV.STATS` (the gateway exports it to Prometheus)."""
        latest = self.store.latest_checkpoint()
        return {
            "log_size": self.store.size,
            "intake_seq": self.store.intake_seq(),
            "checkpoint_size": 0 if latest is None else latest.size,
            "checkpoint_age_ms": -1 if latest is None else max(0, wall_ms() - latest.time),
            "signing_ok": int(self.checkpoints.tamper is None),
        }

    async def status(self, call: RequestContext, _: NoArguments) -> AuditStatus:
        require_auditor(call.principal)
        latest = self.store.latest_checkpoint()
        tamper = self.checkpoints.tamper
        return AuditStatus(
            size=self.store.size, checkpoint_size=0 if latest is None else latest.size,
            checkpoint_age_ms=None if latest is None else max(0, wall_ms() - latest.time),
            signing="ok" if tamper is None else "refused",
            tamper=None if tamper is None else str(tamper)[:500],
            intake_seq=self.store.intake_seq(), rejected=self.rejected(),
        )

    async def inclusion(self, call: RequestContext, req: InclusionRequest) -> InclusionProof:
        await self._admit(call, "audit.proof", str(req.index),
                          {"kind": "inclusion", "index": req.index, "size": req.size})
        size = await self.fresh.size_arg(req.size)
        if req.index >= size:
            raise ServiceFailure(ErrorCode.INVALID, f"index {req.index} is not below size {size}")
        proof = self.store.inclusion_proof(req.index, size)
        return InclusionProof(index=req.index, size=size, hashes=_b64(proof))

    async def consistency(self, call: RequestContext, req: ConsistencyRequest) -> ConsistencyProof:
        await self._admit(call, "audit.proof", f"{req.first}-{req.second}",
                          {"kind": "consistency", "first": req.first, "second": req.second})
        second = await self.fresh.size_arg(req.second)
        if req.first > second:
            raise ServiceFailure(ErrorCode.INVALID, f"first {req.first} is beyond second {second}")
        proof = self.store.consistency_proof(req.first, second)
        return ConsistencyProof(first=req.first, second=second, hashes=_b64(proof))

    async def receipt(self, call: RequestContext, req: ReceiptRequest) -> bytes:
        await self._admit(call, "audit.proof", str(req.index), {"kind": "receipt", "index": req.index})
        if not await self.fresh.caught_up(lambda: req.index < self.fresh.latest().size) \
                and not self.fresh.leads():
            raise self.fresh.behind(f"a checkpoint covering entry {req.index}")
        cp = await self.fresh.current()
        if req.index >= cp.size:
            raise ServiceFailure(ErrorCode.NOT_FOUND,
                                 f"entry {req.index} is not covered by the latest checkpoint ({cp.size})")
        proof = self.store.inclusion_proof(req.index, cp.size)
        return format_receipt(req.index, proof, cp.note).encode()

    async def tile(self, call: RequestContext, req: TileRequest) -> bytes:
        """A tile or entry bundle. Audited per reader and period (tile_reads.py), not per GET."""
        tile = parse_tile_path(req.path)  # a malformed path is IndexOutOfRangeError: invalid
        try:
            principal = require_auditor(call.principal)
        except ReadRefusedError:
            await self._record(call, "audit.proof", req.path[:200], {"kind": "tiles"},
                               Outcome.DENIED)
            raise
        if not tile_available(tile, self.fresh.latest().size):
            raise ServiceFailure(ErrorCode.NOT_FOUND, f"{req.path} is not in the log")
        opens, closed = self.tile_reads.read(principal, tile, wall_ms())
        await self.flush_tile_reads(closed)
        if opens:
            try:
                await self.audit.record(
                    actor=principal, action="audit.proof", resource_type="audit_log",
                    resource_id=req.path[:200], outcome=Outcome.ALLOWED,
                    details={"kind": "tiles", "period_s": self.tile_reads.period_ms // 1000})
            except BaseException:
                self.tile_reads.forget(principal)
                raise
        if tile.level is None:
            first = tile.index * TILE_WIDTH
            return encode_entry_bundle(self.store.entries(first, first + tile.width))
        return tile_bytes(tile, self.store.node_range)

    async def flush_tile_reads(self, windows: list[ReadWindow]) -> None:
        """Audit the summaries of closed tile-reading windows (best effort: the opening entry
        of each window is already in the log)."""
        for window in windows:
            try:
                await self.audit.record(
                    actor=window.reader, action="audit.proof", resource_type="audit_log",
                    resource_id=f"leaves/{window.leaf_from}-{window.leaf_to}",
                    outcome=Outcome.ALLOWED, details=window.summary(wall_ms()))
            except AuditPublishError:
                log.warning("tile-reading summary not audited", extra={"reader": window.reader.id})

    async def export(self, call: RequestContext, req: ExportPartRequest) -> ExportPart:
        if req.request.filter is not None and req.request.filter.person is not None:
            raise ServiceFailure(ErrorCode.INVALID, "export by a person's id (actor), not a name:"
                                 " a bundle's filter must be checkable offline")
        if req.request.filter is not None and req.request.filter.with_invitations:
            raise ServiceFailure(ErrorCode.INVALID, "export by a person's id (actor) alone: the uses"
                                 " of their invitations name no actor, so a bundle's filter could"
                                 " not be checked offline")
        if req.cursor is None:
            spec = req.request
            details: dict[str, DetailValue] = {"begin": spec.begin, "end": spec.end}
            if spec.filter is not None:
                details.update({f"filter.{k}": v for k, v in msgspec.structs.asdict(spec.filter).items()
                                if v is not None and k not in ("cursor", "limit")})
            await self._admit(call, "audit.export", "bundle", details)
            checkpoint = await self.fresh.current()
        else:
            require_auditor(call.principal)
            found = self.store.checkpoint_at(req.cursor.size)
            if found is None:
                raise ServiceFailure(ErrorCode.INVALID, "the export's checkpoint is unknown")
            checkpoint = found
        plan = plan_export(req.request, checkpoint)
        lines, cursor = export_part(self.store, plan, self.signer.verifier.vkey, req.cursor,
                                    exported_at=wall_ms() if req.cursor is None else None)
        return ExportPart(lines=lines.decode(), cursor=cursor)

    # --- registration ----------------------------------------------------------------------

    def register(self, host: ServiceHost) -> None:
        host.endpoint("events", EventQuery, self.events)
        host.endpoint("names", PeopleQuery, self.names)
        host.endpoint("checkpoint", NoArguments, self.checkpoint)
        host.endpoint("vkey", NoArguments, self.vkey)
        host.endpoint("status", NoArguments, self.status, stats=self.gauges)
        host.endpoint("inclusion", InclusionRequest, self.inclusion)
        host.endpoint("consistency", ConsistencyRequest, self.consistency)
        host.endpoint("receipt", ReceiptRequest, self.receipt, raw_response=True)
        host.endpoint("tile", TileRequest, self.tile, raw_response=True)
        host.endpoint("export", ExportPartRequest, self.export)

