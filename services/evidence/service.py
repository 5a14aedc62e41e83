"""The evidence service process: its NATS endpoints, internal HTTP port and sweeper, and the
roster announcements it follows to shred destroyed documents at once (retention_shred.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiohttp import web
from nats.aio.msg import Msg

from parley.failures import handled
from parley.instants import now_ms
from parley.service import Cleanup, ServiceContext, serve_service
from proto.evidence import (
    DocumentRequest,
    DownloadBeginRequest,
    ListDocumentsRequest,
    ReleaseRequest,
    RotateRequest,
    ShredRequest,
    UploadAppendRequest,
    UploadBeginRequest,
    UploadCreateRequest,
    UploadRef,
    VersionsRequest,
    unix_url,
)
from proto.handoff import handoff_socket
from proto.signalling import changed_subject
from services.evidence.backend import open_key_store, open_store
from services.evidence.config import EvidenceConfig
from services.evidence.decisions import Evidence
from services.evidence.handoff import HandoffServer
from services.evidence.internal_http import internal_app
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.range_pump import PumpThreads
from services.evidence.retention_shred import RetentionShredder
from services.evidence.roster import RosterReader
from services.evidence.staging import StagedUploads
from services.evidence.sweeper import run_sweeper
from services.evidence.tickets import DownloadGrant, TicketBook, UploadGrant
from services.evidence.upload_decisions import AppendGrant, ResumableUploads
from services.evidence.vault import Limits, Vault

log = logging.getLogger("parley.evidence")
READ_BUFSIZE = 1 << 20


def _server_tls(config: EvidenceConfig) -> ssl.SSLContext | None:
    if config.evidence_http_tls_cert is None or config.evidence_http_tls_key is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(config.evidence_http_tls_cert, config.evidence_http_tls_key)
    return context


def _remove_socket(path: Path) -> None:
    """Unlink the socket at `path`, if one is there (never another kind of file)."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(path.lstat().st_mode):
            path.unlink()


def _clear_socket_path(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_socket(path)  # a socket left by a crashed run


async def _serve_unix(runner: web.AppRunner, path: Path) -> None:
    """The byte port on a Unix socket only evidence's user may connect to: the socket is made
    under a 0177 umask (0600), so it is never briefly wider (a missing folder is made 0700)."""
    _clear_socket_path(path)  # at start-up: nothing else runs yet
    previous = os.umask(0o177)
    try:
        await web.UnixSite(runner, str(path)).start()
    finally:
        os.umask(previous)


async def _serve_handoff(evidence: Evidence, path: Path,
                         pumps: PumpThreads) -> HandoffServer | None:
    """Downloads written onto the co-located gateway's client connections (handoff.py). A
    path too long for a socket address leaves the gateway's relay in use: it is optional."""
    _clear_socket_path(path)
    server = HandoffServer(evidence, now_ms, pumps)
    try:
        await server.start(path)
    except OSError as exc:
        log.warning("download hand-off not served; the gateway relays downloads",
                    extra={"error": exc.strerror or str(exc)})
        return None
    return server


async def _setup(ctx: ServiceContext[EvidenceConfig]) -> Cleanup | None:
    config = ctx.config
    store = await open_store(config)
    key_store = await open_key_store(config)
    keys = LocalKeyFileProvider.load_or_create(config.master_key_path)
    max_age_ms = int(config.evidence_sweep_max_age_s * 1000)  # also bounds a commit (vault.py)
    vault = Vault(store, keys, key_store=key_store, limits=Limits(
        max_document_size=config.evidence_max_document_bytes,
        max_documents_per_hearing=config.evidence_max_documents_per_hearing,
        commit_within_ms=max_age_ms // 2))
    ttl_ms = int(config.evidence_ticket_ttl_s * 1000)
    base_url = [config.evidence_http_advertise.rstrip("/")]
    evidence = Evidence(vault, RosterReader(ctx.js), ctx.audit,
                        uploads=TicketBook[UploadGrant](ttl_ms),
                        downloads=TicketBook[DownloadGrant](ttl_ms),
                        base_url=lambda: base_url[0], clock=now_ms)

    uploads = ResumableUploads(
        evidence, StagedUploads(vault, max_per_hearing=config.evidence_max_uploads_per_hearing,
                                clock=now_ms),
        appends=TicketBook[AppendGrant](ttl_ms), idle_s=config.evidence_upload_idle_s)

    # Large read buffers: fewer, bigger chunks per document (less per-chunk overhead).
    # Downloads are written from threads of their own (delivery.py, range_pump.py): a sender and
    # an opener each, held while the reader keeps up; the default pool serves every other file
    # read of the process.
    pumps = PumpThreads(
        send=ThreadPoolExecutor(max_workers=8, thread_name_prefix="evidence-send"),
        open=ThreadPoolExecutor(max_workers=8, thread_name_prefix="evidence-open"))
    runner = web.AppRunner(internal_app(evidence, now_ms, uploads=uploads, pumps=pumps),
                           access_log=None,
                           handler_cancellation=True, read_bufsize=READ_BUFSIZE)
    await runner.setup()
    tls = _server_tls(config)
    handoff: HandoffServer | None = None
    if config.evidence_http_socket is not None:
        await _serve_unix(runner, config.evidence_http_socket)
        if not base_url[0]:
            base_url[0] = unix_url(str(config.evidence_http_socket))
        handoff = await _serve_handoff(evidence, Path(handoff_socket(
            str(config.evidence_http_socket))), pumps)
    else:
        site = web.TCPSite(runner, config.evidence_http_host, config.evidence_http_port,
                           ssl_context=tls)
        await site.start()
        if not base_url[0]:
            host, port = runner.addresses[0][:2]
            base_url[0] = f"{'https' if tls else 'http'}://{host}:{port}"
    log.info("internal byte port listening", extra={"url": base_url[0]})

    host = ctx.host
    host.endpoint("upload.begin", UploadBeginRequest, evidence.upload_begin)
    host.endpoint("upload.create", UploadCreateRequest, uploads.create)
    host.endpoint("upload.status", UploadRef, uploads.status)
    host.endpoint("upload.append", UploadAppendRequest, uploads.append)
    host.endpoint("upload.cancel", UploadRef, uploads.cancel)
    host.endpoint("list", ListDocumentsRequest, evidence.list)
    host.endpoint("get", DocumentRequest, evidence.get)
    host.endpoint("versions", VersionsRequest, evidence.versions)
    host.endpoint("download.begin", DownloadBeginRequest, evidence.download_begin)
    host.endpoint("release", ReleaseRequest, evidence.release)
    host.endpoint("shred", ShredRequest, evidence.shred)
    host.endpoint("rotate", RotateRequest, evidence.rotate)

    stop = asyncio.Event()
    shredder = RetentionShredder(vault, RosterReader(ctx.js), ctx.audit)

    async def announced(msg: Msg) -> None:  # parley.v1.hearing.<H>.changed
        shredder.learned(msg.subject.split(".")[-2])

    changes = await ctx.nc.subscribe(changed_subject("*"), cb=announced)
    sweeper = asyncio.create_task(run_sweeper(
        store, clock=now_ms, max_age_ms=max_age_ms, interval_s=config.evidence_sweep_interval_s,
        upload_idle_ms=int(config.evidence_upload_idle_s * 1000), stop=stop,
        shred=shredder.pass_once))  # its first pass at once: a crash's leftovers go soon

    async def cleanup() -> None:
        stop.set()
        with handled(log, "evidence.changes.unsubscribe", level=logging.DEBUG):
            await changes.unsubscribe()
        await shredder.stop()
        await sweeper
        await runner.cleanup()
        if handoff is not None:
            await handoff.close()
        for pool in (pumps.send, pumps.open):
            pool.shutdown(wait=False, cancel_futures=True)
        if config.evidence_http_socket is not None:
            # A stopped suite leaves no socket file: its data directory is copied as it is for
            # a backup (docs/operations.md), and a copy tool may refuse a socket.
            _remove_socket(config.evidence_http_socket)
            _remove_socket(Path(handoff_socket(str(config.evidence_http_socket))))
        await store.close()
        if key_store is not None:
            await key_store.close()

    return cleanup


async def serve(config: EvidenceConfig) -> None:
    await serve_service("evidence", config, _setup)
