"""Gateway heartbeats against a real nats-server whose hearings bucket stops taking writes.

A JetStream cluster that lost a node answers writes to a bucket with errors until it has elected
a new leader for it (seconds; longer when nodes fall in turn: the chaos test kills each in
turn). A heartbeat that reached signalling meanwhile still proves its gateway alive to that
process's sweeper: before, only a written heartbeat counted, and a sweeper took a gateway it had
been hearing all along for dead as soon as the bucket came back, its people out of their rooms.
Here the bucket is sealed (it refuses every write, for good), the closest a single server comes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nats.js.errors import Error as JetStreamError

from parley.provision import HEARINGS_BUCKET, provision
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
