"""Gateway heartbeats against a real nats-server whose hearings bucket stops taking writes.

A JetStream cluster that lost a node answers writes to a bucket with errors until it has elected
a new leader for it (seconds; longer when nodes fall in turn: the chaos test kills each in
turn). A heartbeat that reached signalling meanwhile still proves its gateway alive to that
process's sweeper: before, only a written heartbeat counted, and a sweeper took a gateway it had
been hearing all along for dead as soon as the bucket came back, its people out of their rooms.
Here the bucket is sealed (it refuses every write, for good), the closest a single server comes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace

import msgspec
import pytest
from nats.aio.client import Client
from nats.js.errors import Error as JetStreamError

from gateway.ws import wiring
from parley.provision import HEARINGS_BUCKET, provision
from proto.signalling import BEAT_SUBJECT, GatewayAlive
from services.signalling import beats
from services.signalling.store import HearingStore
from services.signalling.sweep_plan import silent
from tests.harness import NatsServer, free_port

TIMEOUT_MS = 15_000


async def test_a_heartbeat_heard_counts_even_when_the_bucket_refuses_it(tmp_path: Path) -> None:
    server = NatsServer(data_dir=tmp_path / "nats", port=free_port())
    server.start()
    try:
        admin = await server.connect("supervisor")
        js = admin.jetstream()
        await provision(js)
        nc = await server.connect("signalling")
        store = await HearingStore.open(nc.jetstream())
        assert await store.mark_alive("gw1", 1_000) is False  # written: the bucket works
        stream = f"KV_{HEARINGS_BUCKET}"
        config = (await js.stream_info(stream)).config
        config.sealed = True
        await js.update_stream(config)
        with pytest.raises(JetStreamError):  # the write fails, and the caller is told so...
            await store.mark_alive("gw1", 20_000)
        # ...but the gateway was heard at 20 s: not silent at 30 s (it would be, from 1 s).
        assert store.alive["gw1"] == 20_000
        assert not silent(store.alive["gw1"], 30_000, TIMEOUT_MS, heard_since_ms=0)
        assert silent(1_000, 30_000, TIMEOUT_MS, heard_since_ms=0)
        await nc.drain()
        await admin.drain()
    finally:
        server.stop()


async def test_every_signalling_process_hears_each_beat_and_only_from_a_gateway(
        tmp_path: Path) -> None:
    """Two signalling processes (two stores, two connections): the `alive` request reaches one
    of them, but the gateway's heartbeat loop also publishes each beat on BEAT_SUBJECT, and both
    hear it over core NATS while the bucket refuses every write. A beat published by any other
    process is refused by the server's permissions and heard by nobody."""
    server = NatsServer(data_dir=tmp_path / "nats", port=free_port())
    server.start()
    clients: list[Client] = []
    try:
        admin = await server.connect("supervisor")
        clients.append(admin)
        js = admin.jetstream()
        await provision(js)
        clock = iter(range(50_000, 10**9, 1_000))
        stores = []
        for _ in range(2):
            nc = await server.connect("signalling")
            clients.append(nc)
            store = await HearingStore.open(nc.jetstream())
            stores.append(store)
            await beats.listen(nc, store, lambda: next(clock))
        config = (await js.stream_info(f"KV_{HEARINGS_BUCKET}")).config
        config.sealed = True
        await js.update_stream(config)

        errors: list[Exception] = []
        evidence = await server.connect("evidence", error_cb=_collect(errors))
        clients.append(evidence)
        await evidence.publish(BEAT_SUBJECT, msgspec.json.encode(GatewayAlive(instance="e" * 16)))
        await evidence.flush()
        gateway = await server.connect("gateway")
        clients.append(gateway)
        state = SimpleNamespace(nc=gateway, config=SimpleNamespace(service_timeout_s=0.5,
                                                                   ws_heartbeat_s=0.2))
        loop = asyncio.create_task(wiring._beat(state, SimpleNamespace(instance="a" * 16)))  # type: ignore[arg-type]
        try:
            for _ in range(100):
                if all("a" * 16 in s.alive for s in stores):
                    break
                await asyncio.sleep(0.05)
        finally:
            loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loop
        assert all(s.alive.get("a" * 16, 0) >= 50_000 for s in stores), [s.alive for s in stores]
        assert not any("e" * 16 in s.alive for s in stores)
        assert any("permissions violation" in str(e).lower() for e in errors), errors
    finally:
        for nc in clients:
            with contextlib.suppress(Exception):
                await nc.close()
        server.stop()


def _collect(errors: list[Exception]) -> Callable[[Exception], Awaitable[None]]:
    async def collect(error: Exception) -> None:
        errors.append(error)
    return collect
