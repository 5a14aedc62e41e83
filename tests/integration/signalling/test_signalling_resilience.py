"""Reconnection and crashes on a real suite: grace period, gateway kill -9, signalling kill -9.

The suite runs with a short grace period (PARLEY_RECONNECT_GRACE_S=4) and a short gateway
liveness timeout, so each case takes seconds.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from proto.ws import Admit, BoardUpdate, CaucusCreate, Move, PeerPlan, RoomKind, Snapshot
from tests.harness import Suite, pid_alive, wait_until
from tests.integration.signalling.sigclient import Cast, WsClient, api, seat
from tests.people import staff_people

GRACE_S = 4.0


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    data_dir: Path = tmp_path_factory.mktemp("sigsuite") / "data"
    running = Suite(data_dir=data_dir, extra_env={
        "PARLEY_RECONNECT_GRACE_S": str(GRACE_S), "PARLEY_GATEWAY_TIMEOUT_S": "3",
        "PARLEY_WS_HEARTBEAT_S": "1", "PARLEY_SWEEP_INTERVAL_S": "0.2"})
    running.start()
    yield running
    running.stop()


async def _room_of(cast: Cast, participant: str) -> Any:
    status, detail = await api(cast.mediator, "GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 200, (status, detail)
    return next(r["room"] for r in detail["roster"] if r["id"] == participant)


async def _admitted(suite: Suite, cast: Cast, med: WsClient, name: str) -> WsClient:
    m = cast.members[name]
    client = await WsClient(suite.base_url, m.headers(), cast.hearing, m.id).connect()
    await med.send(Admit(participant=m.id))
    await client.wait(lambda x: isinstance(x, PeerPlan) and x.room == "plenary", what="admit")
    return client


async def test_reconnect_within_grace_then_lobby_after_it(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=2)
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    a1 = await _admitted(suite, cast, med, "A1")
    a1_id = cast.members["A1"].id
    await a1.close()
    back = await WsClient(suite.base_url, cast.members["A1"].headers(), cast.hearing,
                          a1_id).connect()
    snap = back.inbox[0]
    assert isinstance(snap, Snapshot) and snap.view.you.room == "plenary"
    await back.wait(lambda x: isinstance(x, PeerPlan) and med.me in
                    [link.peer for link in x.connect], what="reconnect to the mediator")
    await back.close()
    started = asyncio.get_running_loop().time()

    async def in_lobby() -> bool:
        return bool(await _room_of(cast, a1_id) == "lobby")

    await wait_until(in_lobby, timeout=GRACE_S + 8, what="the lobby after the grace period")
    waited = asyncio.get_running_loop().time() - started
    assert waited >= GRACE_S - 0.5, waited  # not before the grace period ends
    late = await WsClient(suite.base_url, cast.members["A1"].headers(), cast.hearing,
                          a1_id).connect()
    snap = late.inbox[0]
    assert isinstance(snap, Snapshot) and snap.view.you.room == "lobby" and snap.view.room is None
    await late.close()
    await med.close()


async def test_gateway_kill9_participants_rejoin_their_room(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    a1 = await _admitted(suite, cast, med, "A1")
    old = suite.processes()["gateway"]
    os.kill(old, signal.SIGKILL)
    await asyncio.wait_for(a1.closed.wait(), 10)

    async def gateway_back() -> bool:
        pid = suite.processes().get("gateway")
        return pid is not None and pid != old and pid_alive(pid)

    await wait_until(gateway_back, timeout=20, what="the gateway restarted")
    await suite.ready()
    found = await wait_until(lambda: _try_connect(suite, cast), timeout=20,
                             what="a new WebSocket")
    assert found is not None
    rejoined = found
    snap = rejoined.inbox[0]
    assert isinstance(snap, Snapshot) and snap.view.you.room == "plenary"
    assert await _room_of(cast, cast.members["A1"].id) == "plenary"
    await rejoined.close()
    await a1.close()
    await med.close()


async def _try_connect(suite: Suite, cast: Cast) -> WsClient | None:
    m = cast.members["A1"]
    client = WsClient(suite.base_url, m.headers(), cast.hearing, m.id)
    try:
        return await client.connect()
    except Exception:
        await client.close()
        return None


async def test_signalling_kill9_loses_no_hearing_state(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=1)
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    b1 = await _admitted(suite, cast, med, "B1")
    await med.send(CaucusCreate(name="B caucus", side=cast.sides[1]))
    board = await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
        r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="caucus")
    assert isinstance(board, BoardUpdate)
    caucus = next(r.id for r in board.board.rooms if r.kind is RoomKind.CAUCUS)
    await med.send(Move(participant=cast.members["B1"].id, room=caucus))
    await b1.wait(lambda m: isinstance(m, PeerPlan) and m.room == caucus, what="moved")
    status, before = await api(people.mediator, "GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 200
    old = suite.processes()["signalling"]
    os.kill(old, signal.SIGKILL)

    async def signalling_back() -> bool:
        pid = suite.processes().get("signalling")
        return pid is not None and pid != old and pid_alive(pid)

    await wait_until(signalling_back, timeout=20, what="signalling restarted")
    await suite.ready()
    status, after = await api(people.mediator, "GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 200
    assert after == before
    # The open sockets keep working with the new process.
    since = len(b1.inbox)
    await med.send(Move(participant=cast.members["B1"].id, room="plenary"))
    await b1.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", since=since,
                  what="moved back after the restart")
    for c in (b1, med):
        await c.close()
