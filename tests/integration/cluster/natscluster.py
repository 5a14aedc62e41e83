"""Three real nats-servers from infra/nats/cluster.conf (the compose config), on loopback.

The environment of each node is built by the same function `parley up --cluster` uses, with
certificates from the same `parley.tlsfiles`; nodes can be killed with -9 and restarted.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
from nats.aio.client import Client

from parley.credentials import load_credentials
from parley.paths import NATS_CLUSTER_CONFIG
from parley.suite import cluster_node_environment, nats_server_argv, suite_tls
from parley.topology import NatsNode, client_urls, nats_nodes
from tests.harness import free_port, terminate, wait_until_sync


@dataclass
class NatsCluster:
    data_dir: Path
    nodes: list[NatsNode] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.nodes = nats_nodes(True, 0, tuple(free_port() for _ in range(3)),
                                tuple(free_port() for _ in range(3)))
        self.tls = suite_tls(self.data_dir)["nats"]

    @property
    def urls(self) -> str:
        return client_urls(self.nodes, tls=True)

    def start(self, name: str | None = None) -> None:
        for node in self.nodes:
            if name is not None and node.name != name:
                continue
            env = dict(os.environ, **cluster_node_environment(self.data_dir, node, self.nodes, self.tls))
            with (self.data_dir / f"{node.name}.log").open("ab") as log:  # the child keeps its copy
                self.processes[node.name] = subprocess.Popen(
                    nats_server_argv(NATS_CLUSTER_CONFIG), env=env, stdout=log, stderr=log)
        for node in self.nodes:
            if name is None or node.name == name:
                wait_until_sync(lambda n=node: _listening(n.port), timeout=15,
                                what=f"{node.name} to listen")

    def kill9(self, name: str) -> None:
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        """Every node at once (one after the other, each waits out its own shutdown)."""
        live = [p for p in self.processes.values() if p.poll() is None]
        for process in live:
            process.terminate()
        for process in live:
            terminate(process)  # waits; SIGKILL if it outlives the timeout

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.tls.ca))

    async def connect(self, user: str, **options: Any) -> Client:
        creds = load_credentials(self.data_dir / "nats" / "credentials" / f"{user}.json")
        return await nats.connect(self.urls.split(","), tls=self.tls_context(), user=creds.user,
                                  password=creds.password, inbox_prefix=creds.inbox_prefix,
                                  connect_timeout=2, **options)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
