"""Resumable uploads: the staged layout, the offset rules and the append sealer (pure: no I/O).

Protocol: docs/uploads.md (the IETF resumable-upload draft's creation, offset retrieval, append
and cancellation). Staged layout in the store, beside the committed documents:

    uploads/<hearing>/<upload>/record                    the UploadRecord (authenticated, below)
    uploads/<hearing>/<upload>/<start:016x>-<tag>.part   sealed segments for plaintext [start, end)

or, on a store that can write an object in place (`Drafting`: the local folder), one draft
holding the content being assembled, so that completion commits it without copying a byte:

    uploads/<hearing>/<upload>/draft                     the header, then the sealed segments
    uploads/<hearing>/<upload>/<start:016x>-<size:x>-<tag>.span
                                                         (empty) `size` bytes of sealed segments
                                                         for [start, end) are durable in the
                                                         draft, at `staged_at(start)`

Each part or span is written once under a fresh random `tag` (older staging wrote
`<start:016x>.part`; it still parses): two appends racing at one offset write two, never one
twice, and `chain` takes one of them.

Rules of the upload lifecycle (created → appending → committed | cancelled | swept):
    1. the declared length is fixed at creation (1 byte .. the maximum document size), so every
       segment's place and finality are known in advance: segment i is final iff it ends at
       the declared length. A part therefore holds whole sealed segments only, and the staged
       bytes are exactly the ciphertext the committed content will hold (after the header);
    2. the offset is the end of the contiguous chain of parts from 0; an append must start there
       (else `OffsetMismatchError`, carrying the true offset: HTTP 409);
    3. an append keeps every whole segment that arrived, even if the connection is then cut; a
       partial segment at the end of an append is dropped (the offset reported says so), so a
       resume re-sends less than one segment of what reached evidence;
    4. bytes beyond the declared length are refused; completion happens when the offset reaches
       the length, and goes through the same commit point as a one-shot upload (the manifest);
    5. an upload with no new part for the idle time is swept; cancelling deletes it at once;
    6. an append is staged as parts of about PART_BYTES of ciphertext each, each made durable
       as it fills: a crash of evidence mid-append loses at most the part being written, so a
       client may send the whole rest of a file in one append.

The record holds the data key wrapped by the hearing key (as the manifest will), and is
authenticated by an HMAC under a key derived from the hearing key, so a store writer without
keys cannot retarget an upload to another compartment, owner or session.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec

from proto.common import Id, TimestampMs
from proto.evidence import ByteCount, CompartmentName, ContentType, OriginalName, OwnerName
from proto.principal import Principal
from services.evidence.errors import (
    IntegrityError,
    OffsetMismatchError,
    SizeMismatchError,
    UploadError,
)
from services.evidence.format import HEADER_LEN, TAG_LEN, SegmentCipher

RECORD = "record"
DRAFT = "draft"
#: An append's bytes are staged as parts of about this much ciphertext (rule 6).
PART_BYTES = 64 << 20
_MAC_LABEL = b"parley/upload-record/v1\x00"


def upload_prefix(hearing: str, upload: str | None = None) -> str:
    return f"uploads/{hearing}/" if upload is None else f"uploads/{hearing}/{upload}/"


def part_key(hearing: str, upload: str, start: int, tag: str) -> str:
    return f"{upload_prefix(hearing, upload)}{start:016x}-{tag}.part"


def span_key(hearing: str, upload: str, start: int, size: int, tag: str) -> str:
    return f"{upload_prefix(hearing, upload)}{start:016x}-{size:x}-{tag}.span"


def staged_span(key: str) -> tuple[int, int | None] | None:
    """(start, ciphertext size) of the part or span stored under `key`: a part's size is the
    object's own (None here), a span's is in its name. None if `key` names neither."""
    name = key.rsplit("/", 1)[-1]
    stem, dot, kind = name.rpartition(".")
    fields = stem.split("-")
    try:
        if dot and kind == "part" and len(fields) <= 2:
            return int(fields[0], 16), None
        if dot and kind == "span" and len(fields) == 3:
            return int(fields[0], 16), int(fields[1], 16)
    except ValueError:
        pass
    return None


def staged_at(start: int, segment_size: int) -> int:
    """Where the sealed segment starting at plaintext `start` lies in the content (and draft)."""
    return HEADER_LEN + start // segment_size * (segment_size + TAG_LEN)


class UploadRecord(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One upload in progress: what it will commit as, and who may continue it."""

    upload: Id
    hearing: Id
    compartment: CompartmentName
    filename: OriginalName
    content_type: ContentType
    owner: OwnerName
    length: ByteCount
    principal_kind: Annotated[str, msgspec.Meta(max_length=16)]
    principal_id: Id
    session: Id | None
    document: Id
    version: Id
    segment_size: Annotated[int, msgspec.Meta(ge=16, le=1 << 24)]
    header: Annotated[bytes, msgspec.Meta(max_length=256)]
    key_id: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{32}$")]
    hearing_key_id: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{32}$")]
    wrapped_data_key: Annotated[bytes, msgspec.Meta(max_length=128)]
    created_ms: TimestampMs
    mac: Annotated[bytes, msgspec.Meta(max_length=32)] = b""

    def belongs_to(self, principal: Principal) -> bool:
        """The creating session only: same principal kind, id and session id."""
        return (principal.kind.value == self.principal_kind and principal.id == self.principal_id
                and principal.session == self.session)


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(UploadRecord).decode


def _mac(hearing_key: bytes, record: UploadRecord) -> bytes:
    body = _encode(msgspec.structs.replace(record, mac=b""))
    key = hmac.new(hearing_key, _MAC_LABEL, hashlib.sha256).digest()
    return hmac.new(key, body, hashlib.sha256).digest()


def seal_record(hearing_key: bytes, record: UploadRecord) -> bytes:
    return _encode(msgspec.structs.replace(record, mac=_mac(hearing_key, record)))


def open_record(hearing_key: bytes, raw: bytes, *, hearing: str, upload: str) -> UploadRecord:
    """Decode and authenticate a stored record; anything else is an IntegrityError."""
    try:
        record = _decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise IntegrityError("upload record is malformed") from None
    if not hmac.compare_digest(record.mac, _mac(hearing_key, record)) \
            or record.hearing != hearing or record.upload != upload:
        raise IntegrityError("upload record failed authentication")
    return record


# -- offsets ----------------------------------------------------------------------------------

def part_plaintext(start: int, ct_size: int, segment_size: int, length: int) -> int:
    """Plaintext bytes held by a part of `ct_size` bytes starting at `start` (whole segments;
    only the segment ending at `length` may be short). Raises IntegrityError if impossible."""
    full = segment_size + TAG_LEN
    whole, rest = divmod(ct_size, full)
    plain = whole * segment_size
    if rest:
        if rest <= TAG_LEN or start + plain + rest - TAG_LEN != length:
            raise IntegrityError("staged part has an impossible length")
        plain += rest - TAG_LEN
    if start % segment_size or start + plain > length:
        raise IntegrityError("staged part lies outside the upload")
    return plain


@dataclass(frozen=True)
class Part:
    key: str
    start: int
    end: int


def chain(parts: list[tuple[str, int, int]], segment_size: int, length: int) -> list[Part]:
    """The contiguous parts from offset 0, given (key, start, ciphertext size) of each stored
    part. Empty parts and parts after a gap are left out (a gap never happens: appends only
    start at the offset; a racing or aborted write may leave a stray part, which is ignored)."""
    by_start = {start: (key, size) for key, start, size in parts}
    found: list[Part] = []
    offset = 0
    while offset in by_start and offset < length:
        key, size = by_start[offset]
        plain = part_plaintext(offset, size, segment_size, length)
        if plain == 0:
            break
        found.append(Part(key, offset, offset + plain))
        offset += plain
    return found


def offset_of(parts: list[Part]) -> int:
    return parts[-1].end if parts else 0


@dataclass(frozen=True)
class Running:
    """Digests of what this process sealed of an upload, over `parts` (the chain as it staged
    it, part by part, in order): the SHA-256 of the plaintext, of the ciphertext from the
    header on, and of the segments' tags (`format.tags_in`), which completion checks the staged
    bytes against (assembly.Digests)."""

    parts: tuple[Part, ...]
    plain: Any
    cipher: Any
    tags: Any

    @classmethod
    def start(cls, header: bytes) -> Running:
        return cls((), hashlib.sha256(), hashlib.sha256(header), hashlib.sha256())

    def extended(self) -> Running:
        """A copy to feed the next part's bytes into (this one stays as it is)."""
        return Running(self.parts, self.plain.copy(), self.cipher.copy(), self.tags.copy())

    def over(self, parts: tuple[Part, ...]) -> Running:
        """These digests, said to cover `parts`."""
        return Running(parts, self.plain, self.cipher, self.tags)


def check_append(record: UploadRecord, offset: int, claimed: int, declared: int | None,
                 complete: bool) -> None:
    """Before an append's bytes are read: the offset matches and the bytes fit the length."""
    if claimed != offset:
        raise OffsetMismatchError(offset)
    if declared is not None and offset + declared > record.length:
        raise SizeMismatchError("the append goes beyond the upload's declared length")
    if complete and declared is not None and offset + declared != record.length:
        raise UploadError("Upload-Complete is set but the upload would not be complete")


# -- sealing appends ---------------------------------------------------------------------------

class AppendSealer:
    """Seals plaintext appended at `start` (a segment boundary) of a document of known `length`.

    `update` returns the sealed bytes of every segment completed so far: a segment is sealed as
    final exactly when it ends at `length`. Bytes of a segment not yet complete stay pending (at
    most one segment); `sealed_end` is the plaintext offset the returned ciphertext reaches, and
    `sealed_plain` the plaintext it seals (read-only, never changed afterwards: it may be hashed
    later, in another thread).
    """

    def __init__(self, cipher: SegmentCipher, start: int, length: int) -> None:
        self._cipher = cipher
        self._seg = cipher.header.segment_size
        if start % self._seg or not 0 <= start < length:
            raise ValueError("an append starts at a segment boundary inside the upload")
        self._length = length
        self.sealed_end = start
        self.sealed_plain = memoryview(b"")
        self._pending = b""

    @property
    def received_end(self) -> int:
        return self.sealed_end + len(self._pending)

    def update(self, data: bytes | bytearray | memoryview) -> bytes:
        if self.received_end + len(data) > self._length:
            raise SizeMismatchError("more bytes than the upload's declared length")
        # Immutable, so `sealed_plain` can be a view of it: the body's own bytes when nothing
        # is pending (no copy), else the pending segment's bytes joined with them.
        source = self._pending + data if self._pending else bytes(data)
        seg, full = self._seg, self._seg + TAG_LEN
        count = len(source) // seg
        tail_final = self.sealed_end + len(source) == self._length and len(source) % seg
        out = bytearray(count * full + ((len(source) % seg) + TAG_LEN if tail_final else 0))
        pos = 0
        index = self.sealed_end // seg
        view = memoryview(source)
        with memoryview(out) as target:
            for i in range(count):
                end = self.sealed_end + (i + 1) * seg
                self._cipher.seal_into(index + i, view[i * seg:(i + 1) * seg],
                                       end == self._length, target[pos:pos + full])
                pos += full
            if tail_final:
                self._cipher.seal_into(index + count, view[count * seg:], True,
                                       target[pos:pos + len(source) - count * seg + TAG_LEN])
        done = count * seg + (len(source) % seg if tail_final else 0)
        self._pending = source[done:]
        self.sealed_plain = view[:done]
        self.sealed_end += done
        return out  # type: ignore[return-value]  # a bytes-like buffer, never kept by us
