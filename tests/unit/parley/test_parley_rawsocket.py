"""DirectSender: whole buffers into a real socket, waiting for a slow reader, cut when stalled."""

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
    buffer[:] = bytes(len(buffer))  # the caller may reuse its buffer at once
    await reader
    assert bytes(got) == data
    sender.close()
    ours.send(b"!")  # the original socket is still open: the sender closed its duplicate
    assert await loop.sock_recv(theirs, 1) == b"!"
    ours.close()
    theirs.close()


async def test_a_reader_that_takes_nothing_is_a_stall() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    sender = DirectSender(ours, idle_s=0.3)
    with pytest.raises(SendStalled):
        await sender.send(os.urandom(8 << 20))
    sender.close()
    ours.close()
    theirs.close()
