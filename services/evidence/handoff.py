"""Evidence's side of the download hand-off (proto/handoff.py): the body written straight onto
the client's connection, which the co-located gateway lends for one response.

Why: relayed, every downloaded byte crossed a third process on its way out (the gateway's
splice of evidence's Unix socket onto the client's TCP socket: 0.5-0.6 CPU s per GiB, on a
two-core host where evidence needs 1.1-1.2 s per GiB and the client 0.5). Written here, the
bytes leave the process that decrypts them, as a plain file server's do (measured in
benchmarks/evidence_throughput.py).

What evidence may do with the lent socket, and nothing else: write the granted range's
authenticated plaintext to it, after the gateway says the response head is on it ("go"), then
close its own copy of the descriptor and tell the gateway how it went. It never reads from it
(the client's next request is the gateway's), never shuts it down (the gateway cuts it when a
delivery is not complete) and never changes its options or blocking mode (shared with the
gateway's copy). The same ticket as the byte port's GET authorises the range; a refusal is sent
before any byte, so the gateway can still answer with a clean error.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

import msgspec

from parley.errors import DomainError
from parley.failures import note_failure
from parley.fdpass import FrameError, recv_frame, send_frame
from proto.errors import Error, ErrorCode
from proto.handoff import MAX_FRAME, HandoffGo, HandoffReply, HandoffRequest
from proto.principal import Principal, decode_principal
from services.evidence.decisions import Evidence
from services.evidence.delivery import Written, opened
from services.evidence.range_pump import PumpThreads
from services.evidence.tickets import DownloadGrant

log = logging.getLogger("parley.evidence.handoff")
#: The gateway's frames come at once (it only writes a response head in between).
FRAME_IDLE_S = 30.0
_STREAM_FAMILIES = (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX)


def _client_socket(fds: list[int]) -> socket.socket:
    """The lent descriptor as a socket object (which then owns it); ValueError if it is not
    exactly one stream socket (closed then)."""
    if len(fds) != 1:
        for fd in fds:
            os.close(fd)
        raise ValueError("a hand-off lends exactly one socket")
    try:
        sock = socket.socket(fileno=fds[0])
    except OSError:
        os.close(fds[0])
        raise ValueError("the lent descriptor is not a socket") from None
    if sock.type != socket.SOCK_STREAM or sock.family not in _STREAM_FAMILIES:
        sock.close()
        raise ValueError("the lent socket is not a stream socket")
    return sock


def _principal(raw: str) -> Principal | None:
    try:
        return decode_principal(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


async def _reply(conn: socket.socket, reply: HandoffReply) -> None:
    await send_frame(conn, msgspec.json.encode(reply), idle_s=FRAME_IDLE_S)


async def _ready(conn: socket.socket) -> None:
    """Say the range can be served, and wait for the gateway's head to be on the socket."""
    await _reply(conn, HandoffReply(state="ready"))
    go, _ = await recv_frame(conn, max_len=MAX_FRAME, idle_s=FRAME_IDLE_S)
    msgspec.json.decode(go, type=HandoffGo)


async def _deliver_range(evidence: Evidence, grant: DownloadGrant, conn: socket.socket,
                         client: socket.socket, threads: PumpThreads) -> Written | None:
    """Open the range (a failure then is a refusal: None), then write it onto `client`."""
    try:
        delivery = await opened(evidence, grant, threads)
    except DomainError as exc:
        await _reply(conn, HandoffReply(state="refused", error=exc.envelope()))
        return None
    try:
        await _ready(conn)
        return await delivery.write(client)
    finally:
        await delivery.close()


async def _serve(evidence: Evidence, clock: Callable[[], int], conn: socket.socket,
                 threads: PumpThreads) -> None:
    payload, fds = await recv_frame(conn, max_len=MAX_FRAME, max_fds=1, idle_s=FRAME_IDLE_S)
    try:
        client = _client_socket(fds)
    except ValueError as exc:
        await _reply(conn, HandoffReply(state="refused", error=Error(
            code=ErrorCode.INVALID, message=str(exc))))
        return
    with client:  # closes evidence's copy only: the connection stays the gateway's
        try:
            req = msgspec.json.decode(payload, type=HandoffRequest)
            grant = evidence.downloads.redeem(req.path.rsplit("/", 1)[1], req.ticket,
                                              _principal(req.principal), clock())
        except msgspec.DecodeError as exc:  # a ValidationError is one too
            await _reply(conn, HandoffReply(state="refused", error=Error(
                code=ErrorCode.INVALID, message=str(exc)[:500])))
            return
        except DomainError as exc:
            await _reply(conn, HandoffReply(state="refused", error=exc.envelope()))
            return
        delivered = await _deliver_range(evidence, grant, conn, client, threads)
    if delivered is None:
        return
    log.info("download written onto the client's connection", extra={
        "document": grant.manifest.document, "bytes": delivered.sent,
        "complete": delivered.complete})
    await _reply(conn, HandoffReply(state="done", sent=delivered.sent,
                                    complete=delivered.complete))


class HandoffServer:
    """Accepts the gateway's hand-offs on a Unix socket only evidence's user may open."""

    def __init__(self, evidence: Evidence, clock: Callable[[], int], pumps: PumpThreads) -> None:
        """`pumps`: the threads deliveries are written from (delivery.py)."""
        self._evidence = evidence
        self._clock = clock
        self._listener: socket.socket | None = None
        self._accepting: asyncio.Task[None] | None = None
        self._serving: set[asyncio.Task[None]] = set()
        self._pumps = pumps

    async def start(self, path: Path) -> None:
        """Listen at `path` (made 0600 under a 0177 umask, never briefly wider)."""
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)
        try:
            listener.bind(str(path))
        except OSError:
            listener.close()
            raise
        finally:
            os.umask(previous)
        listener.listen(64)
        listener.setblocking(False)
        self._listener = listener
        self._accepting = asyncio.create_task(self._accept(listener))

    async def _accept(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            conn, _ = await loop.sock_accept(listener)
            task = asyncio.create_task(self._one(conn))
            self._serving.add(task)
            task.add_done_callback(self._serving.discard)

    async def _one(self, conn: socket.socket) -> None:
        with conn:
            try:
                await _serve(self._evidence, self._clock, conn, self._pumps)
            except (FrameError, msgspec.DecodeError) as exc:
                # The gateway went away or broke the exchange; it cuts its client on that.
                note_failure(log, "evidence.handoff", exc)

    async def close(self) -> None:
        tasks = [t for t in (self._accepting, *self._serving) if t is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        for task in tasks:
            failure = None if task.cancelled() else task.exception()
            if failure is not None:
                note_failure(log, "evidence.handoff.close", failure)
        if self._listener is not None:
            self._listener.close()
