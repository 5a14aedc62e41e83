"""What `parley up` runs: one of everything, or the cluster form (pure: ports and names only).

One node (the default):  nats  signalling  evidence  audit  gateway
Cluster (`--cluster`):   nats-1 nats-2 nats-3 (JetStream R3, routes, TLS; infra/nats/cluster.conf)
                         signalling-1/2, evidence-1/2 (queue-group members), audit-1/2
                         (one sequencer holding a lease, one standby with a copy of the log),
                         gateway-1/2 (two HTTP ports; no sticky sessions: any gateway serves any
                         client, because everything a client sees goes through NATS).

The cluster runs the production configuration on loopback: the same nats-server config file as
docker-compose, TLS to NATS and on evidence's internal port with certificates from the same
`parley.tlsfiles` the compose init step uses.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The services' Python modules and the NATS user each connects as.
MODULES = {
    "signalling": "services.signalling",
    "evidence": "services.evidence",
    "audit": "services.audit",
    "gateway": "gateway",
}
#: Start order; the gateways come last so /readyz turns green only when the rest answer.
SERVICES = ("signalling", "evidence", "audit", "gateway")
CLUSTER_SIZE = 3
#: How many processes of each service the cluster form runs (audit: the sequencer holding the
#: lease and a standby keeping a copy, services/audit/standby.py).
CLUSTER_COPIES = 2
#: A conventional NATS layout: route port = client port + 2000 (4222 -> 6222).
ROUTE_OFFSET = 2000


@dataclass(frozen=True)
class NatsNode:
    name: str
    port: int
    route_port: int


@dataclass(frozen=True)
class Instance:
    """One service process: its supervisor name, its service, its gateway port if any, and its
    number among the copies of its service (the audit processes' PARLEY_AUDIT_INSTANCE)."""

    name: str
    service: str
    http_port: int | None = None
    number: int = 1


def nats_nodes(cluster: bool, nats_port: int, ports: tuple[int, ...] = (),
               route_ports: tuple[int, ...] = ()) -> list[NatsNode]:
    if not cluster:
        return [NatsNode("nats", nats_port, 0)]
    ports = ports or tuple(nats_port + i for i in range(CLUSTER_SIZE))
    route_ports = route_ports or tuple(p + ROUTE_OFFSET for p in ports)
    if len(ports) != CLUSTER_SIZE or len(route_ports) != CLUSTER_SIZE:
        raise ValueError(f"a cluster has {CLUSTER_SIZE} nats-servers: give {CLUSTER_SIZE} client "
                         f"and {CLUSTER_SIZE} route ports")
    if len({*ports, *route_ports}) != 2 * CLUSTER_SIZE:
        raise ValueError("the cluster's client and route ports must all differ")
    return [NatsNode(f"nats-{i + 1}", p, r) for i, (p, r) in enumerate(zip(ports, route_ports, strict=True))]


def instances(cluster: bool, http_port: int, http_ports: tuple[int, ...] = ()) -> list[Instance]:
    if not cluster:
        return [Instance(s, s, http_port if s == "gateway" else None) for s in SERVICES]
    http_ports = http_ports or tuple(http_port + i for i in range(CLUSTER_COPIES))
    if len(http_ports) != CLUSTER_COPIES or len(set(http_ports)) != CLUSTER_COPIES:
        raise ValueError(f"the cluster runs {CLUSTER_COPIES} gateways: give {CLUSTER_COPIES} "
                         "different HTTP ports")
    result = []
    for service in SERVICES:
        for i in range(CLUSTER_COPIES):
            port = http_ports[i] if service == "gateway" else None
            result.append(Instance(f"{service}-{i + 1}", service, port, i + 1))
    return result


def client_urls(nodes: list[NatsNode], tls: bool) -> str:
    scheme = "tls" if tls else "nats"
    return ",".join(f"{scheme}://127.0.0.1:{n.port}" for n in nodes)


def route_urls(nodes: list[NatsNode]) -> list[str]:
    return [f"nats-route://127.0.0.1:{n.route_port}" for n in nodes]


def replicas_for(node_count: int) -> int:
    """Streams and buckets: 3 replicas on a cluster of 3 or more nodes, else 1 (DESIGN §10)."""
    return 3 if node_count >= CLUSTER_SIZE else 1


def metrics_port(base: int, instance: Instance) -> int:
    """The /metrics listener of a gateway instance: `base` (PARLEY_METRICS_PORT) for the first,
    the next ports for the others, as their HTTP ports go; 0 (no listener) stays 0. One port
    for every gateway would leave all but the first unable to start."""
    if base == 0 or instance.service != "gateway":
        return base
    return base + instance.number - 1
