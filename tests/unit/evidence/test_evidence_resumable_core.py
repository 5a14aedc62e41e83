"""The resumable-upload core without sockets: sealing appends, offsets, the record's MAC."""

from __future__ import annotations

import os

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proto.principal import Principal, PrincipalKind
from services.evidence.errors import (
    IntegrityError,
    OffsetMismatchError,
    SizeMismatchError,
    UploadError,
)
from services.evidence.format import TAG_LEN, SegmentCipher, plan_range
from services.evidence.resumable import (
    AppendSealer,
    UploadRecord,
    chain,
    check_append,
    offset_of,
    open_record,
    part_key,
    part_plaintext,
    seal_record,
    span_key,
    staged_at,
    staged_span,
)
from services.evidence.stream import Decryptor, RangeDecryptor

SEG = 64
KEY, KEY_ID = os.urandom(32), os.urandom(16)


def _cipher() -> SegmentCipher:
    return SegmentCipher.create(KEY, KEY_ID, segment_size=SEG)


@settings(max_examples=60, deadline=None)
@given(length=st.integers(1, 700), cuts=st.lists(st.integers(1, 200), max_size=12))
def test_appends_in_any_pieces_make_the_one_shot_ciphertext(length: int, cuts: list[int]) -> None:
    """However the bytes are split across appends and pieces, and wherever an append is cut,
    the staged segments, behind the header, are a valid object holding exactly the plaintext."""
    data = os.urandom(length)
    cipher = _cipher()
    staged: list[bytes] = []
    sealed_plain: list[bytes] = []
    offset, cut_iter = 0, iter(cuts)
    while offset < length:
        # where this append's segments go in the content (a draft writes them right there)
        assert staged_at(offset, SEG) == len(cipher.header_bytes) + sum(map(len, staged))
        sealer = AppendSealer(cipher, offset, length)
        pos = offset
        for size in [next(cut_iter, 50), next(cut_iter, 50)]:  # an append of two pieces
            piece = data[pos:pos + size]
            staged.append(bytes(sealer.update(piece)))
            sealed_plain.append(bytes(sealer.sealed_plain))
            pos += len(piece)
        assert sealer.sealed_end <= pos and sealer.sealed_end % SEG in (0, length % SEG)
        offset = sealer.sealed_end  # the partial segment is dropped; the next append re-sends
    assert b"".join(sealed_plain) == data  # what is hashed while sealing is the plaintext
    body = b"".join(staged)
    whole = Decryptor(KEY)
    assert whole.update(cipher.header_bytes + body) + whole.finalize() == data
    ranged = RangeDecryptor(cipher, plan_range(length, 0, length, SEG), length)
    assert ranged.update(body) == data
    ranged.finalize()


def test_an_append_refuses_bytes_beyond_the_length() -> None:
    sealer = AppendSealer(_cipher(), 0, 100)
    sealer.update(b"x" * 90)
    with pytest.raises(SizeMismatchError):
        sealer.update(b"x" * 11)
    with pytest.raises(ValueError):
        AppendSealer(_cipher(), 10, 100)  # not a segment boundary


def test_part_sizes_and_chain() -> None:
    full = SEG + TAG_LEN
    assert part_plaintext(0, 2 * full, SEG, 1000) == 2 * SEG
    assert part_plaintext(128, full + 10 + TAG_LEN, SEG, 128 + SEG + 10) == SEG + 10
    with pytest.raises(IntegrityError):
        part_plaintext(0, full + 5, SEG, 1000)  # a short segment that is not the last one
    with pytest.raises(IntegrityError):
        part_plaintext(0, 20 * full, SEG, 100)  # beyond the length
    parts = chain([("a", 0, 2 * full), ("b", 2 * SEG, full), ("stray", 9 * SEG, full)], SEG, 1000)
    assert [(p.key, p.start, p.end) for p in parts] == [("a", 0, 128), ("b", 128, 192)]
    assert offset_of(parts) == 3 * SEG and offset_of([]) == 0


def _record(**changes: object) -> UploadRecord:
    base = UploadRecord(
        upload="u1", hearing="h1", compartment="joint", filename="a.pdf",
        content_type="application/pdf", owner="mediator", length=1000,
        principal_kind="account", principal_id="p1", session="s1", document="d1", version="v1",
        segment_size=SEG, header=b"h" * 92, key_id="0" * 32, hearing_key_id="1" * 32,
        wrapped_data_key=b"w" * 60, created_ms=1)
    return msgspec.structs.replace(base, **changes)


def test_the_record_is_authenticated_and_bound_to_its_session() -> None:
    hearing_key = os.urandom(32)
    raw = seal_record(hearing_key, _record())
    record = open_record(hearing_key, raw, hearing="h1", upload="u1")
    me = Principal(kind=PrincipalKind.ACCOUNT, id="p1", session="s1")
    assert record.belongs_to(me)
    assert not record.belongs_to(msgspec.structs.replace(me, session="s2"))
    assert not record.belongs_to(msgspec.structs.replace(me, id="p2"))
    tampered = raw.replace(b'"joint"', b'"mediator"')
    for bad, key in [(tampered, hearing_key), (raw, os.urandom(32)), (b"{", hearing_key)]:
        with pytest.raises(IntegrityError):
            open_record(key, bad, hearing="h1", upload="u1")
    with pytest.raises(IntegrityError):  # a record moved under another upload's name
        open_record(hearing_key, raw, hearing="h1", upload="u2")


def test_append_checks_offset_and_length_before_reading() -> None:
    record = _record()
    check_append(record, 128, 128, 100, False)
    check_append(record, 128, 128, None, True)  # chunked: counted as it arrives
    with pytest.raises(OffsetMismatchError) as caught:
        check_append(record, 128, 0, 10, False)
    assert caught.value.offset == 128
    with pytest.raises(SizeMismatchError):
        check_append(record, 128, 128, 900, False)
    with pytest.raises(UploadError):
        check_append(record, 128, 128, 100, True)  # says complete, is not


def test_staged_keys_name_their_start_and_size() -> None:
    """Parts and spans parse back to where they start (a span also to its size); a part of
    the older layout still parses; nothing else under an upload does."""
    assert staged_span(part_key("h", "u", 0x30000, "ab12")) == (0x30000, None)
    assert staged_span(span_key("h", "u", 0x30000, 4 * (SEG + TAG_LEN), "ab12")) == (
        0x30000, 4 * (SEG + TAG_LEN))
    assert staged_span("uploads/h/u/0000000000010000.part") == (0x10000, None)  # older layout
    for other in ("uploads/h/u/record", "uploads/h/u/draft", "uploads/h/u/xyz.part",
                  "uploads/h/u/1-2-3-4.span", "uploads/h/u/10-zz-ab.span", "uploads/h/u/.part"):
        assert staged_span(other) is None, other
