"""Framed messages with a descriptor over a Unix socket pair (parley/fdpass.py): the frame and
its descriptor arrive together, frames never run into each other, and every descriptor this side
did not ask for, or received with a frame that fails, is closed rather than leaked."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator

import pytest

from parley.fdpass import FrameError, recv_frame, send_frame


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    left.setblocking(False)
    right.setblocking(False)
    yield left, right
    left.close()
    right.close()


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


async def test_a_frame_brings_its_descriptor_and_the_next_frame_stays_apart(
        pair: tuple[socket.socket, socket.socket]) -> None:
    left, right = pair
    reader, writer = os.pipe()
    try:
        await send_frame(left, b"lend", fds=[writer])
        await send_frame(left, b"second")
        payload, fds = await recv_frame(right, max_len=100, max_fds=1)
        assert payload == b"lend" and len(fds) == 1 and fds[0] != writer
        os.write(fds[0], b"through the copy")  # the same pipe, through the received copy
        os.close(fds[0])
        assert os.read(reader, 100) == b"through the copy"
        assert await recv_frame(right, max_len=100) == (b"second", [])
    finally:
        os.close(reader)
        os.close(writer)


async def test_a_large_frame_arrives_whole(pair: tuple[socket.socket, socket.socket]) -> None:
    """More than a socket buffer holds: both sides wait for readiness on the event loop."""
    left, right = pair
    data = os.urandom(4 * 1024 * 1024)
    task = asyncio.ensure_future(send_frame(left, data, idle_s=5))
    assert await recv_frame(right, max_len=len(data), idle_s=5) == (data, [])
    await task


@pytest.mark.parametrize(("payload", "max_fds", "refusal"), [
    (b"x", 0, "more descriptors"),  # a descriptor this side did not ask for
    (b"y" * 101, 1, "101 bytes"),  # a frame over the limit, with one it did
])
async def test_a_refused_frame_leaves_no_descriptor_open(
        pair: tuple[socket.socket, socket.socket], payload: bytes, max_fds: int,
        refusal: str) -> None:
    left, right = pair
    reader, writer = os.pipe()
    try:
        before = fd_count()
        await send_frame(left, payload, fds=[writer])
        with pytest.raises(FrameError, match=refusal):
            await recv_frame(right, max_len=100, max_fds=max_fds)
        assert fd_count() == before
    finally:
        os.close(reader)
        os.close(writer)


async def test_a_peer_closing_mid_frame_or_silent_is_a_frame_error(
        pair: tuple[socket.socket, socket.socket]) -> None:
    left, right = pair
    with pytest.raises(FrameError, match="did nothing"):
        await recv_frame(right, max_len=100, idle_s=0.05)
    left.send((50).to_bytes(4, "big") + b"only part")
    left.close()
    with pytest.raises(FrameError, match="closed"):
        await recv_frame(right, max_len=100, idle_s=1)
