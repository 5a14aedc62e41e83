"""The test harness's `free_port`: ports asked for together differ, though none is listened on
before all are picked (a 3-node cluster picks six; one CI run failed on a port picked twice)."""

from __future__ import annotations

from tests.harness import free_port


def test_a_thousand_ports_asked_for_in_a_row_all_differ() -> None:
    ports = [free_port() for _ in range(1000)]
    assert len(set(ports)) == len(ports)
