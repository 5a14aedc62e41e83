"""`parley up`: the whole suite on its embedded defaults, under one supervisor."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from nats.aio.client import Client

from parley.config import CommonConfig, env_field
from parley.credentials import credentials_file, ensure_credentials, server_environment
from parley.failures import note_failure
from parley.natsconn import connect
from parley.paths import NATS_CLUSTER_CONFIG, NATS_CONFIG, nats_server_binary
from parley.provision import Provisioning, provision
from parley.supervisor import ChildSpec, Supervisor, data_path, ensure_port_free, python_module
from parley.tlsfiles import TlsFiles, ensure_tls
from parley.topology import (
    MODULES,
    Instance,
    NatsNode,
    client_urls,
    instances,
    metrics_port,
    nats_nodes,
    replicas_for,
    route_urls,
)

log = logging.getLogger("parley.suite")

@dataclass(frozen=True)
class SuiteConfig(CommonConfig):
    http_host: str = env_field("127.0.0.1", help="address the gateway listens on")
    http_port: int = env_field(8080, help="port of the gateway (web client, REST, WebSocket)")
    # The same variable as the gateway's absolute session lifetime: the sessions bucket's TTL
    # must never be shorter than a session may live.
    session_absolute_s: float = env_field(
        43200.0, help="absolute session lifetime in seconds (also the sessions bucket's TTL)"
    )
    # The same variable as the audit service's lease: the leader bucket's TTL *is* the lease.
    audit_lease_s: float = env_field(
        3.0, help="sequencer lease: a dead leader's standby takes over after about this long"
    )
    cluster: bool = env_field(
        False, help="run the cluster form: 3 nats-servers (R3, TLS), 2 of each service (--cluster)")
    cluster_nats_ports: tuple[int, ...] = env_field(
        (), help="cluster: the 3 nats-servers' client ports; empty = PARLEY_NATS_PORT, +1, +2")
    cluster_route_ports: tuple[int, ...] = env_field(
        (), help="cluster: the 3 nats-servers' route ports; empty = each client port + 2000")
    cluster_http_ports: tuple[int, ...] = env_field(
        (), help="cluster: the 2 gateways' ports; empty = PARLEY_HTTP_PORT and the next one")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 1.0 <= self.audit_lease_s <= 60.0:  # as the audit service itself requires
            raise ValueError("PARLEY_AUDIT_LEASE_S must be in [1, 60]")

    @property
    def nodes(self) -> list[NatsNode]:
        return nats_nodes(self.cluster, self.nats_port, self.cluster_nats_ports,
                          self.cluster_route_ports)

    @property
    def instances(self) -> list[Instance]:
        return instances(self.cluster, self.http_port, self.cluster_http_ports)


def nats_server_environment(data_dir: Path, port: int) -> dict[str, str]:
    """The variables infra/nats/parley.conf reads: loopback address, port, store, passwords."""
    store = data_dir / "nats" / "store"
    store.mkdir(parents=True, exist_ok=True)
    env = server_environment(ensure_credentials(data_dir))
    env.update(PARLEY_NATS_HOST="127.0.0.1", PARLEY_NATS_PORT=str(port),
               PARLEY_NATS_STORE_DIR=str(store))
    return env


def cluster_node_environment(data_dir: Path, node: NatsNode, nodes: list[NatsNode],
                             tls: TlsFiles) -> dict[str, str]:
    """What infra/nats/cluster.conf reads for one node: the one-node variables plus name, routes, TLS."""
    env = nats_server_environment(data_dir, node.port)
    store = data_dir / "nats" / node.name
    store.mkdir(parents=True, exist_ok=True)
    env.update(PARLEY_NATS_STORE_DIR=str(store), PARLEY_NATS_SERVER_NAME=node.name,
               PARLEY_NATS_CLUSTER_PORT=str(node.route_port),
               PARLEY_NATS_TLS_CERT=str(tls.cert), PARLEY_NATS_TLS_KEY=str(tls.key),
               PARLEY_NATS_TLS_CA=str(tls.ca))
    for i, url in enumerate(route_urls(nodes), start=1):
        env[f"PARLEY_NATS_ROUTE_{i}"] = url
    return env


def nats_server_argv(config_file: Path = NATS_CONFIG) -> list[str]:
    return [str(nats_server_binary()), "-c", str(config_file)]


def suite_tls(data_dir: Path) -> dict[str, TlsFiles]:
    """The cluster form's certificates (loopback names), made once under the data dir."""
    loopback = ["localhost", "127.0.0.1"]
    return ensure_tls(data_dir / "tls", {"nats": loopback, "evidence": loopback})


def nats_children(config: SuiteConfig, base_env: Mapping[str, str]) -> list[ChildSpec]:
    data_dir = data_path(config.data_dir)
    nodes = config.nodes
    if not config.cluster:
        env = dict(base_env)
        env.update(nats_server_environment(data_dir, config.nats_port))
        return [ChildSpec("nats", nats_server_argv(), env, stop_timeout_s=15.0, tier=0)]
    tls = suite_tls(data_dir)["nats"]
    specs = []
    for node in nodes:
        env = dict(base_env)
        env.update(cluster_node_environment(data_dir, node, nodes, tls))
        specs.append(ChildSpec(node.name, nats_server_argv(NATS_CLUSTER_CONFIG), env,
                               stop_timeout_s=15.0, tier=0))
    return specs


def client_config(config: SuiteConfig) -> SuiteConfig:
    """`config` as a client sees it: every node's URL, and the CA to check them in the cluster form."""
    if config.nats_url or not config.cluster:
        return config
    ca = suite_tls(data_path(config.data_dir))["nats"].ca
    return replace(config, nats_url=client_urls(config.nodes, tls=True), nats_tls_ca=ca)


def service_child(config: SuiteConfig, instance: Instance, base_env: Mapping[str, str]) -> ChildSpec:
    data_dir = data_path(config.data_dir)
    clients = client_config(config)
    env = dict(base_env)
    env["PARLEY_DATA_DIR"] = str(data_dir)
    env["PARLEY_NATS_CREDENTIALS"] = str(credentials_file(data_dir, instance.service))
    env["PARLEY_NATS_URL"] = clients.effective_nats_url
    env["PYTHONUNBUFFERED"] = "1"
    if instance.http_port is not None:
        env["PARLEY_HTTP_PORT"] = str(instance.http_port)
    if instance.service == "audit":
        env["PARLEY_AUDIT_INSTANCE"] = str(instance.number)
    if instance.service == "gateway" and env.get("PARLEY_METRICS_PORT", "").strip():
        env["PARLEY_METRICS_PORT"] = str(metrics_port(int(env["PARLEY_METRICS_PORT"]), instance))
    if clients.nats_tls_ca is not None:
        env["PARLEY_NATS_TLS_CA"] = str(clients.nats_tls_ca)
    if config.cluster:
        evidence = suite_tls(data_dir)["evidence"]
        if instance.service == "evidence":
            env.update(PARLEY_EVIDENCE_HTTP_TLS_CERT=str(evidence.cert),
                       PARLEY_EVIDENCE_HTTP_TLS_KEY=str(evidence.key))
        if instance.service == "gateway":
            env["PARLEY_EVIDENCE_TLS_CA"] = str(evidence.ca)
    return ChildSpec(instance.name, python_module(MODULES[instance.service]), env)


def _child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """What children inherit: the caller's environment minus another process's NATS identity."""
    env = {k: v for k, v in environ.items() if not k.startswith("PARLEY_NATS_PW_")}
    env.pop("PARLEY_NATS_CREDENTIALS", None)
    return env


async def wait_for_nats(config: SuiteConfig, deadline_s: float = 20.0) -> Client:
    creds = ensure_credentials(data_path(config.data_dir))["supervisor"]
    config = client_config(config)
    end = time.monotonic() + deadline_s
    while True:
        try:
            return await connect(config, "parley-supervisor", creds, max_reconnect_attempts=-1)
        except Exception as exc:  # not up yet (any connect failure): retry until the deadline
            if time.monotonic() > end:
                raise
            note_failure(log, "suite.wait_for_nats", exc, level=logging.DEBUG)
            await asyncio.sleep(0.1)


async def provision_when_ready(nc: Client, plan: Provisioning, deadline_s: float = 30.0) -> list[str]:
    """Provision, retrying while a fresh cluster is still electing its JetStream meta leader."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            return await provision(nc.jetstream(timeout=5.0), plan)
        except Exception as exc:
            if time.monotonic() > end:
                raise
            log.info("JetStream not ready yet: retrying", extra={"error": exc.__class__.__name__})
            await asyncio.sleep(0.5)


async def provision_only(config: SuiteConfig) -> None:
    """`parley provision`: what compose runs once before the services (NATS runs elsewhere).

    Connects as the supervisor user with the credentials in PARLEY_NATS_CREDENTIALS.
    """
    nc = await connect(config, "parley-provision", max_reconnect_attempts=-1)
    try:
        plan = Provisioning(session_ttl_s=config.session_absolute_s,
                            audit_lease_s=config.audit_lease_s,
                            replicas=replicas_for(len(config.nats_servers)))
        touched = await provision_when_ready(nc, plan, deadline_s=120.0)
        log.info("provisioned", extra={"names": ",".join(touched), "replicas": plan.replicas})
    finally:
        await nc.drain()


async def run_suite(
    config: SuiteConfig, stop: asyncio.Event, environ: Mapping[str, str] | None = None
) -> None:
    """Start everything, print the address, run until `stop` is set, then stop everything."""
    env = _child_environment(os.environ if environ is None else environ)
    data_dir = data_path(config.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not config.nats_url:
        for node in config.nodes:
            ensure_port_free("127.0.0.1", node.port, "PARLEY_NATS_PORT")
            if node.route_port:
                ensure_port_free("127.0.0.1", node.route_port, "PARLEY_CLUSTER_ROUTE_PORTS")
    for instance in config.instances:
        if instance.http_port is not None:
            ensure_port_free(config.http_host, instance.http_port, "PARLEY_HTTP_PORT")

    run_dir = data_dir / "run"
    run_dir.mkdir(exist_ok=True)
    state_file = run_dir / "processes.json"
    supervisor: Supervisor

    def record(name: str, what: str) -> None:
        """Keep run/processes.json current: operators and tests find the children's pids there."""
        pids = {c.spec.name: c.process.pid for c in supervisor.children if c.process is not None}
        body = {"supervisor": os.getpid(), "children": pids,
                "http": f"http://{config.http_host}:{config.http_port}",
                "gateways": [f"http://{config.http_host}:{i.http_port}"
                             for i in config.instances if i.http_port is not None]}
        tmp = state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(body))
        tmp.replace(state_file)

    supervisor = Supervisor(on_event=record)
    try:
        if not config.nats_url:
            for spec in nats_children(config, env):
                await supervisor.start(spec)
        nc = await wait_for_nats(config)
        try:
            plan = Provisioning(session_ttl_s=config.session_absolute_s,
                                audit_lease_s=config.audit_lease_s,
                                replicas=replicas_for(len(client_config(config).nats_servers)))
            touched = await provision_when_ready(nc, plan)
            log.info("provisioned", extra={"names": ",".join(touched), "replicas": plan.replicas})
        finally:
            await nc.drain()
        for instance in config.instances:
            await supervisor.start(service_child(config, instance, env))
        host = "localhost" if config.http_host in ("127.0.0.1", "0.0.0.0") else config.http_host  # noqa: S104
        print(f"Parley is starting at http://{host}:{config.http_port}/  (Ctrl-C stops it)",
              file=sys.stderr, flush=True)
        await stop.wait()
    finally:
        print("Parley is stopping…", file=sys.stderr, flush=True)
        await supervisor.stop()
        state_file.unlink(missing_ok=True)
