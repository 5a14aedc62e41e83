"""One node against the 3-node cluster, and one gateway against two, in the same run.

    python benchmarks/cluster.py [--quick] [--participants N] [--events E] [--writes W]
                                 [--budget-ms B]

Real processes on loopback. "single": one nats-server (infra/nats/parley.conf), streams and
buckets R1. "cluster": three nats-servers (infra/nats/cluster.conf: routes with mutual TLS, TLS
to every client, JetStream R3). Each stack runs one signalling, one audit and the gateway(s).

- move p99: N participants in hearings of 10 on one gateway, each hearing's mediator moving a
  participant between plenary and a caucus (benchmarks/sigload; the sockets live in client
  processes), same pacing on both stacks;
- audit events committed/s: E events published to `AUDIT` (acknowledged, R1 or R3), until the
  audit log holds them all (its `$SRV.STATS`);
- a command's write p99: W writes of the kind every signalling command waits for (its audit event
  and its hearing's compare-and-set, sent together: benchmarks/sigload/command_write.py), the
  floor replication adds to a move before any process does its own work;
- participants held at a move-latency budget (p99 <= B ms) by one gateway, then by two (sockets
  split across them round robin), on the same cluster stack (it runs both gateways
  throughout), ramping N, 2N, 4N... with each hearing moving at the same pace
  (`--hearing-pace`): the largest size within budget. Each size is seated once and measured on
  one gateway, then its sockets are closed and opened again over both (the participants come
  back to their rooms). Each step prints
  the CPU seconds every process spent per move, so a ramp that stops shows which process ran
  out. On one machine every process shares the same cores: a second gateway adds no CPU, it
  only spreads the gateway's share. So the run also prints `gateway_scale_ceiling`, the most a second gateway
  could add here (Amdahl: the machine's cores against all the CPU a move costs, the one gateway
  process against its own share); `gateway_scale` near that ceiling is the honest result on a
  shared machine, and 2 needs each gateway on its own cores.

Both stacks start together (start-up is mostly waiting). The move p99 and the write p99 are
taken on both stacks in alternating turns (four for the moves), since this machine's speed drifts
between minutes and neither stack should get the fast ones; the single node then stops and the
ramps run on the cluster alone. A quick run makes 100 moves for each latency figure and ramps
two sizes.

Goals (issue 15): move_ratio <= 1.5, events_ratio >= 0.5, gateway_scale >= 1.8.
Last line: {"single_move_p99_ms", "cluster_move_p99_ms", "move_ratio", "single_write_p99_ms",
"cluster_write_p99_ms", "single_events_per_s",
"cluster_events_per_s", "events_ratio", "participants_one_gateway", "participants_two_gateways",
"gateway_scale", "gateway_scale_ceiling"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.sigload.command_write import CommandWrites, interleaved
from benchmarks.sigload.cpu import CpuMeter
from benchmarks.sigload.fleet import Fleet
from benchmarks.sigload.moves import pct
from benchmarks.sigload.participants import gather_limited
from benchmarks.sigload.stack import LIMITS
from parley.ids import new_ulid
from parley.provision import Provisioning
from parley.suite import provision_when_ready
from proto.audit import Actor, AuditEvent, Outcome, Resource, audit_subject, encode_event
from tests.harness import NatsServer, ServiceProcess, free_port, wait_until
from tests.integration.cluster.natscluster import NatsCluster
from tests.people import Staff, bootstrap_admin, create_staff

#: The lease bucket's TTL (provisioning) and the process's lease must agree.
AUDIT_LEASE_S = 30.0


class Stack:
    """nats (one or three), signalling, audit and `gateways` gateway processes."""

    def __init__(self, root: Path, cluster: bool, gateways: int) -> None:
        self.root = root
        self.cluster = cluster
        self.ports = [free_port() for _ in range(gateways)]
        self.procs: list[ServiceProcess] = []
        self.nats: NatsServer | NatsCluster
        if cluster:
            self.nats = NatsCluster(root / "data")
        else:
            self.nats = NatsServer(data_dir=root / "data", port=free_port())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.ports[0]}"

    def log(self) -> str:
        return self.procs[-1].log()

    def env(self, user: str, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
        data = self.root / "data"
        env.update(PARLEY_DATA_DIR=str(data), PYTHONUNBUFFERED="1",
                   PARLEY_NATS_CREDENTIALS=str(data / "nats" / "credentials" / f"{user}.json"),
                   **{**LIMITS, "PARLEY_READY_SERVICES": "signalling,audit",
                      # One audit process and no supervisor to restart it: a lease that lapses
                      # while the machine is starved would stop the only sequencer.
                      "PARLEY_AUDIT_LEASE_S": str(AUDIT_LEASE_S)})
        if isinstance(self.nats, NatsCluster):
            env.update(PARLEY_NATS_URL=self.nats.urls, PARLEY_NATS_TLS_CA=str(self.nats.tls.ca))
        else:
            env["PARLEY_NATS_URL"] = self.nats.url
        env.update(extra)
        return env

    async def start(self) -> None:
        (self.root / "data").mkdir(parents=True, exist_ok=True)  # NatsCluster made its TLS there
        self.nats.start()
        nc = await self.nats.connect("supervisor")
        await provision_when_ready(nc, Provisioning(replicas=3 if self.cluster else 1,
                                                    audit_lease_s=AUDIT_LEASE_S))
        await nc.drain()
        children: list[tuple[str, str, dict[str, str]]] = [
            ("services.signalling", "signalling", {}), ("services.audit", "audit", {})]
        children += [("gateway", "gateway", {"PARLEY_HTTP_PORT": str(p)}) for p in self.ports]
        for i, (module, user, extra) in enumerate(children):
            proc = ServiceProcess(module, self.env(user, **extra), self.root / f"{user}-{i}.log")
            proc.start()
            self.procs.append(proc)
        for port in self.ports:
            async def ready(port: int = port) -> bool:
                async with aiohttp.ClientSession() as http, \
                        http.get(f"http://127.0.0.1:{port}/readyz") as r:
                    return r.status == 200
            await wait_until(ready, timeout=120, interval=0.2, what="/readyz")

    async def stop(self) -> None:
        """Every process at once (each shuts down gracefully; one after the other took 15 s),
        then NATS."""
        await asyncio.gather(*(asyncio.to_thread(proc.stop) for proc in self.procs))
        self.nats.stop()

    def pids(self) -> dict[str, int]:
        """Every process of the stack by name, for CPU accounting."""
        out = {f"{p.module.split('.')[-1]}-{i}": p.process.pid
               for i, p in enumerate(self.procs) if p.process is not None}
        if isinstance(self.nats, NatsCluster):
            out.update({f"nats-{n}": proc.pid for n, proc in self.nats.processes.items()})
        elif self.nats.process is not None:
            out["nats"] = self.nats.process.pid
        return out


async def seat(stack: Stack, fleet: Fleet, mediator: Staff, participants: int) -> None:
    """Seat `participants` in hearings of 10 (in place of any seated before)."""
    urls = [f"http://127.0.0.1:{p}" for p in stack.ports]
    await fleet.seat(urls, mediator, max(1, participants // 10), 10)


async def join(fleet: Fleet, gateways: int, admit: bool) -> None:
    """Open the seated sockets, spread over the first `gateways` gateways; the first time,
    admit everyone to plenary and make each hearing's caucus (after a `close`, participants
    come back to the rooms they left)."""
    await fleet.all("join", gateways=gateways)
    if admit:
        await fleet.all("admit")


async def measure(fleet: Fleet, rate: float, seconds: float,
                  meter: CpuMeter | None = None) -> list[float]:
    """One move phase on the open sockets: the samples (ms), and each process's CPU per move
    printed when metered."""
    if meter is not None:
        meter.start()
    samples = await fleet.moves(rate, seconds, "real")
    if meter is not None:
        used = meter.stop()
        busiest = sorted(used.items(), key=lambda kv: -kv[1])[:5]
        print("    CPU per move: " + ", ".join(
            f"{n} {1000 * t / max(1, len(samples)):.1f} ms" for n, t in busiest)
            + f" ({len(samples) / seconds:.0f} moves/s)", file=sys.stderr)
    return samples


async def events_per_s(stack: Stack, count: int) -> float:
    """Publish `count` acknowledged events; events/s until the audit log holds them all."""
    nc = await stack.nats.connect("supervisor")
    watcher = await stack.nats.connect("gateway")  # may ask the services for $SRV.STATS
    try:
        js = nc.jetstream()
        before = await _log_size(watcher)
        started = time.perf_counter()
        prefix = new_ulid()[:10]

        async def one(i: int) -> None:
            event = AuditEvent(id=f"{prefix}{i:08d}", time=1_700_000_000_000 + i,
                               actor=Actor(id="bench"), action="document.view",
                               resource=Resource(type="document", id=f"d{i % 50}"),
                               outcome=Outcome.ALLOWED, service="supervisor", hearing="h1")
            await js.publish(audit_subject("supervisor"), encode_event(event),
                             headers={"Nats-Msg-Id": event.id})

        await gather_limited(64, [one(i) for i in range(count)])

        async def all_in() -> bool:
            return await _log_size(watcher) >= before + count

        await wait_until(all_in, timeout=120, interval=0.05, what="the events in the log")
        return count / (time.perf_counter() - started)
    finally:
        await nc.drain()
        await watcher.drain()


async def _log_size(nc: Any, auditors: int = 1) -> int:
    """The audit log's size, from the `status` of `auditors` audit processes (the largest): at
    once when all have answered, else after 0.5 s. (Waiting the 0.5 s every time made each poll
    half a second long, so a quick run's 500 events measured 0.5 or 1 s: 800 or 400 events/s.)"""
    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox)
    sizes = [0]
    try:
        await nc.publish("$SRV.STATS.audit", b"", reply=inbox)
        try:
            async with asyncio.timeout(0.5):
                async for msg in sub.messages:
                    for endpoint in json.loads(msg.data).get("endpoints") or []:
                        data = endpoint.get("data") or {}
                        if endpoint.get("name") == "status" and "log_size" in data:
                            sizes.append(int(data["log_size"]))
                    if len(sizes) > auditors:
                        break
        except TimeoutError:
            pass
    finally:
        await sub.unsubscribe()
    return max(sizes)


class Bench:
    """One stack with its load generators and its signed-in mediator."""

    def __init__(self, cluster: bool, gateways: int, workers: int) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="parley-cluster-bench-"))
        self.stack = Stack(self.root, cluster, gateways)
        self.fleet = Fleet(workers)
        self.mediator: Staff | None = None

    async def start(self) -> None:
        await self.stack.start()
        await self.fleet.start()
        admin = await _bootstrap(self.stack)
        self.mediator = await create_staff(self.stack, admin, "mediator", "mediator")  # type: ignore[arg-type]

    def show_logs(self) -> None:
        for proc in self.stack.procs:  # the run failed: show why, before the logs are removed
            print(f"--- {proc.log_path.name}\n{proc.log()[-1500:]}", file=sys.stderr)

    async def stop(self) -> None:
        await asyncio.gather(self.fleet.stop(), self.stack.stop())
        shutil.rmtree(self.root, ignore_errors=True)


class _Gateways:
    """The stack seen through its gateways' logs together (for tests.people.bootstrap_admin):
    on a first start exactly one of them prints the one-time secret, the others say so."""

    def __init__(self, stack: Stack) -> None:
        self.base_url = stack.base_url
        self.procs = [p for p in stack.procs if p.module == "gateway"]

    def log(self) -> str:
        return "".join(proc.log() for proc in self.procs)


async def _bootstrap(stack: Stack) -> Staff:
    return await bootstrap_admin(_Gateways(stack))  # type: ignore[arg-type]


@dataclass
class Held:
    """A gateway ramp so far: the largest size within budget, and the CPU each process spent
    per move at it (or at the first size, when none was within budget); `over` once a size was
    not (the ramp stops there)."""

    participants: int = 0
    cpu_per_move: dict[str, float] = field(default_factory=dict)
    over: bool = False

    def share(self, prefix: str) -> float:
        total = sum(self.cpu_per_move.values())
        part = sum(t for n, t in self.cpu_per_move.items() if n.startswith(prefix))
        return part / total if total else 0.0

    def step(self, size: int, samples: list[float], used: dict[str, float],
             budget_ms: float) -> None:
        cpu = {n: t / max(1, len(samples)) for n, t in used.items()}
        if pct(samples, 0.99) > budget_ms:
            # Over budget: the CPU split still says what limits the machine (first step's).
            self.cpu_per_move = self.cpu_per_move or cpu
            self.over = True
        else:
            self.participants, self.cpu_per_move = size, cpu


async def command_writes(single: Bench, cluster: Bench, count: int) -> dict[str, list[float]]:
    """A command's write (benchmarks/sigload/command_write.py), `count` on each stack, in turns."""
    stacks = {"single": CommandWrites(await single.stack.nats.connect("signalling")),
              "cluster": CommandWrites(await cluster.stack.nats.connect("signalling"))}
    try:
        for writes in stacks.values():
            await writes.open()
        return await interleaved(stacks, rounds=4, per_round=max(1, count // 4))
    finally:
        for writes in stacks.values():
            await writes.close()


async def both_moves(single: Bench, cluster: Bench,
                     args: argparse.Namespace) -> dict[str, list[float]]:
    """The move latency on both stacks (`participants`, one gateway, `move_rate`), measured in
    four alternating turns of a quarter of `seconds` each; the cluster's sockets are closed
    after (its gateway ramps seat their own)."""
    benches = {"single": single, "cluster": cluster}
    for bench in benches.values():
        assert bench.mediator is not None
        await seat(bench.stack, bench.fleet, bench.mediator, args.participants)
        await join(bench.fleet, 1, admit=True)
    samples: dict[str, list[float]] = {name: [] for name in benches}
    for _ in range(4):
        for name, bench in benches.items():
            samples[name] += await measure(bench.fleet, args.move_rate, args.seconds / 4)
    await cluster.fleet.all("close")
    return samples


async def gateway_ramps(bench: Bench, args: argparse.Namespace) -> tuple[Held, Held]:
    """On the cluster stack: participants held within the budget by one gateway and by two.

    Each ramp size (N, 2N, 4N... participants, each hearing moving at `hearing_pace`) is seated
    once and measured with its sockets on one gateway, then (closed and opened again) spread
    over both. A ramp stops at its first size over the budget."""
    stack, fleet, mediator = bench.stack, bench.fleet, bench.mediator
    assert mediator is not None
    meter = CpuMeter(stack.pids() | fleet.pids())
    ramps = {1: Held(), 2: Held()}
    for step in range(args.steps):
        size = args.participants * 2**step
        if all(r.over for r in ramps.values()):
            break
        try:
            await seat(stack, fleet, mediator, size)
        except TimeoutError:  # could not even seat them: over budget
            break
        admitted = False
        for gateways, ramp in ramps.items():
            if ramp.over:
                continue
            await join(fleet, gateways, admit=not admitted)
            admitted = True
            rate = args.hearing_pace * max(1, size // 10)
            samples = await measure(fleet, rate, args.seconds, meter)
            print(f"  {gateways} gateway(s), {size} participants: move p99 "
                  f"{pct(samples, 0.99):.1f} ms (budget {args.budget_ms:g})", file=sys.stderr)
            ramp.step(size, samples, meter.used, args.budget_ms)
            await fleet.all("close")
    return ramps[1], ramps[2]


def scale_ceiling(one: Held, cores: int) -> float | None:
    """The most a second gateway on the same machine could add (Amdahl, from the CPU each
    process spent per move with one gateway): moves per second are capped by the machine
    (`cores` / all CPU per move) and by the one gateway process (one core / its CPU per move);
    a second gateway lifts only the second cap. None without a measurement."""
    total = sum(one.cpu_per_move.values())
    gateway = sum(t for n, t in one.cpu_per_move.items() if n.startswith("gateway"))
    if not total or not gateway:
        return None
    machine = cores / total
    return round(min(machine, 2 / gateway) / min(machine, 1 / gateway), 2)


async def run(args: argparse.Namespace) -> dict[str, float | int | None]:
    workers = Fleet.size_for(args.participants * 2 ** (args.steps - 1))
    single, cluster = Bench(False, 1, workers), Bench(True, 2, workers)
    began = time.perf_counter()

    def phase(name: str) -> None:
        print(f"[{time.perf_counter() - began:5.1f} s] {name}", file=sys.stderr)

    try:
        # Both stacks start together (start-up is mostly waiting: the cluster forming, streams
        # provisioned, processes importing). The latency figures are then taken on both in
        # alternating turns (the machine's speed drifts between minutes; neither stack should
        # get the fast ones); the single node is stopped before the gateway ramps.
        await asyncio.gather(single.start(), cluster.start())
        assert single.mediator is not None and cluster.mediator is not None
        phase("both stacks up")
        single_events = await events_per_s(single.stack, args.events)
        cluster_events = await events_per_s(cluster.stack, args.events)
        writes = await command_writes(single, cluster, args.writes)
        moves = await both_moves(single, cluster, args)
        single_p99, cluster_p99 = pct(moves["single"], 0.99), pct(moves["cluster"], 0.99)
        for name, events in (("single", single_events), ("cluster", cluster_events)):
            print(f"{name}: {events:.0f} audit events/s, move p99 {pct(moves[name], 0.99):.1f} ms "
                  f"({len(moves[name])} moves), a command's write p99 "
                  f"{pct(writes[name], 0.99):.2f} ms", file=sys.stderr)
        await single.stop()
        phase("single node and cluster measured")
        one, two = await gateway_ramps(cluster, args)
        phase("gateway ramps done")
    except BaseException:
        for bench in (single, cluster):
            bench.show_logs()
        raise
    finally:
        for bench in (single, cluster):
            await bench.stop()
    cores = len(os.sched_getaffinity(0))
    ceiling = scale_ceiling(one, cores)
    print(f"gateways: one held {one.participants}, two held {two.participants} participants "
          f"within {args.budget_ms:g} ms; with one gateway it spent "
          f"{100 * one.share('gateway'):.0f}% of all CPU per move, so on {cores} shared cores a "
          f"second gateway can add at most x{ceiling} (Amdahl)", file=sys.stderr)
    return {
        "single_move_p99_ms": round(single_p99, 2), "cluster_move_p99_ms": round(cluster_p99, 2),
        "move_ratio": round(cluster_p99 / single_p99, 2) if single_p99 else None,
        "single_write_p99_ms": round(pct(writes["single"], 0.99), 2),
        "cluster_write_p99_ms": round(pct(writes["cluster"], 0.99), 2),
        "single_events_per_s": round(single_events), "cluster_events_per_s": round(cluster_events),
        "events_ratio": round(cluster_events / single_events, 2) if single_events else None,
        "participants_one_gateway": one.participants,
        "participants_two_gateways": two.participants,
        # None: one gateway held nothing within budget (a saturated machine), no ratio to give
        "gateway_scale": round(two.participants / one.participants, 2) if one.participants
        else None,
        "gateway_scale_ceiling": ceiling,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--writes", type=int, default=None,
                        help="a command's writes (event + compare-and-set) timed on each stack")
    parser.add_argument("--move-rate", type=float, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--steps", type=int, default=None, help="doublings of the ramp")
    parser.add_argument("--hearing-pace", type=float, default=None,
                        help="moves per second per hearing in the gateway ramp")
    parser.add_argument("--budget-ms", type=float, default=50.0)
    args = parser.parse_args()
    quick = args.quick
    args.participants = args.participants or (40 if quick else 500)
    args.events = args.events or (2000 if quick else 20000)
    args.writes = args.writes or (400 if quick else 4000)
    # p99 needs samples: a quick run still makes 100 moves per latency measurement.
    args.move_rate = args.move_rate or 25.0
    args.seconds = args.seconds or (4.0 if quick else 20.0)
    args.hearing_pace = args.hearing_pace or (2.0 if quick else 0.5)
    args.steps = args.steps or (2 if quick else 4)
    results = asyncio.run(run(args))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
