"""Properties of the segment format (services/evidence/format.py, stream.py)."""

from __future__ import annotations

import os
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.evidence.errors import FormatError, IntegrityError, KeyCommitmentError
from services.evidence.format import (
    HEADER_LEN,
    SEGMENT_SIZE,
    TAG_LEN,
    SegmentCipher,
    ciphertext_size,
    plaintext_size,
    plan_range,
    tags_in,
)
from services.evidence.stream import Decryptor, Encryptor, RangeDecryptor

SEG = 32  # tiny segments: many segments per example, cheap to run
KEY, KID = os.urandom(32), os.urandom(16)
#: local settings (a profile would leak into every other area's tests)
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

plaintexts = st.one_of(
    st.binary(max_size=8 * SEG),
    st.integers(0, 6).map(lambda n: os.urandom(n * SEG)),  # exact segment multiples, incl. 0
)


def seal(pt: bytes, *, key: bytes = KEY, kid: bytes = KID, seg: int = SEG,
         chunk: int = 7) -> bytes:
    enc = Encryptor(key, kid, segment_size=seg)
    out = [enc.update(pt[i:i + chunk]) for i in range(0, len(pt), chunk)]
    return b"".join(out) + enc.finalize()


def unseal(ct: bytes, *, key: bytes = KEY, chunk: int = 11) -> bytes:
    dec = Decryptor(key, expected_key_id=KID)
    out = [dec.update(ct[i:i + chunk]) for i in range(0, len(ct), chunk)]
    return b"".join(out) + dec.finalize()


def segments(ct: bytes, seg: int = SEG) -> list[bytes]:
    body, full = ct[HEADER_LEN:], seg + TAG_LEN
    return [body[i:i + full] for i in range(0, len(body), full)]


@PROPS
@given(plaintexts, st.integers(1, 100), st.integers(1, 100))
def test_round_trip_any_size_any_chunking(pt: bytes, wchunk: int, rchunk: int) -> None:
    ct = seal(pt, chunk=wchunk)
    assert len(ct) == ciphertext_size(len(pt), SEG)
    assert plaintext_size(len(ct), SEG) == len(pt)
    assert unseal(ct, chunk=rchunk) == pt


@pytest.mark.parametrize("size", [0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1,
                                  3 * SEGMENT_SIZE])
def test_round_trip_default_segment_size(size: int) -> None:
    pt = os.urandom(size)
    ct = seal(pt, seg=SEGMENT_SIZE, chunk=10_000)
    assert len(ct) == ciphertext_size(size)
    assert unseal(ct, chunk=50_000) == pt


def test_final_segment_never_empty() -> None:
    for n in range(1, 5):
        segs = segments(seal(os.urandom(n * SEG)))
        assert len(segs) == n  # the last full segment is the final one: no empty one after it
        assert len(segs[-1]) == SEG + TAG_LEN
    assert len(segments(seal(b""))) == 1
    assert len(seal(b"")) == HEADER_LEN + TAG_LEN


@PROPS
@given(plaintexts, st.data())
def test_any_flipped_byte_fails(pt: bytes, data: st.DataObject) -> None:
    ct = bytearray(seal(pt))
    pos = data.draw(st.integers(0, len(ct) - 1))
    ct[pos] ^= data.draw(st.integers(1, 255))
    with pytest.raises(IntegrityError):
        unseal(bytes(ct))


@PROPS
@given(plaintexts, st.data())
def test_truncation_fails(pt: bytes, data: st.DataObject) -> None:
    ct = seal(pt)
    cut = data.draw(st.integers(0, len(ct) - 1))
    with pytest.raises(IntegrityError):
        unseal(ct[:cut])


@PROPS
@given(plaintexts, st.binary(min_size=1, max_size=3 * SEG))
def test_extension_fails(pt: bytes, extra: bytes) -> None:
    with pytest.raises(IntegrityError):
        unseal(seal(pt) + extra)


def test_appending_a_whole_segment_fails() -> None:
    ct = seal(os.urandom(3 * SEG))
    segs = segments(ct)
    with pytest.raises(IntegrityError):
        unseal(ct + segs[-1])


@PROPS
@given(st.binary(min_size=2 * SEG + 1, max_size=8 * SEG), st.data())
def test_reordering_segments_fails(pt: bytes, data: st.DataObject) -> None:
    ct = seal(pt)
    segs = segments(ct)
    order = data.draw(st.permutations(range(len(segs))))
    if order == list(range(len(segs))):
        order = order[1:] + order[:1]
    with pytest.raises(IntegrityError):
        unseal(ct[:HEADER_LEN] + b"".join(segs[i] for i in order))


@PROPS
@given(st.binary(min_size=SEG + 1, max_size=6 * SEG), st.data())
def test_splicing_segments_between_documents_fails(pt: bytes, data: st.DataObject) -> None:
    a, b = seal(pt), seal(pt)  # same key and plaintext, different salt
    sa, sb = segments(a), segments(b)
    i = data.draw(st.integers(0, len(sa) - 1))
    sa[i] = sb[i]
    with pytest.raises(IntegrityError):
        unseal(a[:HEADER_LEN] + b"".join(sa))
    with pytest.raises(IntegrityError):  # header of one, body of the other
        unseal(b[:HEADER_LEN] + a[HEADER_LEN:])


@PROPS
@given(plaintexts)
def test_another_documents_key_fails(pt: bytes) -> None:
    ct = seal(pt)
    with pytest.raises(KeyCommitmentError):
        unseal(ct, key=os.urandom(32))
    with pytest.raises(KeyCommitmentError):
        Decryptor(KEY, expected_key_id=os.urandom(16)).update(ct)


def test_commitment_rejects_before_any_segment_is_opened() -> None:
    ct = seal(b"secret")
    with pytest.raises(KeyCommitmentError):
        SegmentCipher.open_header(os.urandom(32), ct[:HEADER_LEN])


@pytest.mark.parametrize("mutate", [
    lambda h: b"XXXXXX" + h[6:],              # magic
    lambda h: h[:6] + b"\x02" + h[7:],        # version
    lambda h: h[:7] + b"\x09" + h[8:],        # suite
    lambda h: h[:8] + b"\x00\x00\x00\x01" + h[12:],  # segment size below the minimum
])
def test_header_fields_are_checked(mutate: object) -> None:
    ct = seal(b"abc")
    assert callable(mutate)
    with pytest.raises(FormatError):
        unseal(mutate(ct[:HEADER_LEN]) + ct[HEADER_LEN:])


@PROPS
@given(plaintexts, st.data())
def test_ranges_equal_plaintext_slices(pt: bytes, data: st.DataObject) -> None:
    ct = seal(pt)
    start = data.draw(st.integers(0, len(pt)))
    end = data.draw(st.integers(start, len(pt)))
    plan = plan_range(len(pt), start, end, SEG)
    cipher = SegmentCipher.open_header(KEY, ct[:HEADER_LEN], KID)
    dec = RangeDecryptor(cipher, plan, len(pt))
    span = ct[plan.ct_start:plan.ct_end]
    cut = data.draw(st.integers(0, len(span)))
    out = dec.update(span[:cut]) + dec.update(span[cut:])
    dec.finalize()
    assert out == pt[start:end]
    # only the covered segments are read
    assert plan.ct_end - plan.ct_start <= (end - start + 2 * SEG) + TAG_LEN * (
        (end - start) // SEG + 2)


@PROPS
@given(st.binary(max_size=12 * SEG), st.data())
def test_a_reusing_range_decryptor_yields_the_same_plaintext_and_keeps_three_in_hand(
        pt: bytes, data: st.DataObject) -> None:
    """With a ring of 3, each output stays intact until the third update after it (the caller
    holds one back and has one in flight), and the buffers really are used again."""
    ct = seal(pt)
    start = data.draw(st.integers(0, len(pt)))
    end = data.draw(st.integers(start, len(pt)))
    plan = plan_range(len(pt), start, end, SEG)
    cipher = SegmentCipher.open_header(KEY, ct[:HEADER_LEN], KID)
    dec = RangeDecryptor(cipher, plan, len(pt), ring=3)
    span = ct[plan.ct_start:plan.ct_end]
    cuts = sorted(data.draw(st.lists(st.integers(0, len(span)), max_size=8)))
    pieces = [span[a:b] for a, b in zip([0, *cuts], [*cuts, len(span)], strict=True)]
    outputs: list[tuple[bytes | bytearray | memoryview, bytes]] = []
    for piece in pieces:
        out = dec.update(piece)
        outputs.append((out, bytes(out)))
        for earlier, copy in outputs[-3:]:  # the last three returned are still as returned
            assert bytes(earlier) == copy
    dec.finalize()
    assert b"".join(copy for _, copy in outputs) == pt[start:end]


def test_a_reusing_range_decryptor_opens_into_the_same_three_buffers() -> None:
    pt = os.urandom(8 * SEG)
    ct = seal(pt)
    plan = plan_range(len(pt), 0, len(pt), SEG)
    dec = RangeDecryptor(SegmentCipher.open_header(KEY, ct[:HEADER_LEN], KID), plan, len(pt),
                         ring=3)
    full = SEG + TAG_LEN
    body = ct[HEADER_LEN:]
    outs = [dec.update(body[i * full:(i + 1) * full]) for i in range(8)]
    owners = [out.obj for out in outs if isinstance(out, memoryview)]
    assert len(owners) == 8 and len({id(owner) for owner in owners}) == 3
    assert owners[0] is owners[3] is owners[6] and owners[1] is owners[4] is owners[7]


@PROPS
@given(st.binary(min_size=1, max_size=6 * SEG), st.data())
def test_ranged_read_detects_tampering(pt: bytes, data: st.DataObject) -> None:
    ct = bytearray(seal(pt))
    start = data.draw(st.integers(0, len(pt) - 1))
    end = data.draw(st.integers(start + 1, len(pt)))
    plan = plan_range(len(pt), start, end, SEG)
    pos = data.draw(st.integers(plan.ct_start, plan.ct_end - 1))
    ct[pos] ^= 0x80
    cipher = SegmentCipher.open_header(KEY, bytes(ct[:HEADER_LEN]), KID)
    dec = RangeDecryptor(cipher, plan, len(pt))
    with pytest.raises(IntegrityError):
        dec.update(bytes(ct[plan.ct_start:plan.ct_end]))
        dec.finalize()


def test_ranged_read_short_span_fails() -> None:
    pt = os.urandom(5 * SEG)
    ct = seal(pt)
    plan = plan_range(len(pt), 0, len(pt), SEG)
    dec = RangeDecryptor(SegmentCipher.open_header(KEY, ct[:HEADER_LEN]), plan, len(pt))
    dec.update(ct[plan.ct_start:plan.ct_end - 1])
    with pytest.raises(IntegrityError):
        dec.finalize()


@pytest.mark.parametrize("bad", [0, HEADER_LEN, HEADER_LEN + 15, HEADER_LEN + SEG + TAG_LEN + 5])
def test_impossible_ciphertext_lengths(bad: int) -> None:
    with pytest.raises(FormatError):
        plaintext_size(bad, SEG)


def test_authentic_empty_final_segment_after_data_is_rejected() -> None:
    """A writer with the key could seal an empty final segment; readers still refuse it."""
    cipher = SegmentCipher.create(KEY, KID, segment_size=SEG)
    body = cipher.seal(0, b"a" * SEG, False) + cipher.seal(1, b"", True)
    with pytest.raises(IntegrityError, match="empty final"):
        unseal(cipher.header_bytes + body)


@PROPS
@given(pt=plaintexts, cuts=st.lists(st.integers(0, 12 * SEG), max_size=10))
def test_tags_in_finds_every_segment_tag_however_the_object_is_cut(
        pt: bytes, cuts: list[int]) -> None:
    """The tags of an object's segments, taken piece by piece from any cut of the object
    (header included), are the last TAG_LEN bytes of each segment, in order."""
    obj = seal(pt)
    body = obj[HEADER_LEN:]
    segments = [body[i:i + SEG + TAG_LEN] for i in range(0, len(body), SEG + TAG_LEN)]
    expected = b"".join(segment[-TAG_LEN:] for segment in segments)
    bounds = sorted({0, len(obj), *(min(c, len(obj)) for c in cuts)})
    found = b"".join(tags_in(obj[a:b], a, SEG, len(obj)) for a, b in pairwise(bounds))
    assert found == expected and len(expected) == TAG_LEN * len(segments)
