"""One participant's WebSocket: join, snapshot, deltas, commands (DESIGN §5, §8).

Protocol (proto/ws.py): the client's first message is `{"type": "join", "hearing": H}`. The
gateway then attaches the socket to the deliveries for `parley.v1.client.<H>.<participant>`
(gateway/ws/deliveries.py: one subscription per hearing per process) BEFORE asking signalling
to `connect` this socket, so nothing published after the snapshot can be missed; the reply carries
the snapshot and the hearing revision it reflects, and queued deliveries stamped with an older
revision are dropped (the snapshot already contains them). Every server message is stamped with
this connection's `seq` (1 = the snapshot).

Client messages are decoded and bounded here (frame size, schema), rate-limited per socket
(token bucket; refusals get an `error`; a sustained flood closes the socket with 1008) and
forwarded to signalling one at a time, in order, with the principal; its errors come back as
typed `error` messages. Nothing a client sends can crash the gateway: every failure is an
`error` message or a closed socket.

Output: every server message goes out through `send`, which stamps `seq` and writes the frame
before its first await (frames are never compressed, so aiohttp writes them synchronously and only
waiting for the transport to drain can suspend): wire order is seq order without a lock.
Deliveries from NATS land in a plain list (`deliver`, called by gateway/ws/deliveries.py) and are
sent by a short-lived task started only while that list is not empty; an idle socket holds no
task, queue or lock of its own beyond aiohttp's reader. A socket whose list reaches
`ws_queue_max` is closed as too slow. Nothing from the join is kept once the snapshot is sent
(a hearing's snapshot is many objects that every full garbage collection would walk again).

Isolation (defence in depth): relayed signals are forwarded only when they carry the room and
epoch of this client's latest peer plan, so a signal decided just before a move cannot reach the
client after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import msgspec
from aiohttp import WSMsgType, web
from nats.aio.client import Client
from nats.aio.msg import Msg

from gateway.config import GatewayConfig
from gateway.http.pacing import ClientTooSlow, paced_receive
from gateway.identity.ratelimit import BucketConfig, TokenBucket
from gateway.ws.deliveries import Deliveries
from parley.errors import ServiceFailure
from parley.failures import handled
from parley.rpc import call
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    CLOSE_HEADER,
    REVISION_HEADER,
    SERVICE,
    CommandResult,
    Connected,
    Scoped,
    SessionConnected,
    SessionDisconnected,
    WsCommand,
)
from proto.ws import (
    ClientMessage,
    ErrorMessage,
    Join,
    PeerPlan,
    ServerMessage,
    SignalRelay,
    SignalSend,
    Snapshot,
    decode_client,
    decode_server,
    encode,
    with_seq,
)

log = logging.getLogger("parley.gateway.ws")
T = TypeVar("T")
EndSessions = Callable[[str, list[str]], Awaitable[None]]
CLOSE_POLICY = 1008
CLOSE_ENDED = 4000


class WsSession:
    # A gateway holds thousands of these for hours: no per-instance dict.
    __slots__ = ("_closed", "_flusher", "_inbox", "bucket", "config", "conn", "deliveries",
                 "end_sessions", "epoch", "hearing", "joined", "min_revision", "nc", "principal",
                 "refused", "room", "seq", "ws")

    def __init__(self, ws: web.WebSocketResponse, nc: Client, config: GatewayConfig,
                 principal: Principal, conn: str, end_sessions: EndSessions,
                 deliveries: Deliveries[WsSession]) -> None:
        self.ws = ws
        self.deliveries = deliveries
        self.nc = nc
        self.config = config
        self.principal = principal
        self.conn = conn
        self.end_sessions = end_sessions
        self.hearing: str | None = None
        #: The snapshot was sent: signalling accepted this socket into the hearing.
        self.joined = False
        self.seq = 0
        self.min_revision = 0
        self.room: str | None = None
        self.epoch = 0
        self.bucket = TokenBucket(BucketConfig(config.ws_rate_per_s, config.ws_rate_burst),
                                  time.monotonic)
        self.refused = 0
        self._closed = False
        #: Deliveries not yet sent (None: the socket fell too far behind and is to be closed).
        self._inbox: list[Msg | None] = []
        #: The task sending `_inbox`, while it is not empty.
        self._flusher: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ output

    async def send(self, message: ServerMessage) -> None:
        if self.ws.closed:
            return
        self.seq += 1
        # Encoded JSON is UTF-8 already: sent as a text frame without a str round trip. The
        # frame is written before the first await (see the module docstring): no lock needed.
        await self.ws.send_frame(encode(with_seq(message, self.seq)), WSMsgType.TEXT)

    async def error(self, code: ErrorCode, message: str) -> None:
        await self.send(ErrorMessage(code=code, message=message[:500]))

    async def close(self, code: int, reason: str) -> None:
        self._closed = True
        with handled(log, "ws.close", level=logging.DEBUG):
            await self.ws.close(code=code, message=reason.encode()[:120])

    # ------------------------------------------------------------ lifecycle

    async def run(self) -> None:
        hearing = await self._await_join()
        if hearing is None:
            return
        self.hearing = hearing
        await self.deliveries.attach(hearing, self.principal.id, self)
        try:
            if await self._connect(hearing):
                self._wake()  # deliveries that arrived while connecting
                await self._read_loop()
        finally:
            flusher = self._flusher
            if flusher is not None:
                flusher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await flusher
            await self.deliveries.detach(hearing, self.principal.id, self)
            with handled(log, "ws.disconnect", conn=self.conn):
                await self._call("disconnect", Scoped(
                    hearing=hearing, body=SessionDisconnected(conn=self.conn)), CommandResult)

    async def _connect(self, hearing: str) -> bool:
        """Ask signalling to seat this socket and send the snapshot; False when refused.

        Its own frame, so the reply (the hearing's whole view) is freed once sent."""
        try:
            connected = await self._call("connect", Scoped(
                hearing=hearing, body=SessionConnected(conn=self.conn)), Connected)
        except ServiceFailure as exc:
            await self.error(exc.code, exc.message)
            await self.close(CLOSE_POLICY, exc.code.value)
            return False
        self.min_revision = connected.revision
        self._track(connected.snapshot)
        await self.send(connected.snapshot)
        self.joined = True
        if connected.history is not None:
            await self.send(connected.history)
        return True

    async def _call(self, verb: str, body: object, reply: type[T]) -> T:
        return await call(self.nc, SERVICE, verb, body, reply, principal=self.principal,
                          timeout=self.config.service_timeout_s)

    async def _frames(self) -> bytes | str | None:
        """The next data frame; None when the socket is done (closed, error, oversized, or
        no complete frame within the idle timeout: then it is closed here)."""
        try:
            msg = await paced_receive(self.ws, self.config.pace)
        except ClientTooSlow:
            await self.close(CLOSE_POLICY, "idle")
            return None
        if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
            return msg.data  # type: ignore[no-any-return]
        return None

    async def _await_join(self) -> str | None:
        deadline = asyncio.get_running_loop().time() + self.config.ws_join_timeout_s
        while True:
            left = deadline - asyncio.get_running_loop().time()
            try:
                raw = await asyncio.wait_for(self._frames(), max(left, 0.01))
            except TimeoutError:
                await self.error(ErrorCode.INVALID, "send join first")
                await self.close(CLOSE_POLICY, "no join")
                return None
            if raw is None:
                return None
            message = await self._decode(raw)
            if message is None:
                continue
            if not isinstance(message, Join):
                await self.error(ErrorCode.INVALID, "send join first")
                continue
            bound = self.principal.hearing
            if self.principal.kind is PrincipalKind.PARTICIPANT and bound != message.hearing:
                await self.error(ErrorCode.FORBIDDEN, "not a participant of this hearing")
                continue
            return message.hearing

    async def _decode(self, raw: bytes | str) -> ClientMessage | None:
        if self.bucket.take() > 0:
            self.refused += 1
            if self.refused >= self.config.ws_flood_close_after:
                await self.close(CLOSE_POLICY, "rate limit")
            else:
                await self.error(ErrorCode.RATE_LIMITED, "too many messages")
            return None
        self.refused = 0
        try:
            return decode_client(raw)
        except msgspec.ValidationError as exc:
            await self.error(ErrorCode.INVALID, str(exc))
        except msgspec.DecodeError:
            await self.error(ErrorCode.INVALID, "malformed JSON")
        return None

    async def _read_loop(self) -> None:
        while not self._closed:
            raw = await self._frames()
            if raw is None:
                return
            message = await self._decode(raw)
            if message is None:
                continue
            if isinstance(message, Join):
                await self.error(ErrorCode.INVALID, "already joined")
                continue
            await self._forward(message)

    async def _forward(self, message: ClientMessage) -> None:
        assert self.hearing is not None
        verb = "signal" if isinstance(message, SignalSend) else "command"
        try:
            result = await self._call(verb, WsCommand(hearing=self.hearing, conn=self.conn,
                                                      message=message), CommandResult)
        except ServiceFailure as exc:
            await self.send(ErrorMessage(code=exc.code, message=exc.message[:500],
                                         retry_after_s=exc.retry_after_s, reason=exc.reason,
                                         about=str(type(message).__struct_config__.tag)))
            return
        if result.end_sessions:
            with handled(log, "ws.end_sessions", hearing=self.hearing):
                await self.end_sessions(self.hearing, result.end_sessions)

    # ------------------------------------------------------------ deliveries

    def deliver(self, msg: Msg) -> None:
        """One message from signalling for this socket (called in NATS order, never blocks)."""
        if self._closed or (self._inbox and self._inbox[-1] is None):
            return
        if len(self._inbox) >= self.config.ws_queue_max:
            log.warning("slow WebSocket closed", extra={"conn": self.conn})
            self._inbox.append(None)
        else:
            self._inbox.append(msg)
        self._wake()

    def _wake(self) -> None:
        """Start sending the inbox, unless a task already is (or the snapshot is not sent)."""
        if self.joined and self._flusher is None and self._inbox:
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    def _track(self, message: ServerMessage) -> None:
        if isinstance(message, Snapshot):
            room = message.view.room
            self.room, self.epoch = (room.id, room.epoch) if room is not None else (None, 0)
        elif isinstance(message, PeerPlan):
            self.room, self.epoch = message.room, message.epoch

    async def _flush(self) -> None:
        try:
            while self._inbox and not self._closed:
                batch, self._inbox = self._inbox, []
                for msg in batch:
                    if not await self._relay(msg):
                        return
        finally:
            self._flusher = None

    async def _relay(self, msg: Msg | None) -> bool:
        """Send one delivery if it is still news for this client; False once the socket closed."""
        if msg is None:
            await self.close(CLOSE_POLICY, "too slow")
            return False
        headers = msg.headers or {}
        if CLOSE_HEADER in headers:
            await self.close(CLOSE_ENDED, headers[CLOSE_HEADER])
            return False
        try:
            revision = int(headers.get(REVISION_HEADER, "0"))
            message = decode_server(msg.data)
        except (ValueError, msgspec.ValidationError, msgspec.DecodeError):
            log.warning("undecodable delivery dropped", extra={"conn": self.conn})
            return True
        if revision < self.min_revision:
            return True  # already reflected in the snapshot
        if isinstance(message, SignalRelay) and (message.room, message.epoch) != (
                self.room, self.epoch):
            return True
        self._track(message)
        await self.send(message)
        return True
