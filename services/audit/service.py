"""The audit service process: intake, the signing loop and the read endpoints, over one store.

Everything runs on one event loop with one SQLite connection (the single writer DESIGN §10
calls the sequencer): intake commits batches, the signing loop checks and signs, the endpoints
read. SQLite calls are short (a batch commit, a page, a proof, one export part), so nothing
needs a thread, and the issuer sees every commit of its own connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley.config import CommonConfig, env_field
from parley.failures import note_failure
from parley.natsconn import patiently
from parley.provision import AUDIT_LEADER_BUCKET
from parley.service import Cleanup, ServiceContext, serve_service
from services.audit.copy_freshness import CopyFreshness
from services.audit.intake import PATIENCE_S
from services.audit.keys import check_key_name, derive_origin, load_or_create_signer
from services.audit.leadership import Lease
from services.audit.log import LogStore
from services.audit.read_api import AuditEndpoints
from services.audit.signer import CheckpointIssuer
from services.audit.signing_loop import CheckpointLoop, wall_ms
from services.audit.standby import Role

log = logging.getLogger("parley.audit")


@dataclass(frozen=True)
class AuditConfig(CommonConfig):
    audit_origin: str = env_field(
        "",
        help="the log's identity (checkpoint origin, signing key name); empty = derived on first"
        " start from PARLEY_PUBLIC_URL and a random suffix, then kept with the signing key",
    )
    public_url: str = env_field(
        "", help="the institution's public web address (names the audit log on first start)"
    )
    audit_batch_size: int = env_field(1000, help="events fetched and committed per transaction")
    audit_checkpoint_interval_s: float = env_field(
        0.5, help="how often a grown log gets a new signed checkpoint (seconds, < 1)"
    )
    audit_sqlite_sync: str = env_field(
        "FULL", help="SQLite synchronous mode of the log (FULL: a commit survives power loss)"
    )
    audit_instance: str = env_field(
        "1", help="1, 2 or 3: this audit process among sequencer and standbys (own log file)"
    )
    audit_key_file: Path | None = env_field(
        None, help="the log's signing key (0600); empty = <data dir>/audit/signing.key (shared "
                   "by the sequencer and its standbys)"
    )
    audit_lease_s: float = env_field(
        3.0, help="sequencer lease: a dead leader's standby takes over after about this long"
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.audit_origin:
            check_key_name(self.audit_origin)
        if not 1 <= self.audit_batch_size <= 10_000:
            raise ValueError("PARLEY_AUDIT_BATCH_SIZE must be between 1 and 10000")
        if not 0.05 <= self.audit_checkpoint_interval_s < 1.0:
            raise ValueError("PARLEY_AUDIT_CHECKPOINT_INTERVAL_S must be in [0.05, 1)")
        if self.audit_sqlite_sync not in ("FULL", "NORMAL"):
            raise ValueError("PARLEY_AUDIT_SQLITE_SYNC must be FULL or NORMAL")
        if self.audit_instance not in ("1", "2", "3"):  # infra/nats/accounts.conf grants these
            raise ValueError("PARLEY_AUDIT_INSTANCE must be 1, 2 or 3")
        if not 1.0 <= self.audit_lease_s <= 60.0:
            raise ValueError("PARLEY_AUDIT_LEASE_S must be in [1, 60]")

    @property
    def audit_dir(self) -> Path:
        return self.data_dir / "audit"

    @property
    def log_path(self) -> Path:
        # Instance 1 keeps the historical name; a standby beside it on one machine has its own.
        name = "log.db" if self.audit_instance == "1" else f"log-{self.audit_instance}.db"
        return self.audit_dir / name

    @property
    def key_path(self) -> Path:
        return self.audit_key_file or self.audit_dir / "signing.key"


async def _setup(ctx: ServiceContext[AuditConfig]) -> Cleanup | None:
    config = ctx.config
    config.audit_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    signer = load_or_create_signer(
        config.key_path, config.audit_origin,
        derive=lambda: derive_origin(config.public_url, socket.getfqdn()))
    store = LogStore.open(config.log_path, synchronous=config.audit_sqlite_sync)
    issuer = CheckpointIssuer(store, signer, verify_on_start=False)
    bucket = await patiently(lambda: ctx.js.key_value(AUDIT_LEADER_BUCKET),
                             what="the sequencer lease's bucket", patience_s=PATIENCE_S)
    lease = Lease(bucket, holder=f"audit-{config.audit_instance}", lease_s=config.audit_lease_s)
    checkpoints = CheckpointLoop(issuer, interval_s=config.audit_checkpoint_interval_s,
                                 may_sign=lease.valid)
    checkpoints.start_check()

    def health() -> tuple[bool, str]:
        # A log that refuses to sign is not healthy: operators must see it at /readyz.
        tamper = checkpoints.tamper
        return (True, "") if tamper is None else (False, "checkpoint signing refused: log tampered")

    ctx.health_check = health
    role = Role(ctx.nc, store, lease, checkpoints, signer.verifier,
                instance=config.audit_instance, batch=config.audit_batch_size,
                exit_process=lambda: os._exit(1))
    endpoints = AuditEndpoints(store, signer, checkpoints, ctx.audit,
                               lambda: role.intake.rejected if role.intake else 0,
                               copy=CopyFreshness(store, leads=lease.valid,
                                                  newest_signed=role.newest_signed,
                                                  adopt_newest=role.adopt_newest))
    await role.learn_newest()
    endpoints.register(ctx.host)
    log.info("audit log open", extra={"size": store.size, "origin": signer.name,
                                      "vkey": signer.verifier.vkey})
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_critical(role.run(stop), "sequencer")),
             asyncio.create_task(_summarise_tile_reads(endpoints, stop))]

    async def cleanup() -> None:
        stop.set()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 5.0)
        store.close()

    return cleanup


async def _summarise_tile_reads(endpoints: AuditEndpoints, stop: asyncio.Event) -> None:
    """Audit each tile-reading window's summary once its period is over (and all at stop)."""
    tick = endpoints.tile_reads.period_ms / 4000
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), tick)
        await endpoints.flush_tile_reads(endpoints.tile_reads.due(wall_ms()))
    await endpoints.flush_tile_reads(endpoints.tile_reads.drain())


async def _critical(job: Coroutine[Any, Any, None], name: str) -> None:
    """Run a background job; if it dies, the process exits so the supervisor restarts it.

    Exiting is safe: every batch is one SQLite transaction and unacknowledged events are
    redelivered, so a restart resumes exactly where the last commit left off.
    """
    try:
        await job
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # any failure of a loop the log depends on: restart the process
        note_failure(log, f"audit.{name}", exc, level=logging.CRITICAL)
        log.exception("audit %s loop failed: exiting for a restart", name)
        os._exit(1)


async def serve(config: AuditConfig) -> None:
    await serve_service("audit", config, _setup)
