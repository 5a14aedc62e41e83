"""The baseline: the same sockets, hearings, fan-out and pacing through a bare aiohttp WebSocket
server and a NATS echo responder (WS frame → NATS request → one publish per affected client →
WS frames), each in its own process on its own nats-server: what the transport alone costs.

    python -m benchmarks.sigload.baseline --server PORT NATS_URL   # the WebSocket server
    python -m benchmarks.sigload.baseline --echo NATS_URL          # the service side
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import nats

from parley.paths import nats_server_binary
from tests.harness import free_port, wait_until

from .participants import Hearing, Sock

REPO = Path(__file__).resolve().parents[2]


async def serve_websockets(port: int, nats_url: str) -> None:
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


async def echo(nats_url: str) -> None:
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


def shadow(h: Hearing) -> Hearing:
    """The same hearing and rooms, for sockets of the baseline server."""
    return Hearing(h.id, Sock(h.mediator.id, {}, h.mediator.room),
                   [Sock(s.id, {}, s.room) for s in h.members], h.caucus)


class BaselineServer:
    """The baseline's nats-server, echo responder and WebSocket server, in their own processes
    (the load generators connect to `port`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.procs: list[subprocess.Popen[bytes]] = []

    async def start(self) -> None:
        nats_port = free_port()
        log = (self.root / "baseline.log").open("ab")
        self.procs.append(subprocess.Popen(
            [str(nats_server_binary()), "-a", "127.0.0.1", "-p", str(nats_port)],
            stdout=log, stderr=log))
        url = f"nats://127.0.0.1:{nats_port}"
        nc = await wait_until(lambda: nats.connect(url, connect_timeout=1,
                                                   max_reconnect_attempts=0, error_cb=_quiet),
                              timeout=90, what="the baseline's nats-server")
        me = [sys.executable, "-m", __name__]
        for role in (["--echo", url], ["--server", str(self.port), url]):
            self.procs.append(subprocess.Popen([*me, *role], stdout=log, stderr=log, cwd=REPO))

        async def listening() -> bool:
            async with aiohttp.ClientSession() as probe, probe.ws_connect(
                    f"http://127.0.0.1:{self.port}/ws?hearing=probe&id=probe"):
                return True

        async def echoing() -> bool:
            await nc.request("bench.svc", b'{"move": 0, "moved": "x", "hearing": "x", "to": []}',
                             timeout=1)
            return True

        try:
            await wait_until(echoing, timeout=90, what="the baseline echo responder")
        finally:
            await nc.drain()
        await wait_until(listening, timeout=90, what="the baseline server")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description="baseline processes of the signalling benchmark")
    parser.add_argument("--server", nargs=2, metavar=("PORT", "NATS_URL"))
    parser.add_argument("--echo", metavar="NATS_URL")
    args = parser.parse_args()
    if args.server:
        asyncio.run(serve_websockets(int(args.server[0]), args.server[1]))
    elif args.echo:
        asyncio.run(echo(args.echo))
    else:
        parser.error("--server or --echo")


if __name__ == "__main__":
    main()
