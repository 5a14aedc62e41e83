"""Moving body bytes socket to socket inside the kernel (Linux `splice(2)` through a pipe).

The gateway relays document bytes between a client and evidence without looking at them, so
on plain TCP it need not copy them through Python at all: `splice` moves pages from one socket
into a pipe and from the pipe into the other socket. Where splicing is impossible (TLS on
either side, another OS), callers keep the ordinary copying path; `available` says which.

A relay makes progress or waits for readiness on the two descriptors with the event loop's
reader/writer callbacks; no progress for `idle_s` seconds is a `SpliceStalled` (the slow or
stalled peer loses the connection, as for any other body read with an idle timeout). A relay
reading a client's bytes takes the client's pace as a `ReadBudget` (pacing.PaceClock is one):
each wait for the source then lasts at most what the budget allows, and the budget hears of
every byte moved, so the minimum-rate rule holds in the kernel path exactly as in the copying
one (a trickle inside every idle window is still cut off).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from collections.abc import Callable
from typing import Protocol

from parley import rawsocket

PIPE_BYTES = 1 << 20
_FLAGS = getattr(os, "SPLICE_F_MOVE", 1) | getattr(os, "SPLICE_F_NONBLOCK", 2)
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


class SpliceError(Exception):
    """The relay could not finish: a peer closed early, or failed."""


class SpliceStalled(SpliceError):
    """No byte moved for the idle time."""


class SourceFailed(SpliceError):
    """The sending side closed early or failed."""


class SourceStalled(SpliceStalled):
    """The sending side sent nothing for as long as its budget allowed."""


class ReadBudget(Protocol):
    """How long the relay may wait for the source's next bytes, told of each byte read.

    `wait_s` raises (the caller's own error) once the source's time is spent."""

    def wait_s(self) -> float: ...

    def arrived(self, count: int) -> None: ...


class SinkFailed(SpliceError):
    """The receiving side closed or failed (it may have answered already)."""


def available(*transports: asyncio.BaseTransport | None) -> bool:
    """True when every transport is a plain (non-TLS) TCP or Unix socket and `splice` exists."""
    if not hasattr(os, "splice"):
        return False
    return all(rawsocket.plain_socket(transport) is not None for transport in transports)


async def flushed(transport: asyncio.WriteTransport, idle_s: float) -> None:
    """Wait until the transport has handed every buffered byte to its socket (the relay then
    writes to the socket directly, after them)."""
    try:
        await rawsocket.flushed(transport, idle_s)
    except rawsocket.SendStalled as exc:
        raise SpliceStalled(str(exc)) from None


def fileno(transport: asyncio.BaseTransport) -> int:
    sock = transport.get_extra_info("socket")
    return int(sock.fileno())


async def _ready(register: Callable[[int, Callable[[], None]], object],
                 unregister: Callable[[int], bool], fd: int, idle_s: float) -> None:
    if not await rawsocket.ready(register, unregister, fd, idle_s):
        raise SpliceStalled(f"no progress for {idle_s:.0f} s")


async def _source_ready(src: int, idle_s: float, budget: ReadBudget | None) -> None:
    loop = asyncio.get_running_loop()
    wait_s = idle_s if budget is None else budget.wait_s()  # raises once the budget is spent
    try:
        await _ready(loop.add_reader, loop.remove_reader, src, wait_s)
    except SpliceStalled:
        if budget is not None:
            budget.wait_s()  # the minimum rate ran out (not the idle time): its own error
        raise SourceStalled(f"no bytes for {wait_s:.3g} s") from None


async def relay(src: int, dst: int, count: int, *, idle_s: float,
                budget: ReadBudget | None = None) -> None:
    """Move exactly `count` bytes from socket `src` to socket `dst` (both non-blocking, and
    neither watched by anyone else meanwhile: pause the transports' reading first).

    Waits for `dst` last at most `idle_s`; waits for `src` too, or what `budget` allows."""
    loop = asyncio.get_running_loop()
    # Duplicates: the event loop refuses to watch a descriptor a transport owns, and these
    # refer to the same sockets (readiness is the socket's), closed here when the relay ends.
    src, dst = os.dup(src), os.dup(dst)
    pipe_r, pipe_w = os.pipe()
    try:
        with contextlib.suppress(OSError):  # a larger pipe: fewer round trips; optional
            fcntl.fcntl(pipe_w, _F_SETPIPE_SZ, PIPE_BYTES)
        in_pipe = moved = 0
        while moved < count:
            progressed = False
            want = count - moved - in_pipe
            if want > 0:
                try:
                    got = os.splice(src, pipe_w, min(want, PIPE_BYTES), flags=_FLAGS)
                except BlockingIOError:
                    got = -1  # source empty for now, or the pipe is full
                except OSError as exc:
                    raise SourceFailed(f"reading failed: {exc.strerror}") from exc
                if got == 0:
                    raise SourceFailed(f"the sender closed after {moved + in_pipe} of {count}")
                if got > 0:
                    in_pipe += got
                    progressed = True
                    if budget is not None:
                        budget.arrived(got)
            if in_pipe:
                try:
                    put = os.splice(pipe_r, dst, in_pipe, flags=_FLAGS)
                except BlockingIOError:
                    put = 0
                except OSError as exc:
                    raise SinkFailed(f"writing failed: {exc.strerror}") from exc
                if put > 0:
                    in_pipe -= put
                    moved += put
                    progressed = True
            if progressed:
                continue
            if in_pipe:  # the receiver is slow: wait until it can take more
                await _ready(loop.add_writer, loop.remove_writer, dst, idle_s)
            else:
                await _source_ready(src, idle_s, budget)
    finally:
        for fd in (pipe_r, pipe_w, src, dst):
            os.close(fd)
