"""Resumable uploads on the store: create, append, complete, cancel, sweep (rules: resumable.py).

Every staged byte is ciphertext under the upload's data key, which the record holds wrapped by
the hearing key, so crypto-shredding a hearing also makes its unfinished uploads unreadable.
Each append is sealed and staged part by part (assembly.py), hashing the plaintext and the
ciphertext on the way (`Running`, kept per upload in this process); completion assembles the
content object from the staged parts (assembly.py) and commits it through
`Vault.commit_version`, the same commit point as a one-shot upload. If appends raced at one
offset (a staged range outside the chain), the chain's plaintext is sealed afresh and
committed as a one-shot upload instead (`_resealed`; FORMAT.md §7 says why).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable

from parley.failures import note_failure
from proto.evidence import Manifest
from proto.principal import Principal
from services.evidence import keys as k
from services.evidence.assembly import assemble, opened, stage
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
from services.evidence.format import SegmentCipher, ciphertext_size, tags_in
from services.evidence.hashing import Hashing
from services.evidence.resumable import (
    PART_BYTES,
    RECORD,
    AppendSealer,
    Part,
    Running,
    UploadRecord,
    chain,
    offset_of,
    open_record,
    seal_record,
    staged_at,
    staged_span,
    upload_prefix,
)
from services.evidence.store.base import ObjectStore, one_chunk
from services.evidence.vault import Vault

log = logging.getLogger("parley.evidence.staging")

#: Uploads whose running digests a process keeps (the least recently appended go first).
RUNNING_KEPT = 1024


class _Body:
    """An append's body, read piece by piece across the parts it fills. It ends at its end or
    when the client goes away: a cut is no error (every whole segment that arrived is kept).
    SizeMismatchError (more bytes than the upload's length) passes through."""

    def __init__(self, chunks: AsyncIterable[bytes]) -> None:
        self._source = aiter(chunks)
        self.ended = False

    async def next(self) -> bytes | None:
        if self.ended:
            return None
        try:
            return await anext(self._source)
        except StopAsyncIteration:
            pass
        except SizeMismatchError:
            raise
        except Exception as exc:  # the client went away: keep what was sealed
            note_failure(log, "evidence.append.body", exc, level=logging.INFO)
        self.ended = True
        return None


class StagedUploads:
    def __init__(self, vault: Vault, *, max_per_hearing: int, clock: Callable[[], int]) -> None:
        self.vault = vault
        self.store: ObjectStore = vault.store
        self.max_per_hearing = max_per_hearing
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}
        self._running: OrderedDict[str, Running] = OrderedDict()

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
            raise TooManyUploadsError("the hearing has too many uploads in progress",
                                      reason="uploads_limit")
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
                   principal: Principal) -> tuple[UploadRecord, list[Part], int]:
        """The caller's upload, its contiguous parts and its last activity (epoch ms, the
        store's time of its latest object). Another session's upload, an unknown one and one
        whose record fails authentication look the same."""
        try:
            infos = await self.store.list(upload_prefix(hearing, upload))
            raw = await self.store.read(upload_prefix(hearing, upload) + RECORD)
            _, hearing_key = await self.vault.hearing_keys.get(hearing, create=False)
            record = open_record(hearing_key, raw, hearing=hearing, upload=upload)
        except (ObjectNotFoundError, HearingShreddedError, IntegrityError):
            raise UploadNotFoundError("no such upload") from None
        if not record.belongs_to(principal):
            raise UploadNotFoundError("no such upload")
        parts = chain([(i.key, span[0], i.size if span[1] is None else span[1])
                       for i in infos if (span := staged_span(i.key)) is not None],
                      record.segment_size, record.length)
        return record, parts, max(i.modified_ms for i in infos)

    async def _cipher(self, record: UploadRecord) -> SegmentCipher:
        _, hearing_key = await self.vault.hearing_keys.get(record.hearing, create=False)
        key_id = bytes.fromhex(record.key_id)
        data_key = k.unwrap_data_key(hearing_key, record.wrapped_data_key,
                                     hearing=record.hearing, document=record.document,
                                     version=record.version, key_id=key_id)
        return SegmentCipher.open_header(data_key, record.header, key_id)

    def _running_for(self, record: UploadRecord, parts: list[Part]) -> Running | None:
        """Digests to extend with the next parts: none if this process did not stage `parts`."""
        kept = self._running.get(record.upload)
        if kept is not None and kept.parts == tuple(parts):
            return kept.extended()
        return Running.start(record.header) if not parts else None

    def _keep(self, upload: str, running: Running) -> None:
        self._running[upload] = running
        self._running.move_to_end(upload)
        while len(self._running) > RUNNING_KEPT:
            self._running.popitem(last=False)

    async def append(self, record: UploadRecord, parts: list[Part],
                     chunks: AsyncIterable[bytes]) -> list[Part]:
        """Seal and stage the bytes from the current offset, a part of about PART_BYTES at a
        time (assembly.stage); return the parts after it.

        The source ending early or breaking (a cut connection) is not an error here: every
        whole segment that arrived is kept. Bytes beyond the declared length are
        (SizeMismatchError), and then the part being written is dropped."""
        if offset_of(parts) == record.length:
            return parts
        sealer = AppendSealer(await self._cipher(record), offset_of(parts), record.length)
        body = _Body(chunks)
        running = self._running_for(record, parts)
        hashing = Hashing()
        try:
            while (first := await body.next()) is not None:
                begin = sealer.sealed_end
                key = await stage(self.store, record, begin,
                                  self._sealed_part(first, body, sealer, running, hashing,
                                                    record),
                                  lambda: sealer.sealed_end)
                if key is None:  # not one whole segment arrived
                    break
                parts = [*parts, Part(key, begin, sealer.sealed_end)]
                if running is not None:
                    await hashing.wait()
                    self._keep(record.upload, running.over(tuple(parts)))
                    running = self._running[record.upload].extended()
        finally:
            await hashing.settle()
        return parts

    @staticmethod
    async def _sealed_part(first: bytes, body: _Body, sealer: AppendSealer,
                           running: Running | None, hashing: Hashing,
                           record: UploadRecord) -> AsyncIterator[bytes]:
        """The sealed bytes of one part: from `first` on, until about PART_BYTES are out or the
        body ends; each piece's plaintext, ciphertext and tags hashed into `running` on the
        way."""
        staged = 0
        chunk: bytes | None = first
        seg = record.segment_size
        total = ciphertext_size(record.length, seg)
        while chunk is not None:
            at = staged_at(sealer.sealed_end, seg)
            out = sealer.update(chunk)
            if running is not None:
                await hashing.feed((running.plain, sealer.sealed_plain), (running.cipher, out),
                                   (running.tags, tags_in(out, at, seg, total)))
            if out:
                staged += len(out)
                yield out
            chunk = await body.next() if staged < PART_BYTES else None

    async def complete(self, record: UploadRecord, parts: list[Part], *, uploaded_by: str,
                       before_commit: Callable[[Manifest], Awaitable[None]] | None = None,
                       ) -> Manifest:
        """Assemble the staged segments into the content object and commit the manifest."""
        if offset_of(parts) != record.length:
            raise SizeMismatchError("the upload is not complete")
        if await self._sealed_twice(record, parts):  # Vault.upload places the new version
            manifest = await self._resealed(record, parts, uploaded_by, before_commit)
            await self.discard(record.hearing, record.upload)
            return manifest
        slot = await self.vault.new_version(record.hearing, record.compartment, record.filename,
                                            record.owner, version=record.version)
        if slot.document != record.document:
            raise IntegrityError("the upload no longer matches its document")
        running = self._running.pop(record.upload, None)
        if running is not None and running.parts != tuple(parts):
            running = None
        try:
            info, digests = await assemble(self.store, record, parts, running,
                                           await self._cipher(record), slot.content_key)
            manifest = await self.vault.commit_version(
                slot, filename=record.filename, content_type=record.content_type,
                compartment=record.compartment, owner=record.owner, uploaded_by=uploaded_by,
                size=record.length, sha256=digests.sha256,
                ciphertext_sha256=digests.ciphertext_sha256, content=info,
                key_id=bytes.fromhex(record.key_id), wrapped_data_key=record.wrapped_data_key,
                before_commit=before_commit)
        except IntegrityError:
            raise  # the digests go: a retry opens every segment
        except BaseException:  # nothing committed, the staged bytes intact: a retry may finish
            if running is not None:
                self._keep(record.upload, running)
            raise
        await self.discard(record.hearing, record.upload)
        return manifest

    async def _sealed_twice(self, record: UploadRecord, parts: list[Part]) -> bool:
        """Whether a staged range outside the chain exists: appends raced at one offset (two
        evidence processes), so some segments were sealed twice under the upload's key."""
        chained = {part.key for part in parts}
        return any(staged_span(i.key) is not None and i.key not in chained
                   for i in await self.store.list(upload_prefix(record.hearing, record.upload)))

    async def _resealed(self, record: UploadRecord, parts: list[Part], uploaded_by: str,
                        before_commit: Callable[[Manifest], Awaitable[None]] | None,
                        ) -> Manifest:
        """Commit the chain's plaintext as a one-shot upload would: under a fresh data key,
        each segment sealed once (`sealed_once`). Two sealings of one segment under one key
        and nonce can give away the GCM hash key to whoever holds both (the store's
        operator), who could then forge that segment; content sealed afresh leaves those
        sealings pinning nothing."""
        plaintext = opened(self.store, record, parts, await self._cipher(record))
        return await self.vault.upload(
            record.hearing, record.compartment, record.filename, record.length, plaintext,
            owner=record.owner, uploaded_by=uploaded_by, content_type=record.content_type,
            before_commit=before_commit)

    async def discard(self, hearing: str, upload: str) -> None:
        """Delete every staged object of an upload (parts first, the record last)."""
        infos = await self.store.list(upload_prefix(hearing, upload))
        for info in sorted(infos, key=lambda i: i.key.endswith("/" + RECORD)):
            with contextlib.suppress(StoreError):
                await self.store.delete(info.key)
        self._locks.pop(upload, None)
        self._running.pop(upload, None)


def expires_ms(last_activity_ms: int, idle_s: float) -> int:
    """When an upload last active at `last_activity_ms` is swept (epoch milliseconds, kept as
    integers: upload_decisions.py says why)."""
    return last_activity_ms + int(idle_s * 1000)

