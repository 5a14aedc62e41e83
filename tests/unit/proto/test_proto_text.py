"""Human-readable text entering through the contracts (proto/text.py): no control, bidi or
invisible characters, on every decode path."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from proto.identity import TokenCreateRequest
from proto.signalling import AddSide, CreateHearing, InviteParticipant
from proto.text import BIDI_CONTROLS, INVISIBLE, clean_text
from proto.ws import Broadcast, CaucusCreate, ChatSend, decode_client


def _forbidden(ch: str) -> bool:
    import unicodedata
    return ch in BIDI_CONTROLS or ch in INVISIBLE or (
        unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} and ch not in "\u200c\u200d")


@given(st.text())
def test_clean_text_leaves_no_forbidden_character_and_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert not any(_forbidden(c) for c in once)
    assert clean_text(once) == once


@pytest.mark.parametrize(("raw", "clean"), [
    ("Matter\u202efdp.exe", "Matterfdp.exe"),
    ("A\x00B\x7fC\x9fD", "ABCD"),
    ("  Side\tA\n", "Side A"),
    ("\u2067Acme\u2069 Ltd\u200b", "Acme Ltd"),
    ("陳大文 👨\u200d👩\u200d👧 محمد\u200cی", "陳大文 👨\u200d👩\u200d👧 محمد\u200cی"),
])
def test_titles_and_names_lose_exactly_the_dangerous_characters(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_every_human_readable_field_is_cleaned_where_the_contract_decodes() -> None:
    enc = msgspec.json.encode
    assert msgspec.json.decode(enc({"title": "T\u202eX\x00"}), type=CreateHearing).title == "TX"
    assert msgspec.json.decode(enc({"name": "S\u202d"}), type=AddSide).name == "S"
    assert msgspec.json.decode(enc({"name": "P\x07", "role": "observer"}),
                               type=InviteParticipant).name == "P"
    assert msgspec.json.decode(enc({"name": "t\u2066k"}), type=TokenCreateRequest).name == "tk"
    assert decode_client(enc({"type": "chat", "text": "a\r\nb\u202e"})) == ChatSend(text="a\nb")
    assert decode_client(enc({"type": "broadcast", "text": "\x1bX"})) == Broadcast(text="X")
    assert decode_client(enc({"type": "caucus.create", "name": "C\u200f"})) == CaucusCreate(name="C")


@pytest.mark.parametrize("kind", [CreateHearing, AddSide])
def test_a_field_of_only_invisible_characters_is_refused(kind: type[msgspec.Struct]) -> None:
    field = "title" if kind is CreateHearing else "name"
    with pytest.raises(msgspec.ValidationError, match="no visible characters"):
        msgspec.json.decode(msgspec.json.encode({field: "\u202e\x00\u200b"}), type=kind)
