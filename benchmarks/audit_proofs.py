"""Audit log proof and offline-verification benchmarks (helpers for benchmarks/audit_ingest.py).

    python benchmarks/audit_proofs.py [--quick] [--size N] [--export N]

Builds a real SQLite log (same code path as the service: canonical entries, batched appends,
stored nodes), then measures inclusion/consistency proof latency (generation from the store,
p50/p99 over random indices/sizes) and the offline verification time of a range export of
`--export` entries (bundle written to a file, then `verify_bundle` on its lines). Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from proto.audit import Actor, AuditEvent, Outcome, Resource
from services.audit.bundle import range_bundle
from services.audit.bundle_verify import verify_bundle
from services.audit.entry import record_for
from services.audit.keys import NoteSigner
from services.audit.log import LogStore
from services.audit.signer import CheckpointIssuer

ORIGIN = "bench.parley.example/audit"


def _event(i: int) -> AuditEvent:
    return AuditEvent(
        id=f"b{i:012d}", time=1_700_000_000_000 + i, actor=Actor(id=f"acct{i % 97}"),
        action="document.view", resource=Resource(type="document", id=f"doc{i % 1013}"),
        outcome=Outcome.ALLOWED, service="evidence", hearing=f"h{i % 31}",
        details={"bytes": i * 7, "sha256": f"{i:064x}"},
    )


def build_log(path: Path, size: int, batch: int = 5000) -> LogStore:
    """A log of `size` entries at `path` (NORMAL sync: building is not what is measured)."""
    store = LogStore.open(path, synchronous="NORMAL")
    for start in range(store.size, size, batch):
        store.append([record_for(_event(i)) for i in range(start, min(start + batch, size))])
    return store


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def proof_latency(store: LogStore, samples: int = 2000, seed: int = 1) -> dict[str, float]:
    """p50/p99 milliseconds to produce inclusion and consistency proofs from the store."""
    rng = random.Random(seed)
    size = store.size
    inc: list[float] = []
    con: list[float] = []
    for _ in range(samples):
        tree_size = rng.randint(1, size)
        index = rng.randrange(tree_size)
        t0 = time.perf_counter()
        store.inclusion_proof(index, tree_size)
        inc.append((time.perf_counter() - t0) * 1000)
        first = rng.randint(1, tree_size)
        t0 = time.perf_counter()
        store.consistency_proof(first, tree_size)
        con.append((time.perf_counter() - t0) * 1000)
    return {
        "inclusion_p50_ms": statistics.median(inc), "inclusion_p99_ms": _p(inc, 0.99),
        "consistency_p50_ms": statistics.median(con), "consistency_p99_ms": _p(con, 0.99),
    }


def export_verify_time(store: LogStore, count: int, workdir: Path) -> float:
    """Seconds to verify offline a range bundle of `count` entries (bundle read from a file)."""
    signer = NoteSigner(ORIGIN, bytes(range(32)))
    checkpoint = CheckpointIssuer(store, signer, verify_on_start=False).issue(int(time.time() * 1000))
    begin = max(0, store.size - count - 3)
    path = workdir / "export.jsonl"
    with path.open("wb") as fh:
        fh.writelines(range_bundle(store, begin, begin + count, checkpoint, signer.verifier.vkey))
    t0 = time.perf_counter()
    with path.open("rb") as fh:
        report = verify_bundle(fh, signer.verifier)
    elapsed = time.perf_counter() - t0
    assert report.count == count
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--size", type=int)
    parser.add_argument("--export", type=int)
    args = parser.parse_args()
    size = args.size or (100_000 if args.quick else 1_000_000)
    export = args.export or (20_000 if args.quick else 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = build_log(Path(tmp) / "log.db", size)
        build_s = time.perf_counter() - t0
        result: dict[str, float | int] = {"log_size": size, "build_s": round(build_s, 2)}
        result.update({k: round(v, 4) for k, v in proof_latency(store).items()})
        result["export_entries"] = export
        result["verify_s"] = round(export_verify_time(store, export, Path(tmp)), 3)
        store.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
