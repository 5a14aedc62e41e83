"""The write every signalling command waits for, alone: its audit event published to `AUDIT` and
its hearing record compare-and-set in KV, both acknowledged, sent together (services/signalling/
shell.py, step 3). On one node each is one server's write; on the cluster each is a RAFT
replication to a majority of three. Measured on both stacks in the same run, it is the floor the
cluster adds to a move's latency before any process has done any of its own work."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from proto.audit import Actor, AuditEvent, Outcome, Resource, audit_subject, encode_event
from proto.signalling import HEARINGS_BUCKET

#: A key no hearing uses (hearing ids are ULIDs): the benchmark's writes touch no hearing.
KEY = "bench.command-write"


class CommandWrites:
    """Signalling's own connection to one stack's NATS, writing as a command does."""

    def __init__(self, nc: Any) -> None:
        self._nc = nc
        self._js = nc.jetstream()
        self._kv: Any = None
        self._revision = 0
        self._serial = 0

    async def open(self) -> None:
        self._kv = await self._js.key_value(HEARINGS_BUCKET)
        self._revision = await self._kv.put(KEY, b"{}")

    async def one(self) -> float:
        """One write (event and compare-and-set together); its milliseconds."""
        self._serial += 1
        event = AuditEvent(id=f"bench-write-{self._serial:08d}", time=int(time.time() * 1000),
                           actor=Actor(id="bench"), action="hearing.move",
                           resource=Resource(type="hearing", id="bench"),
                           outcome=Outcome.ALLOWED, service="signalling", hearing="bench")
        started = time.perf_counter()
        _, self._revision = await asyncio.gather(
            self._js.publish(audit_subject("signalling"), encode_event(event),
                             headers={"Nats-Msg-Id": event.id}),
            self._kv.update(KEY, b"x" * 800, last=self._revision))
        return (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        await self._kv.delete(KEY)
        await self._nc.drain()


async def interleaved(stacks: dict[str, CommandWrites], rounds: int,
                      per_round: int) -> dict[str, list[float]]:
    """`rounds` rounds of `per_round` writes on each stack in turn: a machine whose speed drifts
    slows both alike."""
    samples: dict[str, list[float]] = {name: [] for name in stacks}
    for _ in range(rounds):
        for name, writes in stacks.items():
            for _ in range(per_round):
                samples[name].append(await writes.one())
    return samples
