"""Destroyed documents are shredded as soon as evidence learns of it, by one audit entry, with
two evidence processes (the real suite, a real nats-server, plus a second evidence process on
the same store and master key).

Signalling decides that an ended hearing's retention period has passed and says so in the
roster; it announces the change (`parley.v1.hearing.<H>.changed`). Each evidence process
follows the announcement (services/evidence/retention_shred.py) and shreds the hearing after a
short grace, instead of at its next sweep: here the sweep runs once an hour, so only the
announcement can be why. Both processes race to do it; the audit log holds one
`document.shred` (the system's event has one id per hearing).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.evidence.retention_shred import GRACE_S
from tests.harness import ServiceProcess, Suite, wait_until
from tests.integration.evidence.test_evidence_retention import _hearing_with_a_document
from tests.people import People, Staff, staff_people

PERIOD_S = 4.0
NO_SWEEP = {"PARLEY_EVIDENCE_SWEEP_INTERVAL_S": "3600"}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("shredsuite") / "data", extra_env={
        "PARLEY_DOCUMENT_RETENTION_DAYS": repr(PERIOD_S / 86400), **NO_SWEEP})
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def second_evidence(suite: Suite) -> Iterator[Path]:
    """Another evidence process of the same suite (its own byte-port socket); its socket path."""
    socket = suite.data_dir / "run" / "evidence-2-http.sock"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(PARLEY_DATA_DIR=str(suite.data_dir),
               PARLEY_NATS_URL=f"nats://127.0.0.1:{suite.nats_port}",
               PARLEY_NATS_CREDENTIALS=str(suite.data_dir / "nats" / "credentials"
                                           / "evidence.json"),
               PARLEY_EVIDENCE_HTTP_SOCKET=str(socket), PYTHONUNBUFFERED="1", **NO_SWEEP)
    process = ServiceProcess("services.evidence", env, suite.data_dir.parent / "evidence-2.log")
    process.start()
    yield socket
    process.stop()


@pytest.fixture
async def people(suite: Suite, second_evidence: Path) -> People:
    await suite.ready()

    async def serving() -> bool:
        return second_evidence.exists()

    await wait_until(serving, timeout=90, what="the second evidence process")
    return await staff_people(suite)


async def _events(auditor: Staff, hearing: str) -> list[dict[str, Any]]:
    status, page = await auditor.call("GET", f"/api/v1/audit/events?hearing={hearing}&limit=1000")
    assert status == 200, page
    return [json.loads(row["entry"]) for row in page["events"]]


@pytest.mark.timeout(300)  # two evidence processes and a retention period to wait out
async def test_destroyed_documents_are_shredded_on_the_roster_change_and_audited_once(
        suite: Suite, people: People) -> None:
    med = people.mediator
    hearing, document = await _hearing_with_a_document(med, "Kept a little while")
    status, closed = await med.call("POST", f"/api/v1/hearings/{hearing}/close",
                                    {"destroy_documents": False})
    assert status == 200 and closed["documents_destroyed"] is False, closed

    async def destroyed() -> dict[str, Any] | None:
        status, found = await med.call("GET", f"/api/v1/hearings/{hearing}")
        assert status == 200, found
        return found if found["documents_destroyed"] else None

    detail = await wait_until(destroyed, timeout=60, what="signalling's retention decision")

    async def shredded() -> list[dict[str, Any]] | None:
        events = await _events(people.auditor, hearing)
        return events if any(e["action"] == "document.shred" for e in events) else None

    events = await wait_until(shredded, timeout=60, what="the documents shredded")
    shred = next(e for e in events if e["action"] == "document.shred")
    assert shred["actor"] == {"id": "evidence", "kind": "system"}, shred
    # Soon after the decision (the sweep would have waited an hour).
    assert shred["time"] - detail["documents_destroyed_at"] < (GRACE_S + 30) * 1000, (
        shred, detail)
    async with med.session() as http, \
            http.get(f"/api/v1/hearings/{hearing}/documents/{document}/content") as r:
        assert r.status == 404
    store = suite.data_dir / "evidence" / "store"

    async def only_the_tombstone() -> bool:  # recorded first, then the objects go
        left = [p for p in store.rglob("*") if p.is_file() and hearing in str(p.relative_to(store))]
        return [p.parent.name for p in left] == ["keys"]

    await wait_until(only_the_tombstone, timeout=30, what="the hearing's objects deleted")

    # Both processes followed the announcement; one entry, however many recorded it.
    await asyncio.sleep(GRACE_S)
    events = await _events(people.auditor, hearing)
    assert [e["action"] for e in events].count("document.shred") == 1, events
