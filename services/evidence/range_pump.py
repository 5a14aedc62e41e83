"""A granted range read from a file, opened, and written to a socket by two worker threads.

Why: the asynchronous path (`Reading.open_range` feeding `rawsocket.DirectSender`) hops between
the event loop and the thread pool twice per megabyte and moves every megabyte through three
buffers on whichever core each step lands on. Here an *opener* thread opens each megabyte of the
mapped file into the decryptor's ring, while a *sender* thread copies the megabyte
opened before into the socket: the cipher and the kernel's copy (both run without the GIL) overlap
on two cores. Measured on a two-core host (benchmarks/evidence_throughput.py, with the hand-off):
one thread doing both, evidence's CPU per downloaded GiB fell from 1.30-1.47 s (asynchronous
path) to 0.85-1.37 s; the two threads overlapping then raised 512 MiB downloads from 912-931 to
994-1068 MiB/s (alternating runs on a quiet machine) for 0.06-0.1 CPU s more per GiB.

The same rules as `Reading.open_range`: only authenticated plaintext is sent, and the last chunk
of the range only once the decryptor has seen the whole range end (and, for a whole document
not `sealed_once`, once the ciphertext's SHA-256 matched): so a chunk is sent only once the
next one has been opened (or the range checked). Neither thread waits on a slow client: the
opener opens at most AHEAD chunks beyond the sender and then returns its thread; a sender step
that finds no room for THREAD_WAIT_S returns, and the event loop waits for room
(`rawsocket.writable`); a step also returns after STEP_BYTES, so one fast download cannot keep a
thread from the others.

The opener reads the content through a read-only memory map, not into a buffer: the cipher reads
the page cache itself, sparing the kernel's copy of every byte into user space (about a tenth of
evidence's CPU per downloaded GiB, all of it on the opener's thread, the download's critical
path). Each chunk is a whole number of segments (no segment split across chunks to copy and
join), and its pages are dropped from the map once opened (MADV_DONTNEED: the page cache keeps
them; the process's RSS stays flat, whatever the document's size). The file's size is checked
(fstat) before it is mapped; committed content is never rewritten in place (the stores replace
a file by renaming a new one over it, which leaves a mapping of the old one intact), so only
someone truncating the store's file under a running download could fault the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hmac
import mmap
import os
import socket
import threading
from collections import deque
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from parley.rawsocket import THREAD_WAIT_S, send_some, writable
from services.evidence.errors import ContentIntegrityError
from services.evidence.format import TAG_LEN, RangePlan
from services.evidence.stream import RangeDecryptor

#: About this much ciphertext is opened at a time (rounded down to whole segments).
READ_CHUNK = 1 << 20
STEP_BYTES = 16 << 20
#: Opened chunks waiting for the sender, at most; the decryptor's ring needs RING buffers (these,
#: the one being sent, and none spare: the opener opens the next only below AHEAD).
AHEAD = 3
RING = AHEAD + 1


@dataclass(frozen=True)
class PumpThreads:
    """Where a download's work runs: `send` (the steps, each bounded) and `open` (reading and
    opening ahead, each bounded too). Two pools, so that steps waiting for their opener can never
    hold every thread the opener needs."""

    send: Executor
    open: Executor


class Step(enum.Enum):
    DONE = "every byte of the range is in the socket"
    BLOCKED = "the socket had no room for THREAD_WAIT_S"
    YIELDED = "STEP_BYTES sent: give the thread back, then go on"


class RangePump:
    """Owns `fd` (the content file, closed by `close`); `digest` is the SHA-256 of what was read
    so far (the header) when the whole ciphertext must match `expected`. The decryptor must reuse
    a ring of RING buffers. `opener`: where chunks are opened ahead of the sender (None: in the
    sender's own thread, one at a time)."""

    def __init__(self, fd: int, decryptor: RangeDecryptor, plan: RangePlan, *,
                 digest: Any | None = None, expected: str | None = None,
                 opener: Executor | None = None) -> None:
        self._fd = fd
        self._decryptor = decryptor
        self._pos = plan.ct_start
        self._end = plan.ct_end
        self._digest = digest
        self._expected = expected
        self._opener = opener
        full = plan.segment_size + TAG_LEN
        self._chunk = max(1, READ_CHUNK // full) * full
        self._map: mmap.mmap | None = None  # mapped by the first `_open_next`, in its thread
        self._view = memoryview(b"")
        # Shared by the opener and the sender, under `_ready`:
        self._ready = threading.Condition()
        self._opened: deque[memoryview] = deque()  # opened, in order, not yet sent
        self._checked = False  # the range ended whole (and its digest matched): all is sendable
        self._failure: BaseException | None = None
        self._opening: Future[None] | None = None  # the opener's run, while it runs
        self._sending = memoryview(b"")
        self.sent = 0
        self.stopping = False

    def _open_next(self) -> memoryview | None:
        """Read and open the next chunk of the range; None once the range is over (checked).
        Never in two threads at once (one read buffer, one decryptor)."""
        if self._pos >= self._end:
            self._decryptor.finalize()  # IntegrityError if the range did not end whole
            if self._digest is not None and not hmac.compare_digest(
                    self._digest.hexdigest(), self._expected or ""):
                raise ContentIntegrityError("stored content does not match its pinned digest")
            return None
        if self._map is None:
            self._map_content()
        assert self._map is not None
        start, self._pos = self._pos, min(self._end, self._pos + self._chunk)
        with self._view[start:self._pos] as piece:
            if self._digest is not None:
                self._digest.update(piece)
            opened = memoryview(self._decryptor.update(piece)).cast("B")
        first, last = start - start % mmap.PAGESIZE, self._pos - self._pos % mmap.PAGESIZE
        if last > first:  # opened: these pages are needed no more (the next chunk's are kept)
            self._map.madvise(mmap.MADV_DONTNEED, first, last - first)
        return opened

    def _map_content(self) -> None:
        if os.fstat(self._fd).st_size < self._end:
            raise ContentIntegrityError("the committed content is shorter than pinned")
        self._map = mmap.mmap(self._fd, self._end, prot=mmap.PROT_READ)
        self._map.madvise(mmap.MADV_SEQUENTIAL)
        self._view = memoryview(self._map)

    def _open_ahead(self) -> None:
        """Open chunks until AHEAD wait, the range is checked, or the pump stops or failed.
        What it raises reaches the sender (`_ran_ahead`, or directly when run inline)."""
        while True:
            with self._ready:
                if (self.stopping or self._checked or self._failure is not None
                        or len(self._opened) >= AHEAD):
                    return
            opened = self._open_next()  # outside the lock: the sender sends meanwhile
            with self._ready:
                if opened is None:
                    self._checked = True
                elif len(opened):
                    self._opened.append(opened)
                self._ready.notify()

    def _ran_ahead(self, run: Future[None]) -> None:
        """The opener's run ended (in its thread): its failure, if any, is the sender's next."""
        with self._ready:
            if run.cancelled():  # its pool shut down before it ran
                self._failure = RuntimeError("the opener's pool has shut down")
            elif (failure := run.exception()) is not None:
                self._failure = failure
            self._opening = None
            self._ready.notify()

    def _keep_opening(self) -> None:
        """Under `_ready`: have chunks opened ahead, in the opener's pool or (none) right here."""
        if self._opening is not None or self._checked or self._failure is not None:
            return
        if self._opener is None:
            self._ready.release()
            try:
                self._open_ahead()
            finally:
                self._ready.acquire()
        else:
            self._opening = self._opener.submit(self._open_ahead)
            self._opening.add_done_callback(self._ran_ahead)

    def _next_to_send(self) -> memoryview | None:
        """The next chunk that may go out (waiting for the opener if need be); None once every
        chunk of the checked range has been taken. Raises what opening raised."""
        with self._ready:
            while True:
                if self._failure is not None:
                    raise self._failure
                # A chunk goes out only once the one after it is opened, or the range checked.
                if len(self._opened) >= 2 or (self._checked and self._opened):
                    chunk = self._opened.popleft()
                    self._keep_opening()
                    return chunk
                if self._checked:
                    return None
                self._keep_opening()
                if self._opening is not None:
                    self._ready.wait(1.0)

    def prime(self) -> None:
        """In a worker thread: open the first chunk (a failure now is still a clean refusal)."""
        while not self._opened and not self._checked:
            opened = self._open_next()
            if opened is None:
                self._checked = True
            elif len(opened):
                self._opened.append(opened)

    def step(self, sock: socket.socket) -> Step:
        """In a worker thread: send until done, blocked or STEP_BYTES sent. Raises OSError
        (the peer went away), IntegrityError, or nothing once `stopping` is set (then DONE)."""
        budget = self.sent + STEP_BYTES
        while not self.stopping:
            if self._sending:
                took = send_some(sock, self._sending, THREAD_WAIT_S)
                self._sending = self._sending[took:]
                self.sent += took
                if self._sending:
                    return Step.BLOCKED
                if self.sent >= budget:
                    return Step.YIELDED
            chunk = self._next_to_send()
            if chunk is None:
                return Step.DONE
            self._sending = chunk
        return Step.DONE

    def opening(self) -> Future[None] | None:
        """The opener's run, if one is under way (it must end before `close`)."""
        with self._ready:
            return self._opening

    def close(self) -> None:
        """Never while a step or an opener's run is under way (`pump` waits for both): the
        descriptor number could be reused under them."""
        if self._fd >= 0:
            self._view.release()
            if self._map is not None:
                # A failure's traceback may still hold a slice of the map (the ciphertext that
                # failed): then the mapping goes when that does. The descriptor is not needed.
                with contextlib.suppress(BufferError):
                    self._map.close()
                self._map = None
            os.close(self._fd)
            self._fd = -1


async def pump(evidence_pump: RangePump, sock: socket.socket, *, idle_s: float,
               executor: Executor | None) -> None:
    """Run `evidence_pump` onto `sock` (non-blocking, not watched by anyone) to the end.

    However it ends (done, failed, cancelled), it stops the threads at their next chunk and
    waits for them: the socket and file must not be closed under a running step or opener."""
    loop = asyncio.get_running_loop()
    try:
        while True:
            running = loop.run_in_executor(executor, evidence_pump.step, sock)
            try:
                done = await asyncio.shield(running)
            except asyncio.CancelledError:
                evidence_pump.stopping = True
                await asyncio.wait({running})
                raise
            if done is Step.DONE:
                return
            if done is Step.BLOCKED:
                await writable(sock, idle_s)
    finally:
        evidence_pump.stopping = True
        if (opening := evidence_pump.opening()) is not None:
            await asyncio.wait({asyncio.wrap_future(opening)})
