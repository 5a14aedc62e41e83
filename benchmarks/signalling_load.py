"""Hearing moves under load: the real gateway + signalling path against a raw WebSocket + NATS echo.

    python benchmarks/signalling_load.py [--quick] [--participants N] [--hearing-size K]
                                         [--move-rate R] [--seconds S]

Real processes on loopback: nats-server (Parley's config and permissions), one signalling
process and one gateway (`python -m services.signalling`, `python -m gateway`). A mediator and
K-1 participants per hearing (N sockets in all, mediators included) sign in for real (staff
password + TOTP; invitation + access code) and open `/api/v1/ws`; everyone is admitted to
plenary and each hearing gets one caucus. Then each hearing's mediator moves a random participant
between plenary and the caucus, all hearings at once, paced to R moves per second in total, for
S seconds. Measured per move: the time from the mediator's `move` frame to the LAST affected
client's `peer.plan` (the moved participant's own, a `drop` to everyone in the room it left, a
`connect` to everyone in the room it entered). The baseline runs in the same run with the same
sockets, hearings, fan-out and pacing through a bare aiohttp WebSocket server and a NATS echo
responder (WS frame → NATS request → one publish per affected client → WS frames): what the
transport alone costs. Memory: RSS growth of gateway + signalling from before the sockets open to
after all joined, per socket. Media: aiortc peers (mediator, A1, B1) in plenary; B1 is moved to a
caucus and the mediator follows; the time until both receive each other's frames over the new
connections.

Goals (issue 7): move p99 < 50 ms and ≤ 2 times the baseline's p99; media switch ≤ 1 s.
Last stdout line: {"participants", "move_p50_ms", "move_p99_ms", "baseline_p99_ms", "ratio_p99",
"kib_per_participant", "media_switch_s"}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import nats
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parley.paths import nats_server_binary
from parley.provision import provision
from proto.ws import (
    Admit,
    BoardUpdate,
    CaucusCreate,
    Join,
    Move,
    PeerPlan,
    Recall,
    RoomKind,
    ServerMessage,
    Shuttle,
    Snapshot,
    YouUpdate,
    decode_server,
    encode,
)
from tests.harness import NatsServer, ServiceProcess, free_port, wait_until
from tests.people import CSRF_HEADER, SESSION_COOKIE, Staff, bootstrap_admin, create_staff

PLENARY = "plenary"
#: Setup and load must not trip the per-address / per-session / per-socket limits on loopback.
LIMITS = {
    "PARLEY_RATE_ADDRESS_PER_S": "1000000", "PARLEY_RATE_ADDRESS_BURST": "1000000",
    "PARLEY_RATE_SESSION_PER_S": "1000000", "PARLEY_RATE_SESSION_BURST": "1000000",
    "PARLEY_READY_SERVICES": "signalling", "PARLEY_LOG_LEVEL": "WARNING",
}


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


# ------------------------------------------------------------------ the real processes


class Stack:
    """nats-server + one signalling + one gateway process; quacks like tests.harness.Suite."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.nats = NatsServer(data_dir=root / "data", port=free_port())
        self.http_port = free_port()
        self.procs: dict[str, ServiceProcess] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    async def start(self) -> None:
        self.nats.data_dir.mkdir(parents=True)
        self.nats.start()
        nc = await self.nats.connect("supervisor")
        await provision(nc.jetstream())
        await nc.drain()
        for module, user, extra in (("services.signalling", "signalling", {}),
                                    ("gateway", "gateway", {"PARLEY_HTTP_PORT": str(self.http_port)})):
            env = self.nats.service_env(user, **LIMITS, **extra)
            proc = ServiceProcess(module, env, self.root / f"{user}.log")
            proc.start()
            self.procs[user] = proc
        await self.ready()

    async def ready(self, timeout: float = 60.0) -> None:
        async def check() -> bool:
            async with aiohttp.ClientSession() as http, http.get(f"{self.base_url}/readyz") as r:
                return r.status == 200

        await wait_until(check, timeout=timeout, interval=0.2, what="/readyz")

    def log(self) -> str:
        return self.procs["gateway"].log()

    def rss(self) -> int:
        return sum(psutil.Process(p.process.pid).memory_info().rss
                   for p in self.procs.values() if p.process is not None)

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.stop()
        self.nats.stop()


# ------------------------------------------------------------------ hearings and sockets


@dataclass
class Sock:
    id: str
    headers: dict[str, str]
    room: str | None = None
    joined: bool = False
    ws: aiohttp.ClientWebSocketResponse | None = None
    reader: asyncio.Task[None] | None = None


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


def affected(h: Hearing, moved: Sock, to_room: str) -> dict[str, str]:
    waiting = {moved.id: "self"}
    for s in h.sockets:
        if s is not moved and s.room == moved.room:
            waiting[s.id] = "drop"
        elif s is not moved and s.room == to_room:
            waiting[s.id] = "connect"
    return waiting


def on_real(h: Hearing, sock: Sock, m: ServerMessage, at: float) -> None:
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
                      on_message: Callable[[Hearing, Sock, Any, float], None],
                      decode: Callable[[bytes | str], Any], join: bool) -> None:
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
    async def call(method: str, path: str, body: Any) -> Any:
        async with http.request(method, path, json=body, headers=mediator.headers()) as r:
            assert r.status in (200, 201), (path, r.status, await r.text())
            return await r.json()

    h = await call("POST", "/api/v1/hearings", {"title": "Load"})
    await call("POST", f"/api/v1/hearings/{h['id']}/open", {})
    sides = [(await call("POST", f"/api/v1/hearings/{h['id']}/sides", {"name": f"Side {c}"}))
             ["side"]["id"] for c in "AB"]
    members = []
    for i in range(size - 1):
        inv = await call("POST", f"/api/v1/hearings/{h['id']}/participants",
                         {"name": f"P{i}", "role": "party" if i < 2 else "counsel",
                          "side": sides[i % 2]})
        async with http.post("/api/v1/invitations/redeem", json={
                "token": inv["token"], "access_code": inv["access_code"]}) as r:
            assert r.status == 200, await r.text()
            reply = await r.json()
            cookie = r.cookies[SESSION_COOKIE].value
        members.append(Sock(inv["participant"], {"Cookie": f"{SESSION_COOKIE}={cookie}",
                                                 CSRF_HEADER: reply["csrf_token"]}))
    return Hearing(h["id"], Sock(mediator.account_id, mediator.headers()), members)


# ------------------------------------------------------------------ the move loop (both paths)


async def move_loop(hearings: list[Hearing], rate: float, seconds: float,
                    send: Callable[[Hearing, Sock, str, int], Awaitable[None]]) -> list[float]:
    """Each hearing moves one participant at a time; all together paced to `rate` moves/s."""
    samples: list[float] = []
    period = len(hearings) / rate
    stop_at = time.perf_counter() + seconds
    rng = random.Random(7)
    serial = iter(range(1, 10**9))

    async def one(h: Hearing, offset: float) -> None:
        await asyncio.sleep(offset)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            moved = rng.choice(h.members)
            to_room = h.caucus if moved.room == PLENARY else PLENARY
            pending = Pending(moved.id, to_room, affected(h, moved, to_room))
            h.pending = pending
            t0 = time.perf_counter()
            await send(h, moved, to_room, next(serial))
            try:
                await asyncio.wait_for(pending.done.wait(), 10)
                samples.append((pending.last - t0) * 1000)
            except TimeoutError:
                print(f"move lost in {h.id}: still waiting for {pending.waiting}", file=sys.stderr)
            h.pending = None
            for s in h.sockets:  # the tracker already followed the plan; keep the baseline in step
                if s.id == moved.id:
                    s.room = to_room
            await asyncio.sleep(max(0.0, period - (time.perf_counter() - started)))

    lag: list[float] = []
    monitor = asyncio.create_task(loop_lag(lag))
    await asyncio.gather(*(one(h, rng.random() * period) for h in hearings))
    monitor.cancel()
    # The client's own event loop delays every timestamp it takes: shown so a reader can tell
    # a slow server from a saturated load generator.
    print(f"  load generator loop lag p50 {pct(lag, 0.5):.1f} ms, p99 {pct(lag, 0.99):.1f} ms",
          file=sys.stderr)
    return samples


async def loop_lag(out: list[float], tick: float = 0.01) -> None:
    while True:
        before = time.perf_counter()
        await asyncio.sleep(tick)
        out.append((time.perf_counter() - before - tick) * 1000)


# ------------------------------------------------------------------ baseline processes


async def baseline_server(port: int, nats_url: str) -> None:
    """A bare aiohttp WebSocket server: frames → NATS request; per-socket subject → frames."""
    from aiohttp import web

    nc = await nats.connect(nats_url)

    async def ws_handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)

        async def deliver(msg: Any) -> None:
            await ws.send_str(msg.data.decode())

        sub = await nc.subscribe(f"bench.client.{request.query['hearing']}.{request.query['id']}",
                                 cb=deliver)
        async for msg in ws:
            if msg.type is aiohttp.WSMsgType.TEXT:
                with contextlib.suppress(Exception):
                    await nc.request("bench.svc", msg.data.encode(), timeout=10)
        await sub.unsubscribe()
        return ws

    app = web.Application()
    app.router.add_get("/ws", ws_handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


async def baseline_echo(nats_url: str) -> None:
    """The service side of the baseline: one publish per affected client, then the reply."""
    nc = await nats.connect(nats_url)

    async def handle(msg: Any) -> None:
        request = json.loads(msg.data)
        for target in request["to"]:
            await nc.publish(f"bench.client.{request['hearing']}.{target}", json.dumps(
                {"type": "peer.plan", "move": request["move"], "room": "x", "epoch": 1,
                 "drop": [], "connect": [{"peer": request["moved"], "offerer": True}]}).encode())
        await msg.respond(b"{}")

    await nc.subscribe("bench.svc", queue="svc", cb=handle)
    await asyncio.Event().wait()


async def _quiet(error: Exception) -> None:
    """nats-py prints every connection error by default; polling for a server expects some."""


def on_baseline(h: Hearing, sock: Sock, m: dict[str, Any], at: float) -> None:
    p = h.pending
    if p is not None and m.get("move") == p.serial:
        p.arrived(sock.id, at)


async def run_baseline(hearings: list[Hearing], rate: float, seconds: float, root: Path) -> list[float]:
    nats_port, port = free_port(), free_port()
    me = [sys.executable, str(Path(__file__).resolve())]
    log = (root / "baseline.log").open("ab")
    procs = [subprocess.Popen([str(nats_server_binary()), "-a", "127.0.0.1", "-p", str(nats_port)],
                              stdout=log, stderr=log)]
    url = f"nats://127.0.0.1:{nats_port}"
    try:
        nc = await wait_until(lambda: nats.connect(url, connect_timeout=1, max_reconnect_attempts=0,
                                                   error_cb=_quiet),
                              timeout=20, what="the baseline's nats-server")
    except BaseException:
        procs[0].kill()
        raise
    procs.append(subprocess.Popen([*me, "--baseline-echo", url], stdout=log, stderr=log))
    procs.append(subprocess.Popen([*me, "--baseline-server", str(port), url], stdout=log, stderr=log))
    shadows = [Hearing(h.id, Sock(h.mediator.id, {}, h.mediator.room),
                       [Sock(s.id, {}, s.room) for s in h.members], h.caucus) for h in hearings]
    try:
        async def listening() -> bool:
            async with aiohttp.ClientSession() as probe, probe.ws_connect(
                    f"http://127.0.0.1:{port}/ws?hearing=probe&id=probe"):
                return True

        async def echoing() -> bool:
            await nc.request("bench.svc", b'{"move": 0, "moved": "x", "hearing": "x", "to": []}',
                             timeout=1)
            return True

        await wait_until(echoing, timeout=20, what="the baseline echo responder")
        await nc.drain()
        await wait_until(listening, timeout=20, what="the baseline server")
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await gather_limited(64, [
                open_socket(http, f"http://127.0.0.1:{port}/ws?hearing={h.id}&id={s.id}", h, s,
                            on_baseline,
                            json.loads, join=False)
                for h in shadows for s in h.sockets])

            async def send(h: Hearing, moved: Sock, to_room: str, serial: int) -> None:
                assert h.pending is not None and h.mediator.ws is not None
                h.pending.serial = serial
                await h.mediator.ws.send_str(json.dumps({"move": serial, "moved": moved.id,
                                                         "hearing": h.id,
                                                         "to": list(h.pending.waiting)}))

            samples = await move_loop(shadows, rate, seconds, send)
            for h in shadows:
                for s in h.sockets:
                    if s.ws is not None:
                        await s.ws.close()
        return samples
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)


# ------------------------------------------------------------------ media switch (aiortc)


async def media_switch(stack: Stack, mediator: Staff, trials: int) -> list[float]:
    """Seconds from a move (B1 to a caucus, the mediator following) to frames both ways there."""
    from aiortc import MediaStreamTrack, RTCPeerConnection

    from tests.integration.signalling.mediapeer import MediaPeer
    from tests.integration.signalling.sigclient import WsClient

    class SwitchPeer(MediaPeer):
        """Records when each peer connection was made and when its first frame arrived."""

        def __init__(self, ws: WsClient, luma: int) -> None:
            super().__init__(ws, luma)
            self.made: dict[RTCPeerConnection, float] = {}
            self.first: dict[RTCPeerConnection, float] = {}

        def _new_pc(self, peer: str) -> RTCPeerConnection:
            pc = super()._new_pc(peer)
            self.made[pc] = time.perf_counter()
            return pc

        async def _drain(self, peer: str, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
            with contextlib.suppress(Exception):
                while True:
                    await track.recv()
                    self.first.setdefault(pc, time.perf_counter())
                    self.frames[peer] = self.frames.get(peer, 0) + 1

        def hears_since(self, peer: str, since: float) -> float | None:
            pc = self.pcs.get(peer)
            if pc is None or self.made.get(pc, 0.0) < since or pc not in self.first:
                return None
            return self.first[pc]

    async with aiohttp.ClientSession(base_url=stack.base_url) as http:
        h = await seat_hearing(http, mediator, 3)
    a1, b1 = h.members  # P0 is side A, P1 side B
    ws = {"M": WsClient(stack.base_url, h.mediator.headers, h.id, h.mediator.id),
          "A": WsClient(stack.base_url, a1.headers, h.id, a1.id),
          "B": WsClient(stack.base_url, b1.headers, h.id, b1.id)}
    for client in ws.values():
        await client.connect()
    peers = {"M": SwitchPeer(ws["M"], 40), "A": SwitchPeer(ws["A"], 120), "B": SwitchPeer(ws["B"], 200)}
    ids = {"M": h.mediator.id, "A": a1.id, "B": b1.id}
    results: list[float] = []
    try:
        await ws["M"].send(CaucusCreate(name="Switch caucus"))
        board = await ws["M"].wait(lambda m: isinstance(m, BoardUpdate) and any(
            r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="caucus")
        assert isinstance(board, BoardUpdate)
        caucus = next(r.id for r in board.board.rooms if r.kind is RoomKind.CAUCUS)
        await ws["M"].send(Admit(participant=a1.id))
        await ws["M"].send(Admit(participant=b1.id))
        for _ in range(trials):
            # Back in plenary (at first, or after a recall: M and B keep their caucus link).
            await wait_until(lambda: _all_hear(peers, ids, ["M", "A", "B"], 0.0), timeout=30,
                             what="plenary media between every pair")
            t0 = time.perf_counter()
            await ws["M"].send(Move(participant=b1.id, room=caucus))
            await ws["M"].send(Shuttle(room=caucus))
            await wait_until(functools.partial(_all_hear, peers, ids, ["M", "B"], t0), timeout=30,
                             interval=0.005, what="caucus media")
            done = max(p.hears_since(ids[o], t0) or 0.0 for n, p in peers.items() if n != "A"
                       for o in ("M", "B") if o != n)
            results.append(done - t0)
            await ws["M"].send(Recall())
    except Exception:
        for name, peer in peers.items():
            print(name, peer.frames, {k[:6]: (pc.signalingState, pc.connectionState)
                                      for k, pc in peer.pcs.items()},
                  [type(m).__name__ for m in ws[name].inbox][-12:],
                  {k[:6]: (peer.made.get(pc), peer.first.get(pc)) for k, pc in peer.pcs.items()},
                  file=sys.stderr)
        raise
    finally:
        for peer in peers.values():
            await peer.close()
        for client in ws.values():
            await client.close()
    return results


async def _all_hear(peers: dict[str, Any], ids: dict[str, str], names: list[str], since: float) -> bool:
    return all(peers[x].hears_since(ids[y], since) is not None for x in names for y in names if x != y)


# ------------------------------------------------------------------ main


async def run(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="parley-sigload-"))
    stack = Stack(root)
    await stack.start()
    try:
        admin = await bootstrap_admin(stack)  # type: ignore[arg-type]
        mediator = await create_staff(stack, admin, "mediator", "mediator")  # type: ignore[arg-type]
        n_hearings = max(1, args.participants // args.hearing_size)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(base_url=stack.base_url, connector=connector) as http:
            started = time.perf_counter()
            hearings: list[Hearing] = await gather_limited(
                8, [seat_hearing(http, mediator, args.hearing_size) for _ in range(n_hearings)])
            sockets = [s for h in hearings for s in h.sockets]
            print(f"{n_hearings} hearings, {len(sockets)} participants seated in "
                  f"{time.perf_counter() - started:.1f}s", file=sys.stderr)
            rss_before = stack.rss()
            await gather_limited(32, [open_socket(http, "/api/v1/ws", h, s, on_real, decode_server, True)
                                      for h in hearings for s in h.sockets])
            await wait_until(_truthy(lambda: all(s.joined for s in sockets)), timeout=120,
                             what="snapshots")
            for h in hearings:
                assert h.mediator.ws is not None
                await h.mediator.ws.send_str(encode(CaucusCreate(name="Caucus")).decode())
                for s in h.members:
                    await h.mediator.ws.send_str(encode(Admit(participant=s.id)).decode())
            await wait_until(_truthy(lambda: all(h.caucus and all(s.room == PLENARY for s in h.sockets)
                                                 for h in hearings)), timeout=180,
                             what="everyone admitted to plenary")
            rss_after = stack.rss()
            print(f"all joined in {time.perf_counter() - started:.1f}s", file=sys.stderr)

            async def send_real(h: Hearing, moved: Sock, to_room: str, serial: int) -> None:
                assert h.mediator.ws is not None
                await h.mediator.ws.send_str(encode(Move(participant=moved.id, room=to_room)).decode())

            real = await move_loop(hearings, args.move_rate, args.seconds, send_real)
            baseline = await run_baseline(hearings, args.move_rate, args.seconds, root)
            for s in sockets:
                if s.ws is not None:
                    await s.ws.close()
        switch = await media_switch(stack, mediator, args.trials)
    finally:
        stack.stop()
    shutil.rmtree(root, ignore_errors=True)  # kept (logs) only when the run failed
    p99, base99 = pct(real, 0.99), pct(baseline, 0.99)
    print(f"moves: {len(real)} real, {len(baseline)} baseline; real p50 {pct(real, 0.5):.1f} ms "
          f"p99 {p99:.1f} ms; baseline p50 {pct(baseline, 0.5):.1f} ms p99 {base99:.1f} ms; "
          f"ratio p99 {p99 / base99:.2f} (goal p99 < 50 ms and ratio <= 2)")
    print(f"memory: {(rss_after - rss_before) / 1024 / len(sockets):.1f} KiB per participant "
          f"(gateway + signalling RSS {rss_before >> 20} → {rss_after >> 20} MiB)")
    print(f"media switch: {', '.join(f'{s:.3f}' for s in switch)} s (goal <= 1 s)")
    return {"participants": len(sockets), "move_p50_ms": round(pct(real, 0.5), 2),
            "move_p99_ms": round(p99, 2), "baseline_p99_ms": round(base99, 2),
            "ratio_p99": round(p99 / base99, 2),
            "kib_per_participant": round((rss_after - rss_before) / 1024 / len(sockets), 1),
            "media_switch_s": round(statistics.median(switch), 3)}


def _truthy(check: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def condition() -> bool:
        return check()

    return condition


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run, under a minute")
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--hearing-size", type=int, default=10)
    parser.add_argument("--move-rate", type=float, default=None, help="moves per second in all")
    parser.add_argument("--seconds", type=float, default=None, help="length of each move phase")
    parser.add_argument("--trials", type=int, default=None, help="media switch repetitions")
    parser.add_argument("--baseline-server", nargs=2, metavar=("PORT", "NATS_URL"))
    parser.add_argument("--baseline-echo", metavar="NATS_URL")
    args = parser.parse_args()
    if args.baseline_server:
        asyncio.run(baseline_server(int(args.baseline_server[0]), args.baseline_server[1]))
        return
    if args.baseline_echo:
        asyncio.run(baseline_echo(args.baseline_echo))
        return
    quick = args.quick
    args.participants = args.participants or (100 if quick else 2000)
    args.move_rate = args.move_rate or (20.0 if quick else 25.0)
    args.seconds = args.seconds or (6.0 if quick else 30.0)
    args.trials = args.trials or (2 if quick else 5)
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
