"""Incremental (push-style) encryptor and decryptors for the format in `format.py` (pure: no I/O).

Each takes byte chunks of any size and returns the bytes that are ready. Memory held is at most
one segment plus the chunk being fed. The decryptors return only authenticated plaintext.
"""

from __future__ import annotations

from services.evidence.errors import FormatError, IntegrityError
from services.evidence.format import (
    HEADER_LEN,
    SEGMENT_SIZE,
    TAG_LEN,
    RangePlan,
    SegmentCipher,
)


class Encryptor:
    """Seals a plaintext stream. The first output starts with the header.

    A segment is sealed only once a later byte proves it is not the final one, so the final
    segment is never empty (the one exception: an empty document is one empty final segment).
    """

    def __init__(self, data_key: bytes, key_id: bytes, *, segment_size: int = SEGMENT_SIZE,
                 salt: bytes | None = None) -> None:
        self._cipher = SegmentCipher.create(data_key, key_id, segment_size=segment_size, salt=salt)
        self._seg = segment_size
        self._pending = bytearray()
        self._index = 0
        self._header_sent = False
        self._done = False
        self.plaintext_bytes = 0

    @property
    def header(self) -> bytes:
        return self._cipher.header_bytes

    def _start(self) -> list[bytes]:
        if self._header_sent:
            return []
        self._header_sent = True
        return [self._cipher.header_bytes]

    def update(self, data: bytes | bytearray | memoryview) -> bytes:
        if self._done:
            raise RuntimeError("encryptor already finalized")
        out = self._start()
        self.plaintext_bytes += len(data)
        seg = self._seg
        if not self._pending and len(data) > seg:
            # Seal whole segments straight from the caller's buffer; keep only the tail (which
            # may be the final segment, so at least one byte is always held back).
            whole = (len(data) - 1) // seg * seg
            with memoryview(data) as view:
                for off in range(0, whole, seg):
                    out.append(self._cipher.seal(self._index, view[off:off + seg], final=False))
                    self._index += 1
                self._pending += view[whole:]
            return b"".join(out)
        self._pending += data
        pending, off = self._pending, 0
        with memoryview(pending) as view:  # released before `pending` is resized below
            while len(pending) - off > seg:
                out.append(self._cipher.seal(self._index, view[off:off + seg], final=False))
                self._index += 1
                off += seg
        if off:
            del pending[:off]
        return b"".join(out)

    def finalize(self) -> bytes:
        if self._done:
            raise RuntimeError("encryptor already finalized")
        out = self._start()
        out.append(self._cipher.seal(self._index, self._pending, final=True))
        self._pending = bytearray()
        self._done = True
        return b"".join(out)


class Decryptor:
    """Opens a whole object streamed from its first byte, without knowing its length.

    A segment is opened as non-final only when more bytes follow it; whatever remains at
    `finalize` must be a valid final segment, so a stream cut anywhere is an IntegrityError.
    """

    def __init__(self, data_key: bytes, *, expected_key_id: bytes | None = None) -> None:
        self._key = data_key
        self._expected = expected_key_id
        self._cipher: SegmentCipher | None = None
        self._buf = bytearray()
        self._index = 0
        self._done = False

    def update(self, data: bytes | bytearray | memoryview) -> bytes:
        if self._done:
            raise RuntimeError("decryptor already finalized")
        self._buf += data
        if self._cipher is None:
            if len(self._buf) < HEADER_LEN:
                return b""
            self._cipher = SegmentCipher.open_header(self._key, bytes(self._buf[:HEADER_LEN]),
                                                     self._expected)
            del self._buf[:HEADER_LEN]
        full = self._cipher.header.segment_size + TAG_LEN
        out: list[bytes] = []
        buf, off = self._buf, 0
        with memoryview(buf) as view:  # released before `buf` is resized below
            while len(buf) - off > full:
                out.append(self._cipher.open(self._index, view[off:off + full], final=False))
                self._index += 1
                off += full
        if off:
            del buf[:off]
        return b"".join(out)

    def finalize(self) -> bytes:
        if self._done:
            raise RuntimeError("decryptor already finalized")
        self._done = True
        if self._cipher is None:
            raise FormatError("truncated header")
        result = self._cipher.open(self._index, self._buf, final=True)
        self._buf = bytearray()
        return result


class RangeDecryptor:
    """Opens the segments named by a `RangePlan` and returns exactly the planned plaintext slice.

    Fed the ciphertext bytes [plan.ct_start, plan.ct_end) of an object whose header opened
    `cipher`. Since the plan knows which segment is final, a short read is an IntegrityError.
    """

    def __init__(self, cipher: SegmentCipher, plan: RangePlan, total_plaintext: int) -> None:
        self._cipher = cipher
        self._plan = plan
        self._total = total_plaintext
        self._index = plan.first
        self._buf = bytearray()
        self._skip = plan.skip
        self._left = plan.length
        self._done = False

    def _take(self, plaintext: bytes) -> bytes:
        if self._skip == 0 and self._left >= len(plaintext):  # the common, whole-segment case
            self._left -= len(plaintext)
            return plaintext
        piece = plaintext[self._skip:self._skip + self._left]
        self._skip = max(0, self._skip - len(plaintext))
        self._left -= len(piece)
        return piece

    def update(self, data: bytes | bytearray | memoryview) -> bytes:
        if self._done:
            raise RuntimeError("decryptor already finalized")
        self._buf += data
        out: list[bytes] = []
        off = 0
        with memoryview(self._buf) as view:  # released before `_buf` is resized below
            while self._index <= self._plan.last:
                need = self._plan.segment_ct_len(self._index, self._total)
                if len(self._buf) - off < need:
                    break
                final = self._index == self._plan.final
                plaintext = self._cipher.open(self._index, view[off:off + need], final=final)
                out.append(self._take(plaintext))
                off += need
                self._index += 1
        if off:
            del self._buf[:off]
        if self._index > self._plan.last and self._buf:
            raise IntegrityError("more ciphertext than the range covers")
        return b"".join(out)

    def finalize(self) -> None:
        self._done = True
        if self._index <= self._plan.last or self._buf:
            raise IntegrityError("ciphertext ended before the range was complete")
