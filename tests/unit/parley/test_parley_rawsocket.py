"""DirectSender: whole buffers into a real socket from a worker thread, one in flight at a time,
waiting for a slow reader, cut when stalled, and its descriptor kept until the send is done."""

from __future__ import annotations

import asyncio
import os
import socket

import pytest

from parley.rawsocket import DirectSender, SendStalled


async def test_a_buffer_larger_than_the_socket_takes_goes_whole_to_a_slow_reader() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    theirs.setblocking(False)
    data = os.urandom(4 << 20)  # far more than a Unix socket buffers
    buffer = bytearray(data)
    sender = DirectSender(ours, idle_s=10)
    got = bytearray()
    loop = asyncio.get_running_loop()

    async def slow_reader() -> None:
        while len(got) < len(data):
            got.extend(await loop.sock_recv(theirs, 64 << 10))
            await asyncio.sleep(0)

    reader = asyncio.create_task(slow_reader())
    await sender.send(buffer)
    await sender.drain()
    buffer[:] = bytes(len(buffer))  # once drained, the caller may reuse its buffer
    await reader
    assert bytes(got) == data
    await sender.aclose()
    ours.send(b"!")  # the original socket is still open: the sender closed its duplicate
    assert await loop.sock_recv(theirs, 1) == b"!"
    ours.close()
    theirs.close()


async def test_a_reader_that_takes_nothing_is_a_stall() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    sender = DirectSender(ours, idle_s=0.3)
    await sender.send(os.urandom(8 << 20))  # started; the stall is the next wait's error
    with pytest.raises(SendStalled):
        await sender.drain()
    await sender.aclose()
    ours.close()
    theirs.close()


async def _received(sock: socket.socket, size: int) -> bytes:
    got = bytearray()
    while len(got) < size:
        got.extend(await asyncio.get_running_loop().sock_recv(sock, 1 << 20))
    return bytes(got)


async def test_buffers_follow_in_order_while_the_caller_prepares_the_next() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    theirs.setblocking(False)
    pieces = [os.urandom(3 << 20) for _ in range(4)]
    sender = DirectSender(ours, idle_s=10)
    reading = asyncio.create_task(_received(theirs, sum(map(len, pieces))))
    for piece in pieces:  # each send waits for the one before: never two threads on the socket
        await sender.send(piece)
    await sender.drain()
    assert await reading == b"".join(pieces)
    await sender.aclose()
    ours.close()
    theirs.close()


async def test_stalled_readers_hold_no_worker_thread_and_closing_ends_their_sends() -> None:
    """A send waiting for a reader that takes nothing waits on the event loop, not in a worker
    thread: more stalled sends than the pool has threads leave it free for other work (evidence
    reads its files there), and closing the senders ends them at once."""
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(40)]
    senders = [DirectSender(ours, idle_s=30) for ours, _ in pairs]
    for sender in senders:
        await sender.send(os.urandom(8 << 20))  # far more than the socket holds
    await asyncio.sleep(0.2)  # every copy has filled its socket and is waiting for room
    assert await asyncio.wait_for(asyncio.to_thread(lambda: "free"), 2) == "free"
    started = asyncio.get_running_loop().time()
    for sender in senders:
        await sender.aclose()
    assert asyncio.get_running_loop().time() - started < 2
    ours, theirs = pairs[0]
    theirs.setblocking(False)
    drained = 0
    while True:  # the original socket is intact: what was sent is there, then our byte
        try:
            drained += len(theirs.recv(1 << 20))
        except BlockingIOError:
            break
    ours.send(b"!")
    assert await asyncio.get_running_loop().sock_recv(theirs, 1) == b"!" and drained > 0
    for ours, theirs in pairs:
        ours.close()
        theirs.close()
