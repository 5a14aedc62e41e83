"""The institution's document retention period over the real suite (`parley up`, a real
nats-server, the local store): an ended hearing's kept documents are crypto-shredded once the
period has passed since its end, by the system, audited as its own entry; the detail says until
when they are kept, then when they went; a hearing not ended keeps its documents, and later
sweeps (signalling's and evidence's) decide and shred nothing again.

The period is a few seconds here: `PARLEY_DOCUMENT_RETENTION_DAYS` takes fractions of a day
(services/signalling/config.py), and evidence's sweep runs every half second."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.evidence.keys import decode_record
from services.signalling.retention import DAY_MS
from tests.harness import Suite, wait_until
from tests.people import People, Staff, staff_people

PERIOD_S = 6.0
PERIOD_MS = round(PERIOD_S / 86400 * DAY_MS)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("suite") / "data", extra_env={
        "PARLEY_DOCUMENT_RETENTION_DAYS": repr(PERIOD_S / 86400),
        "PARLEY_EVIDENCE_SWEEP_INTERVAL_S": "0.5"})
    running.start()
    yield running
    running.stop()


@pytest.fixture
async def people(suite: Suite) -> People:
    await suite.ready()
    return await staff_people(suite)


async def _hearing_with_a_document(med: Staff, title: str) -> tuple[str, str]:
    status, hearing = await med.call("POST", "/api/v1/hearings", {"title": title})
    assert status == 201, hearing
    status, body = await med.call("POST", f"/api/v1/hearings/{hearing['id']}/open", {})
    assert status == 200, body
    async with med.session() as http, http.post(
            f"/api/v1/hearings/{hearing['id']}/documents", data=b"settlement draft " + title.encode(),
            headers={"Parley-Filename": "draft.txt", "Parley-Compartment": "joint"}) as r:
        assert r.status == 201, await r.text()
        document = (await r.json())["document"]
    return hearing["id"], document


async def _content(med: Staff, hearing: str, document: str) -> int:
    async with med.session() as http, \
            http.get(f"/api/v1/hearings/{hearing}/documents/{document}/content") as r:
        await r.read()
        return r.status


async def _events(auditor: Staff, hearing: str) -> list[dict[str, Any]]:
    status, page = await auditor.call("GET", f"/api/v1/audit/events?hearing={hearing}&limit=1000")
    assert status == 200, page
    return [json.loads(row["entry"]) for row in page["events"]]


def _stored(suite: Suite, hearing: str) -> list[Path]:
    """The local store's objects of this hearing (its documents and its key record)."""
    store = suite.data_dir / "evidence" / "store"
    return [p for p in store.rglob("*") if p.is_file() and hearing in str(p.relative_to(store))]


async def test_kept_documents_go_once_the_retention_period_has_passed(
        suite: Suite, people: People) -> None:
    med = people.mediator
    ended, document = await _hearing_with_a_document(med, "Kept for a while")
    running, other = await _hearing_with_a_document(med, "Still running")
    status, detail = await med.call("GET", f"/api/v1/hearings/{running}")
    assert status == 200 and detail["document_retention_days"] == pytest.approx(PERIOD_S / 86400)
    assert detail["documents_kept_until"] is None  # not ended: nothing to count from

    status, closed = await med.call("POST", f"/api/v1/hearings/{ended}/close",
                                    {"destroy_documents": False})
    assert status == 200 and closed["documents_destroyed"] is False, closed
    status, detail = await med.call("GET", f"/api/v1/hearings/{ended}")
    assert status == 200, detail
    assert detail["documents_kept_until"] == detail["ended_at"] + PERIOD_MS
    assert detail["documents_destroyed"] is False and detail["documents_destroyed_at"] is None
    assert await _content(med, ended, document) == 200  # kept: still readable for now
    key_record = [p for p in _stored(suite, ended) if p.parent.name == "keys"]
    assert key_record, _stored(suite, ended)

    async def destroyed() -> dict[str, Any] | None:
        status, found = await med.call("GET", f"/api/v1/hearings/{ended}")
        assert status == 200, found
        return found if found["documents_destroyed"] else None

    detail = await wait_until(destroyed, timeout=30, what="documents destroyed")
    assert detail["documents_destroyed_at"] >= detail["ended_at"] + PERIOD_MS
    assert detail["documents_kept_until"] is None

    async def shredded() -> list[dict[str, Any]] | None:
        events = await _events(people.auditor, ended)
        return events if any(e["action"] == "document.shred" for e in events) else None

    events = await wait_until(shredded, timeout=30, what="the hearing key shredded")
    assert await _content(med, ended, document) == 404
    status, listing = await med.call("GET", f"/api/v1/hearings/{ended}/documents")
    assert status == 200 and listing["documents"] == [], listing
    # Crypto-shredding: the content and manifest are gone, the key record is a tombstone.
    # The key's tombstone is what the audit entry records; the files go just after it.
    async def only_the_key_left() -> bool:
        return [p.parent.name for p in _stored(suite, ended)] == ["keys"]

    with contextlib.suppress(TimeoutError):
        await wait_until(only_the_key_left, timeout=30, what="the files removed")
    left = _stored(suite, ended)
    assert [p.parent.name for p in left] == ["keys"], left
    tombstone = decode_record(left[0].read_bytes())
    assert tombstone.wrapped is None and tombstone.shredded_ms is not None

    # Later sweeps of both services decide and shred nothing again.
    await asyncio.sleep(3)
    events = await _events(people.auditor, ended)
    decided = [e for e in events if e["action"] == "hearing.retention_expired"]
    swept = [e for e in events if e["action"] == "document.shred"]
    assert len(decided) == 1 and len(swept) == 1, [e["action"] for e in events]
    assert decided[0]["actor"] == {"id": "signalling", "kind": "system"}, decided[0]
    assert decided[0]["details"] == {"ended_at": detail["ended_at"],
                                     "retention_days": pytest.approx(PERIOD_S / 86400)}
    assert swept[0]["actor"] == {"id": "evidence", "kind": "system"}, swept[0]
    assert swept[0]["details"] == {"swept": True}

    # A hearing that has not ended keeps its documents whatever the period.
    assert await _content(med, running, other) == 200
