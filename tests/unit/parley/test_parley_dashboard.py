"""infra/grafana/parley.json charts metrics the gateway really exports (names checked against
the registry, so a renamed metric breaks this test, not the operator's dashboard)."""

from __future__ import annotations

import json
import re

from gateway.http.metrics import GatewayMetrics
from tests.harness import REPO


def test_every_dashboard_query_names_an_exported_metric() -> None:
    metrics = GatewayMetrics()
    metrics.watch_nats(lambda: 0)
    metrics.watch_live(lambda: 0, lambda: 0)
    exported = set()
    for family in metrics.registry.collect():  # series names by type (labelled ones have no samples yet)
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"]}.get(family.type, [""])
        exported |= {family.name + suffix for suffix in suffixes}
    dashboard = json.loads((REPO / "infra" / "grafana" / "parley.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    assert len(exprs) >= 14
    used = {name for e in exprs for name in re.findall(r"\b(parley_[a-z_]+)", e)}
    assert used <= exported, used - exported
