"""A socket's output side (gateway/ws/outbound.py), without sockets: deliveries wait for the
snapshot, go out in NATS order with consecutive `seq`, older than the snapshot or signals of
another room/epoch are dropped (isolation), a close header or an overflowing inbox closes it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

import msgspec
from aiohttp import WSMsgType, web
from nats.aio.msg import Msg

from gateway.config import GatewayConfig
from gateway.ws.outbound import CLOSE_ENDED, CLOSE_POLICY, Outbound
from proto.signalling import CLOSE_HEADER, CONNS_HEADER, REVISION_HEADER
from proto.ws import PeerPlan, SignalKind, SignalRelay, decode_server, encode
from tests.harness import wait_until


class FakeWs:
    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.closed_with: list[int] = []

    @property
    def closed(self) -> bool:
        return bool(self.closed_with)

    async def send_frame(self, data: bytes, opcode: WSMsgType) -> None:
        assert opcode is WSMsgType.TEXT
        self.frames.append(msgspec.json.decode(data))
        await asyncio.sleep(0)  # a real drain may suspend here

    async def close(self, code: int, message: bytes) -> None:
        self.closed_with.append(code)


def _msg(message: Any, revision: int = 5, close: str | None = None,
         conns: str | None = None) -> Msg:
    headers = {REVISION_HEADER: str(revision)}
    if close is not None:
        headers[CLOSE_HEADER] = close
    if conns is not None:
        headers[CONNS_HEADER] = conns
    return Msg(cast(Any, None), subject="parley.v1.client.h1.p1", data=encode(message),
               headers=headers)


def _out(tmp_path: Path, queue_max: int = 50) -> tuple[Outbound, FakeWs]:
    ws = FakeWs()
    config = GatewayConfig(data_dir=tmp_path, ws_queue_max=queue_max)
    return Outbound(cast(web.WebSocketResponse, ws), config, "c1"), ws


def _plan(room: str, epoch: int) -> PeerPlan:
    return PeerPlan(room=room, epoch=epoch)


def _signal(room: str, epoch: int) -> SignalRelay:
    return SignalRelay(sender="p2", room=room, epoch=epoch, kind=SignalKind.OFFER, sdp="v=0")


async def test_deliveries_wait_for_the_snapshot_then_go_out_in_order(tmp_path: Path) -> None:
    out, ws = _out(tmp_path)
    out.deliver(_msg(_plan("r1", 1), revision=3))  # older than the snapshot: dropped
    out.deliver(_msg(_plan("r1", 2), revision=6))
    out._wake()
    await asyncio.sleep(0.01)
    assert ws.frames == []  # no snapshot yet
    out.min_revision, out.joined = 5, True
    out._wake()
    out.deliver(_msg(_signal("r1", 2), revision=7))
    out.deliver(_msg(_signal("r1", 1), revision=8))  # the epoch it left: dropped
    out.deliver(_msg(_signal("r9", 2), revision=9))  # another room: dropped
    out.deliver(_msg(_plan("r2", 3), revision=10))
    await wait_until(lambda: _true(len(ws.frames) == 3), timeout=5, what="three frames")
    await asyncio.sleep(0.01)
    assert [decode_server(msgspec.json.encode(f)).__class__ for f in ws.frames] == [
        PeerPlan, SignalRelay, PeerPlan]
    assert [f["seq"] for f in ws.frames] == [1, 2, 3]
    assert (out.room, out.epoch) == ("r2", 3)
    assert out._flusher is None  # nothing left to send: no task


async def test_a_close_header_ends_the_socket_and_nothing_after_it_is_sent(tmp_path: Path) -> None:
    out, ws = _out(tmp_path)
    out.joined = True
    out.deliver(_msg(_plan("r1", 1), close="removed"))
    out.deliver(_msg(_plan("r1", 2)))
    await wait_until(lambda: _true(ws.closed), timeout=5, what="the close")
    await asyncio.sleep(0.01)
    assert ws.closed_with == [CLOSE_ENDED] and ws.frames == []


async def test_a_close_naming_other_sockets_of_the_participant_leaves_this_one_open(
        tmp_path: Path) -> None:
    """A newer page of the participant took over: only the earlier sockets close (the new
    one is attached before it connects, so it hears the close too)."""
    out, ws = _out(tmp_path)  # socket "c1"
    out.joined = True
    out.deliver(_msg(_plan("r1", 1), close="taken_over", conns="c0,c10"))
    out.deliver(_msg(_plan("r1", 2)))
    await wait_until(lambda: _true(len(ws.frames) == 1), timeout=5, what="the plan")
    assert not ws.closed and ws.frames[0]["epoch"] == 2
    out.deliver(_msg(_plan("r1", 3), close="taken_over", conns="c0,c1"))
    await wait_until(lambda: _true(ws.closed), timeout=5, what="the close")
    assert ws.closed_with == [CLOSE_ENDED] and len(ws.frames) == 1


async def test_a_client_that_falls_too_far_behind_is_closed(tmp_path: Path) -> None:
    out, ws = _out(tmp_path, queue_max=10)
    for epoch in range(30):  # before the snapshot, so nothing drains meanwhile
        out.deliver(_msg(_plan("r1", epoch)))
    out.joined = True
    out._wake()
    await wait_until(lambda: _true(ws.closed), timeout=5, what="the close")
    assert ws.closed_with == [CLOSE_POLICY]
    assert len(ws.frames) == 10  # what was queued before the limit, then the close


async def _true(value: bool) -> bool:
    return value


class FakeTransport(asyncio.WriteTransport):
    def __init__(self, buffered: int = 0, closing: bool = False) -> None:
        super().__init__()
        self.buffered, self.closing = buffered, closing

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def is_closing(self) -> bool:
        return self.closing


def test_a_socket_is_backed_up_while_bytes_wait_in_its_transport_or_it_is_unknown(
        tmp_path: Path) -> None:
    config = GatewayConfig(data_dir=tmp_path)
    ws = cast(web.WebSocketResponse, FakeWs())
    assert not Outbound(ws, config, "c1", FakeTransport()).backed_up()
    assert Outbound(ws, config, "c1", FakeTransport(buffered=6)).backed_up()
    assert Outbound(ws, config, "c1", FakeTransport(closing=True)).backed_up()
    assert Outbound(ws, config, "c1").backed_up()  # no transport known: never written in line
