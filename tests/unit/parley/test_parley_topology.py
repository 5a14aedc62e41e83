"""What `parley up` runs, one node or the cluster form (pure: names and ports)."""

from __future__ import annotations

import pytest

from parley.topology import (
    client_urls,
    instances,
    metrics_port,
    nats_nodes,
    replicas_for,
    route_urls,
)


def test_one_node_runs_one_of_everything() -> None:
    assert [n.name for n in nats_nodes(False, 4222)] == ["nats"]
    assert [(i.name, i.http_port) for i in instances(False, 8080)] == [
        ("signalling", None), ("evidence", None), ("audit", None), ("gateway", 8080)]
    assert replicas_for(1) == 1


def test_cluster_runs_three_nodes_and_two_of_each_stateless_service() -> None:
    nodes = nats_nodes(True, 4222)
    assert [(n.name, n.port, n.route_port) for n in nodes] == [
        ("nats-1", 4222, 6222), ("nats-2", 4223, 6223), ("nats-3", 4224, 6224)]
    assert client_urls(nodes, tls=True) == "tls://127.0.0.1:4222,tls://127.0.0.1:4223,tls://127.0.0.1:4224"
    assert route_urls(nodes)[2] == "nats-route://127.0.0.1:6224"
    names = [i.name for i in instances(True, 8080)]
    assert names.count("gateway-1") == 1 and "gateway-2" in names and "signalling-2" in names
    assert [i.http_port for i in instances(True, 8080) if i.service == "gateway"] == [8080, 8081]
    assert replicas_for(3) == 3


def test_cluster_ports_are_checked() -> None:
    with pytest.raises(ValueError, match="3 nats-servers"):
        nats_nodes(True, 4222, ports=(1, 2))
    with pytest.raises(ValueError, match="differ"):
        nats_nodes(True, 4222, ports=(1, 2, 3), route_ports=(3, 4, 5))
    with pytest.raises(ValueError, match="2 gateways"):
        instances(True, 8080, http_ports=(9000, 9000))


def test_each_gateway_of_the_cluster_has_its_own_metrics_port() -> None:
    gateways = [i for i in instances(True, 8080) if i.service == "gateway"]
    assert [metrics_port(9100, g) for g in gateways] == [9100, 9101]
    assert [metrics_port(0, g) for g in gateways] == [0, 0]  # no listener stays none
    (single,) = [i for i in instances(False, 8080) if i.service == "gateway"]
    assert metrics_port(9100, single) == 9100
