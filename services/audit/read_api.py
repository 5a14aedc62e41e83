"""The audit service's NATS endpoints, `parley.v1.audit.<verb>` (DESIGN §7, §8).

Every verb is for auditors only (access.py). Reads of the log are themselves audited before the
answer leaves: `events` is `audit.query`; `checkpoint`, `inclusion`, `consistency`, `receipt`
and `tile` are `audit.proof`; the first part of an `export` is `audit.export`. If that event
cannot be published the request fails (`unavailable`): no unaudited read. The public key
(`vkey`) and the service's own `status` are not log content and are not audited.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import msgspec

from parley.auditpub import AuditPublisher
from parley.errors import ServiceFailure
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
    NoArguments,
    ReceiptRequest,
    TileRequest,
    VerifierKey,
)
from proto.errors import ErrorCode
from services.audit.access import require_auditor
from services.audit.errors import ReadRefusedError
from services.audit.exporter import export_part, plan_export
from services.audit.keys import NoteSigner
from services.audit.log import LogStore, StoredCheckpoint
from services.audit.receipt import format_receipt
from services.audit.signing_loop import CheckpointLoop, wall_ms
from services.audit.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    TileId,
    encode_entry_bundle,
    parse_tile_path,
    tile_bytes,
)

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

    def _latest(self) -> StoredCheckpoint:
        latest = self.store.latest_checkpoint()
        if latest is None:
            raise ServiceFailure(ErrorCode.UNAVAILABLE, "no checkpoint has been signed yet")
        return latest

    def _size_arg(self, size: int | None) -> int:
        chosen = self._latest().size if size is None else size
        if chosen > self.store.size:
            raise ServiceFailure(ErrorCode.INVALID, f"size {chosen} is beyond the log size {self.store.size}")
        return chosen

    # --- verbs -----------------------------------------------------------------------------

    async def events(self, call: RequestContext, query: EventQuery) -> EventPage:
        details: dict[str, DetailValue] = {
            k: v for k, v in msgspec.structs.asdict(query).items() if v is not None
        }
        await self._admit(call, "audit.query", "events", details)
        rows, cursor = self.store.query(query)
        return EventPage(events=[LoggedEvent(index=i, entry=e.decode()) for i, e in rows],
                         next_cursor=cursor)

    async def checkpoint(self, call: RequestContext, _: NoArguments) -> CheckpointInfo:
        await self._admit(call, "audit.proof", "checkpoint", {"kind": "checkpoint"})
        cp = self._latest()
        return CheckpointInfo(size=cp.size, root=base64.b64encode(cp.root).decode(), note=cp.note,
                              time=cp.time)

    async def vkey(self, call: RequestContext, _: NoArguments) -> VerifierKey:
        require_auditor(call.principal)
        return VerifierKey(origin=self.signer.name, vkey=self.signer.verifier.vkey)

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
        size = self._size_arg(req.size)
        if req.index >= size:
            raise ServiceFailure(ErrorCode.INVALID, f"index {req.index} is not below size {size}")
        proof = self.store.inclusion_proof(req.index, size)
        return InclusionProof(index=req.index, size=size, hashes=_b64(proof))

    async def consistency(self, call: RequestContext, req: ConsistencyRequest) -> ConsistencyProof:
        await self._admit(call, "audit.proof", f"{req.first}-{req.second}",
                          {"kind": "consistency", "first": req.first, "second": req.second})
        second = self._size_arg(req.second)
        if req.first > second:
            raise ServiceFailure(ErrorCode.INVALID, f"first {req.first} is beyond second {second}")
        proof = self.store.consistency_proof(req.first, second)
        return ConsistencyProof(first=req.first, second=second, hashes=_b64(proof))

    async def receipt(self, call: RequestContext, req: ReceiptRequest) -> bytes:
        await self._admit(call, "audit.proof", str(req.index), {"kind": "receipt", "index": req.index})
        cp = self._latest()
        if req.index >= cp.size:
            raise ServiceFailure(ErrorCode.NOT_FOUND,
                                 f"entry {req.index} is not covered by the latest checkpoint ({cp.size})")
        proof = self.store.inclusion_proof(req.index, cp.size)
        return format_receipt(req.index, proof, cp.note).encode()

    async def tile(self, call: RequestContext, req: TileRequest) -> bytes:
        await self._admit(call, "audit.proof", req.path[:200], {"kind": "tile"})
        tile = parse_tile_path(req.path)  # a malformed path is IndexOutOfRangeError: invalid
        if not tile_available(tile, self._latest().size):
            raise ServiceFailure(ErrorCode.NOT_FOUND, f"{req.path} is not in the log")
        if tile.level is None:
            first = tile.index * TILE_WIDTH
            return encode_entry_bundle(self.store.entries(first, first + tile.width))
        return tile_bytes(tile, self.store.node_range)

    async def export(self, call: RequestContext, req: ExportPartRequest) -> ExportPart:
        if req.cursor is None:
            spec = req.request
            details: dict[str, DetailValue] = {"begin": spec.begin, "end": spec.end}
            if spec.filter is not None:
                details.update({f"filter.{k}": v for k, v in msgspec.structs.asdict(spec.filter).items()
                                if v is not None and k not in ("cursor", "limit")})
            await self._admit(call, "audit.export", "bundle", details)
            checkpoint = self._latest()
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
        host.endpoint("checkpoint", NoArguments, self.checkpoint)
        host.endpoint("vkey", NoArguments, self.vkey)
        host.endpoint("status", NoArguments, self.status)
        host.endpoint("inclusion", InclusionRequest, self.inclusion)
        host.endpoint("consistency", ConsistencyRequest, self.consistency)
        host.endpoint("receipt", ReceiptRequest, self.receipt, raw_response=True)
        host.endpoint("tile", TileRequest, self.tile, raw_response=True)
        host.endpoint("export", ExportPartRequest, self.export)

