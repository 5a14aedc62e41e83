"""The benchmarks issues 13 and 15 are measured with run `--quick` to their end and print their
figures as one JSON object on their last line. The figures themselves are measurements, not
asserted; this catches a benchmark the product has moved away from (`cluster.py` once waited for
every gateway to print a first-run secret, after only one gateway came to print it)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.harness import REPO

CLUSTER_KEYS = {"single_move_p99_ms", "cluster_move_p99_ms", "move_ratio", "single_write_p99_ms",
                "cluster_write_p99_ms", "single_events_per_s", "cluster_events_per_s",
                "events_ratio", "participants_one_gateway", "participants_two_gateways",
                "gateway_scale"}
EVIDENCE_KEYS = {"upload_ratio", "download_ratio", "download_pairs", "resumable_upload_ratio",
                 "rss_growth_mib_gateway", "rss_growth_mib_evidence", "aes_gcm_mib_s"}


def last_line(*argv: str, timeout_s: float) -> dict[str, Any]:
    run = subprocess.run([sys.executable, *argv], cwd=REPO, capture_output=True, text=True,
                         timeout=timeout_s)
    assert run.returncode == 0, run.stderr[-3000:]
    figures: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return figures


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_cluster_benchmark_prints_its_figures() -> None:
    figures = last_line("benchmarks/cluster.py", "--quick", timeout_s=280)
    assert figures.keys() >= CLUSTER_KEYS, figures
    assert figures["participants_one_gateway"] > 0 and figures["cluster_events_per_s"] > 0
    assert figures["single_write_p99_ms"] > 0 and figures["cluster_write_p99_ms"] > 0


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_evidence_benchmark_prints_its_figures() -> None:
    figures = last_line("benchmarks/evidence_throughput.py", "--quick", "--no-s3",
                        timeout_s=280)
    assert figures.keys() >= EVIDENCE_KEYS, figures
    assert figures["download_pairs"] == 9  # 3 rounds, each with its own pair and 2 more
    assert figures["upload_pairs"] == figures["resumable_pairs"] == 6  # 3 rounds of 2 (ABBA)
    assert figures["upload_ratio"] > 0 and figures["download_ratio"] > 0
