"""One node against the 3-node cluster, and one gateway against two, in the same run.

    python benchmarks/cluster.py [--quick] [--participants N] [--events E] [--budget-ms B]

Real processes on loopback. "single": one nats-server (infra/nats/parley.conf), streams and
buckets R1. "cluster": three nats-servers (infra/nats/cluster.conf: routes with mutual TLS, TLS
to every client, JetStream R3). Each stack runs one signalling, one audit and the gateway(s).

- move p99: N participants in hearings of 10 on one gateway, each hearing's mediator moving a
  participant between plenary and a caucus (benchmarks/sigload; the sockets live in client
  processes), same pacing on both stacks;
- audit events committed/s: E events published to `AUDIT` (acknowledged, R1 or R3), until the
  audit log holds them all (its `$SRV.STATS`);
- participants held at a move-latency budget (p99 <= B ms) by one gateway, then by two (sockets
  split across them), on the same cluster stack (it runs both gateways throughout), ramping N,
  2N, 4N... with the move rate growing with the participants (each hearing moves at the same
  pace): the largest size within budget. Each step prints the CPU seconds every process spent
  per move, so a ramp that stops shows which process ran out (on this machine every process
  shares the same two cores: a second gateway adds no CPU, it only spreads the gateway's share).

Goals (issue 15): move_ratio <= 1.5, events_ratio >= 0.5, gateway_scale >= 1.8.
Last line: {"single_move_p99_ms", "cluster_move_p99_ms", "move_ratio", "single_events_per_s",
"cluster_events_per_s", "events_ratio", "participants_one_gateway", "participants_two_gateways",
"gateway_scale"}.
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
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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

T = TypeVar("T")
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

    def stop(self) -> None:
        for proc in self.procs:
            proc.stop()
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


class CpuMeter:
    """CPU seconds each process spent between `start` and `stop` (a move phase)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.before: dict[str, float] = {}

    @staticmethod
    def _cpu(proc: psutil.Process) -> float:
        times = proc.cpu_times()
        return float(times.user + times.system)

    def start(self) -> None:
        self.before = {n: self._cpu(p) for n, p in self.procs.items()}

    def stop(self) -> dict[str, float]:
        return {n: self._cpu(p) - self.before[n] for n, p in self.procs.items()}


async def moves(stack: Stack, fleet: Fleet, mediator: Staff, participants: int, gateways: int,
                rate: float, seconds: float, meter: CpuMeter | None = None) -> list[float]:
    """Seat `participants` in hearings of 10 (sockets spread over the first `gateways`
    gateways), move, close them."""
    urls = [f"http://127.0.0.1:{p}" for p in stack.ports]
    await fleet.seat(urls, mediator, max(1, participants // 10), 10)
    await fleet.all("join", gateways=gateways)
    await fleet.all("admit")
    if meter is not None:
        meter.start()
    samples = await fleet.moves(rate, seconds, "real")
    if meter is not None:
        used = meter.stop()
        busiest = sorted(used.items(), key=lambda kv: -kv[1])[:5]
        print("    CPU per move: " + ", ".join(
            f"{n} {1000 * t / max(1, len(samples)):.1f} ms" for n, t in busiest)
            + f" ({len(samples) / seconds:.0f} moves/s)", file=sys.stderr)
    await fleet.all("close")
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


async def _log_size(nc: Any) -> int:
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
        except TimeoutError:
            pass
    finally:
        await sub.unsubscribe()
    return max(sizes)


async def on_stack(cluster: bool, gateways: int, body: Callable[[Stack, Fleet, Staff],
                   Awaitable[T]], workers: int) -> T:
    """Run `body` on a fresh stack with its load generators; the logs are shown if it fails."""
    root = Path(tempfile.mkdtemp(prefix="parley-cluster-bench-"))
    stack = Stack(root, cluster, gateways)
    fleet = Fleet(workers)
    try:
        await stack.start()
        await fleet.start()
        admin = await _bootstrap(stack)
        mediator = await create_staff(stack, admin, "mediator", "mediator")  # type: ignore[arg-type]
        return await body(stack, fleet, mediator)
    except BaseException:
        for proc in stack.procs:  # the run failed: show why, before the logs are removed
            print(f"--- {proc.log_path.name}\n{proc.log()[-1500:]}", file=sys.stderr)
        raise
    finally:
        await fleet.stop()
        stack.stop()
        shutil.rmtree(root, ignore_errors=True)


class _OneGateway:
    """The stack seen through one gateway's log (for tests.people.bootstrap_admin)."""

    def __init__(self, stack: Stack, proc: ServiceProcess) -> None:
        self.base_url, self.proc = stack.base_url, proc

    def log(self) -> str:
        return self.proc.log()


async def _bootstrap(stack: Stack) -> Staff:
    """Every gateway prints a first-run secret; the one stored last is the valid one."""
    gateways = [p for p in stack.procs if p.module == "gateway"]
    for proc in reversed(gateways):
        try:
            return await bootstrap_admin(_OneGateway(stack, proc))  # type: ignore[arg-type]
        except AssertionError:
            continue
    raise AssertionError("no gateway's bootstrap secret was accepted")


async def held(stack: Stack, fleet: Fleet, mediator: Staff, gateways: int, start: int,
               steps: int, budget_ms: float, rate: float, seconds: float) -> int:
    """The largest of start, 2 start, 4 start... participants whose move p99 is within budget
    (the move rate grows with them), their sockets on the first `gateways` gateways."""
    best = 0
    meter = CpuMeter(stack.pids() | fleet.pids())
    for step in range(steps):
        size = start * 2**step
        try:
            samples = await moves(stack, fleet, mediator, size, gateways, rate * size / start,
                                  seconds, meter)
        except TimeoutError:  # could not even seat them: over budget
            break
        p99 = pct(samples, 0.99)
        print(f"  {gateways} gateway(s), {size} participants: move p99 {p99:.1f} ms "
              f"(budget {budget_ms:g})", file=sys.stderr)
        if p99 > budget_ms:
            break
        best = size
    return best


async def run(args: argparse.Namespace) -> dict[str, float | int | None]:
    workers = Fleet.size_for(args.participants * 2 ** (args.steps - 1))

    async def single(stack: Stack, fleet: Fleet, mediator: Staff) -> tuple[float, float]:
        events = await events_per_s(stack, args.events)
        samples = await moves(stack, fleet, mediator, args.participants, 1, args.move_rate,
                              args.seconds)
        print(f"single: {events:.0f} audit events/s, move p99 {pct(samples, 0.99):.1f} ms",
              file=sys.stderr)
        return pct(samples, 0.99), events

    async def cluster(stack: Stack, fleet: Fleet,
                      mediator: Staff) -> tuple[float, float, int, int]:
        events = await events_per_s(stack, args.events)
        samples = await moves(stack, fleet, mediator, args.participants, 1, args.move_rate,
                              args.seconds)
        print(f"cluster: {events:.0f} audit events/s, move p99 {pct(samples, 0.99):.1f} ms",
              file=sys.stderr)
        one, two = [await held(stack, fleet, mediator, g, args.participants, args.steps,
                               args.budget_ms, args.move_rate, args.seconds) for g in (1, 2)]
        return pct(samples, 0.99), events, one, two

    single_p99, single_events = await on_stack(False, 1, single, workers)
    cluster_p99, cluster_events, one, two = await on_stack(True, 2, cluster, workers)
    return {
        "single_move_p99_ms": round(single_p99, 2), "cluster_move_p99_ms": round(cluster_p99, 2),
        "move_ratio": round(cluster_p99 / single_p99, 2) if single_p99 else None,
        "single_events_per_s": round(single_events), "cluster_events_per_s": round(cluster_events),
        "events_ratio": round(cluster_events / single_events, 2) if single_events else None,
        "participants_one_gateway": one, "participants_two_gateways": two,
        # None: one gateway held nothing within budget (a saturated machine), no ratio to give
        "gateway_scale": round(two / one, 2) if one else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--move-rate", type=float, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--steps", type=int, default=None, help="doublings of the ramp")
    parser.add_argument("--budget-ms", type=float, default=50.0)
    args = parser.parse_args()
    quick = args.quick
    args.participants = args.participants or (40 if quick else 500)
    args.events = args.events or (500 if quick else 20000)
    args.move_rate = args.move_rate or (8.0 if quick else 25.0)
    args.seconds = args.seconds or (2.0 if quick else 20.0)
    args.steps = args.steps or (2 if quick else 4)
    results = asyncio.run(run(args))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
