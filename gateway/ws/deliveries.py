"""Signalling's deliveries to this process's sockets: one NATS subscription per hearing.

Signalling publishes the deliveries of each hearing change as one `DeliveryBatch` on
`parley.v1.client.<hearing>.~batch` (each item names its participants), and single messages (a
relayed signal, a close) on `parley.v1.client.<hearing>.<participant>`. A subscription per socket
would cost every socket a subscription object, its pending queue and a task in the NATS client
(thousands of them on a busy gateway, most of a socket's memory), and the server a subject per
socket. Instead the first socket of a hearing on this process subscribes to
`parley.v1.client.<hearing>.*`; a single message is handed to the sockets of the participant its
last token names, a batch item to those of the participants it names (a participant may have
several); the last socket of the hearing to leave unsubscribes. Deliveries for participants with
no socket here are dropped (another gateway holds them, or nobody does).

A socket is attached BEFORE it asks signalling to connect it, and NATS keeps one connection's
SUB and PUB in order, so nothing published after the snapshot is missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from parley.failures import handled
from parley.natsconn import server_has_seen
from proto.codec import JsonDecoder
from proto.signalling import BATCH_TOKEN, DeliveryBatch, client_subject

#: How long attaching waits for the server to confirm a new hearing's subscription.
FLUSH_TIMEOUT_S = 5

log = logging.getLogger("parley.gateway.ws")
_batch_decoder: JsonDecoder[DeliveryBatch] = JsonDecoder(DeliveryBatch)


class Recipient(Protocol):
    def deliver(self, msg: Msg) -> None:
        """One message published for this participant alone (a relayed signal, a close)."""
        ...

    def deliver_encoded(self, data: bytes, revision: int) -> None:
        """One delivery of a `DeliveryBatch`: an encoded server message and its revision."""
        ...


R = TypeVar("R", bound=Recipient)


class _Hearing(Generic[R]):
    def __init__(self) -> None:
        self.members: dict[str, set[R]] = {}
        self.subscribed = asyncio.Event()
        self.sub: Subscription | None = None

    def __len__(self) -> int:
        return sum(len(s) for s in self.members.values())


class Deliveries(Generic[R]):
    def __init__(self, nc: Client) -> None:
        self.nc = nc
        self._hearings: dict[str, _Hearing[R]] = {}

    @property
    def subscriptions(self) -> int:
        return len(self._hearings)

    def recipients(self, hearing: str) -> list[R]:
        """Every recipient attached in `hearing` on this process (none: an empty list)."""
        entry = self._hearings.get(hearing)
        return [] if entry is None else [r for group in entry.members.values() for r in group]

    async def attach(self, hearing: str, participant: str, recipient: R) -> None:
        """Deliveries for `participant` in `hearing` reach `recipient` once this returns."""
        entry = self._hearings.get(hearing)
        if entry is None:
            entry = self._hearings[hearing] = _Hearing[R]()
            entry.members.setdefault(participant, set()).add(recipient)
            try:
                entry.sub = await self.nc.subscribe(client_subject(hearing, "*"),
                                                    cb=self._dispatcher(entry))
                # The server has the subscription before anyone is told it is attached, so a
                # message another connection publishes next is not missed.
                await server_has_seen(self.nc, timeout=FLUSH_TIMEOUT_S)
            except BaseException:
                if entry.sub is not None:  # subscribed, but not confirmed: undo it
                    sub, entry.sub = entry.sub, None
                    with handled(log, "ws.unsubscribe", level=logging.DEBUG):
                        await sub.unsubscribe()
                if self._hearings.get(hearing) is entry:
                    del self._hearings[hearing]
                entry.subscribed.set()  # its waiters attach again, to a new entry
                raise
            entry.subscribed.set()
            return
        entry.members.setdefault(participant, set()).add(recipient)
        await entry.subscribed.wait()
        if entry.sub is None:  # the first attach failed (the entry is gone): subscribe anew
            entry.members.get(participant, set()).discard(recipient)
            await self.attach(hearing, participant, recipient)

    async def detach(self, hearing: str, participant: str, recipient: R) -> None:
        entry = self._hearings.get(hearing)
        if entry is None:
            return
        if self._discard(hearing, entry, participant, recipient) and entry.sub is not None:
            with handled(log, "ws.unsubscribe", level=logging.DEBUG):
                await entry.sub.unsubscribe()

    def _discard(self, hearing: str, entry: _Hearing[R], participant: str,
                 recipient: R) -> bool:
        """Forget one recipient; True when that emptied the hearing (its entry is removed)."""
        group = entry.members.get(participant)
        if group is not None:
            group.discard(recipient)
            if not group:
                del entry.members[participant]
        if entry.members or self._hearings.get(hearing) is not entry:
            return False
        del self._hearings[hearing]
        return True

    @staticmethod
    def _dispatcher(entry: _Hearing[R]) -> Callable[[Msg], Awaitable[None]]:
        async def dispatch(msg: Msg) -> None:
            participant = msg.subject.rsplit(".", 1)[-1]
            if participant == BATCH_TOKEN:
                _dispatch_batch(entry, msg.data)
                return
            for recipient in entry.members.get(participant, ()):
                recipient.deliver(msg)

        return dispatch


def _dispatch_batch(entry: _Hearing[R], data: bytes) -> None:
    """Each delivery of a batch to the sockets here of exactly the participants it names, in
    the batch's order (isolation: nobody else's socket ever sees it)."""
    try:
        batch = _batch_decoder.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
        log.warning("undecodable delivery batch dropped", extra={"bytes": len(data)})
        return
    members = entry.members
    for item in batch.items:
        encoded = bytes(item.message)  # one copy per message, shared by its recipients here
        for participant in item.to:
            for recipient in members.get(participant, ()):
                recipient.deliver_encoded(encoded, batch.revision)
