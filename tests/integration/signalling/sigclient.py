"""Helpers for signalling integration tests: hearings through the REST API, WebSocket clients.

`await seat(suite, people, sides=2, per_side=2)` creates and opens a hearing as the mediator,
adds sides, invites and redeems participants; returns a `Cast` with every participant's
credentials. `WsClient` is a real WebSocket client that records every message it receives
(`inbox`), tracks its own room and peer set from `you`/`peer.plan`, and sends client messages.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from proto.ws import (
    ClientMessage,
    ErrorMessage,
    Join,
    PeerPlan,
    ServerMessage,
    Snapshot,
    YouUpdate,
    decode_server,
    encode,
)
from tests.harness import Suite
from tests.people import CSRF_HEADER, SESSION_COOKIE, People, Staff


@dataclass
class Member:
    id: str
    name: str
    role: str
    side: str | None
    cookie: str = ""
    csrf: str = ""

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"{SESSION_COOKIE}={self.cookie}", CSRF_HEADER: self.csrf}


@dataclass
class Cast:
    hearing: str
    mediator: Staff
    sides: list[str]
    members: dict[str, Member] = field(default_factory=dict)  # by name
    invitations: dict[str, dict[str, Any]] = field(default_factory=dict)


async def api(staff: Staff, method: str, path: str, json: Any = None) -> tuple[int, Any]:
    return await staff.call(method, path, json)


async def redeem(base_url: str, token: str, code: str) -> tuple[int, Any, str]:
    async with aiohttp.ClientSession(base_url=base_url) as http, \
            http.post("/api/v1/invitations/redeem",
                      json={"token": token, "access_code": code}) as r:
        body = await r.json() if r.content_type == "application/json" else None
        cookie = r.cookies[SESSION_COOKIE].value if SESSION_COOKIE in r.cookies else ""
        return r.status, body, cookie


async def seat(suite: Suite, people: People, *, sides: int = 2, per_side: int = 2,
               observers: int = 0, redeem_all: bool = True) -> Cast:
    med = people.mediator
    status, h = await api(med, "POST", "/api/v1/hearings", {"title": "Matter"})
    assert status == 201, (status, h)
    status, _ = await api(med, "POST", f"/api/v1/hearings/{h['id']}/open", {})
    assert status == 200, status
    cast = Cast(hearing=h["id"], mediator=med, sides=[])
    for s in range(sides):
        status, side = await api(med, "POST", f"/api/v1/hearings/{h['id']}/sides",
                                 {"name": f"Side {chr(65 + s)}"})
        assert status == 201, (status, side)
        cast.sides.append(side["side"]["id"])
        for i in range(per_side):
            name = f"{chr(65 + s)}{i + 1}"
            await _invite(suite, cast, name, "party" if i == 0 else "counsel",
                          side["side"]["id"], redeem_all)
    for i in range(observers):
        await _invite(suite, cast, f"O{i + 1}", "observer", None, redeem_all)
    return cast


async def _invite(suite: Suite, cast: Cast, name: str, role: str, side: str | None,
                  redeem_now: bool) -> None:
    body: dict[str, Any] = {"name": name, "role": role}
    if side is not None:
        body["side"] = side
    status, inv = await api(cast.mediator, "POST",
                            f"/api/v1/hearings/{cast.hearing}/participants", body)
    assert status == 201, (status, inv)
    cast.invitations[name] = inv
    member = Member(id=inv["participant"], name=name, role=role, side=side)
    if redeem_now:
        status, reply, cookie = await redeem(suite.base_url, inv["token"], inv["access_code"])
        assert status == 200, (status, reply)
        member.cookie, member.csrf = cookie, reply["csrf_token"]
    cast.members[name] = member


class WsClient:
    """One WebSocket participant. `inbox` holds every decoded server message, in order."""

    def __init__(self, base_url: str, headers: dict[str, str], hearing: str, me: str) -> None:
        self.base_url = base_url
        self.headers = headers
        self.hearing = hearing
        self.me = me
        self.inbox: list[ServerMessage] = []
        self.raw: list[str] = []
        self.room: str | None = None
        self.epoch = 0
        self.peers: dict[str, bool] = {}  # peer → I am the offerer
        self.closed = asyncio.Event()
        self.close_code: int | None = None
        self._http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.listeners: list[Any] = []

    async def connect(self, *, join: bool = True) -> WsClient:
        self._http = aiohttp.ClientSession(base_url=self.base_url, headers=self.headers)
        self.ws = await self._http.ws_connect("/api/v1/ws", max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        if join:
            await self.send(Join(hearing=self.hearing))
            await self.wait(lambda m: isinstance(m, Snapshot), what="snapshot")
        return self

    async def send(self, message: ClientMessage) -> None:
        assert self.ws is not None
        await self.ws.send_str(encode(message).decode())

    async def send_raw(self, data: str | bytes) -> None:
        assert self.ws is not None
        if isinstance(data, bytes):
            await self.ws.send_bytes(data)
        else:
            await self.ws.send_str(data)

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for msg in self.ws:
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    break
                self.raw.append(msg.data)
                message = decode_server(msg.data)
                self._track(message)
                self.inbox.append(message)
                for listener in list(self.listeners):
                    listener(message)
        finally:
            self.close_code = self.ws.close_code
            self.closed.set()

    def _track(self, m: ServerMessage) -> None:
        if isinstance(m, Snapshot):
            self.room = m.view.you.room
            self.peers = {}
        elif isinstance(m, YouUpdate):
            self.room = m.you.room
        elif isinstance(m, PeerPlan):
            self.epoch = m.epoch
            for q in m.drop:
                self.peers.pop(q, None)
            for link in [*m.connect, *m.keep]:
                self.peers[link.peer] = link.offerer

    async def wait(self, pred: Any, timeout: float = 10.0, what: str = "message",
                   since: int = 0) -> ServerMessage:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for m in self.inbox[since:]:
                if pred(m):
                    return m
            if self.closed.is_set():
                raise AssertionError(f"socket closed waiting for {what}")
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out waiting for {what}; got {self.inbox[-5:]}")
            await asyncio.sleep(0.02)

    async def error_after(self, since: int, timeout: float = 5.0) -> ErrorMessage:
        m = await self.wait(lambda m: isinstance(m, ErrorMessage), timeout, "error", since)
        assert isinstance(m, ErrorMessage)
        return m

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)
        if self._http is not None:
            await self._http.close()
