"""The WebSocket and request contracts: bounds, tags, hostile input, stored-record schema."""

from __future__ import annotations

import json

import msgspec
import pytest
from sighelp import standard

from proto.signalling import InviteParticipant, RedeemInvitation
from proto.ws import (
    MAX_CANDIDATE,
    MAX_CHAT_SENT,
    MAX_SDP,
    ChatMessage,
    Move,
    PeerLink,
    PeerPlan,
    SignalKind,
    SignalSend,
    decode_client,
    decode_server,
    encode,
    with_seq,
)
from services.signalling.model import decode_hearing, encode_hearing


def test_client_round_trip_and_tags() -> None:
    msg = SignalSend(to="p1", epoch=3, kind=SignalKind.OFFER, sdp="v=0")
    raw = encode(msg)
    assert json.loads(raw)["type"] == "signal"
    assert decode_client(raw) == msg
    assert decode_client(b'{"type":"caucus.create","name":"B"}').name == "B"  # type: ignore[union-attr]
    assert decode_client(b'{"type":"recall"}') is not None


@pytest.mark.parametrize("raw", [
    b"{not json",
    b'{"type":"teleport","room":"x"}',
    b'{"room":"x"}',
    b'{"type":"move","participant":"a b","room":"plenary"}',
    b'{"type":"move","participant":"p","room":"plenary","extra":1}',
    b'{"type":"move","participant":"' + b"x" * 65 + b'","room":"plenary"}',
    b'{"type":"chat","text":""}',
    b'{"type":"caucus.timer","room":"c","seconds":-1}',
    b'{"type":"signal","to":"p","epoch":-1,"kind":"offer","sdp":"x"}',
    b'{"type":"signal","to":"p","epoch":1,"kind":"bogus","sdp":"x"}',
    json.dumps({"type": "signal", "to": "p", "epoch": 1, "kind": "offer",
                "sdp": "x" * (MAX_SDP + 1)}).encode(),
    json.dumps({"type": "signal", "to": "p", "epoch": 1, "kind": "candidate",
                "candidate": "x" * (MAX_CANDIDATE + 1)}).encode(),
    json.dumps({"type": "chat", "text": "x" * (MAX_CHAT_SENT + 1)}).encode(),
])
def test_hostile_client_frames_fail_typed(raw: bytes) -> None:
    with pytest.raises((msgspec.ValidationError, msgspec.DecodeError)):
        decode_client(raw)


def test_server_messages_carry_seq() -> None:
    plan = PeerPlan(room="plenary", epoch=4, drop=["a"], connect=[PeerLink(peer="b",
                                                                          offerer=True)])
    stamped = with_seq(plan, 17)
    wire = json.loads(encode(stamped))
    assert wire["type"] == "peer.plan" and wire["seq"] == 17
    assert decode_server(encode(stamped)) == stamped
    chat = ChatMessage(room="r", sender="s", name="n", text="t", at=1)
    assert json.loads(encode(with_seq(chat, 2)))["type"] == "chat"


def test_request_structs_bounded() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"token":"nodots","access_code":"x"}', type=RedeemInvitation)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"name":"x","role":"party","expires_in_s":1}',
                            type=InviteParticipant)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"participant": "p", "room": "r", "x": 1}, type=Move)


def test_hearing_record_schema_version() -> None:
    w, _ = standard()
    raw = encode_hearing(w.h)
    assert decode_hearing(raw) == w.h
    doc = json.loads(raw)
    assert doc["schema"] == 1
    doc["schema"] = 2
    with pytest.raises(msgspec.ValidationError):
        decode_hearing(json.dumps(doc).encode())
