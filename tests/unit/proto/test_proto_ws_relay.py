"""The gateway relays signalling's encoded messages without decoding them in full (proto/ws.py
`encoded_tag`, `stamp_seq`, `decode_room_epoch`): for every message a hearing really produces,
the stamped bytes decode to the same message with the new `seq`, and the room and epoch read
are the message's own; bytes in any other form are left to the full decoder."""

from __future__ import annotations

import msgspec
import pytest

from proto.ws import (
    ChatSend,
    Move,
    PeerPlan,
    ServerMessage,
    SignalKind,
    SignalRelay,
    decode_room_epoch,
    decode_server,
    encode,
    encoded_tag,
    stamp_seq,
    with_seq,
)
from services.signalling.effects import Deliver
from tests.unit.signalling.sighelp import caucus, standard


def _delivered() -> list[ServerMessage]:
    """Every message a small hearing delivers: admissions, a caucus, moves, chat."""
    w, ids = standard()
    room = caucus(w)
    effects = [*w.do("med", Move(participant=ids["b1"], room=room)),
               *w.do("a1", ChatSend(text='quote " backslash \\ and "seq":0,')),
               *w.do("med", Move(participant=ids["b1"], room="plenary"))]
    return [e.message for e in effects if isinstance(e, Deliver)] + [
        SignalRelay(sender="p2", room=room, epoch=4, kind=SignalKind.OFFER, sdp="v=0")]


def test_every_delivered_message_is_stamped_in_place() -> None:
    messages = _delivered()
    assert {type(m) for m in messages} >= {PeerPlan, SignalRelay}
    for message in messages:
        raw = encode(message)
        tag = encoded_tag(raw)
        assert tag == type(message).__struct_config__.tag
        for seq in (1, 42, 2**53):
            assert decode_server(stamp_seq(raw, seq)) == with_seq(message, seq)
        if isinstance(message, PeerPlan | SignalRelay):
            found = decode_room_epoch(raw)
            assert (found.room, found.epoch) == (message.room, message.epoch)


@pytest.mark.parametrize("raw", [
    b'{"seq":0,"type":"peer.plan","room":null,"epoch":1}',   # other field order
    b'{"type": "peer.plan", "epoch": 1, "seq": 0}',          # whitespace
    b'{"type":"peer.plan","epoch":1,"seq":3}',               # already stamped
    b'{"type":"peer.plan","epoch":1,"x":{"seq":0}}',         # a nested seq
    b'{"type":"pe\\"er","epoch":1,"seq":0}',                 # an escaped tag
    b'{"type":"' + b"x" * 40 + b'","epoch":1,"seq":0}',      # no tag is that long
    b"[]", b"",
])
def test_bytes_in_another_form_have_no_tag(raw: bytes) -> None:
    assert encoded_tag(raw) is None


def test_a_bad_room_or_epoch_is_a_typed_error() -> None:
    for raw in (b'{"type":"signal","seq":0,"room":7,"epoch":1}',
                b'{"type":"signal","seq":0,"room":"r","epoch":-1}', b"{"):
        with pytest.raises(msgspec.DecodeError):
            decode_room_epoch(raw)
