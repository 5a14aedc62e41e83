"""`benchmarks/cluster.py --quick` runs to its end and prints issue 15's figures as one JSON object
on its last line. The figures themselves are measurements, not asserted; this catches a benchmark
the product has moved away from (it once waited for every gateway to print a first-run secret,
after only one gateway came to print it)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.harness import REPO

KEYS = {"single_move_p99_ms", "cluster_move_p99_ms", "move_ratio", "single_write_p99_ms",
        "cluster_write_p99_ms", "single_events_per_s",
        "cluster_events_per_s", "events_ratio", "participants_one_gateway",
        "participants_two_gateways", "gateway_scale"}


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_cluster_benchmark_prints_its_figures() -> None:
    run = subprocess.run([sys.executable, "benchmarks/cluster.py", "--quick"], cwd=REPO,
                         capture_output=True, text=True, timeout=280)
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures.keys() >= KEYS, figures
    assert figures["participants_one_gateway"] > 0 and figures["cluster_events_per_s"] > 0
    assert figures["single_write_p99_ms"] > 0 and figures["cluster_write_p99_ms"] > 0
