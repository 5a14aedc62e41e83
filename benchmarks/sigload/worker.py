"""One load-generating client process: its share of the hearings, their sockets, their moves.

    python -m benchmarks.sigload.worker     # commands on stdin, one JSON object per line

Ten thousand sockets do not fit one client process: the descriptor limit (sockets for the real
path and for the baseline) and one event loop that would time every frame late. So the hearings
are split over several of these processes (benchmarks/sigload/fleet.py drives them); each runs
the same phases as the single-process code did, on its own share, when told to:

- `seat` {base_urls, mediator, hearings, size}: seat hearings for real (HTTP, on the first URL),
  in place of any seated before;
- `join` {gateways?}: open every socket (spread over the first `gateways` URLs round robin, all
  by default) and send `join`;
- `admit`: each hearing's caucus, everyone admitted to plenary;
- `moves` {rate, seconds, path}: the paced move loop on the real or the baseline sockets; the
  reply carries the samples (ms) and this process's event-loop lag;
- `close`: close the real sockets (a `join` may open them again, on other gateways: the
  participants come back to the rooms they left); `baseline` {port}: open the baseline
  server's sockets;
- `quit`.

Every reply is one JSON line on stdout (`{"ok": true, ...}` or `{"ok": false, "error": ...}`).
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from typing import Any

import aiohttp

from parley.runner import raise_open_files_limit
from proto.ws import Move, encode
from tests.people import Staff

from .baseline import on_baseline, shadow
from .moves import move_loop, pct
from .participants import Hearing, Sock, gather_limited, join_and_admit, open_sockets, seat_hearing


class Worker:
    def __init__(self) -> None:
        self.hearings: list[Hearing] = []
        self.shadows: list[Hearing] = []
        self.sessions: list[aiohttp.ClientSession] = []

    async def seat(self, base_urls: list[str], mediator: dict[str, Any], hearings: int,
                   size: int) -> dict[str, Any]:
        await self.quit()  # a new set of hearings (a ramp's next step) replaces the last
        self.sessions = [aiohttp.ClientSession(base_url=url,
                                               connector=aiohttp.TCPConnector(limit=0))
                         for url in base_urls]
        staff = Staff(**mediator)
        self.hearings = await gather_limited(
            4, [seat_hearing(self.sessions[0], staff, size) for _ in range(hearings)])
        return {"sockets": sum(len(h.sockets) for h in self.hearings)}

    async def join(self, gateways: int | None = None) -> dict[str, Any]:
        """Open the sockets, spread over the first `gateways` URLs (all by default)."""
        await join_and_admit(self.sessions[:gateways], self.hearings, admit=False)
        return {}

    async def admit(self) -> dict[str, Any]:
        await join_and_admit(self.sessions, self.hearings, join=False)
        return {}

    async def moves(self, rate: float, seconds: float, path: str) -> dict[str, Any]:
        if path == "real":
            async def send(h: Hearing, moved: Sock, to_room: str, serial: int) -> None:
                assert h.mediator.ws is not None
                await h.mediator.ws.send_str(
                    encode(Move(participant=moved.id, room=to_room)).decode())

            hearings = self.hearings
        else:
            async def send(h: Hearing, moved: Sock, to_room: str, serial: int) -> None:
                assert h.pending is not None and h.mediator.ws is not None
                h.pending.serial = serial
                await h.mediator.ws.send_str(json.dumps(
                    {"move": serial, "moved": moved.id, "hearing": h.id,
                     "to": list(h.pending.waiting)}))

            hearings = self.shadows
        lag: list[float] = []
        samples = await move_loop(hearings, rate, seconds, send, lag)
        return {"samples": samples, "lag_p99_ms": pct(lag, 0.99)}

    async def close(self) -> dict[str, Any]:
        """Close the real sockets (a few at a time; each waits for the server's close frame);
        a later `join` opens them again and waits for fresh snapshots."""
        async def close(s: Sock) -> None:
            s.joined = False
            if s.ws is not None:
                await s.ws.close()

        await gather_limited(16, [close(s) for h in self.hearings for s in h.sockets])
        return {}

    async def baseline(self, port: int) -> dict[str, Any]:
        self.shadows = [shadow(h) for h in self.hearings]
        http = self.sessions[0]
        await open_sockets(http, [(h, s, f"http://127.0.0.1:{port}/ws?hearing={h.id}&id={s.id}")
                                  for h in self.shadows for s in h.sockets],
                           on_baseline, json.loads, join=False)
        return {}

    async def quit(self) -> dict[str, Any]:
        for http in self.sessions:
            await http.close()
        self.sessions = []
        return {}


async def serve() -> None:
    raise_open_files_limit()
    worker = Worker()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = json.loads(line)
        name = command.pop("cmd")
        try:
            reply = {"ok": True, **await getattr(worker, name)(**command)}
        except Exception as exc:  # the parent reports it and stops the run
            traceback.print_exc(file=sys.stderr)
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(reply), flush=True)
        if name == "quit":
            return


if __name__ == "__main__":
    asyncio.run(serve())
