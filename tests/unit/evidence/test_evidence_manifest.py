"""The sealed manifest codec (services/evidence/manifest.py): no sockets, no store."""

from __future__ import annotations

import os

import msgspec
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from proto.evidence import Manifest
from services.evidence import manifest as codec
from services.evidence.errors import IntegrityError, ManifestError

HEARING_KEY = bytes(range(32))
KEY = codec.manifest_key(HEARING_KEY)
KEY_ID = "ab" * 16
MANIFEST = Manifest(
    hearing="h1", document="d" * 32, version="0193aaaabbbb112233445566",
    filename="Settlement offer.pdf", original_filename="Settlement offer.pdf",
    content_type="application/pdf", compartment="side:A", owner="side:A", uploaded_by="partyA1",
    size=12345, sha256="1" * 64, created_ms=1_700_000_000_000, ciphertext_size=12_469,
    ciphertext_sha256="2" * 64, content_version="v-0001", segment_size=65536, key_id="c" * 32,
    hearing_key_id=KEY_ID, wrapped_data_key=os.urandom(60))
PLACE = codec.Place.of(MANIFEST)
SEALED = codec.seal(KEY, MANIFEST)


def _reason(raw: bytes, place: codec.Place = PLACE, key: bytes = KEY,
            key_id: str = KEY_ID) -> str:
    with pytest.raises(ManifestError) as caught:
        codec.open_manifest(key, raw, place, key_id)
    assert isinstance(caught.value, IntegrityError)  # typed: maps to `integrity`, never 500
    return caught.value.reason


def test_round_trip_and_header() -> None:
    assert codec.open_manifest(KEY, SEALED, PLACE, KEY_ID) == MANIFEST
    assert SEALED.startswith(b"PRLYMF\x01\x01") and codec.hearing_key_id(SEALED) == KEY_ID
    assert codec.seal(KEY, MANIFEST) != SEALED  # a fresh nonce every time


def test_sealed_manifest_shows_no_names() -> None:
    """A store reader learns no file name, compartment, uploader or digest."""
    for secret in (b"Settlement", b"side:A", b"partyA1", b"application/pdf", b"1111111111",
                   b"filename", b"compartment"):
        assert secret not in SEALED


def test_the_manifest_key_is_derived_not_the_hearing_key() -> None:
    assert KEY != HEARING_KEY and len(KEY) == 32
    assert codec.manifest_key(bytes(32)) != KEY
    assert _reason(codec.seal(HEARING_KEY, MANIFEST)) == "authentication"


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_flipped_byte_fails(data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(SEALED) - 1))
    bit = data.draw(st.integers(0, 7))
    flipped = bytearray(SEALED)
    flipped[index] ^= 1 << bit
    assert _reason(bytes(flipped)) in {"format", "hearing_key", "authentication", "legacy"}


@given(st.integers(0, len(SEALED) - 1), st.binary(max_size=40))
def test_truncated_or_extended_fails(cut: int, tail: bytes) -> None:
    _reason(SEALED[:cut])
    if tail:
        _reason(SEALED + tail)


@pytest.mark.parametrize("place", [
    codec.Place("h2", PLACE.document, PLACE.version),
    codec.Place("h1", "e" * 32, PLACE.version),
    codec.Place("h1", PLACE.document, "0193aaaabbbb112233445567"),
])
def test_a_manifest_moved_elsewhere_does_not_open(place: codec.Place) -> None:
    assert _reason(SEALED, place=place) == "authentication"


def test_another_hearing_key_does_not_open() -> None:
    other = codec.manifest_key(os.urandom(32))
    assert _reason(SEALED, key=other) == "authentication"
    assert _reason(SEALED, key_id="cd" * 16) == "hearing_key"  # e.g. a shredded, re-minted key


def _seal_at(place: codec.Place, plaintext: bytes) -> bytes:
    """Authentic bytes for `place` whose content is `plaintext` (what only a key holder makes)."""
    header = SEALED[:codec.HEADER_LEN]
    aad = header + b"\x00".join((b"parley/manifest/v1", place.hearing.encode(),
                                 place.document.encode(), place.version.encode()))
    return header + AESGCM(KEY).encrypt(header[-12:], plaintext, aad)


def test_a_sealed_manifest_naming_another_place_is_refused() -> None:
    """Even authentic bytes are refused if what they say does not match where they are."""
    assert codec.open_manifest(KEY, _seal_at(PLACE, msgspec.json.encode(MANIFEST)), PLACE,
                               KEY_ID) == MANIFEST
    liar = msgspec.structs.replace(MANIFEST, document="e" * 32)
    assert _reason(_seal_at(PLACE, msgspec.json.encode(liar))) == "place"


def test_legacy_unsealed_json_and_other_versions_are_refused() -> None:
    assert _reason(msgspec.json.encode(MANIFEST)) == "legacy"
    bumped = bytearray(SEALED)
    bumped[6] = 2
    assert _reason(bytes(bumped)) == "format"
    assert _reason(b"PRLYMF" + bytes(100)) == "format"
    assert _reason(b"x" * (codec.MAX_SEALED_LEN + 1)) == "format"


def test_an_authentic_record_of_the_wrong_shape_is_refused() -> None:
    assert _reason(_seal_at(PLACE, b'{"not": "a manifest"}')) == "format"


def test_the_ciphertext_digest_is_there_exactly_unless_sealed_once() -> None:
    """A one-shot upload (sealed once) is pinned by its AEAD and carries no digest; any other
    manifest must carry it, and a manifest claiming both, or neither, does not decode."""
    once = msgspec.structs.replace(MANIFEST, ciphertext_sha256=None, sealed_once=True)
    assert codec.open_manifest(KEY, codec.seal(KEY, once), PLACE, KEY_ID) == once
    raw = msgspec.json.decode(msgspec.json.encode(MANIFEST))
    for wrong in ({**raw, "sealed_once": True}, {k: v for k, v in raw.items()
                                                 if k != "ciphertext_sha256"}):
        with pytest.raises(msgspec.ValidationError, match="unless it is sealed_once"):
            msgspec.json.decode(msgspec.json.encode(wrong), type=Manifest)
