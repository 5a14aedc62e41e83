"""A command's client deliveries, gathered into one `DeliveryBatch` (proto/signalling.py).

Each `Deliver` effect names one participant and one message object; a fan-out (a room update
to every member) shares one object. The batch encodes each object once and keeps the effects'
order exactly: consecutive deliveries of the same object become one item naming all their
recipients; anything else starts a new item (so no socket can receive two messages in another
order than the effects list them). Publishing sends the batch on `batch_subject` and empties
it; an empty batch publishes nothing.
"""

from __future__ import annotations

import msgspec
from nats.aio.client import Client

from proto.signalling import Delivery, DeliveryBatch, batch_subject
from proto.ws import encode

from .effects import Deliver

_encoder = msgspec.json.Encoder()


class Batch:
    def __init__(self, hearing: str, revision: int) -> None:
        self.hearing = hearing
        self.revision = revision
        self.items: list[Delivery] = []
        self._last: object = None  # the message object of the last item
        # Each message object encoded once, also when its deliveries are not consecutive. Keyed
        # by id, so each entry holds its object too: while the batch lives, no other object can
        # be given that id (the shell's effects list keeps them alive today; a caller feeding
        # effects from a generator would otherwise get a dead message's encoding for a new one).
        self._encoded: dict[int, tuple[object, msgspec.Raw]] = {}

    def add(self, effect: Deliver) -> None:
        if self.items and effect.message is self._last:
            self.items[-1].to.append(effect.to)
            return
        known = self._encoded.get(id(effect.message))
        if known is None:
            known = self._encoded[id(effect.message)] = (
                effect.message, msgspec.Raw(encode(effect.message)))
        self.items.append(Delivery(to=[effect.to], message=known[1]))
        self._last = effect.message

    def encoded(self) -> bytes:
        return _encoder.encode(DeliveryBatch(revision=self.revision, items=self.items))

    async def publish(self, nc: Client) -> None:
        if not self.items:
            return
        data = self.encoded()
        self.items, self._last, self._encoded = [], None, {}
        await nc.publish(batch_subject(self.hearing), data)
