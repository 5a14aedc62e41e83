"""Audit search through the gateway over a large log, against the same queries run in-process.

    python benchmarks/audit_search.py [--quick] [--entries N] [--rounds R] [--keep-log DIR]

Builds a real SQLite log (the service's own append path: canonical entries, stored nodes, the
names table, the tallies; the indexes made once at the end by the store's schema, then signed)
of N entries (default 10^6; --quick 10^5) spread over 50 hearings, 200 people with names, 2,000
documents and the three outcomes, starts the whole suite on it (`parley up`), signs in an
auditor, then times `GET /api/v1/audit/events` (page + total) with the auditor's API token for
every single filter the console offers — hearing, actor, person by name, action, action family,
resource type + id, outcome, time range, none — on the first page, a page deep in the log
(cursor halfway), and newest first. Baseline: the service's own search (page and total) on the
same SQLite file in this process (the gateway → NATS → service hop and the JSON are the
difference). Prints p50/p95 per filter and per page; last line: JSON with `entries`,
`search_p95_ms`, `search_p50_ms` (through the gateway), `per_filter`, the baseline and the worst
query.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.api.audit_params import event_query
from proto.audit import Actor, AuditEvent, Outcome, Resource
from services.audit.entry import record_for
from services.audit.keys import derive_origin, load_or_create_signer
from services.audit.log import LogStore
from services.audit.signer import CheckpointIssuer
from tests.harness import Suite
from tests.people import staff_people

T0 = 1_700_000_000_000
OUTCOMES = (Outcome.ALLOWED,) * 17 + (Outcome.DENIED, Outcome.DENIED, Outcome.FAILED)
ACTIONS = ("document.view", "document.download", "document.list", "room.move",
           "participant.connect", "audit.query", "auth.signin")


def _event(i: int) -> AuditEvent:
    person = i % 200
    if i < 200:  # the roster first: the names the person filter resolves
        return AuditEvent(id=f"s{i:010d}", time=T0 + i, actor=Actor(id="mediator1"),
                          action="participant.invite",
                          resource=Resource(type="participant", id=f"p{person:03d}"),
                          outcome=Outcome.ALLOWED, service="signalling", hearing=f"h{i % 50:02d}",
                          details={"name": f"Person {person:03d} Lastname", "role": "counsel"})
    return AuditEvent(
        id=f"s{i:010d}", time=T0 + 250 * i, actor=Actor(id=f"p{person:03d}"),
        action=ACTIONS[i % len(ACTIONS)],
        resource=Resource(type="document", id=f"doc{i % 2000:04d}"),
        outcome=OUTCOMES[i % len(OUTCOMES)], service="evidence", hearing=f"h{i % 50:02d}",
        details={"bytes": i * 7})


def build_log(path: Path, size: int, batch: int = 50_000) -> None:
    """The log through the store's own append (canonical entries, stored nodes, names, tallies),
    with the entries' secondary indexes dropped while the rows go in and built at the end by
    reopening the store: its schema's own CREATE INDEX statements, so the indexes searched are
    production's, made by one sort each instead of 10^6 inserts into eight B-trees each (the
    row-by-row build of 10^6 entries took over 25 minutes on a loaded 2-core machine). Then
    signed as the service signs, with the key it will load: a running log is never far ahead of
    its last checkpoint, whereas a first checkpoint over 10^6 entries rehashes them all on the
    service's event loop, for longer than its sequencer lease lasts."""
    store = LogStore.open(path, synchronous="NORMAL")
    if store.size < size:  # else kept from an earlier run (--keep-log)
        conn = store.conn
        conn.execute("PRAGMA cache_size=-524288")  # 512 MiB while building
        conn.execute("PRAGMA synchronous=OFF")  # a benchmark's scratch log: no fsync per checkpoint
        dropped = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'"
            " AND sql IS NOT NULL")]
        for name in dropped:
            conn.execute(f'DROP INDEX "{name}"')
        for start in range(store.size, size, batch):
            store.append([record_for(_event(i)) for i in range(start, min(start + batch, size))])
        store.close()
        store = LogStore.open(path)  # the schema's CREATE INDEX IF NOT EXISTS: indexes rebuilt
        missing = set(dropped) - {name for (name,) in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        if missing:
            raise RuntimeError(f"the store did not rebuild its indexes: {sorted(missing)}")
    try:
        last = store.latest_checkpoint()
        if last is None or last.size < store.size:
            signer = load_or_create_signer(path.parent / "signing.key", "",
                                           derive=lambda: derive_origin("", "benchmark.invalid"))
            CheckpointIssuer(store, signer, verify_on_start=False).issue(int(time.time() * 1000))
    finally:
        store.close()


def queries(size: int) -> dict[str, dict[str, str]]:
    mid_time = str(T0 + 250 * size // 2)
    single = {
        "none": {}, "hearing": {"hearing": "h07"}, "actor": {"actor": "p042"},
        "person": {"person": "person 042"}, "action": {"action": "document.download"},
        "action family": {"action": "document."},
        "resource": {"resource_type": "document", "resource_id": "doc0123"},
        "outcome": {"outcome": "failed"},
        "time range": {"time_from": mid_time, "time_to": str(int(mid_time) + 3_600_000)},
    }
    cases: dict[str, dict[str, str]] = {}
    for name, params in single.items():
        cases[f"{name}, first page"] = {**params, "limit": "50"}
        cases[f"{name}, newest first"] = {**params, "limit": "50", "order": "desc"}
        cases[f"{name}, deep page"] = {**params, "limit": "50", "cursor": str(size // 2)}
    return cases


def baseline(path: Path, cases: dict[str, dict[str, str]], rounds: int) -> list[float]:
    store = LogStore.open(path)
    samples: list[float] = []
    for _ in range(rounds):
        for params in cases.values():
            query = event_query(params)
            t0 = time.perf_counter()
            store.search(query)  # what the service runs for the request: a page and its total
            samples.append((time.perf_counter() - t0) * 1000)
    store.close()
    return samples


async def through_gateway(suite: Suite, cases: dict[str, dict[str, str]],
                          rounds: int) -> dict[str, list[float]]:
    """Each case's times (ms) through the gateway, as a signed-in auditor's API token asks."""
    people = await staff_people(suite)
    took: dict[str, list[float]] = {name: [] for name in cases}
    async with people.auditor.session(bearer=True) as http:
        for _ in range(rounds):
            for name, params in cases.items():
                t0 = time.perf_counter()
                async with http.get(f"/api/v1/audit/events?{urlencode(params)}") as r:
                    body = await r.read()
                    if r.status != 200:
                        raise RuntimeError(f"{name}: {r.status} {body[:200]!r}")
                took[name].append((time.perf_counter() - t0) * 1000)
    return took


def per_filter(took: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """p50 and p95 (ms) per filter over its three pages, and per page over every filter."""
    groups: dict[str, list[float]] = {}
    for name, samples in took.items():
        single, page = name.split(", ")
        groups.setdefault(single, []).extend(samples)
        groups.setdefault(page, []).extend(samples)
    return {group: {"p50": round(statistics.median(samples), 1), "p95": round(_p(samples, 0.95), 1)}
            for group, samples in groups.items()}


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^5 entries, fewer rounds")
    parser.add_argument("--entries", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None,
                        help="times each query is asked (default 5; --quick 3)")
    parser.add_argument("--keep-log", type=Path, default=None,
                        help="keep the log (and its signing key) in this directory for later"
                             " runs: a log already there is reused, grown if it is smaller")
    args = parser.parse_args()
    size = args.entries or (100_000 if args.quick else 1_000_000)
    rounds = args.rounds or (3 if args.quick else 5)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        if args.keep_log is None:
            (data / "audit").mkdir(mode=0o700)
        else:  # the suite's other state is new each run: only the audit directory is kept
            args.keep_log.mkdir(parents=True, mode=0o700, exist_ok=True)
            (data / "audit").symlink_to(args.keep_log.resolve(), target_is_directory=True)
        t0 = time.perf_counter()
        build_log(data / "audit" / "log.db", size)
        print(f"built a log of {size} entries in {time.perf_counter() - t0:.1f} s", flush=True)
        cases = queries(size)
        base = baseline(data / "audit" / "log.db", cases, rounds)
        suite = Suite(data_dir=data, extra_env={"PARLEY_RATE_SESSION_PER_S": "10000",
                                                "PARLEY_RATE_SESSION_BURST": "10000",
                                                "PARLEY_RATE_ADDRESS_PER_S": "10000",
                                                "PARLEY_RATE_ADDRESS_BURST": "10000"})
        t0 = time.perf_counter()
        suite.start()
        try:
            # The audit service recomputes the whole tree before it serves (O(n) at start).
            await suite.ready(timeout=120 + size / 1000)
            print(f"suite ready in {time.perf_counter() - t0:.1f} s", flush=True)
            took = await through_gateway(suite, cases, rounds)
        finally:
            suite.stop()
    samples = [ms for case in took.values() for ms in case]
    worst = {name: max(case) for name, case in took.items()}
    groups = per_filter(took)
    result: dict[str, Any] = {
        "entries": size, "queries": len(cases), "rounds": rounds,
        "baseline_p50_ms": round(statistics.median(base), 2),
        "baseline_p95_ms": round(_p(base, 0.95), 2),
        "worst_query": max(worst, key=lambda k: worst[k]),
        "worst_query_ms": round(max(worst.values()), 1),
        "ratio_p50_vs_baseline": round(statistics.median(samples) / max(statistics.median(base), 1e-3), 2),
        "per_filter": groups,
        "search_p95_ms": round(_p(samples, 0.95), 1),
        "search_p50_ms": round(statistics.median(samples), 1),
    }
    for group, stats in groups.items():
        print(f"  {group:>15}: p50 {stats['p50']:7.1f} ms  p95 {stats['p95']:7.1f} ms")
    for name in sorted(worst, key=lambda k: -worst[k])[:5]:
        print(f"  slowest: {name}: {worst[name]:.1f} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
