"""Media switch: aiortc peers (mediator, A1, B1) in plenary; B1 is moved to a caucus and the
mediator follows; the time until both receive each other's frames over the new connections."""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from typing import Any

import aiohttp
from aiortc import MediaStreamTrack, RTCPeerConnection

from proto.ws import Admit, BoardUpdate, CaucusCreate, Move, Recall, RoomKind, Shuttle
from tests.harness import wait_until
from tests.integration.signalling.mediapeer import MediaPeer
from tests.integration.signalling.sigclient import WsClient
from tests.people import Staff

from .participants import seat_hearing
from .stack import Stack


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


async def _all_hear(peers: dict[str, SwitchPeer], ids: dict[str, str], names: list[str],
                    since: float) -> bool:
    return all(peers[x].hears_since(ids[y], since) is not None
               for x in names for y in names if x != y)


def _dump(peers: dict[str, SwitchPeer], ws: dict[str, WsClient]) -> None:
    for name, peer in peers.items():
        print(name, peer.frames, {k[:6]: (pc.signalingState, pc.connectionState)
                                  for k, pc in peer.pcs.items()},
              [type(m).__name__ for m in ws[name].inbox][-12:],
              {k[:6]: (peer.made.get(pc), peer.first.get(pc)) for k, pc in peer.pcs.items()},
              file=sys.stderr)


async def media_switch(stack: Stack, mediator: Staff, trials: int) -> list[float]:
    """Seconds from a move (B1 to a caucus, the mediator following) to frames both ways there."""
    async with aiohttp.ClientSession(base_url=stack.base_url) as http:
        h = await seat_hearing(http, mediator, 3)
    a1, b1 = h.members  # P0 is side A, P1 side B
    ws = {"M": WsClient(stack.base_url, h.mediator.headers, h.id, h.mediator.id),
          "A": WsClient(stack.base_url, a1.headers, h.id, a1.id),
          "B": WsClient(stack.base_url, b1.headers, h.id, b1.id)}
    for client in ws.values():
        await client.connect()
    peers = {"M": SwitchPeer(ws["M"], 40), "A": SwitchPeer(ws["A"], 120),
             "B": SwitchPeer(ws["B"], 200)}
    ids = {"M": h.mediator.id, "A": a1.id, "B": b1.id}
    results: list[float] = []
    try:
        await ws["M"].send(CaucusCreate(name="Switch caucus"))
        board: Any = await ws["M"].wait(lambda m: isinstance(m, BoardUpdate) and any(
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
        _dump(peers, ws)
        raise
    finally:
        for peer in peers.values():
            await peer.close()
        for client in ws.values():
            await client.close()
    return results
