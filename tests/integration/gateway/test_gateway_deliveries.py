"""Deliveries to a gateway's sockets share one subscription per hearing (gateway/ws/deliveries.py),
on a real nats-server with Parley's permissions: signalling publishes, the gateway user receives."""

from __future__ import annotations

import asyncio

import msgspec
from nats.aio.msg import Msg

from gateway.ws.deliveries import Deliveries
from proto.signalling import Delivery, DeliveryBatch, batch_subject, client_subject
from tests.harness import NatsServer, wait_until


class Inbox:
    def __init__(self) -> None:
        self.got: list[bytes] = []
        self.revisions: list[int] = []

    def deliver(self, msg: Msg) -> None:
        self.got.append(msg.data)

    def deliver_encoded(self, data: bytes, revision: int) -> None:
        self.got.append(data)
        self.revisions.append(revision)


def _nats_subscriptions(deliveries: Deliveries[Inbox]) -> int:
    """Subscriptions the connection holds (what it asked the server for)."""
    return len(deliveries.nc._subs)


async def test_one_subscription_per_hearing_each_message_to_its_participants_sockets(
        nats_server: NatsServer) -> None:
    gateway = await nats_server.connect("gateway")
    signalling = await nats_server.connect("signalling")
    try:
        deliveries: Deliveries[Inbox] = Deliveries(gateway)
        a1, a1_second_tab, b1, other = Inbox(), Inbox(), Inbox(), Inbox()
        await asyncio.gather(deliveries.attach("h1", "a1", a1),
                             deliveries.attach("h1", "a1", a1_second_tab),
                             deliveries.attach("h1", "b1", b1),
                             deliveries.attach("h2", "a1", other))
        assert deliveries.subscriptions == 2 and _nats_subscriptions(deliveries) == 2
        assert set(deliveries.recipients("h1")) == {a1, a1_second_tab, b1}
        await signalling.publish(client_subject("h1", "a1"), b"to a1")
        await signalling.publish(client_subject("h1", "b1"), b"to b1")
        await signalling.publish(client_subject("h1", "nobody-here"), b"dropped")
        await signalling.flush()

        async def arrived() -> bool:
            return a1.got == [b"to a1"] and a1_second_tab.got == [b"to a1"] and b1.got == [b"to b1"]

        await wait_until(arrived, timeout=5, what="the deliveries")
        assert other.got == []  # the same participant id in another hearing hears nothing of h1

        # A batch: each item to the sockets of exactly the participants it names, in order.
        def item(text: str, *to: str) -> Delivery:
            return Delivery(to=list(to), message=msgspec.Raw(b'"%s"' % text.encode()))

        batch = DeliveryBatch(revision=9, items=[
            item("both", "a1", "b1"), item("b only", "b1"), item("none here", "zz"),
            item("a only", "a1")])
        await signalling.publish(batch_subject("h1"), msgspec.json.encode(batch))
        await signalling.publish(batch_subject("h1"), b"not a batch")  # dropped, logged
        await signalling.flush()

        async def batched() -> bool:
            return len(a1.got) == 3 and len(b1.got) == 3

        await wait_until(batched, timeout=5, what="the batch")
        assert a1.got[1:] == a1_second_tab.got[1:] == [b'"both"', b'"a only"']
        assert b1.got[1:] == [b'"both"', b'"b only"'] and b1.revisions == [9, 9]
        assert other.got == []

        await deliveries.detach("h1", "a1", a1)
        await deliveries.detach("h1", "a1", a1_second_tab)
        assert deliveries.subscriptions == 2  # b1 still holds h1
        await deliveries.detach("h1", "b1", b1)
        assert deliveries.subscriptions == 1 and deliveries.recipients("h1") == []
        await gateway.flush()
        assert _nats_subscriptions(deliveries) == 1
    finally:
        await gateway.drain()
        await signalling.drain()
