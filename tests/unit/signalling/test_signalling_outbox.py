"""A command's deliveries as one batch (services/signalling/outbox.py): every recipient gets its
messages in the effects' order; a fan-out of one message object is one item."""

from __future__ import annotations

from typing import Any, cast

import msgspec
import pytest

import services.signalling.outbox as outbox
from proto.signalling import DeliveryBatch, batch_subject
from proto.ws import Notice, NoticeKind, decode_server
from services.signalling.effects import Deliver
from services.signalling.outbox import Batch


class Nats:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    async def publish(self, subject: str, data: bytes) -> None:
        self.sent.append((subject, data))


def _notice(text: str) -> Notice:
    return Notice(kind=NoticeKind.BROADCAST, text=text)


def _per_recipient(batch: DeliveryBatch) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in batch.items:
        message = decode_server(bytes(item.message))
        assert isinstance(message, Notice)
        for to in item.to:
            out.setdefault(to, []).append(message.text)
    return out


async def test_a_batch_keeps_each_recipients_order_and_shares_a_fan_out() -> None:
    shared, a_only, again = _notice("room"), _notice("a"), _notice("room again")
    effects = [Deliver("a", shared), Deliver("b", shared), Deliver("c", shared),
               Deliver("a", a_only), Deliver("b", again), Deliver("a", again),
               Deliver("c", shared)]  # the same object again, after others: a new item
    batch = Batch("h1", 12)
    for e in effects:
        batch.add(e)
    nc = Nats()
    await batch.publish(cast(Any, nc))
    await batch.publish(cast(Any, nc))  # emptied: nothing more is sent
    assert [s for s, _ in nc.sent] == [batch_subject("h1")]
    sent = msgspec.json.decode(nc.sent[0][1], type=DeliveryBatch)
    assert sent.revision == 12
    assert [item.to for item in sent.items] == [["a", "b", "c"], ["a"], ["b", "a"], ["c"]]
    expected: dict[str, list[str]] = {}
    for e in effects:
        assert isinstance(e.message, Notice)
        expected.setdefault(e.to, []).append(e.message.text)
    assert _per_recipient(sent) == expected


def test_a_message_delivered_again_after_others_is_encoded_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[object] = []
    real = outbox.encode

    def counting(message: Any) -> bytes:
        encoded.append(message)
        return real(message)

    monkeypatch.setattr(outbox, "encode", counting)
    shared, other = _notice("room"), _notice("a")
    batch = Batch("h1", 3)
    for e in (Deliver("a", shared), Deliver("a", other), Deliver("b", shared)):
        batch.add(e)
    assert encoded == [shared, other]
    assert batch.items[0].message is batch.items[2].message


async def test_messages_let_go_once_added_keep_their_own_encoding() -> None:
    """Effects made one at a time and dropped once added (as a generator of effects would): a
    freed message's id is soon another message's, and an encoding cached by id alone was then
    sent as that other message. The shell passes a list that keeps every message alive, so this
    guards the cache's own contract rather than a failure seen in production."""
    batch = Batch("h1", 5)
    for i in range(200):
        batch.add(Deliver(f"p{i % 3}", _notice(f"message {i}")))
    nc = Nats()
    await batch.publish(cast(Any, nc))
    sent = msgspec.json.decode(nc.sent[0][1], type=DeliveryBatch)
    texts = [cast(Notice, decode_server(bytes(item.message))).text for item in sent.items]
    assert texts == [f"message {i}" for i in range(200)]
