"""Time-based rules on a timer: reconnection grace, caucus timers, sockets of dead gateways,
the documents' retention period of ended hearings (retention.py).

The core applies these rules on every command too (`commands.sweep`); the sweeper makes them
fire on time when nothing else happens. It works from the watched copy of every hearing, and
only when the pure `sweep` says something is due does it run a real command (read from KV,
compare-and-set), so a second signalling process sweeping too changes nothing twice.

Cost: a pass is O(changes + due hearings + gateway instances), never a walk over every hearing
(sweep_plan.py): the hearings whose copy changed since the last pass come from the store's change
feed and have their `Due` recomputed; then only the hearings due by now, or with a socket on a
gateway whose heartbeat is too old, are visited, and the pure rules run on them alone. It yields
to the event loop every `SLICE` hearings, so moves are never held behind a long pass.

A gateway process sends a heartbeat every few seconds; WebSocket ids start with the gateway's
instance id. When a gateway dies (kill -9) its sockets never say goodbye: once its heartbeat is
older than `gateway_timeout`, its sockets are disconnected here, which starts the grace period
(never on a silence this process could not hear: `sweep_plan.silent`).
"""

from __future__ import annotations

import asyncio
import logging

from parley.failures import note_failure
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import SessionDisconnected

from . import retention
from .core import Sweep, next_due, sweep
from .model import Hearing, Participant
from .shell import SYSTEM, Executor
from .sweep_plan import Due, SweepPlan, silent

log = logging.getLogger("parley.signalling.sweeper")
SLICE = 256


def due_of(h: Hearing, revision: int, ex: Executor) -> Due:
    instances = frozenset(instance_of(c) for p in h.participants.values() for c in p.conns)
    return Due(revision, next_due(h, ex.env), instances)


def instance_of(conn: str) -> str:
    return conn.split("-", 1)[0]


def principal_for(h: Hearing, p: Participant) -> Principal:
    if p.role is Role.MEDIATOR and p.id == h.mediator:
        return Principal(kind=PrincipalKind.ACCOUNT, id=p.id, role=Role.MEDIATOR)
    return Principal(kind=PrincipalKind.PARTICIPANT, id=p.id, role=p.role, hearing=h.id,
                     side=p.side)


def dead_conns(h: Hearing, alive: dict[str, int], now_ms: int, timeout_ms: int,
               heard_since_ms: int | None = 0) -> list[tuple[Participant, str]]:
    return [(p, conn) for p in h.participants.values() for conn in p.conns
            if silent(alive.get(instance_of(conn)), now_ms, timeout_ms, heard_since_ms)]


def _follow_changes(ex: Executor, plan: SweepPlan) -> None:
    for hid in ex.store.take_changed():
        found = ex.store.hearings.get(hid)
        plan.update(hid, None if found is None else due_of(found[0], found[1], ex))


async def sweep_once(ex: Executor, timeout_ms: int, plan: SweepPlan | None = None,
                     retry_ms: int = 1000) -> int:
    """One pass over the hearings that need it; returns how many commands it ran."""
    plan = SweepPlan() if plan is None else plan
    ran = 0
    _follow_changes(ex, plan)
    now = ex.now_ms()
    plan.hear(ex.store.alive_feed if ex.store.alive_listening else None, now)
    for n, hid in enumerate(plan.take(ex.store.alive, now, timeout_ms), start=1):
        if n % SLICE == 0:
            await asyncio.sleep(0)
        found = ex.store.hearings.get(hid)
        if found is None:
            continue
        h = found[0]
        try:
            for p, conn in dead_conns(h, ex.store.alive, now, timeout_ms, plan.heard_since_ms):
                await ex.run(hid, principal_for(h, p), SessionDisconnected(conn=conn))
                ran += 1
                plan.to_tell.add(instance_of(conn))
            swept, _ = sweep(h, ex.now_ms(), ex.env)
            if swept != h or retention.due([h], ex.now_ms(), ex.env.policy):
                await ex.run(hid, SYSTEM, Sweep())
                ran += 1
        except Exception as exc:  # one hearing's failure never stops the sweep of the others
            note_failure(log, "signalling.sweep", exc, level=logging.ERROR, hearing=hid)
            plan.retry(hid, now + retry_ms)
    for instance in sorted(plan.to_tell):
        # If that gateway was only cut off, its sockets are still open: its next heartbeat is
        # told, and it closes them so that their clients reconnect (and rejoin their rooms).
        try:
            await ex.store.mark_given_up(instance)
        except Exception as exc:  # counted; kept in `to_tell` for the next pass
            note_failure(log, "signalling.sweep.given_up", exc, instance=instance)
        else:
            plan.to_tell.discard(instance)
    return ran


async def run(ex: Executor, interval_s: float, timeout_ms: int) -> None:
    plan = SweepPlan()
    while True:
        await asyncio.sleep(interval_s)
        await sweep_once(ex, timeout_ms, plan, int(interval_s * 1000))
