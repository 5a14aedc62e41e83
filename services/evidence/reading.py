"""Reading a committed version back: the plaintext of a byte range, every byte authenticated
(DESIGN §6), either as a stream (`open_range`, any store) or as a file for worker threads to
read, open and send (`range_pump`, a store whose objects are files on this host).

The rules, both ways: the data key is unwrapped under the hearing's key read afresh (a hearing
shredded a moment ago has no key); the content read is the object version the manifest pinned;
a whole-document read checks the ciphertext's size first and, unless the version was
`sealed_once`, its SHA-256 against the manifest before the last bytes go out. The vault
(vault.py) writes what this reads; FORMAT.md §7 says why the plaintext is not hashed again.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
from collections.abc import AsyncGenerator
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from proto.evidence import Manifest
from services.evidence import keys as k
from services.evidence import manifest_store as manifests
from services.evidence.errors import (
    ContentIntegrityError,
    IntegrityError,
    InvalidRangeError,
    ObjectNotFoundError,
)
from services.evidence.format import HEADER_LEN, RangePlan, SegmentCipher
from services.evidence.format import plan_range as _plan_range
from services.evidence.hashing import Hashing
from services.evidence.hearing_keys import HearingKeys
from services.evidence.range_pump import RING, RangePump
from services.evidence.store.base import FileBacked, ObjectStore, prepended
from services.evidence.stream import RangeDecryptor


@dataclass(frozen=True)
class _Opening:
    decryptor: RangeDecryptor
    ciphertext: AsyncGenerator[bytes, None]  # the range's, [plan.ct_start, plan.ct_end), unread
    ct_digest: Any | None  # SHA-256 of the ciphertext so far, when it must match the manifest's


async def _split_header(stream: AsyncGenerator[bytes, None]) -> tuple[bytes, bytes]:
    """The header from the start of `stream`, and the bytes read past it (the rest of the
    stream stays unread)."""
    head = b""
    async for chunk in stream:
        head += chunk
        if len(head) >= HEADER_LEN:
            break
    return head[:HEADER_LEN], head[HEADER_LEN:]


def _file_header(fd: int, whole_size: int | None) -> bytes:
    """In a worker thread: a content file's header, once its length is checked (`whole_size`:
    the whole ciphertext's, for a read of the whole document)."""
    if whole_size is not None and os.fstat(fd).st_size != whole_size:
        raise ContentIntegrityError("stored content has the wrong length")
    return os.pread(fd, HEADER_LEN, 0)


class Reading:
    """Reads the versions a vault committed to `store`, under the keys of `hearing_keys`."""

    def __init__(self, store: ObjectStore, hearing_keys: HearingKeys, *,
                 offload_bytes: int = 0) -> None:
        """`offload_bytes`: chunks at least this large are opened in a worker thread (0 =
        never; vault.Limits says why that is the default)."""
        self.store = store
        self.hearing_keys = hearing_keys
        self._offload_bytes = offload_bytes

    async def _data_key(self, manifest: Manifest) -> tuple[bytes, bytes]:
        """The version's data key and key id, under its hearing's current key (read afresh: a
        hearing shredded a moment ago has no key)."""
        record, hearing_key = await self.hearing_keys.get(manifest.hearing, create=False)
        if record.key_id != manifest.hearing_key_id:
            raise IntegrityError("manifest belongs to another hearing key")
        key_id = bytes.fromhex(manifest.key_id)
        return k.unwrap_data_key(hearing_key, manifest.wrapped_data_key, hearing=manifest.hearing,
                                 document=manifest.document, version=manifest.version,
                                 key_id=key_id), key_id

    @staticmethod
    def _plan(manifest: Manifest, start: int, end: int | None) -> tuple[RangePlan, bool]:
        """The plan of reading [start, end) (end None: to the end), and whether that is whole."""
        end = manifest.size if end is None else end
        if not 0 <= start <= end <= manifest.size:
            raise InvalidRangeError("range outside the document")
        return _plan_range(manifest.size, start, end, manifest.segment_size), (
            start == 0 and end == manifest.size)

    @staticmethod
    def _ct_digest(manifest: Manifest, header: bytes, whole: bool) -> Any | None:
        """SHA-256 of the ciphertext so far, when a whole read must match the manifest's."""
        return hashlib.sha256(header) if whole and not manifest.sealed_once else None

    async def _opening(self, manifest: Manifest, start: int, end: int | None, *,
                       ring: int) -> _Opening:
        """What reading [start, end) of a version needs, its header already checked. A range
        from the first segment is read in one request with the header (a round trip fewer to
        a remote store: each costs 2-5 ms on SeaweedFS here)."""
        plan, whole = self._plan(manifest, start, end)
        data_key, key_id = await self._data_key(manifest)
        content_key = manifests.content_path(manifest)
        pinned = manifest.content_version
        try:
            if whole and (await self.store.stat(content_key, version_id=pinned)).size != (
                    manifest.ciphertext_size):
                raise ContentIntegrityError("stored content has the wrong length")
            if plan.ct_start == HEADER_LEN:
                stream = self.store.get(content_key, 0, plan.ct_end, version_id=pinned)
                header, first = await _split_header(stream)
                ciphertext = prepended(first, stream)
            else:
                header = b"".join([c async for c in self.store.get(content_key, 0, HEADER_LEN,
                                                                   version_id=pinned)])
                ciphertext = self.store.get(content_key, plan.ct_start, plan.ct_end,
                                            version_id=pinned)
        except ObjectNotFoundError:
            raise ContentIntegrityError("the committed content is missing") from None
        try:
            cipher = SegmentCipher.open_header(data_key, header, key_id)
        except BaseException:
            await ciphertext.aclose()
            raise
        return _Opening(RangeDecryptor(cipher, plan, manifest.size, ring=ring), ciphertext,
                        self._ct_digest(manifest, header, whole))

    async def range_pump(self, manifest: Manifest, start: int = 0, end: int | None = None, *,
                         opener: Executor | None = None) -> RangePump | None:
        """`open_range`'s bytes for worker threads to read, open and send (range_pump.py; opened
        ahead in `opener`), under the same checks; None when the store's objects are not files
        on this host. The file is opened once, and its length and header read in one worker
        thread's turn (not the store's generic stat and read: every hop to a thread and back
        is time before a download's first byte)."""
        if not isinstance(self.store, FileBacked):
            return None
        plan, whole = self._plan(manifest, start, end)
        data_key, key_id = await self._data_key(manifest)
        try:
            fd = await self.store.open_file(manifests.content_path(manifest),
                                            version_id=manifest.content_version)
        except ObjectNotFoundError:
            raise ContentIntegrityError("the committed content is missing") from None
        try:
            header = await asyncio.to_thread(
                _file_header, fd, manifest.ciphertext_size if whole else None)
            cipher = SegmentCipher.open_header(data_key, header, key_id)
        except BaseException:
            os.close(fd)
            raise
        return RangePump(fd, RangeDecryptor(cipher, plan, manifest.size, ring=RING), plan,
                         digest=self._ct_digest(manifest, header, whole),
                         expected=manifest.ciphertext_sha256, opener=opener)

    async def open_range(self, manifest: Manifest, start: int = 0, end: int | None = None, *,
                         reuse: bool = False) -> AsyncGenerator[bytes, None]:
        """Yield plaintext [start, end) of one version, decrypting only the segments it covers.

        With `reuse`, the chunks are views of buffers used again: each stays valid until the
        chunk after the next is asked for (a consumer may still be sending one while it takes
        the next, as `rawsocket.DirectSender` does); without it each chunk is its own.

        Every yielded byte has been authenticated. The content read is the object version the
        manifest pinned (on a versioned store), so a version added later changes nothing. A
        whole-document read also checks the ciphertext's size, and (unless the manifest says it
        was `sealed_once`, where no other authentic object can exist under its data key) its
        SHA-256 against the manifest, before its last bytes are yielded. The plaintext is not
        hashed again: decryption is a function of the ciphertext, and the manifest's plaintext
        SHA-256 was computed over the very bytes sealed into the ciphertext it pins (FORMAT.md
        §7). Any failure raises IntegrityError (or HearingShreddedError)
        and the stream stops.
        """
        opening = await self._opening(manifest, start, end, ring=3 if reuse else 0)
        decryptor, ct_digest = opening.decryptor, opening.ct_digest
        hashing = Hashing()
        held: bytes = b""
        try:
            async for chunk in opening.ciphertext:
                if self._offload_bytes and len(chunk) >= self._offload_bytes:
                    out = await asyncio.to_thread(decryptor.update, chunk)
                else:
                    out = decryptor.update(chunk)
                if ct_digest is not None:
                    await hashing.feed((ct_digest, chunk))
                if not out:
                    continue
                if held:
                    yield held
                held = out
            decryptor.finalize()
            await hashing.wait()
        except ObjectNotFoundError:
            raise ContentIntegrityError("the committed content is missing") from None
        finally:
            await hashing.settle()
            await opening.ciphertext.aclose()
        if ct_digest is not None and not hmac.compare_digest(ct_digest.hexdigest(),
                                                             manifest.ciphertext_sha256 or ""):
            raise ContentIntegrityError("stored content does not match its pinned digest")
        if held:
            yield held
