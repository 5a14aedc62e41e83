"""A resumable upload's expiry is counted from the injected clock in epoch milliseconds, the same
on every host whatever its time zone (services/evidence/upload_decisions.py): here on a host whose
zone counts leap seconds, where a `datetime` made from those milliseconds is 27 s off. So are the
local store's file times (an upload's last activity, which its status's expiry counts from) and
the sweeper's cut-offs (services/evidence/store/base.py): integers from the kernel's clock and
the injected one, never turned through a `datetime`."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.client import Client

from parley.auditpub import AuditPublisher
from parley.instants import now_ms
from proto.principal import Principal, PrincipalKind
from services.evidence.decisions import Evidence
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.resumable import RECORD, upload_prefix
from services.evidence.roster import RosterReader
from services.evidence.staging import StagedUploads
from services.evidence.store.base import one_chunk
from services.evidence.store.local import LocalFolderStore
from services.evidence.sweeper import run_sweeper
from services.evidence.tickets import TicketBook
from services.evidence.upload_decisions import AppendGrant, ResumableUploads
from services.evidence.vault import Limits, Vault
from tests.harness import wait_until

SEG = 4096
#: The clocks the upload is created and appended at (epoch ms) and its idle time.
CREATED_MS, APPENDED_MS, IDLE_S = 1_790_000_000_123, 1_790_000_042_456, 3600.0
UPLOADER = Principal(kind=PrincipalKind.ACCOUNT, id="pa", session="s1")


@pytest.fixture
async def uploads(tmp_path: Path) -> AsyncIterator[ResumableUploads]:
    """Real staging on a local folder; the NATS parts (roster, audit) are never reached by an
    append that does not finish the upload, so their client is never connected."""
    store = LocalFolderStore(tmp_path / "store")
    vault = Vault(store, LocalKeyFileProvider.load_or_create(tmp_path / "master.key"),
                  limits=Limits(max_document_size=1 << 20, max_documents_per_hearing=6,
                                segment_size=SEG))
    js = Client().jetstream()
    evidence = Evidence(vault, RosterReader(js), AuditPublisher(js, "evidence"),
                        uploads=TicketBook(60_000), downloads=TicketBook(60_000),
                        base_url=lambda: "http://evidence.invalid", clock=lambda: APPENDED_MS)
    yield ResumableUploads(evidence, StagedUploads(vault, max_per_hearing=5,
                                                   clock=lambda: CREATED_MS),
                           appends=TicketBook(60_000), idle_s=IDLE_S)
    await store.close()


async def test_an_uploads_expiry_is_its_clock_plus_the_idle_time_in_any_zone(
        leap_second_zone: None, uploads: ResumableUploads) -> None:
    record = await uploads.staged.create(
        hearing="h1", compartment="side:A", filename="brief.pdf", length=2 * SEG,
        content_type="application/pdf", owner="side:A", principal=UPLOADER)
    assert record.created_ms == CREATED_MS
    # what creation answers
    created = uploads.view(record, [], record.created_ms)
    assert created.expires_ms == CREATED_MS + int(IDLE_S * 1000)

    async def one_segment() -> AsyncIterator[bytes]:
        yield os.urandom(SEG)

    appended = await uploads.receive(AppendGrant(UPLOADER, "h1", record.upload, 0),
                                     one_segment())
    assert appended.document is None and appended.upload.offset == SEG
    assert appended.upload.expires_ms == APPENDED_MS + int(IDLE_S * 1000)


#: Within this of the true time; a zone's leap seconds would put a time 27 s off.
CLOSE_MS = 5_000


async def test_an_uploads_status_expiry_counts_from_its_files_time_in_any_zone(
        leap_second_zone: None, uploads: ResumableUploads, tmp_path: Path) -> None:
    """What `upload.status` answers: the last activity is the record file's mtime as is."""
    record = await uploads.staged.create(
        hearing="h1", compartment="side:A", filename="brief.pdf", length=2 * SEG,
        content_type="application/pdf", owner="side:A", principal=UPLOADER)
    _, parts, last_ms = await uploads.staged.open("h1", record.upload, UPLOADER)
    path = tmp_path / "store" / "objects" / (upload_prefix("h1", record.upload) + RECORD)
    assert last_ms == path.stat().st_mtime_ns // 1_000_000
    assert abs(last_ms - time.time_ns() // 1_000_000) < CLOSE_MS
    assert uploads.view(record, parts, last_ms).expires_ms == last_ms + int(IDLE_S * 1000)


def aged(path: Path, age_ms: int) -> None:
    """Set a file's times `age_ms` back from now, in nanoseconds (no `datetime` either)."""
    when = time.time_ns() - age_ms * 1_000_000
    os.utime(path, ns=(when, when))


async def test_the_sweeper_cuts_at_the_injected_clock_in_any_zone(
        leap_second_zone: None, tmp_path: Path) -> None:
    """Ten seconds' age is ten seconds: a leftover and an upload idle that long go at a cut-off
    of five, and ones idle two seconds stay (a 27 s error either way fails one of them)."""
    store = LocalFolderStore(tmp_path / "store")
    staging = tmp_path / "store" / "staging"
    (staging / "old.tmp").write_bytes(b"half a put")
    (staging / "young.tmp").write_bytes(b"half a put")
    aged(staging / "old.tmp", 10_000)
    aged(staging / "young.tmp", 2_000)
    for upload, age_ms in (("idle", 10_000), ("busy", 2_000)):
        for name in (RECORD, "part-0"):
            key = upload_prefix("h1", upload) + name
            info = await store.put(key, one_chunk(b"x"))
            assert abs(info.modified_ms - now_ms()) < CLOSE_MS
            aged(tmp_path / "store" / "objects" / key, age_ms)
    ages = {"idle": 10_000, "busy": 2_000}
    for info in await store.list("uploads/"):
        assert abs(now_ms() - info.modified_ms - ages[info.key.split("/")[2]]) < 1_000

    # the service's sweeper on the service's clock, until the ten-second-old things are gone
    stop = asyncio.Event()
    sweeper = asyncio.create_task(run_sweeper(store, clock=now_ms, max_age_ms=5_000,
                                              interval_s=0.05, upload_idle_ms=5_000, stop=stop))

    async def swept() -> bool:
        return not (staging / "old.tmp").exists() and {
            i.key.split("/")[2] for i in await store.list("uploads/")} == {"busy"}
    try:
        await wait_until(swept, timeout=2, what="the ten-second-old leftover and upload swept")
    finally:
        stop.set()
        await sweeper
    assert sorted(p.name for p in staging.iterdir()) == ["young.tmp"]
    await store.close()
