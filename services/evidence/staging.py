"""Resumable uploads on the store: create, append, complete, cancel, sweep (rules: resumable.py).

Every staged byte is ciphertext under the upload's data key, which the record holds wrapped by
the hearing key, so crypto-shredding a hearing also makes its unfinished uploads unreadable.
Completion copies the staged segments into the content object behind the header, opening each
one on the way (a staged part changed in the store fails there, before anything is committed)
to compute the plaintext SHA-256, and then commits through `Vault.commit_version`, the same
commit point as a one-shot upload.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from datetime import datetime

from parley.failures import note_failure
from proto.evidence import Manifest
from proto.principal import Principal
from services.evidence import keys as k
from services.evidence.errors import (
    EmptyDocumentError,
    HearingShreddedError,
    IntegrityError,
    ObjectNotFoundError,
    SizeMismatchError,
    StoreError,
    TooManyUploadsError,
    UploadNotFoundError,
)
from services.evidence.format import SegmentCipher, plan_range
from services.evidence.hashing import Hashing
from services.evidence.resumable import (
    RECORD,
    AppendSealer,
    Part,
    UploadRecord,
    chain,
    offset_of,
    open_record,
    part_key,
    seal_record,
    upload_prefix,
)
from services.evidence.store.base import ObjectStore, one_chunk
from services.evidence.stream import RangeDecryptor
from services.evidence.vault import Vault

log = logging.getLogger("parley.evidence.staging")


class StagedUploads:
    def __init__(self, vault: Vault, *, max_per_hearing: int, clock: Callable[[], int]) -> None:
        self.vault = vault
        self.store: ObjectStore = vault.store
        self.max_per_hearing = max_per_hearing
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}

    def lock(self, upload: str) -> asyncio.Lock:
        """One append, completion or cancellation at a time per upload (in this instance)."""
        if len(self._locks) > 10_000:  # forget idle locks; a held one is kept
            self._locks = {u: lk for u, lk in self._locks.items() if lk.locked()}
        return self._locks.setdefault(upload, asyncio.Lock())

    async def in_progress(self, hearing: str) -> int:
        return sum(i.key.endswith("/" + RECORD)
                   for i in await self.store.list(upload_prefix(hearing)))

    async def create(self, *, hearing: str, compartment: str, filename: str, length: int,
                     content_type: str, owner: str, principal: Principal) -> UploadRecord:
        """Check everything a one-shot upload checks, then write the record. No byte yet."""
        if length == 0:
            raise EmptyDocumentError("the file is empty")
        self.vault.check_size(length)
        if await self.in_progress(hearing) >= self.max_per_hearing:
            raise TooManyUploadsError("the hearing has too many uploads in progress")
        slot = await self.vault.new_version(hearing, compartment, filename, owner)
        data_key, key_id = k.new_key(), k.new_key_id()
        cipher = SegmentCipher.create(data_key, key_id, segment_size=slot.segment_size)
        record = UploadRecord(
            upload=secrets.token_urlsafe(16), hearing=hearing, compartment=compartment,
            filename=filename, content_type=content_type[:200], owner=owner, length=length,
            principal_kind=principal.kind.value, principal_id=principal.id,
            session=principal.session, document=slot.document, version=slot.version,
            segment_size=slot.segment_size, header=cipher.header_bytes, key_id=key_id.hex(),
            hearing_key_id=slot.hearing_key_id, created_ms=self._clock(),
            wrapped_data_key=k.wrap_data_key(slot.hearing_key, data_key, hearing=hearing,
                                             document=slot.document, version=slot.version,
                                             key_id=key_id))
        await self.store.put(upload_prefix(hearing, record.upload) + RECORD,
                             one_chunk(seal_record(slot.hearing_key, record)), if_absent=True)
        return record

    async def open(self, hearing: str, upload: str,
                   principal: Principal) -> tuple[UploadRecord, list[Part], datetime]:
        """The caller's upload, its contiguous parts and its last activity. Another session's
        upload, an unknown one and one whose record fails authentication look the same."""
        try:
            infos = await self.store.list(upload_prefix(hearing, upload))
            raw = await self.store.read(upload_prefix(hearing, upload) + RECORD)
            _, hearing_key = await self.vault.hearing_keys.get(hearing, create=False)
            record = open_record(hearing_key, raw, hearing=hearing, upload=upload)
        except (ObjectNotFoundError, HearingShreddedError, IntegrityError):
            raise UploadNotFoundError("no such upload") from None
        if not record.belongs_to(principal):
            raise UploadNotFoundError("no such upload")
        parts = chain([(i.key, int(i.key.rsplit("/", 1)[1].removesuffix(".part"), 16), i.size)
                       for i in infos if i.key.endswith(".part")],
                      record.segment_size, record.length)
        return record, parts, max(i.modified for i in infos)

    async def _cipher(self, record: UploadRecord) -> SegmentCipher:
        _, hearing_key = await self.vault.hearing_keys.get(record.hearing, create=False)
        key_id = bytes.fromhex(record.key_id)
        data_key = k.unwrap_data_key(hearing_key, record.wrapped_data_key,
                                     hearing=record.hearing, document=record.document,
                                     version=record.version, key_id=key_id)
        return SegmentCipher.open_header(data_key, record.header, key_id)

    async def append(self, record: UploadRecord, parts: list[Part],
                     chunks: AsyncIterable[bytes]) -> list[Part]:
        """Seal and stage the bytes from the current offset; return the parts after it.

        The source ending early or breaking (a cut connection) is not an error here: every
        whole segment that arrived is kept. Bytes beyond the declared length are
        (SizeMismatchError), and then this append keeps nothing."""
        start = offset_of(parts)
        if start == record.length:
            return parts
        sealer = AppendSealer(await self._cipher(record), start, record.length)

        async def sealed() -> AsyncIterator[bytes]:
            source = aiter(chunks)
            while True:
                try:
                    chunk = await anext(source)
                except StopAsyncIteration:
                    return
                except SizeMismatchError:
                    raise
                except Exception as exc:  # the client went away: keep what was sealed
                    note_failure(log, "evidence.append.body", exc, level=logging.INFO)
                    return
                out = sealer.update(chunk)
                if out:
                    yield out

        key = part_key(record.hearing, record.upload, start)
        await self.store.put(key, sealed())
        if sealer.sealed_end == start:
            with contextlib.suppress(StoreError):
                await self.store.delete(key)
            return parts
        return [*parts, Part(key, start, sealer.sealed_end)]

    async def complete(self, record: UploadRecord, parts: list[Part], *, uploaded_by: str,
                       before_commit: Callable[[Manifest], Awaitable[None]] | None = None,
                       ) -> Manifest:
        """Copy the staged segments into the content object and commit the manifest."""
        if offset_of(parts) != record.length:
            raise SizeMismatchError("the upload is not complete")
        slot = await self.vault.new_version(record.hearing, record.compartment, record.filename,
                                            record.owner, version=record.version)
        if slot.document != record.document:
            raise IntegrityError("the upload no longer matches its document")
        cipher = await self._cipher(record)
        opener = RangeDecryptor(cipher, plan_range(record.length, 0, record.length,
                                                   record.segment_size), record.length)
        digest, ct_digest = hashlib.sha256(), hashlib.sha256(record.header)
        hashing = Hashing()

        async def assembled() -> AsyncIterator[bytes]:
            yield record.header
            try:
                for part in parts:
                    async for chunk in self.store.get(part.key):
                        plain = opener.update(chunk)  # authenticates what was staged
                        await hashing.feed((digest, plain), (ct_digest, chunk))
                        yield chunk
                opener.finalize()
                await hashing.wait()
            finally:
                await hashing.settle()

        info = await self.store.put(slot.content_key, assembled(), retain=True)
        manifest = await self.vault.commit_version(
            slot, filename=record.filename, content_type=record.content_type,
            compartment=record.compartment, owner=record.owner, uploaded_by=uploaded_by,
            size=record.length, sha256=digest.hexdigest(),
            ciphertext_sha256=ct_digest.hexdigest(), content=info,
            key_id=bytes.fromhex(record.key_id), wrapped_data_key=record.wrapped_data_key,
            before_commit=before_commit)
        await self.discard(record.hearing, record.upload)
        return manifest

    async def discard(self, hearing: str, upload: str) -> None:
        """Delete every staged object of an upload (parts first, the record last)."""
        infos = await self.store.list(upload_prefix(hearing, upload))
        for info in sorted(infos, key=lambda i: i.key.endswith("/" + RECORD)):
            with contextlib.suppress(StoreError):
                await self.store.delete(info.key)
        self._locks.pop(upload, None)


def expires_ms(last_activity: datetime, idle_s: float) -> int:
    return int((last_activity.timestamp() + idle_s) * 1000)

