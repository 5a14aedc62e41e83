"""A resumable upload's expiry is counted from the injected clock in epoch milliseconds, the same
on every host whatever its time zone (services/evidence/upload_decisions.py): here on a host whose
zone counts leap seconds, where a `datetime` made from those milliseconds is 27 s off."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client

from parley.auditpub import AuditPublisher
from proto.principal import Principal, PrincipalKind
from services.evidence.decisions import Evidence
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.roster import RosterReader
from services.evidence.staging import StagedUploads
from services.evidence.store.local import LocalFolderStore
from services.evidence.tickets import TicketBook
from services.evidence.upload_decisions import AppendGrant, ResumableUploads
from services.evidence.vault import Limits, Vault

SEG = 4096
#: The clocks the upload is created and appended at (epoch ms) and its idle time.
CREATED_MS, APPENDED_MS, IDLE_S = 1_790_000_000_123, 1_790_000_042_456, 3600.0
UPLOADER = Principal(kind=PrincipalKind.ACCOUNT, id="pa", session="s1")
LEAP_ZONE = "right/Asia/Hong_Kong"


@pytest.fixture
def leap_second_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is one counting leap seconds (as some hosts are set up)."""
    if not Path("/usr/share/zoneinfo", LEAP_ZONE).is_file():
        pytest.skip(f"the host has no {LEAP_ZONE} zone")
    monkeypatch.setenv("TZ", LEAP_ZONE)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


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
