"""Time-based rules on a timer: reconnection grace, caucus timers, sockets of dead gateways.

The core applies these rules on every command too (`commands.sweep`); the sweeper makes them
fire on time when nothing else happens. It works from the watched copy of every hearing, and
only when the pure `sweep` says something is due does it run a real command (read from KV,
compare-and-set), so a second signalling process sweeping too changes nothing twice.

A gateway process sends a heartbeat every few seconds; WebSocket ids start with the gateway's
instance id. When a gateway dies (kill -9) its sockets never say goodbye: once its heartbeat is
older than `gateway_timeout`, its sockets are disconnected here, which starts the grace period.
"""

from __future__ import annotations

import asyncio
import logging

from parley.failures import note_failure
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import SessionDisconnected

from .core import Sweep, sweep
from .model import Hearing, Participant
from .shell import SYSTEM, Executor

log = logging.getLogger("parley.signalling.sweeper")


def instance_of(conn: str) -> str:
    return conn.split("-", 1)[0]


def principal_for(h: Hearing, p: Participant) -> Principal:
    if p.role is Role.MEDIATOR and p.id == h.mediator:
        return Principal(kind=PrincipalKind.ACCOUNT, id=p.id, role=Role.MEDIATOR)
    return Principal(kind=PrincipalKind.PARTICIPANT, id=p.id, role=p.role, hearing=h.id,
                     side=p.side)


def dead_conns(h: Hearing, alive: dict[str, int], now_ms: int,
               timeout_ms: int) -> list[tuple[Participant, str]]:
    out = []
    for p in h.participants.values():
        for conn in p.conns:
            last = alive.get(instance_of(conn))
            if last is None or now_ms - last > timeout_ms:
                out.append((p, conn))
    return out


async def sweep_once(ex: Executor, timeout_ms: int) -> int:
    """One pass over every hearing; returns how many commands it ran."""
    ran = 0
    now = ex.now_ms()
    for hid, (h, _rev) in list(ex.store.hearings.items()):
        try:
            for p, conn in dead_conns(h, ex.store.alive, now, timeout_ms):
                await ex.run(hid, principal_for(h, p), SessionDisconnected(conn=conn))
                ran += 1
            swept, _ = sweep(h, ex.now_ms(), ex.env)
            if swept != h:
                await ex.run(hid, SYSTEM, Sweep())
                ran += 1
        except Exception as exc:  # one hearing's failure never stops the sweep of the others
            note_failure(log, "signalling.sweep", exc, level=logging.ERROR, hearing=hid)
    return ran


async def run(ex: Executor, interval_s: float, timeout_ms: int) -> None:
    while True:
        await asyncio.sleep(interval_s)
        await sweep_once(ex, timeout_ms)
