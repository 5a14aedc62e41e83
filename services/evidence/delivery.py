"""A granted download range written onto a plain socket (TCP or Unix, no TLS) by evidence itself:
the gateway's Unix socket behind the byte port (internal_http.py), or the client's own
connection lent by the gateway (handoff.py).

Opening is its own step, before the caller sends anything: the range's checks and its first
chunk either pass or raise a DomainError (an IntegrityError audited here), so the caller can
still answer with a clean error. Then `write` sends every byte and says how it went; an
integrity failure after the first chunk is audited and logged here, and the caller cuts the
connection. From a file on this host worker threads read, open and send (range_pump.py);
from elsewhere (S3) the chunks come from `Reading.open_range` and go out through a DirectSender.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncGenerator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from parley.rawsocket import DirectSender, SendStalled
from services.evidence.decisions import Evidence
from services.evidence.errors import IntegrityError
from services.evidence.range_pump import PumpThreads, RangePump, pump
from services.evidence.tickets import DownloadGrant

log = logging.getLogger("parley.evidence.delivery")
#: A reader that takes no byte for this long is cut.
IDLE_S = 120.0


@dataclass
class Written:
    sent: int  # bytes handed to the socket
    complete: bool  # every byte of the range, all authenticated


async def _in_thread(executor: Executor | None, work: Callable[[], None]) -> None:
    """`work` in a worker thread; a cancelled caller still waits for it to end (it uses a
    descriptor the caller closes afterwards)."""
    running = asyncio.get_running_loop().run_in_executor(executor, work)
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        await asyncio.wait({running})
        raise


class Delivery:
    """One opened range: `write` it once, then `close` (always, even unopened)."""

    def __init__(self, evidence: Evidence, grant: DownloadGrant,
                 threads: PumpThreads | None) -> None:
        self._evidence = evidence
        self._grant = grant
        self._threads = threads
        self._executor = threads.send if threads is not None else None
        self._pump: RangePump | None = None
        self._stream: AsyncGenerator[bytes, None] | None = None
        self._first: bytes | bytearray | memoryview = b""
        self._sent = 0  # by the DirectSender path (the pump counts its own)

    async def open(self) -> None:
        """Check the range and open its first chunk; raises DomainError (nothing sent)."""
        try:
            grant = self._grant
            self._pump = await self._evidence.vault.reads.range_pump(
                grant.manifest, grant.start, grant.end,
                opener=self._threads.open if self._threads is not None else None)
            if self._pump is not None:
                await _in_thread(self._executor, self._pump.prime)
            else:
                self._stream = self._evidence.serve(grant, reuse=True)
                self._first = await anext(self._stream, b"")
        except IntegrityError:
            await self._evidence.integrity_failure(self._grant)
            raise

    @property
    def sent(self) -> int:
        return self._pump.sent if self._pump is not None else self._sent

    async def _send(self, sock: socket.socket) -> None:
        if self._pump is not None:
            await pump(self._pump, sock, idle_s=IDLE_S, executor=self._executor)
            return
        assert self._stream is not None
        sender = DirectSender(sock, IDLE_S)  # its own duplicate, closed by `aclose`
        try:
            if self._first:
                await sender.send(self._first)
                self._sent += len(self._first)
            async for chunk in self._stream:
                await sender.send(chunk)
                self._sent += len(chunk)
            await sender.drain()
        finally:
            await sender.aclose()  # every copy in progress ends before the descriptor goes

    async def write(self, sock: socket.socket) -> Written:
        """Send the range onto `sock` (plain and non-blocking; a transport's socket too)."""
        try:
            # A duplicate: the event loop refuses to watch a descriptor a transport owns, and
            # readiness is the socket's either way. Closed only once no thread sends on it.
            with socket.socket(sock.family, sock.type, fileno=os.dup(sock.fileno())) as own:
                await self._send(own)
            return Written(self.sent, True)
        except IntegrityError:
            await self._evidence.integrity_failure(self._grant)
            log.error("integrity failure: download cut off",
                      extra={"document": self._grant.manifest.document})
        except (OSError, SendStalled):  # the reader went away or stalled: it is cut
            pass
        return Written(self.sent, False)

    async def close(self) -> None:
        if self._pump is not None:
            self._pump.close()  # never under a step: `pump` and `open` wait for theirs
        if self._stream is not None:
            await self._stream.aclose()  # releases the store's read handle at once


async def opened(evidence: Evidence, grant: DownloadGrant,
                 threads: PumpThreads | None) -> Delivery:
    """A Delivery, opened; closed again if opening fails."""
    delivery = Delivery(evidence, grant, threads)
    try:
        await delivery.open()
    except BaseException:
        await delivery.close()
        raise
    return delivery
