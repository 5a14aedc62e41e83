"""infra/nats/cluster.conf run as three local processes: the compose cluster, without Docker.

TLS on every client connection (checked against the suite's CA; plain text and a foreign CA are
refused), routes with mutual TLS, JetStream R3: provisioning makes 3 replicas, and a write is
acknowledged while one node is dead (killed -9), then the node catches up when it comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from nats.aio.client import Client

from parley.config import CommonConfig
from parley.natsconn import connect
from parley.provision import HEARINGS_BUCKET, Provisioning
from parley.suite import provision_when_ready
from parley.tlsfiles import ensure_tls
from parley.topology import replicas_for
from tests.harness import wait_until
from tests.integration.cluster.natscluster import NatsCluster

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsCluster]:
    running = NatsCluster(tmp_path_factory.mktemp("nats-cluster"))
    running.start()
    yield running
    running.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def supervisor(cluster: NatsCluster) -> AsyncIterator[Client]:
    """Connected the way every Parley process connects (parley.natsconn, PARLEY_NATS_TLS_CA)."""
    config = CommonConfig(data_dir=cluster.data_dir, nats_url=cluster.urls,
                          nats_tls_ca=cluster.tls.ca,
                          nats_credentials=cluster.data_dir / "nats/credentials/supervisor.json")
    nc = await connect(config, "test-supervisor")
    plan = Provisioning(replicas=replicas_for(len(config.nats_servers)))
    await provision_when_ready(nc, plan)
    yield nc
    await nc.close()


async def test_streams_and_buckets_have_three_replicas(supervisor: Client) -> None:
    js = supervisor.jetstream()
    for stream in ("AUDIT", "KV_parley_accounts", "KV_parley_sessions", "KV_parley_hearings"):
        info = await js.stream_info(stream)
        assert info.config.num_replicas == 3, stream
        assert info.cluster is not None and info.cluster.name == "parley"


async def _handshake(port: int, context: ssl.SSLContext | None, connect: bytes = b"") -> bytes:
    """Talk NATS by hand (no client library): INFO, the TLS upgrade, then `connect`'s answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        info = await reader.readline()
        if context is None:
            return info
        await writer.start_tls(context, server_hostname="127.0.0.1")
        writer.write(connect)
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def test_clients_must_speak_tls_to_a_server_they_trust(cluster: NatsCluster,
                                                             tmp_path: Path) -> None:
    port = cluster.nodes[0].port
    info = json.loads((await _handshake(port, None)).split(b" ", 1)[1])
    assert info["tls_required"] is True  # nothing but TLS: the password never crosses in clear
    foreign = ensure_tls(tmp_path / "other-ca", {"nats": ["127.0.0.1"]})["nats"]
    with pytest.raises(ssl.SSLCertVerificationError):
        await _handshake(port, ssl.create_default_context(cafile=str(foreign.ca)))
    # trusted TLS but no user: refused too (there is no anonymous user)
    answer = await _handshake(port, cluster.tls_context(), b'CONNECT {"verbose":false}\r\nPING\r\n')
    assert answer.startswith(b"-ERR") and b"Authorization" in answer


async def test_a_dead_node_loses_no_acknowledged_write(cluster: NatsCluster, supervisor: Client) -> None:
    signalling = await cluster.connect("signalling", max_reconnect_attempts=-1, reconnect_time_wait=0.1)
    try:
        kv = await signalling.jetstream().key_value(HEARINGS_BUCKET)
        cluster.kill9("nats-2")
        revision = await wait_until(lambda: kv.put("hearing.cluster-test", b"written with 2 of 3"),
                                    timeout=15, what="a KV write acknowledged by 2 of 3 nodes")
        cluster.start("nats-2")

        async def caught_up() -> bool:
            info = await supervisor.jetstream().stream_info(f"KV_{HEARINGS_BUCKET}")
            replicas = info.cluster.replicas if info.cluster else []
            return bool(replicas) and all(r.current for r in replicas) and len(replicas) == 2

        await wait_until(caught_up, timeout=20, what="nats-2 to catch up")
        entry = await kv.get("hearing.cluster-test")
        assert entry.value == b"written with 2 of 3" and entry.revision == revision
    finally:
        await signalling.close()
