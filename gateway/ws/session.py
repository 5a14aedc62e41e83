"""One participant's WebSocket: join, snapshot, deltas, commands (DESIGN §5, §8).

Protocol (proto/ws.py): the client's first message is `{"type": "join", "hearing": H}`. The
gateway then attaches the socket to its participant's deliveries (gateway/ws/deliveries.py: one
subscription to `parley.v1.client.<H>.*` per hearing per process) BEFORE asking signalling
to `connect` this socket, so nothing published after the snapshot can be missed; the reply carries
the snapshot and the hearing revision it reflects, and queued deliveries stamped with an older
revision are dropped (the snapshot already contains them). Every server message is stamped with
this connection's `seq` (gateway/ws/outbound.py: the output side, deliveries, isolation).

Client messages are decoded and bounded here (frame size, schema), rate-limited per socket
(token bucket; refusals get an `error`; a sustained flood closes the socket with 1008) and
forwarded to signalling one at a time, in order, with the principal; its errors come back as
typed `error` messages (but for a page a newer one took over, which is told nothing: its close
is on the way; logged and counted as `ws.stale_page`). Nothing a client sends can crash the
gateway: every failure is an `error` message or a closed socket.

A participant told that its place is over (the hearing ended, it was removed or denied:
gateway/ws/session_end.py) has its stored sessions ended here first, and only then is the notice
relayed: the deliveries from it on are held (in order, the close after it included) until the
sessions are gone, so the page's next request is refused whoever gave the command, through
whichever gateway. A failure to end them is counted and the notice still goes out (the gateway
that relayed the command ends them as well). The credential watch's "signed out" close, which
the ended sessions set off, is not let overtake the notice and signalling's close after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

import msgspec
import nats.errors
from aiohttp import WSMsgType, web
from nats.aio.client import Client
from nats.aio.msg import Msg

from gateway.config import GatewayConfig
from gateway.identity.ratelimit import BucketConfig, TokenBucket
from gateway.identity.sessions import SessionEnd
from gateway.ws.deliveries import Deliveries
from gateway.ws.outbound import CLOSE_POLICY, CLOSE_TRY_AGAIN, Outbound
from gateway.ws.session_end import session_end_told
from parley.errors import ServiceFailure
from parley.failures import handled, note_failure
from parley.rpc import call
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    SERVICE,
    STALE_CONNECTION,
    CommandResult,
    Connected,
    Scoped,
    SessionConnected,
    SessionDisconnected,
    WsCommand,
)
from proto.ws import (
    ClientMessage,
    Deny,
    End,
    ErrorMessage,
    Join,
    Remove,
    SignalSend,
    decode_client,
)

log = logging.getLogger("parley.gateway.ws")
T = TypeVar("T")
EndSessions = Callable[[str, list[str], SessionEnd | None], Awaitable[None]]
#: Why the sessions a command ends end (services/signalling: end, remove, deny close them).
_ENDED_BY: dict[type[ClientMessage], SessionEnd] = {
    End: SessionEnd.HEARING_ENDED, Remove: SessionEnd.REMOVED, Deny: SessionEnd.DENIED}
#: The credential watch's close for a cookie that stopped working (gateway/ws/route.py).
_CLOSE_SIGNED_OUT = 4001


class WsSession(Outbound):
    __slots__ = ("_ending", "_held", "bucket", "deliveries", "end_sessions", "hearing", "nc",
                 "principal", "refused")

    def __init__(self, ws: web.WebSocketResponse, nc: Client, config: GatewayConfig,
                 principal: Principal, conn: str, end_sessions: EndSessions,
                 deliveries: Deliveries[WsSession],
                 transport: asyncio.BaseTransport | None = None) -> None:
        super().__init__(ws, config, conn, transport)
        self.deliveries = deliveries
        self.nc = nc
        self.principal = principal
        self.end_sessions = end_sessions
        self.hearing: str | None = None
        self.bucket = TokenBucket(BucketConfig(config.ws_rate_per_s, config.ws_rate_burst),
                                  time.monotonic)
        self.refused = 0
        #: Deliveries held, in order, while this participant's sessions are being ended.
        self._held: list[Callable[[], None]] | None = None
        self._ending: asyncio.Task[None] | None = None

    def deliver(self, msg: Msg) -> None:
        if self._held is not None:
            self._held.append(partial(Outbound.deliver, self, msg))
            return
        super().deliver(msg)

    def deliver_encoded(self, data: bytes, revision: int) -> None:
        if self._held is not None:
            self._held.append(partial(Outbound.deliver_encoded, self, data, revision))
            return
        reason = (session_end_told(data)
                  if self.principal.kind is PrincipalKind.PARTICIPANT else None)
        if reason is None:
            super().deliver_encoded(data, revision)
            return
        self._held = [partial(Outbound.deliver_encoded, self, data, revision)]
        self._ending = asyncio.get_running_loop().create_task(
            self._end_sessions_then_tell(reason), name=f"ws-end-sessions-{self.conn}")

    async def close(self, code: int, reason: str) -> None:
        if code == _CLOSE_SIGNED_OUT and self._ending is not None:
            # The sessions were ended here for the notice being relayed, and signalling's close
            # follows that notice: a "signed out" from the credential watch must not overtake
            # them, or the page would read "signed out" instead of why its place is over.
            return
        await super().close(code, reason)

    async def _end_sessions_then_tell(self, reason: SessionEnd) -> None:
        """End this participant's stored sessions, then relay what was held (the notice first)."""
        try:
            with handled(log, "ws.end_sessions_before_notice", conn=self.conn):
                hearing = self.hearing or self.principal.hearing
                assert hearing is not None  # deliveries reach only a joined socket
                await asyncio.wait_for(self.end_sessions(hearing, [self.principal.id], reason),
                                       self.config.service_timeout_s)
        finally:
            held, self._held = self._held or [], None
            for release in held:
                release()

    async def run(self) -> None:
        hearing = await self._await_join()
        if hearing is None:
            return
        self.hearing = hearing
        try:
            await self.deliveries.attach(hearing, self.principal.id, self)
        except (TimeoutError, nats.errors.Error, OSError) as exc:
            # NATS unreachable or too slow to confirm the subscription: nothing was seated, so
            # say so and let the client come back (its back-off), instead of a bare close.
            log.warning("ws.attach failed", extra={"conn": self.conn, "error": type(exc).__name__})
            await self.error(ErrorCode.UNAVAILABLE, "the hearing cannot be reached right now")
            await self.close(CLOSE_TRY_AGAIN, ErrorCode.UNAVAILABLE.value)
            return
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
            # A refusal is final (the client stops); signalling not answering is not.
            await self.close(CLOSE_TRY_AGAIN if exc.code is ErrorCode.UNAVAILABLE
                             else CLOSE_POLICY, exc.code.value)
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
        closed by the keep-alive for silence). Pings are answered here, pongs only count as
        hearing from the client (aiohttp's own heartbeat and auto-ping are off: one task pings
        every socket, gateway/ws/keepalive.py)."""
        while True:
            msg = await self.ws.receive()
            self.heard_at = time.monotonic()
            if msg.type is WSMsgType.PING:
                with handled(log, "ws.pong", level=logging.DEBUG):
                    await self.ws.pong(msg.data)
                continue
            if msg.type is WSMsgType.PONG:
                continue
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
                log.warning("flooding WebSocket closed", extra={"conn": self.conn,
                                                                "refused": self.refused})
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
            if exc.reason == STALE_CONNECTION:
                # A newer page of this person took over and this one's close is on its way:
                # nothing to tell its reader (services/signalling/connections.py). Counted.
                note_failure(log, "ws.stale_page", exc, level=logging.INFO, conn=self.conn)
                return
            await self.send(ErrorMessage(code=exc.code, message=exc.message[:500],
                                         retry_after_s=exc.retry_after_s, reason=exc.reason,
                                         about=str(type(message).__struct_config__.tag)))
            return
        if result.history is not None:
            await self.send(result.history)
        if result.end_sessions:
            with handled(log, "ws.end_sessions", hearing=self.hearing):
                await self.end_sessions(self.hearing, result.end_sessions,
                                        _ENDED_BY.get(type(message)))
