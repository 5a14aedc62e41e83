"""The evidence service process: its NATS endpoints, internal HTTP port and sweeper."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from aiohttp import web

from parley.failures import handled
from parley.service import Cleanup, ServiceContext, serve_service
from proto.evidence import (
    DocumentRequest,
    DownloadBeginRequest,
    ListDocumentsRequest,
    ReleaseRequest,
    RotateRequest,
    ShredRequest,
    UploadBeginRequest,
)
from services.evidence.backend import open_key_store, open_store
from services.evidence.config import EvidenceConfig
from services.evidence.decisions import Evidence
from services.evidence.internal_http import internal_app
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.roster import RosterReader
from services.evidence.sweeper import run_sweeper, sweep_store
from services.evidence.tickets import DownloadGrant, TicketBook, UploadGrant
from services.evidence.vault import Limits, Vault, now_ms

log = logging.getLogger("parley.evidence")
READ_BUFSIZE = 1 << 20


async def _setup(ctx: ServiceContext[EvidenceConfig]) -> Cleanup | None:
    config = ctx.config
    store = await open_store(config)
    key_store = await open_key_store(config)
    keys = LocalKeyFileProvider.load_or_create(config.master_key_path)
    vault = Vault(store, keys, key_store=key_store, limits=Limits(
        max_document_size=config.evidence_max_document_bytes,
        max_documents_per_hearing=config.evidence_max_documents_per_hearing))
    ttl_ms = int(config.evidence_ticket_ttl_s * 1000)
    base_url = [config.evidence_http_advertise.rstrip("/")]
    evidence = Evidence(vault, RosterReader(ctx.js), ctx.audit,
                        uploads=TicketBook[UploadGrant](ttl_ms),
                        downloads=TicketBook[DownloadGrant](ttl_ms),
                        base_url=lambda: base_url[0], clock=now_ms)

    # Large read buffers: fewer, bigger chunks per document (less per-chunk overhead).
    runner = web.AppRunner(internal_app(evidence, now_ms), access_log=None,
                           handler_cancellation=True, read_bufsize=READ_BUFSIZE)
    await runner.setup()
    site = web.TCPSite(runner, config.evidence_http_host, config.evidence_http_port)
    await site.start()
    if not base_url[0]:
        host, port = runner.addresses[0][:2]
        base_url[0] = f"http://{host}:{port}"
    log.info("internal byte port listening", extra={"url": base_url[0]})

    host = ctx.host
    host.endpoint("upload.begin", UploadBeginRequest, evidence.upload_begin)
    host.endpoint("list", ListDocumentsRequest, evidence.list)
    host.endpoint("get", DocumentRequest, evidence.get)
    host.endpoint("download.begin", DownloadBeginRequest, evidence.download_begin)
    host.endpoint("release", ReleaseRequest, evidence.release)
    host.endpoint("shred", ShredRequest, evidence.shred)
    host.endpoint("rotate", RotateRequest, evidence.rotate)

    max_age = timedelta(seconds=config.evidence_sweep_max_age_s)
    with handled(log, "evidence.sweep.first"):  # at start: a crash's leftovers go soon
        await sweep_store(store, datetime.now(UTC) - max_age)
    stop = asyncio.Event()
    sweeper = asyncio.create_task(run_sweeper(
        store, max_age=max_age, interval=timedelta(seconds=config.evidence_sweep_interval_s),
        stop=stop))

    async def cleanup() -> None:
        stop.set()
        await sweeper
        await runner.cleanup()
        await store.close()
        if key_store is not None:
            await key_store.close()

    return cleanup


async def serve(config: EvidenceConfig) -> None:
    await serve_service("evidence", config, _setup)
