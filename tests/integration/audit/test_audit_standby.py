"""The audit sequencer and its standby, as two real processes on one real nats-server.

The leader is killed with -9 while events are being published: the standby takes over (the
time is measured and printed), every acknowledged event is in its log exactly once, the old
leader's last published checkpoint is proved consistent with the new leader's checkpoints
(RFC 9162 consistency proof, served by the new leader), and reads are answered throughout.
"""

from __future__ import annotations

import asyncio
import base64
import sqlite3
import time
from pathlib import Path
from typing import Any

import msgspec
import pytest

from parley.errors import ServiceFailure
from parley.provision import AUDIT_LEADER_BUCKET, Provisioning, provision
from proto.auditlog import AuditStatus, CheckpointInfo, ConsistencyProof, ConsistencyRequest, NoArguments
from proto.errors import ErrorCode
from services.audit.checkpoint import open_checkpoint
from services.audit.hasher import RFC6962
from services.audit.keys import load_or_create_signer
from services.audit.leadership import LEASE_KEY, LeaseValue
from services.audit.verify import verify_consistency
from tests.harness import ServiceProcess, wait_until
from tests.integration.audit.conftest import ORIGIN, AuditWorld, make_event

LEASE_S = 1.0


def _ids(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT event_id FROM entries ORDER BY idx")]
    finally:
        conn.close()


async def _lease(world: AuditWorld) -> LeaseValue | None:
    kv = await world.publisher.jetstream().key_value(AUDIT_LEADER_BUCKET)
    try:
        entry = await kv.get(LEASE_KEY)
    except Exception:
        return None
    return msgspec.json.decode(entry.value or b"", type=LeaseValue) if entry.value else None


@pytest.mark.slow
async def test_standby_takes_over_from_a_killed_leader(world: AuditWorld) -> None:
    # The lease bucket's max age is the lease: provision it for this test's short lease.
    await world.publisher.jetstream().delete_key_value(AUDIT_LEADER_BUCKET)
    await provision(world.publisher.jetstream(), Provisioning(audit_lease_s=LEASE_S))
    env = {"PARLEY_AUDIT_LEASE_S": str(LEASE_S), "PARLEY_AUDIT_CHECKPOINT_INTERVAL_S": "0.1"}
    procs = {"1": world.start_audit(PARLEY_AUDIT_INSTANCE="1", **env)}
    first = await wait_until(lambda: _lease(world), timeout=30, what="a sequencer")
    assert first.holder == "audit-1"
    procs["2"] = world.start_audit(PARLEY_AUDIT_INSTANCE="2", **env)
    dbs = {"1": world.server.data_dir / "audit" / "log.db",
           "2": world.server.data_dir / "audit" / "log-2.db"}

    acked: list[str] = []
    publishing = asyncio.Event()

    async def publish_forever() -> None:
        i = 0
        while not publishing.is_set():
            event = make_event(i, prefix="s")
            await world.publish(event)  # returns once JetStream acknowledged it
            acked.append(event.id)
            i += 1
            await asyncio.sleep(0.002)

    publisher = asyncio.create_task(publish_forever())
    # The standby follows: its copy grows while the leader sequences.
    await wait_until(lambda: _async(len(_ids(dbs["2"])) > 200 if dbs["2"].exists() else False),
                     timeout=30, what="the standby's copy to grow")
    before = await wait_until(lambda: _signed(world), timeout=10, what="a published checkpoint")

    leader = procs["1"]
    leader.kill9()
    killed_at = time.monotonic()
    taken = await wait_until(lambda: _held_by(world, "audit-2"), timeout=15, interval=0.02,
                             what="the standby to take the lease")
    takeover_s = time.monotonic() - killed_at
    publishing.set()
    await publisher
    total = len(acked)

    # Every acknowledged event, exactly once, in the new leader's log; and a checkpoint over all.
    async def complete() -> AuditStatus | None:
        status: AuditStatus = await world.call("status", NoArguments(), AuditStatus, timeout=1.0)
        return status if status.checkpoint_size >= total else None

    status = await wait_until(complete, timeout=30, what="the new leader to sign everything")
    signed_s = time.monotonic() - killed_at
    ids = [i for i in _ids(dbs["2"]) if i.startswith("s")]  # (the log also records its reads)
    assert sorted(ids) == sorted(acked) and len(ids) == len(set(ids)) == total

    # The old leader's checkpoint -> the new leader's: consistent (proof served by the new one).
    verifier = load_or_create_signer(world.server.data_dir / "audit" / "signing.key", ORIGIN).verifier
    old = open_checkpoint(before, verifier)
    latest: CheckpointInfo = await world.call("checkpoint", NoArguments(), CheckpointInfo)
    new = open_checkpoint(latest.note, verifier)
    assert new.size >= total > old.size
    proof: ConsistencyProof = await world.call(
        "consistency", ConsistencyRequest(first=old.size, second=new.size), ConsistencyProof)
    verify_consistency(RFC6962, old.size, new.size, old.root, new.root,
                       [base64.b64decode(h) for h in proof.hashes])
    assert taken.checkpoint == "" or open_checkpoint(taken.checkpoint, verifier).size >= old.size
    print(f"\nTAKEOVER lease={LEASE_S}s: standby held the lease {takeover_s:.2f}s after kill -9; "
          f"signed all {total} acknowledged events {signed_s:.2f}s after it; log size {status.size}")
    assert takeover_s < 3 * LEASE_S + 2.0

    # The old leader comes back: as a standby, and it serves reads from its copy.
    restarted = ServiceProcess("services.audit", leader.env, leader.log_path)
    restarted.start()
    world.processes.append(restarted)
    await wait_until(lambda: _async(len(_ids(dbs["1"])) >= len(_ids(dbs["2"]))), timeout=30,
                     what="the old leader to catch up as a standby")
    copy, log = _ids(dbs["1"]), _ids(dbs["2"])
    assert copy[:len(log)] == log  # the same entries in the same order: the same tree
    assert (await _lease(world)) is not None and (await _lease(world)).holder == "audit-2"  # type: ignore[union-attr]


async def _sequencer_and_standby(world: AuditWorld, *, lease_s: float,
                                 ) -> tuple[ServiceProcess, ServiceProcess]:
    """Audit instance 1 holding a lease of `lease_s` (the bucket provisioned for it: its max
    age is the lease), then instance 2 started beside it."""
    await world.publisher.jetstream().delete_key_value(AUDIT_LEADER_BUCKET)
    await provision(world.publisher.jetstream(), Provisioning(audit_lease_s=lease_s))
    env = {"PARLEY_AUDIT_LEASE_S": str(lease_s), "PARLEY_AUDIT_CHECKPOINT_INTERVAL_S": "0.1"}
    leader = world.start_audit(PARLEY_AUDIT_INSTANCE="1", **env)
    await wait_until(lambda: _held_by(world, "audit-1"), timeout=30, what="a sequencer")
    return leader, world.start_audit(PARLEY_AUDIT_INSTANCE="2", **env)


async def _async(value: bool) -> bool:
    return value


async def _signed(world: AuditWorld) -> str | None:
    lease = await _lease(world)
    return lease.checkpoint if lease is not None and lease.checkpoint else None


async def _held_by(world: AuditWorld, holder: str) -> LeaseValue | None:
    lease = await _lease(world)
    return lease if lease is not None and lease.holder == holder else None


@pytest.mark.slow
async def test_an_auditor_never_sees_the_log_shrink_across_a_failover(world: AuditWorld) -> None:
    """A copy that holds an older checkpoint than one already signed (restarted after being
    away while the sequencer signed more, then taking over when the sequencer dies) answers
    "unavailable, retry" until it has caught up, never with its older checkpoint."""
    leader, copy = await _sequencer_and_standby(world, lease_s=3.0)
    for i in range(50):
        await world.publish(make_event(i, prefix="a"))

    async def adopted() -> bool:  # the second copy holds a checkpoint covering those 50
        db = world.server.data_dir / "audit" / "log-2.db"
        if not db.exists():
            return False
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT MAX(size) FROM checkpoints").fetchone()
        finally:
            conn.close()
        return bool(row and row[0] and row[0] >= 50)

    await wait_until(adopted, timeout=30, what="the standby to adopt a checkpoint")
    copy.stop()  # away while the sequencer signs thousands more
    for i in range(4000):
        await world.publish(make_event(i, prefix="b"))
    verifier = load_or_create_signer(world.server.data_dir / "audit" / "signing.key", ORIGIN).verifier

    async def signed_all() -> int | None:
        note = await _signed(world)
        size = open_checkpoint(note, verifier).size if note else 0
        return size if size >= 4050 else None

    newest = await wait_until(signed_all, timeout=60, what="the sequencer to sign all 4,050")
    leader.kill9()
    back = ServiceProcess("services.audit", copy.env, copy.log_path)
    back.start()  # the only copy now: it learns of `newest`, takes the lease, catches up, signs
    world.processes.append(back)

    answers: list[int] = []
    refusals = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            info: CheckpointInfo = await world.call("checkpoint", NoArguments(), CheckpointInfo,
                                                    timeout=4.0)
        except ServiceFailure as failure:
            assert failure.code is ErrorCode.UNAVAILABLE, failure  # "retry" (or no process yet)
            refusals += 1
            await asyncio.sleep(0.05)
            continue
        answers.append(info.size)
        if info.size >= newest:
            break
        await asyncio.sleep(0.05)
    assert answers and answers[-1] >= newest, (answers, refusals)
    assert min(answers) >= newest, f"shown {min(answers)} after {newest} was signed: {answers}"
    print(f"\nFAILOVER READS: {refusals} retry answers, then checkpoint {answers[0]} >= {newest}")


@pytest.mark.slow
async def test_a_nats_outage_leaves_the_standby_running(world: AuditWorld) -> None:
    """NATS away for seconds (its one server restarted): the standby keeps running and tries the
    lease again each round (it used to exit at the first unanswered read of the lease); the
    sequencer, unable to renew, steps down; the standby takes over and logs every event."""
    leader, standby = await _sequencer_and_standby(world, lease_s=LEASE_S)
    await wait_until(lambda: _async("standby: following the stream" in standby.log()),
                     timeout=30, what="the standby to follow")
    before = [make_event(i, prefix="p") for i in range(20)]
    for event in before:
        await world.publish(event)

    world.server.stop()
    await asyncio.sleep(8.0)  # past a JetStream request's own timeout (5 s)
    world.server.start()
    after = [make_event(i, prefix="q") for i in range(20)]
    for event in after:
        async def published(event: Any = event) -> bool:
            await world.publish(event)
            return True
        await wait_until(published, timeout=30, what="JetStream back")

    await wait_until(lambda: _held_by(world, "audit-2"), timeout=30, what="the standby to lead")
    db = world.server.data_dir / "audit" / "log-2.db"
    wanted = {e.id for e in before + after}
    await wait_until(lambda: _async(wanted <= set(_ids(db))), timeout=30,
                     what="every event in the standby's log")
    ids = [i for i in _ids(db) if i in wanted]
    assert len(ids) == len(set(ids)) == len(wanted)
    assert standby.process is not None and standby.process.poll() is None, standby.log()[-2000:]
    assert "standby: the lease is unreachable for now" in standby.log()
    assert leader.process is not None and leader.process.poll() is not None  # stepped down
