"""A WebSocket's output side: `seq`-stamped sends, NATS deliveries, close (DESIGN §5, §8).

Every server message goes out through `send`, which stamps `seq` (1 = the snapshot) and writes
the frame before its first await (frames are never compressed, so aiohttp writes them
synchronously and only waiting for the transport to drain can suspend): wire order is seq order
without a lock. Deliveries from NATS land in a plain list (`deliver` for a message published
for this participant alone, `deliver_encoded` for an item of a hearing's `DeliveryBatch`, both
called by gateway/ws/deliveries.py in NATS order) and are sent by a short-lived task started only while
that list is not empty and the snapshot is out; an idle socket holds no task, queue or lock of
its own. A socket whose list reaches `ws_queue_max` is closed as too slow.

Deliveries stamped with a revision older than the snapshot's are dropped (the snapshot already
reflects them). A delivery is relayed as the bytes signalling encoded, its `seq` stamped in place
(proto/ws.py `stamp_seq`), not decoded and encoded again for every socket; only a peer plan's or
a signal's room and epoch are read. Isolation (defence in depth): relayed signals are forwarded
only when they carry the room and epoch of this client's latest peer plan, so a signal decided
just before a move cannot reach the client after it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable

import msgspec
from aiohttp import WSMsgType, web
from nats.aio.msg import Msg

from gateway.config import GatewayConfig
from parley.failures import handled
from proto.errors import ErrorCode
from proto.signalling import CLOSE_HEADER, CONNS_HEADER, REVISION_HEADER
from proto.ws import (
    ErrorMessage,
    PeerPlan,
    ServerMessage,
    SignalRelay,
    Snapshot,
    decode_room_epoch,
    decode_server,
    encode,
    encoded_tag,
    stamp_seq,
    with_seq,
)

log = logging.getLogger("parley.gateway.ws")
#: One delivery waiting to be sent: the encoded message, the hearing revision that produced it,
#: and a close reason (not None: close the socket with it instead of sending anything).
Pending = tuple[bytes, int, str | None]
_PLAN = str(PeerPlan.__struct_config__.tag)
_SIGNAL = str(SignalRelay.__struct_config__.tag)
#: The deliveries whose room and epoch the relay reads (isolation).
_ROUTED = frozenset((_PLAN, _SIGNAL))
CLOSE_POLICY = 1008
#: RFC 6455 "Try Again Later": the gateway could not reach what the socket needs; the client
#: reconnects with its back-off (only 1008 and 4000-4999 are final to it).
CLOSE_TRY_AGAIN = 1013
CLOSE_ENDED = 4000


class Outbound:
    # A gateway holds thousands of these for hours: no per-instance dict.
    __slots__ = ("_closed", "_flusher", "_inbox", "config", "conn", "epoch", "heard_at",
                 "joined", "min_revision", "ping_after", "pinged_at", "room", "seq", "transport",
                 "ws")

    def __init__(self, ws: web.WebSocketResponse, config: GatewayConfig, conn: str,
                 transport: asyncio.BaseTransport | None = None) -> None:
        self.ws = ws
        #: The connection's transport, to tell whether its output is backed up (None: unknown).
        self.transport = transport
        self.config = config
        self.conn = conn
        #: The snapshot was sent: deliveries may follow it.
        self.joined = False
        self.seq = 0
        self.min_revision = 0
        self.room: str | None = None
        self.epoch = 0
        self._closed = False
        #: When the client last sent a complete frame / was last pinged (time.monotonic;
        #: gateway/ws/keepalive.py reads and sets them).
        self.heard_at = self.pinged_at = time.monotonic()
        #: Quiet seconds before the keep-alive pings it (it draws this when the socket opens).
        self.ping_after = config.client_idle_s / 2
        #: Deliveries not yet sent (None: the socket fell too far behind and is to be closed).
        self._inbox: list[Pending | None] = []
        #: The task sending `_inbox`, while it is not empty.
        self._flusher: asyncio.Task[None] | None = None

    async def send(self, message: ServerMessage) -> None:
        if self.ws.closed:
            return
        self.seq += 1
        # Encoded JSON is UTF-8 already: sent as a text frame without a str round trip. The
        # frame is written before the first await (see the module docstring): no lock needed.
        await self.ws.send_frame(encode(with_seq(message, self.seq)), WSMsgType.TEXT)

    async def error(self, code: ErrorCode, message: str) -> None:
        await self.send(ErrorMessage(code=code, message=message[:500]))

    def ping(self) -> Awaitable[None]:
        return self.ws.ping()

    def backed_up(self) -> bool:
        """Whether a frame written now could wait for the client to read: aiohttp waits only
        while the transport has paused writing, which it does only with bytes still buffered."""
        transport = self.transport
        if not isinstance(transport, asyncio.WriteTransport):
            return True
        return transport.is_closing() or transport.get_write_buffer_size() > 0

    def expire(self) -> Awaitable[None]:
        """The client went silent for the idle time (gateway/ws/keepalive.py)."""
        return self.close(CLOSE_POLICY, "idle")

    async def close(self, code: int, reason: str) -> None:
        self._closed = True
        with handled(log, "ws.close", level=logging.DEBUG):
            await self.ws.close(code=code, message=reason.encode()[:120])

    def deliver(self, msg: Msg) -> None:
        """One message from signalling for this participant alone (called in NATS order, never
        blocks): a relayed signal, or a request to close (`CLOSE_HEADER`; with `CONNS_HEADER`,
        only for the sockets it names)."""
        headers = msg.headers or {}
        only = headers.get(CONNS_HEADER)
        if only is not None and self.conn not in only.split(","):
            return  # a close for this participant's other sockets (a newer page took over)
        try:
            revision = int(headers.get(REVISION_HEADER, "0"))
        except ValueError:
            log.warning("undecodable delivery dropped", extra={"conn": self.conn})
            return
        self._enqueue((msg.data, revision, headers.get(CLOSE_HEADER)))

    def deliver_encoded(self, data: bytes, revision: int) -> None:
        """One delivery of a batch (gateway/ws/deliveries.py), in NATS order; never blocks."""
        self._enqueue((data, revision, None))

    def _enqueue(self, item: Pending) -> None:
        if self._closed or (self._inbox and self._inbox[-1] is None):
            return
        if len(self._inbox) >= self.config.ws_queue_max:
            log.warning("slow WebSocket closed", extra={"conn": self.conn})
            self._inbox.append(None)
        else:
            self._inbox.append(item)
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
        # The same list for the socket's life (it is short: a new one per flush would be one
        # more long-lived object promoted, and so one more step towards a full collection).
        inbox = self._inbox
        try:
            while inbox and not self._closed:
                if not await self._relay(inbox.pop(0)):
                    return
        finally:
            self._flusher = None

    async def _relay(self, item: Pending | None) -> bool:
        """Send one delivery if it is still news for this client; False once the socket closed."""
        if item is None:
            await self.close(CLOSE_POLICY, "too slow")
            return False
        data, revision, close = item
        if close is not None:
            await self.close(CLOSE_ENDED, close)
            return False
        try:
            tag = encoded_tag(data)
            if tag is None:  # not as signalling's encoder writes it: decoded in full
                return await self._relay_decoded(decode_server(data), revision)
            routed = decode_room_epoch(data) if tag in _ROUTED else None
        except (ValueError, msgspec.ValidationError, msgspec.DecodeError):
            log.warning("undecodable delivery dropped", extra={"conn": self.conn})
            return True
        if revision < self.min_revision:
            return True  # already reflected in the snapshot
        if routed is not None:
            if tag == _SIGNAL and (routed.room, routed.epoch) != (self.room, self.epoch):
                return True
            if tag == _PLAN:
                self.room, self.epoch = routed.room, routed.epoch
        if not self.ws.closed:
            self.seq += 1
            await self.ws.send_frame(stamp_seq(data, self.seq), WSMsgType.TEXT)
        return True

    async def _relay_decoded(self, message: ServerMessage, revision: int) -> bool:
        if revision < self.min_revision:
            return True
        if isinstance(message, SignalRelay) and (message.room, message.epoch) != (
                self.room, self.epoch):
            return True
        self._track(message)
        await self.send(message)
        return True
