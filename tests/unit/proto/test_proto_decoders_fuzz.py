"""Every WebSocket and NATS decoder, fed arbitrary bytes: a value or a typed error, nothing else.

Bytes come from three sources: anything at all, well-formed JSON objects with one string made
invalid UTF-8 (the case that used to escape as `UnicodeDecodeError`), and real messages with one
byte flipped. A decoder may return a value or raise its typed error (`msgspec.DecodeError`,
which `ValidationError` subclasses, or a `ServiceFailure` with an `invalid`/`too_large` code);
anything else fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nats.aio.msg import Msg

from gateway.identity.account_store import decode_token
from gateway.identity.accounts import decode_account
from gateway.identity.session_store import decode_session
from parley.errors import ServiceFailure
from parley.micro import decode_request
from parley.rpc import ERROR_CODE_HEADER, error_from_reply
from proto.audit import decode_event
from proto.codec import JsonDecoder
from proto.errors import ErrorCode
from proto.principal import decode_principal
from proto.signalling import Roster, Scoped, TechCheckOffer, WsCommand
from proto.ws import decode_client, decode_room_epoch, decode_server, encoded_tag
from services.audit.entry import EVENT_DECODER
from services.signalling.model import decode_hearing

SAMPLES = [
    b'{"type": "join", "hearing": "01J0000000000000000000000A"}',
    b'{"type": "chat", "text": "hello"}',
    b'{"type": "signal", "to": "p2", "room": "plenary", "epoch": 3, "sdp": "v=0"}',
    b'{"kind": "participant", "id": "p1", "role": "party", "hearing": "h1"}',
    b'{"hearing": "h1", "body": {"name": "Side A"}}',
]


def _invalid_utf8_inside_json(junk: bytes, key: str) -> bytes:
    return b'{"' + key.encode() + b'": "' + junk + b'", "type": "chat"}'


hostile = st.one_of(
    st.binary(max_size=512),
    st.builds(_invalid_utf8_inside_json,
              st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                               b"caf\xe9", b"\xe2\x82"]),
              st.sampled_from(["text", "hearing", "type", "id", "sdp", "title"])),
    st.builds(lambda sample, at, bit: sample[:at % len(sample)]
              + bytes([sample[at % len(sample)] ^ (1 << bit)]) + sample[at % len(sample) + 1:],
              st.sampled_from(SAMPLES), st.integers(0, 1000), st.integers(0, 7)),
)

TYPED_CODES = {ErrorCode.INVALID, ErrorCode.TOO_LARGE}


def _request(kind: Any) -> Callable[[bytes], Any]:
    return lambda raw: decode_request(raw, kind)


DECODERS: dict[str, Callable[[bytes], Any]] = {
    "ws client frame": decode_client,
    "ws server message (gateway pump)": decode_server,
    "ws relay: tag of encoded bytes (gateway pump)": encoded_tag,
    "ws relay: room and epoch (gateway pump)": decode_room_epoch,
    "ws frame as text": lambda raw: decode_client(raw.decode("utf-8", "surrogateescape")),
    "principal header": decode_principal,
    "audit event (JetStream)": decode_event,
    "audit entry (intake)": EVENT_DECODER.decode,
    "signalling request (micro)": _request(Scoped[TechCheckOffer]),
    "ws command (micro)": _request(WsCommand),
    "hearing record (KV)": decode_hearing,
    "roster (KV, as gateway, signalling and evidence read it)": JsonDecoder(Roster).decode,
    "session record (KV)": decode_session,
    "account record (KV)": decode_account,
    "token record (KV)": decode_token,
}


@pytest.mark.parametrize("name", sorted(DECODERS))
@settings(max_examples=100, deadline=None)
@given(raw=hostile)
def test_a_decoder_returns_or_raises_its_typed_error(name: str, raw: bytes) -> None:
    try:
        DECODERS[name](raw)
    except msgspec.DecodeError:
        pass
    except ServiceFailure as exc:
        assert exc.code in TYPED_CODES, (name, exc.code)


@settings(max_examples=100, deadline=None)
@given(raw=hostile)
def test_an_error_reply_is_read_or_reported_as_malformed(raw: bytes) -> None:
    msg = Msg(_client=None, subject="_INBOX.x", data=raw,  # type: ignore[arg-type]
              headers={ERROR_CODE_HEADER: "400"})
    error = error_from_reply(msg)
    assert error is not None and error.code in ErrorCode
