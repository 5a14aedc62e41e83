"""Hearings seated for real (staff sign-in, invitations, access codes), their sockets, and what
each move must reach: the moved participant's own plan, a `drop` to everyone in the room it left,
a `connect` to everyone in the room it entered."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from proto.ws import (
    Admit,
    BoardUpdate,
    CaucusCreate,
    Join,
    PeerPlan,
    RoomKind,
    ServerMessage,
    Snapshot,
    YouUpdate,
    decode_server,
    encode,
)
from tests.harness import wait_until
from tests.people import CSRF_HEADER, SESSION_COOKIE, Staff

PLENARY = "plenary"
SETUP_TRIES = 5


@dataclass
class Sock:
    id: str
    headers: dict[str, str]
    room: str | None = None
    joined: bool = False
    ws: aiohttp.ClientWebSocketResponse | None = None
    reader: asyncio.Task[None] | None = None


@dataclass
class Pending:
    """One move in flight: who must hear of it, and how (`self`, `connect`, `drop`)."""

    moved: str
    to_room: str
    waiting: dict[str, str]
    serial: int = 0
    last: float = 0.0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def arrived(self, sock_id: str, at: float) -> None:
        if self.waiting.pop(sock_id, None) is not None:
            self.last = max(self.last, at)
            if not self.waiting:
                self.done.set()


@dataclass
class Hearing:
    id: str
    mediator: Sock
    members: list[Sock]
    caucus: str = ""
    pending: Pending | None = None
    board_caucus: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def sockets(self) -> list[Sock]:
        return [self.mediator, *self.members]


OnMessage = Callable[[Hearing, Sock, Any, float], None]


def affected(h: Hearing, moved: Sock, to_room: str) -> dict[str, str]:
    waiting = {moved.id: "self"}
    for s in h.sockets:
        if s is not moved and s.room == moved.room:
            waiting[s.id] = "drop"
        elif s is not moved and s.room == to_room:
            waiting[s.id] = "connect"
    return waiting


def on_real(h: Hearing, sock: Sock, m: ServerMessage, at: float) -> None:
    """Follow one real server message: rooms, the caucus id, and the pending move's plans."""
    if isinstance(m, Snapshot):
        sock.room, sock.joined = m.view.you.room, True
    elif isinstance(m, YouUpdate):
        sock.room = m.you.room
    elif isinstance(m, BoardUpdate) and not h.caucus:
        for room in m.board.rooms:
            if room.kind is RoomKind.CAUCUS:
                h.caucus = room.id
                h.board_caucus.set()
    elif isinstance(m, PeerPlan):
        sock.room = m.room
        p = h.pending
        if p is None or sock.id not in p.waiting:
            return
        kind = p.waiting[sock.id]
        if (kind == "self" and m.room == p.to_room) \
                or (kind == "drop" and p.moved in m.drop) \
                or (kind == "connect" and any(link.peer == p.moved for link in m.connect)):
            p.arrived(sock.id, at)


async def open_socket(http: aiohttp.ClientSession, url: str, h: Hearing, sock: Sock,
                      on_message: OnMessage, decode: Callable[[bytes | str], Any],
                      join: bool) -> None:
    sock.ws = await http.ws_connect(url, headers=sock.headers, max_msg_size=0, autoping=True)
    if join:
        await sock.ws.send_str(encode(Join(hearing=h.id)).decode())

    async def read() -> None:
        assert sock.ws is not None
        async for msg in sock.ws:
            if msg.type is not aiohttp.WSMsgType.TEXT:
                break
            at = time.perf_counter()
            on_message(h, sock, decode(msg.data), at)

    sock.reader = asyncio.create_task(read())


async def gather_limited(n: int, coros: list[Awaitable[Any]]) -> list[Any]:
    gate = asyncio.Semaphore(n)

    async def one(c: Awaitable[Any]) -> Any:
        async with gate:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


async def seat_hearing(http: aiohttp.ClientSession, mediator: Staff, size: int) -> Hearing:
    """An open hearing with sides A and B and `size - 1` redeemed participants (not connected).

    Setup is not measured: a request answered 503 (a service slow to answer on a loaded
    machine) is tried again a few times."""
    async def call(method: str, path: str, body: Any, headers: dict[str, str] | None = None,
                   ok: tuple[int, ...] = (200, 201)) -> tuple[Any, aiohttp.ClientResponse]:
        for attempt in range(SETUP_TRIES):
            async with http.request(method, path, json=body,
                                    headers=mediator.headers() if headers is None else headers) as r:
                if r.status == 503 and attempt < SETUP_TRIES - 1:
                    await asyncio.sleep(1.0)
                    continue
                assert r.status in ok, (path, r.status, await r.text())
                return await r.json(), r
        raise AssertionError("unreachable")

    h, _ = await call("POST", "/api/v1/hearings", {"title": "Load"})
    await call("POST", f"/api/v1/hearings/{h['id']}/open", {})
    sides = [(await call("POST", f"/api/v1/hearings/{h['id']}/sides", {"name": f"Side {c}"}))[0]
             ["side"]["id"] for c in "AB"]
    members = []
    for i in range(size - 1):
        inv, _ = await call("POST", f"/api/v1/hearings/{h['id']}/participants",
                            {"name": f"P{i}", "role": "party" if i < 2 else "counsel",
                             "side": sides[i % 2]})
        reply, r = await call("POST", "/api/v1/invitations/redeem",
                              {"token": inv["token"], "access_code": inv["access_code"]},
                              headers={}, ok=(200,))
        cookie = r.cookies[SESSION_COOKIE].value
        members.append(Sock(inv["participant"], {"Cookie": f"{SESSION_COOKIE}={cookie}",
                                                 CSRF_HEADER: reply["csrf_token"]}))
    return Hearing(h["id"], Sock(mediator.account_id, mediator.headers()), members)


async def open_sockets(http: aiohttp.ClientSession,
                       targets: list[tuple[Hearing, Sock, str]], on_message: OnMessage,
                       decode: Callable[[bytes | str], Any], join: bool) -> None:
    """Open many sockets, a few at a time (a burst of thousands of upgrades at once only
    measures the listen backlog)."""
    await gather_limited(8, [open_socket(http, url, h, s, on_message, decode, join)
                              for h, s, url in targets])


async def join_and_admit(sessions: list[aiohttp.ClientSession], hearings: list[Hearing],
                         join: bool = True, admit: bool = True) -> None:
    """Open every socket (spread over `sessions`, one per gateway) and wait for the snapshots;
    then admit everyone to plenary and make each hearing's caucus; returns once every socket
    is in plenary."""
    sockets = [(h, s) for h in hearings for s in h.sockets]
    if join:
        await asyncio.gather(*(
            open_sockets(http, [(h, s, "/api/v1/ws") for h, s in sockets[i::len(sessions)]],
                         on_real, decode_server, True)
            for i, http in enumerate(sessions)))
        await wait_until(lambda: _now(all(s.joined for _, s in sockets)), timeout=300,
                         what="snapshots")
    if not admit:
        return
    for h in hearings:
        assert h.mediator.ws is not None
        await h.mediator.ws.send_str(encode(CaucusCreate(name="Caucus")).decode())
        for s in h.members:
            await h.mediator.ws.send_str(encode(Admit(participant=s.id)).decode())
    await wait_until(lambda: _now(all(h.caucus and all(s.room == PLENARY for s in h.sockets)
                                      for h in hearings)), timeout=300,
                     what="everyone admitted to plenary")


async def _now(value: bool) -> bool:
    return value
