"""`parley up --cluster` as a subprocess on free ports, for the cluster tests."""

from __future__ import annotations

import ssl
from pathlib import Path

import aiohttp
import nats

from parley.credentials import load_credentials
from tests.harness import Suite, free_port, wait_until


class Cluster(Suite):
    """The suite's cluster form; `urls` are the two gateways."""

    nats_ports: tuple[int, int, int] = (0, 0, 0)
    second_http_port: int = 0

    @property
    def urls(self) -> list[str]:
        return [self.base_url, f"http://127.0.0.1:{self.second_http_port}"]

    async def nats_as(self, user: str) -> nats.aio.client.Client:
        creds = load_credentials(self.data_dir / "nats" / "credentials" / f"{user}.json")
        tls = ssl.create_default_context(cafile=str(self.data_dir / "tls" / "ca.pem"))
        return await nats.connect([f"tls://127.0.0.1:{p}" for p in self.nats_ports], tls=tls,
                                  user=creds.user, password=creds.password,
                                  inbox_prefix=creds.inbox_prefix, connect_timeout=2)


def start_cluster(data_dir: Path, **extra: str) -> Cluster:
    nats_ports = (free_port(), free_port(), free_port())
    cluster = Cluster(data_dir=data_dir, nats_port=nats_ports[0], extra_env={
        "PARLEY_CLUSTER": "true",
        "PARLEY_CLUSTER_NATS_PORTS": ",".join(map(str, nats_ports)),
        "PARLEY_CLUSTER_ROUTE_PORTS": ",".join(str(free_port()) for _ in range(3)),
        "PARLEY_LOG_LEVEL": "WARNING", **extra})
    cluster.nats_ports = nats_ports
    cluster.second_http_port = free_port()
    cluster.extra_env["PARLEY_CLUSTER_HTTP_PORTS"] = f"{cluster.http_port},{cluster.second_http_port}"
    cluster.start()
    return cluster


async def all_ready(cluster: Cluster) -> None:
    await cluster.ready()
    for url in cluster.urls:
        async def up(url: str = url) -> bool:
            async with aiohttp.ClientSession() as http, http.get(f"{url}/readyz") as r:
                return r.status == 200
        await wait_until(up, timeout=30, what=f"{url}/readyz")
