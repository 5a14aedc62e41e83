"""Intake on a real nats-server with the real audit process: crashes, downtime, duplicates,
rebuild from the stream, malformed messages, and tampering with the SQLite file."""

from __future__ import annotations

import asyncio
import base64
import os
import sqlite3

from proto.audit import AuditEvent, encode_event
from proto.auditlog import (
    AuditStatus,
    CheckpointInfo,
    ConsistencyProof,
    ConsistencyRequest,
    EventPage,
    EventQuery,
    NoArguments,
)
from proto.health import Health
from services.audit.hasher import RFC6962
from services.audit.verify import verify_consistency
from tests.harness import wait_until
from tests.integration.audit.conftest import AuditWorld, log_db, make_event

CHECKPOINT = NoArguments()


async def _publish_all(world: AuditWorld, events: list[AuditEvent], concurrency: int = 50) -> None:
    js = world.publisher.jetstream()
    for start in range(0, len(events), concurrency):
        await asyncio.gather(*(
            js.publish("parley.v1.audit.event.supervisor", encode_event(e),
                       headers={"Nats-Msg-Id": e.id})
            for e in events[start:start + concurrency]))


async def _signed_size(world: AuditWorld, at_least: int) -> CheckpointInfo:
    async def reached() -> CheckpointInfo | None:
        info: CheckpointInfo = await world.call("checkpoint", CHECKPOINT, CheckpointInfo)
        return info if info.size >= at_least else None

    return await wait_until(reached, timeout=20, interval=0.1, what=f"a checkpoint >= {at_least}")


def _exactly_once(world: AuditWorld, ids: set[str]) -> None:
    logged = [i for i in world.logged_ids() if not i.startswith(("0", "1"))]  # skip ULIDs of reads
    assert len(logged) == len(set(logged)), "an event was logged twice"
    assert set(logged) == ids


async def test_kill9_mid_ingest_logs_every_event_exactly_once(world: AuditWorld) -> None:
    events = [make_event(i) for i in range(6000)]
    ids = {e.id for e in events}
    proc = world.start_audit(PARLEY_AUDIT_BATCH_SIZE="200")
    publishing = asyncio.create_task(_publish_all(world, events))

    async def partly() -> bool:
        return 200 <= len(world.logged_ids()) < len(events)

    await wait_until(partly, timeout=30, interval=0.02, what="ingest under way")
    proc.kill9()  # mid-ingest: some batches committed, some not yet acknowledged
    await publishing
    world.start_audit()
    await world.wait_logged(ids, timeout=60)
    _exactly_once(world, ids)


async def test_down_while_publishing_catches_up_with_none_lost(world: AuditWorld) -> None:
    first = [make_event(i) for i in range(100)]
    later = [make_event(i) for i in range(100, 600)]
    world.start_audit()
    await _publish_all(world, first)
    await world.wait_logged({e.id for e in first})
    world.process.stop()
    await _publish_all(world, later)  # the stream keeps them while audit is down
    world.start_audit()
    await world.wait_logged({e.id for e in first + later})
    _exactly_once(world, {e.id for e in first + later})


async def test_same_event_id_is_one_entry(world: AuditWorld) -> None:
    event = make_event(1)
    world.start_audit()
    js = world.publisher.jetstream()
    payload = encode_event(event)
    await js.publish("parley.v1.audit.event.supervisor", payload, headers={"Nats-Msg-Id": event.id})
    await js.publish("parley.v1.audit.event.supervisor", payload, headers={"Nats-Msg-Id": event.id})
    # Past the stream's duplicate window (another message id): the log's own dedup must hold.
    await js.publish("parley.v1.audit.event.supervisor", payload, headers={"Nats-Msg-Id": "other-1"})
    await js.publish("parley.v1.audit.event.supervisor", payload)
    marker = make_event(2)
    await world.publish(marker)
    await world.wait_logged({event.id, marker.id})
    assert world.logged_ids() == [event.id, marker.id]
    info = await world.publisher.jetstream().stream_info("AUDIT")
    assert info.state.messages == 4  # the stream holds three copies; the log one entry


async def test_malformed_message_becomes_a_rejection_entry(world: AuditWorld) -> None:
    world.start_audit()
    await world.publisher.jetstream().publish("parley.v1.audit.event.supervisor", b'{"id": "x"}')
    good = make_event(7)
    await world.publish(good)
    await world.wait_logged({good.id})
    ids = world.logged_ids()
    assert ids[0].startswith("rejected-") and ids[1] == good.id
    page: EventPage = await world.call("events", EventQuery(action="audit.intake_rejected"), EventPage)
    assert len(page.events) == 1 and "not an audit event" in page.events[0].entry
    status: AuditStatus = await world.status()
    assert status.rejected == 1


async def test_log_deleted_is_rebuilt_from_the_stream_to_the_signed_tree(world: AuditWorld) -> None:
    events = [make_event(i) for i in range(300)]
    world.start_audit()
    await _publish_all(world, events)
    await world.wait_logged({e.id for e in events})
    before = await _signed_size(world, 300)
    world.process.stop()
    for suffix in ("", "-wal", "-shm"):
        path = log_db(world).with_name("log.db" + suffix)
        if path.exists():
            path.unlink()
    world.start_audit()
    after = await _signed_size(world, before.size)
    # The rebuilt log proves the checkpoint signed before the loss is a prefix of the new one.
    proof: ConsistencyProof = await world.call(
        "consistency", ConsistencyRequest(first=before.size, second=after.size), ConsistencyProof)
    verify_consistency(RFC6962, before.size, after.size, base64.b64decode(before.root),
                       base64.b64decode(after.root), [base64.b64decode(h) for h in proof.hashes])
    assert after.size >= before.size


async def test_row_changed_in_sqlite_is_detected_and_signing_stops(world: AuditWorld) -> None:
    events = [make_event(i) for i in range(40)]
    world.start_audit()
    await _publish_all(world, events)
    await world.wait_logged({e.id for e in events})
    signed = await _signed_size(world, 40)
    conn = sqlite3.connect(log_db(world))
    conn.execute("UPDATE entries SET entry = replace(entry, 'doc3', 'doc9') WHERE idx = 3")
    conn.commit()
    conn.close()
    await world.publish(make_event(1000))

    async def refused() -> AuditStatus | None:
        status: AuditStatus = await world.status()
        return status if status.signing == "refused" else None

    status = await wait_until(refused, timeout=10, interval=0.1, what="signing refused")
    assert status.tamper and "3" in status.tamper
    await world.publish(make_event(1001))
    await world.wait_logged({"e00001001"})
    # Reads go on; no checkpoint covers anything after the tampering.
    info: CheckpointInfo = await world.call("checkpoint", CHECKPOINT, CheckpointInfo)
    assert info.size <= max(signed.size, status.checkpoint_size)
    assert (await world.status()).size > info.size
    assert "TAMPERING DETECTED" in world.process.log()
    health: Health = await world.call("health", CHECKPOINT, Health)  # what /readyz shows
    assert health.status == "unavailable" and "tampered" in health.detail
    key_file = world.server.data_dir / "audit" / "signing.key"
    assert os.stat(key_file).st_mode & 0o777 == 0o600
