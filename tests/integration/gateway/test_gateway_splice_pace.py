"""The kernel relay (gateway/http/splice.py) keeps a client's pace, on real loopback sockets.

The relay moves a client's upload body socket to socket without Python seeing the bytes, so it
must apply the same rules as the copying path (gateway/http/pacing.py): the idle timeout, and
the minimum rate once the grace time is over, counted on the bytes it actually moved.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Iterator

import pytest

from gateway.http import splice
from gateway.http.pacing import ClientTooSlow, Pace

pytestmark = pytest.mark.skipif(not hasattr(os, "splice"), reason="Linux splice(2) only")


def _pair() -> tuple[socket.socket, socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
    for sock in (client, accepted):
        sock.setblocking(False)
    return client, accepted


@pytest.fixture
def sockets() -> Iterator[tuple[socket.socket, socket.socket, socket.socket, socket.socket]]:
    """(client's end, the relay's source, the relay's sink, the receiver's end)."""
    client, source = _pair()
    sink, receiver = _pair()
    yield client, source, sink, receiver
    for sock in (client, source, sink, receiver):
        sock.close()


async def _drain(sock: socket.socket, into: bytearray) -> None:
    loop = asyncio.get_running_loop()
    while chunk := await loop.sock_recv(sock, 1 << 20):
        into += chunk


@pytest.mark.parametrize("source_kind", ["tcp", "unix"])
async def test_a_fast_sender_is_relayed_whole_and_counted(
        sockets: tuple[socket.socket, ...], source_kind: str) -> None:
    """From loopback TCP, or from a Unix socket (evidence co-located with the gateway)."""
    client, source, sink, receiver = sockets
    if source_kind == "unix":
        client, source = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        client.setblocking(False)
        source.setblocking(False)
    body = os.urandom(4 << 20)
    clock = Pace(idle_s=5.0, min_rate=1024.0, grace_s=1.0).clock()
    got = bytearray()
    loop = asyncio.get_running_loop()
    reader = asyncio.create_task(_drain(receiver, got))
    sender = asyncio.create_task(loop.sock_sendall(client, body))
    await splice.relay(source.fileno(), sink.fileno(), len(body), idle_s=5.0, budget=clock)
    await sender
    sink.shutdown(socket.SHUT_WR)
    await reader
    assert bytes(got) == body
    assert clock.received == len(body)
    if source_kind == "unix":
        client.close()
        source.close()


async def test_a_trickle_inside_every_idle_window_is_cut_at_the_minimum_rate(
        sockets: tuple[socket.socket, ...]) -> None:
    client, source, sink, _ = sockets
    clock = Pace(idle_s=1.0, min_rate=100.0, grace_s=0.5).clock()

    async def trickle() -> None:
        for _ in range(40):  # one byte every 0.1 s: 10 bytes/s, never idle for 1 s
            client.send(b"x")
            await asyncio.sleep(0.1)

    sender = asyncio.create_task(trickle())
    started = time.monotonic()
    try:
        with pytest.raises(ClientTooSlow, match="minimum rate"):
            await splice.relay(source.fileno(), sink.fileno(), 1000, idle_s=30.0, budget=clock)
    finally:
        sender.cancel()
    assert time.monotonic() - started < 2.0  # at the grace time, not after 40 trickles
    assert 1 <= clock.received < 40


async def test_a_silent_sender_is_cut_at_the_idle_timeout(
        sockets: tuple[socket.socket, ...]) -> None:
    client, source, sink, _ = sockets
    clock = Pace(idle_s=0.3, min_rate=1.0, grace_s=60.0).clock()
    client.send(b"first bytes, then nothing")
    started = time.monotonic()
    with pytest.raises(splice.SourceStalled):
        await splice.relay(source.fileno(), sink.fileno(), 1000, idle_s=30.0, budget=clock)
    assert 0.25 < time.monotonic() - started < 2.0
    assert clock.received == len(b"first bytes, then nothing")
