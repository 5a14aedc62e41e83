"""Writing to a connection's socket directly, beside the asyncio transport that owns it.

A relay or a streamed response that has already sent its headers through the transport may move
the body on the socket itself: spliced in the kernel (gateway/http/splice.py), or sent from the
caller's buffer without the transport keeping a copy (`DirectSender`). Both first wait until
the transport has handed every buffered byte to the socket (`flushed`), so the body follows the
headers, and both work on a duplicate descriptor: the event loop refuses to watch a descriptor a
transport owns, and readiness is the socket's either way.
"""

from __future__ import annotations

import asyncio
import os
import select
import socket
import time
from collections.abc import Callable

from parley.futures import ended


class SendStalled(Exception):
    """The receiver took no bytes for the idle time."""


def plain_socket(transport: asyncio.BaseTransport | None) -> socket.socket | None:
    """The transport's socket if bytes may go to it directly (no TLS, still open)."""
    if transport is None or transport.is_closing() \
            or transport.get_extra_info("sslcontext") is not None \
            or transport.get_extra_info("ssl_object") is not None:
        return None
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
        return None
    return sock  # type: ignore[no-any-return]


#: How long a worker thread of `DirectSender` waits for room before the event loop takes over.
THREAD_WAIT_S = 0.02
#: What a Unix socket may hold in flight from its sender (capped by net.core.wmem_max).
UNIX_SEND_BUFFER = 4 << 20


def widen_unix_send_buffer(sock: socket.socket) -> None:
    """A Unix stream socket holds only ~200 KiB in flight by default (net.core.wmem_default), so
    a relay reading it (the gateway's splice) wakes for every small slice: measured, twice the
    CPU per byte in the gateway and a third fewer bytes per second than loopback TCP, whose
    buffers grow by themselves. A wider buffer lets each wake-up move a megabyte or more."""
    if sock.family == socket.AF_UNIX:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, UNIX_SEND_BUFFER)


async def flushed(transport: asyncio.WriteTransport, idle_s: float) -> None:
    """Wait until the transport has handed every buffered byte to its socket."""
    deadline = asyncio.get_running_loop().time() + idle_s
    while transport.get_write_buffer_size():
        if asyncio.get_running_loop().time() > deadline:
            raise SendStalled("the receiver takes no bytes")
        await asyncio.sleep(0.002)


async def ready(register: Callable[[int, Callable[[], None]], object],
                unregister: Callable[[int], bool], fd: int, timeout_s: float | None) -> bool:
    """Wait for one readiness callback on `fd` (the loop's add_reader/remove_reader or
    add_writer/remove_writer pair); False if `timeout_s` passed first. `fd` must be a
    descriptor no transport watches (a duplicate of a transport's socket will do)."""
    fired: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def wake() -> None:
        if not fired.done():
            fired.set_result(None)

    register(fd, wake)
    try:
        await asyncio.wait_for(fired, timeout_s)
    except TimeoutError:
        return False
    finally:
        unregister(fd)
    return True


async def writable(sock: socket.socket, idle_s: float) -> None:
    """Wait until `sock` can take more; SendStalled after `idle_s`."""
    loop = asyncio.get_running_loop()
    if not await ready(loop.add_writer, loop.remove_writer, sock.fileno(), idle_s):
        raise SendStalled(f"no byte taken for {idle_s:g} s")


def send_some(sock: socket.socket, octets: memoryview, wait_s: float) -> int:
    """In a worker thread: as much of `octets` as the socket takes, waiting at most `wait_s`
    (in all) for room. A reader keeping up makes room within microseconds, and handing each
    such wait to the event loop and back to a thread was measured a quarter slower; a reader
    that does not is left to the event loop (`writable`), so it never holds a thread long."""
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLOUT)
    deadline = time.monotonic() + wait_s
    sent = 0
    while sent < len(octets):
        try:
            sent += sock.send(octets[sent:])
        except BlockingIOError:
            left_ms = (deadline - time.monotonic()) * 1000
            if left_ms <= 0 or not poller.poll(left_ms):
                break
    return sent


class DirectSender:
    """Sends whole buffers to a socket, copying them into the kernel from a worker thread, one
    buffer in flight at a time.

    `send(data)` waits for the previous buffer's send to finish, then starts this one and
    returns: the copy of `data` into the kernel (done without the GIL) runs beside whatever the
    caller does next, such as opening the next chunk. So `data` must stay unchanged until the
    next `send` or `drain` returns; after that the caller may reuse it (the transport, by
    contrast, would keep a copy or a reference of what the socket did not take at once).

    A worker thread waits for room at most THREAD_WAIT_S; then it hands back what it sent and
    the wait goes on on the event loop. So a slow or stalled reader does not hold a thread (the
    pool is shared with every file read of the process), only its own send, cut with
    `SendStalled` after `idle_s` without room. `aclose` waits for a copy in progress before the
    descriptor goes (a descriptor closed under a thread still writing could be reused by
    another file and receive the rest). Call it before the transport is closed."""

    def __init__(self, sock: socket.socket, idle_s: float) -> None:
        self._sock = socket.socket(sock.family, sock.type, fileno=os.dup(sock.fileno()))
        self._sock.setblocking(False)
        widen_unix_send_buffer(self._sock)
        self._idle_s = idle_s
        self._inflight: asyncio.Task[None] | None = None
        self._copying: asyncio.Future[int] | None = None

    async def _send_all(self, data: bytes | bytearray | memoryview) -> None:
        loop = asyncio.get_running_loop()
        octets = memoryview(data).cast("B")
        sent = 0
        while True:
            self._copying = loop.run_in_executor(None, send_some, self._sock, octets[sent:],
                                                 THREAD_WAIT_S)
            # Shielded: cancelling this task must not mark the copy done while the thread
            # still writes (`aclose` waits for the copy itself before closing the descriptor).
            sent += await asyncio.shield(self._copying)
            self._copying = None
            if sent >= len(octets):
                return
            await writable(self._sock, self._idle_s)

    async def drain(self) -> None:
        """Wait until the buffer in flight is in the kernel; raises its failure."""
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            await asyncio.shield(inflight)  # a cancelled caller must not cut a copy short

    async def send(self, data: bytes | bytearray | memoryview) -> None:
        await self.drain()
        self._inflight = asyncio.ensure_future(self._send_all(data))

    async def aclose(self) -> None:
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            inflight.cancel()  # a wait for room ends here; a copy in progress finishes below
            await ended(inflight)  # its failure: reported by `drain` already, or moot at close
        copying, self._copying = self._copying, None
        if copying is not None:
            await asyncio.wait({copying})
        self._sock.close()
