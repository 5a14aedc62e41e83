"""Audit ingest, proof and verification benchmark, with its baseline in the same run.

    python benchmarks/audit_ingest.py [--quick] [--events N] [--inprocess-publisher]

1. Ingest: a real nats-server (Parley's config, the provisioned AUDIT stream). N events are
   published by ONE publisher used for both runs: a child process (services publish from their
   own processes), publish_async with JetStream acknowledgements and up to 4,000 in flight
   (`--inprocess-publisher`: the same code on the measuring process's event loop). Meanwhile the
   service's `Intake` commits them to a SQLite log (synchronous=FULL, one transaction per batch,
   ack after commit) and the `CheckpointLoop` signs checkpoints as they go.
   events/s = N / (go signal to the publisher -> last event committed).
   Baseline, same run, same server, same publisher: N other messages to the same stream while a
   raw consumer with the same pipelined pull (`PullFeed`) takes and acknowledges them (no
   decoding, no storage).
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

from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig

from benchmarks.audit_proofs import _event, build_log, export_verify_time, proof_latency
from parley.provision import provision
from proto.audit import encode_event
from services.audit.intake import DURABLE, MAX_PULL_BYTES, Intake
from services.audit.keys import NoteSigner
from services.audit.log import AppendResult, LogStore, StoredCheckpoint
from services.audit.pull_feed import PullFeed
from services.audit.signer import CheckpointIssuer
from services.audit.signing_loop import CheckpointLoop
from tests.harness import NatsServer, free_port

ORIGIN = "bench.parley.example/audit"
SUBJECT = "parley.v1.audit.event.audit"


async def _publish(nc: Client, prefix: str, count: int) -> None:
    """Publish with JetStream acknowledgements, up to 4,000 in flight (every one must be stored)."""
    js = nc.jetstream(publish_async_max_pending=4000)
    futures = []
    for i in range(count):
        event = _event(i)
        futures.append(await js.publish_async(SUBJECT, encode_event(event),
                                              headers={"Nats-Msg-Id": prefix + event.id}))
    for ack in await asyncio.gather(*futures):
        assert ack.stream == "AUDIT"


class Publisher:
    """The one publisher of every run: a child process, or (in_process) this event loop."""

    def __init__(self, server: NatsServer, in_process: bool) -> None:
        self._server = server
        self._in_process = in_process
        self._job: asyncio.Task[None] | None = None
        self._child: asyncio.subprocess.Process | None = None
        self._go = asyncio.Event()

    async def prepare(self, prefix: str, count: int) -> None:
        """Everything but the publishing itself (connect, interpreter start), before the clock."""
        if self._in_process:
            nc = await self._server.connect("audit")
            self._job = asyncio.create_task(self._wait_go(nc, prefix, count))
            return
        self._child = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--publisher-child", str(self._server.data_dir),
            str(self._server.port), prefix, str(count),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        assert self._child.stdout is not None
        assert await self._child.stdout.readline() == b"ready\n"

    async def _wait_go(self, nc: Client, prefix: str, count: int) -> None:
        await self._go.wait()
        await _publish(nc, prefix, count)
        await nc.close()

    async def go(self) -> None:
        if self._child is None:
            self._go.set()
            return
        assert self._child.stdin is not None
        self._child.stdin.write(b"go\n")
        await self._child.stdin.drain()

    async def finished(self) -> None:
        if self._job is not None:
            await self._job
            self._job, self._go = None, asyncio.Event()
        if self._child is not None:
            assert self._child.stdout is not None
            assert await self._child.stdout.readline() == b"done\n"
            assert await self._child.wait() == 0
            self._child = None


async def publisher_child(data_dir: str, port: int, prefix: str, count: int) -> None:
    nc = await NatsServer(data_dir=Path(data_dir), port=port).connect("audit")
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await _publish(nc, prefix, count)
    await nc.close()
    print("done", flush=True)


async def baseline(publisher: Publisher, nc: Client, supervisor: Client, events: int, batch: int) -> tuple[float, float]:
    """Raw JetStream: publish, pull-consume and acknowledge the same number of messages."""
    await publisher.prepare("x", events)
    js = nc.jetstream()
    await js.add_consumer("AUDIT", ConsumerConfig(name=DURABLE, durable_name=DURABLE,
                                                  ack_policy=AckPolicy.ALL, max_ack_pending=20_000))
    feed = PullFeed(nc, "AUDIT", DURABLE, batch=batch, max_bytes=MAX_PULL_BYTES)
    await feed.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    await publisher.go()
    seen = 0
    while seen < events:
        msgs = await feed.take(batch, 1.0)
        if msgs:
            seen += len(msgs)
            await msgs[-1].ack()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    await publisher.finished()
    await feed.close()
    await js.delete_consumer("AUDIT", DURABLE)
    await supervisor.jetstream().purge_stream("AUDIT")  # the ingest run starts from empty
    return events / elapsed, cpu / events * 1e6


async def ingest(publisher: Publisher, nc: Client, events: int, workdir: Path, batch: int) -> tuple[float, float, float]:
    await publisher.prepare("", events)
    store = LogStore.open(workdir / "ingest.db", synchronous="FULL")
    signer = NoteSigner(ORIGIN, bytes(range(32)))
    commits: list[tuple[int, float]] = []
    signed: list[tuple[int, float]] = []
    finished = asyncio.Event()

    def on_commit(result: AppendResult) -> None:
        commits.append((result.size, time.perf_counter()))
        if result.size >= events:
            finished.set()

    def on_issue(cp: StoredCheckpoint) -> None:
        signed.append((cp.size, time.perf_counter()))

    loop = CheckpointLoop(CheckpointIssuer(store, signer), interval_s=0.5, on_issue=on_issue)
    intake = Intake(nc, store, batch=batch, on_commit=on_commit)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(intake.run(stop)), asyncio.create_task(loop.run(stop))]
    t0, cpu0 = time.perf_counter(), time.process_time()
    await publisher.go()
    await finished.wait()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    await publisher.finished()
    while not signed or signed[-1][0] < events:
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.gather(*tasks)
    lag = 0.0
    for size, at in commits:
        covered = next(t for s, t in signed if s >= size)
        lag = max(lag, covered - at)
    assert store.size == events
    print(f"ingest: {len(commits)} commits, {events / len(commits):.0f} events per batch",
          file=sys.stderr)
    store.close()
    return events / elapsed, lag, cpu / events * 1e6


async def drain(publisher: Publisher, nc: Client, supervisor: Client, events: int, workdir: Path,
                batch: int) -> float:
    """Intake alone: events already in the stream, consumed and committed (diagnostic)."""
    await supervisor.jetstream().purge_stream("AUDIT")
    await publisher.prepare("y", events)
    await publisher.go()
    await publisher.finished()
    store = LogStore.open(workdir / "drain.db", synchronous="FULL")
    finished = asyncio.Event()

    def on_commit(result: AppendResult) -> None:
        if result.size >= events:
            finished.set()

    stop = asyncio.Event()
    t0 = time.perf_counter()
    task = asyncio.create_task(Intake(nc, store, batch=batch, on_commit=on_commit).run(stop))
    await finished.wait()
    elapsed = time.perf_counter() - t0
    stop.set()
    await task
    store.close()
    return events / elapsed


async def run_ingest(events: int, batch: int, workdir: Path, in_process: bool) -> dict[str, float]:
    server = NatsServer(data_dir=workdir / "nats", port=free_port())
    server.data_dir.mkdir()
    server.start()
    try:
        supervisor = await server.connect("supervisor")
        await provision(supervisor.jetstream())
        nc = await server.connect("audit")
        publisher = Publisher(server, in_process)  # publishes as a service does, on its subject
        base, base_cpu = await baseline(publisher, nc, supervisor, events, batch)
        rate, lag, cpu = await ingest(publisher, nc, events, workdir, batch)
        drained = await drain(publisher, nc, supervisor, events, workdir, batch)
        for conn in (nc, supervisor):
            await conn.close()
    finally:
        server.stop()
    return {"events_per_s": round(rate), "baseline_events_per_s": round(base),
            "ratio": round(rate / base, 3), "checkpoint_lag_s": round(lag, 3),
            "intake_only_events_per_s": round(drained),
            # CPU of this process per event (consumer side only unless --inprocess-publisher):
            # steadier than rates on a shared machine.
            "cpu_us_per_event": round(cpu, 1), "baseline_cpu_us_per_event": round(base_cpu, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--events", type=int)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--size", type=int)
    parser.add_argument("--export", type=int)
    parser.add_argument("--inprocess-publisher", action="store_true")
    parser.add_argument("--publisher-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publisher_child:
        data_dir, port, prefix, count = args.publisher_child
        asyncio.run(publisher_child(data_dir, int(port), prefix, int(count)))
        return
    events = args.events or (20_000 if args.quick else 100_000)
    size = args.size or (100_000 if args.quick else 1_000_000)
    export = args.export or (20_000 if args.quick else 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result: dict[str, float | int] = dict(asyncio.run(run_ingest(events, args.batch, work, args.inprocess_publisher)))
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
