"""Audit ingest, proof and verification benchmark (issue 5), with its baseline in the same run.

    python benchmarks/audit_ingest.py [--quick] [--events N]

1. Ingest: a real nats-server (Parley's config, the provisioned AUDIT stream). N events are
   published (publish_async, JetStream-acknowledged, up to 4,000 in flight) while the service's `Intake` commits them to a SQLite log
   (synchronous=FULL, one transaction per batch, ack after commit) and the `CheckpointLoop` signs
   checkpoints as they go. events/s = N / (first publish -> last event committed).
   Baseline, same run, same server: the same N messages published the same way to a scratch
   stream while a plain pull consumer fetches and acknowledges them (no decoding, no storage).
   Checkpoint lag: for each committed batch, the time until a signed checkpoint covers it (max).
2. Proofs: inclusion and consistency proof latency (p99) on a 10^6-entry log (--quick: 10^5).
3. Offline verification of a 10^5-entry range export (--quick: 2x10^4).
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nats.js.api import AckPolicy, ConsumerConfig

from benchmarks.audit_proofs import _event, build_log, export_verify_time, proof_latency
from parley.provision import provision
from proto.audit import encode_event
from services.audit.checkpointing import CheckpointLoop
from services.audit.intake import DURABLE, Intake
from services.audit.integrity import CheckpointIssuer
from services.audit.keys import NoteSigner
from services.audit.log import AppendResult, LogStore, StoredCheckpoint
from tests.harness import NatsServer, free_port

ORIGIN = "bench.parley.example/audit"
SUBJECT = "parley.v1.audit.event.audit"


async def _publish(nc, payloads: list[tuple[str, bytes]]) -> None:
    """Publish with JetStream acknowledgements, up to 4,000 in flight (every one must be stored)."""
    js = nc.jetstream(publish_async_max_pending=4000)
    futures = [await js.publish_async(SUBJECT, data, headers={"Nats-Msg-Id": msg_id})
               for msg_id, data in payloads]
    for ack in await asyncio.gather(*futures):
        assert ack.stream == "AUDIT"


async def baseline(pub, nc, supervisor, payloads: list[tuple[str, bytes]], batch: int) -> float:
    """Raw JetStream: publish, pull-consume and acknowledge the same messages (same stream)."""
    js = nc.jetstream()
    await js.add_consumer("AUDIT", ConsumerConfig(name=DURABLE, durable_name=DURABLE,
                                                  ack_policy=AckPolicy.ALL, max_ack_pending=20_000))
    sub = await js.pull_subscribe_bind(durable=DURABLE, stream="AUDIT")
    done = asyncio.Event()
    t0 = time.perf_counter()

    async def consume() -> None:
        seen = 0
        while seen < len(payloads):
            try:
                msgs = await sub.fetch(batch, timeout=1.0)
            except TimeoutError:
                continue
            seen += len(msgs)
            await msgs[-1].ack()
        done.set()

    task = asyncio.create_task(consume())
    await _publish(pub, payloads)
    await done.wait()
    elapsed = time.perf_counter() - t0
    await task
    await sub.unsubscribe()
    await js.delete_consumer("AUDIT", DURABLE)
    await supervisor.jetstream().purge_stream("AUDIT")  # the ingest run starts from empty
    return len(payloads) / elapsed


async def ingest(pub, nc, payloads: list[tuple[str, bytes]], workdir: Path, batch: int) -> tuple[float, float]:
    js = nc.jetstream()
    store = LogStore.open(workdir / "ingest.db", synchronous="FULL")
    signer = NoteSigner(ORIGIN, bytes(range(32)))
    commits: list[tuple[int, float]] = []
    signed: list[tuple[int, float]] = []
    finished = asyncio.Event()

    def on_commit(result: AppendResult) -> None:
        commits.append((result.size, time.perf_counter()))
        if result.size >= len(payloads):
            finished.set()

    def on_issue(cp: StoredCheckpoint) -> None:
        signed.append((cp.size, time.perf_counter()))

    loop = CheckpointLoop(CheckpointIssuer(store, signer), interval_s=0.5, on_issue=on_issue)
    intake = Intake(js, store, batch=batch, on_commit=on_commit)
    stop = asyncio.Event()
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(intake.run(stop)), asyncio.create_task(loop.run(stop))]
    await _publish(pub, payloads)
    await finished.wait()
    elapsed = time.perf_counter() - t0
    while not signed or signed[-1][0] < len(payloads):
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.gather(*tasks)
    lag = 0.0
    for size, at in commits:
        covered = next(t for s, t in signed if s >= size)
        lag = max(lag, covered - at)
    assert store.size == len(payloads)
    store.close()
    return len(payloads) / elapsed, lag


async def drain(nc, supervisor, pub, payloads: list[tuple[str, bytes]], workdir: Path,
                batch: int) -> float:
    """Intake alone: events already in the stream, consumed and committed (diagnostic)."""
    await supervisor.jetstream().purge_stream("AUDIT")
    await _publish(pub, payloads)
    store = LogStore.open(workdir / "drain.db", synchronous="FULL")
    finished = asyncio.Event()

    def on_commit(result: AppendResult) -> None:
        if result.size >= len(payloads):
            finished.set()

    stop = asyncio.Event()
    t0 = time.perf_counter()
    task = asyncio.create_task(Intake(nc.jetstream(), store, batch=batch, on_commit=on_commit).run(stop))
    await finished.wait()
    elapsed = time.perf_counter() - t0
    stop.set()
    await task
    store.close()
    return len(payloads) / elapsed


async def run_ingest(events: int, batch: int, workdir: Path) -> dict[str, float]:
    server = NatsServer(data_dir=workdir / "nats", port=free_port())
    server.data_dir.mkdir()
    server.start()
    try:
        supervisor = await server.connect("supervisor")
        await provision(supervisor.jetstream())
        pub = await server.connect("audit")  # publishes as a service does, on its own subject
        nc = await server.connect("audit")
        # Distinct ids per run: the stream's duplicate window would drop a second copy.
        base_payloads = [(f"x{e.id}", encode_event(e)) for e in map(_event, range(events))]
        payloads = [(e.id, encode_event(e)) for e in map(_event, range(events))]
        base = await baseline(pub, nc, supervisor, base_payloads, batch)
        rate, lag = await ingest(pub, nc, payloads, workdir, batch)
        drained = await drain(nc, supervisor, pub, [(f"y{i}", d) for i, d in payloads], workdir,
                              batch)
        for conn in (pub, nc, supervisor):
            await conn.close()
    finally:
        server.stop()
    return {"events_per_s": round(rate), "baseline_events_per_s": round(base),
            "ratio": round(rate / base, 3), "checkpoint_lag_s": round(lag, 3),
            "intake_only_events_per_s": round(drained)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--events", type=int)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--size", type=int)
    parser.add_argument("--export", type=int)
    args = parser.parse_args()
    events = args.events or (20_000 if args.quick else 100_000)
    size = args.size or (100_000 if args.quick else 1_000_000)
    export = args.export or (20_000 if args.quick else 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result: dict[str, float | int] = dict(asyncio.run(run_ingest(events, args.batch, work)))
        print(f"ingest: {result}", file=sys.stderr)
        t0 = time.perf_counter()
        store = build_log(work / "proofs.db", size)
        print(f"built a {size}-entry log in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        proofs = proof_latency(store)
        result["inclusion_p99_ms"] = round(proofs["inclusion_p99_ms"], 4)
        result["consistency_p99_ms"] = round(proofs["consistency_p99_ms"], 4)
        result["verify_s"] = round(export_verify_time(store, export, work), 3)
        result["log_size"] = size
        result["export_entries"] = export
        result["events"] = events
        store.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
