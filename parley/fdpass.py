"""Short framed messages over a Unix stream socket, the first able to carry a file descriptor.

    frame = u32be length || payload (at most the reader's `max_len`)

A descriptor travels as SCM_RIGHTS ancillary data with the first byte of the frame that sends
it, so the receiver gets it with the bytes it reads first (`recv_frame` reads exactly one frame,
never into the next, so a descriptor is never taken with another frame's bytes). Readiness
comes from the event loop; the socket must be non-blocking and watched by no one else. Any
descriptor received beyond what the reader accepts, or on a frame that fails, is closed at once:
a descriptor in this process is something to account for, never to leak.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable, Sequence

from parley import rawsocket

_LENGTH = 4


class FrameError(Exception):
    """The peer closed, was too slow, or broke the framing."""


async def _ready(register: Callable[[int, Callable[[], None]], object],
                 unregister: Callable[[int], bool], fd: int, idle_s: float | None) -> None:
    if not await rawsocket.ready(register, unregister, fd, idle_s):
        raise FrameError(f"the peer did nothing for {idle_s:g} s")


async def send_frame(sock: socket.socket, payload: bytes, *, fds: Sequence[int] = (),
                     idle_s: float | None = None) -> None:
    """Send one frame; `fds` go with its first byte (the peer holds its own copies after)."""
    loop = asyncio.get_running_loop()
    data = memoryview(len(payload).to_bytes(_LENGTH, "big") + payload)
    sent = 0
    while sent < len(data):
        try:
            if sent == 0 and fds:
                sent += socket.send_fds(sock, [data], list(fds))
            else:
                sent += sock.send(data[sent:])
        except BlockingIOError:
            await _ready(loop.add_writer, loop.remove_writer, sock.fileno(), idle_s)
        except OSError as exc:
            raise FrameError(f"sending failed: {exc.strerror}") from exc


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)
    fds.clear()


async def _read(sock: socket.socket, count: int, fds: list[int], max_fds: int,
                idle_s: float | None) -> bytes:
    """Exactly `count` bytes; descriptors that come with them are added to `fds`."""
    loop = asyncio.get_running_loop()
    got = bytearray()
    while len(got) < count:
        try:
            data, more, flags, _ = socket.recv_fds(sock, count - len(got), max(max_fds, 1))
        except BlockingIOError:
            await _ready(loop.add_reader, loop.remove_reader, sock.fileno(), idle_s)
            continue
        except OSError as exc:
            raise FrameError(f"receiving failed: {exc.strerror}") from exc
        fds.extend(more)
        if flags & socket.MSG_CTRUNC or len(fds) > max_fds:
            raise FrameError("the peer sent more descriptors than expected")
        if not data:
            raise FrameError("the peer closed the connection")
        got += data
    return bytes(got)


async def recv_frame(sock: socket.socket, *, max_len: int, max_fds: int = 0,
                     idle_s: float | None = None) -> tuple[bytes, list[int]]:
    """One frame's payload and the descriptors that came with it (the caller owns them)."""
    fds: list[int] = []
    try:
        length = int.from_bytes(await _read(sock, _LENGTH, fds, max_fds, idle_s), "big")
        if length > max_len:
            raise FrameError(f"a frame of {length} bytes (at most {max_len})")
        payload = await _read(sock, length, fds, max_fds, idle_s) if length else b""
    except BaseException:
        _close_all(fds)
        raise
    return payload, fds
