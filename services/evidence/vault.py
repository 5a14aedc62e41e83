"""The evidence core: store + key hierarchy + segment format, no network (DESIGN §6).

Object layout in the store:
    keys/<hearing>                              hearing key record (wrapped by the master key)
    docs/<hearing>/<document>/<version>.content ciphertext (format.py), put with retention
    docs/<hearing>/<document>/<version>.manifest the commit point: written last, create-if-absent

Upload lifecycle (the rules):
    1. the body is encrypted as it arrives and streamed into `.content`;
    2. more bytes than declared, or fewer at the end, abort the put: nothing is visible;
    3. only when the content is committed is the manifest written; a document version exists
       iff its manifest exists, so a crash anywhere before leaves at most an orphan `.content`,
       which `sweep` removes once older than the cut-off.

Access decisions are not made here (see access.py); the vault still refuses a narrowing release.
Compartment checks, audit events and limits on who asks are the service's job.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import secrets
import time
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from proto.evidence import Manifest, decode_manifest, encode
from services.evidence import keys as k
from services.evidence.access import Compartment, check_widening
from services.evidence.errors import (
    ConflictError,
    DocumentNotFoundError,
    IntegrityError,
    InvalidRangeError,
    ObjectNotFoundError,
    SizeMismatchError,
    StoreError,
    TooLargeError,
    TooManyDocumentsError,
    UploadError,
)
from services.evidence.format import HEADER_LEN, SEGMENT_SIZE, SegmentCipher, ciphertext_size
from services.evidence.format import plan_range as _plan_range
from services.evidence.hearing_keys import HearingKeys
from services.evidence.names import escape_original, sanitize_filename
from services.evidence.store.base import ObjectStore, one_chunk
from services.evidence.stream import Encryptor, RangeDecryptor
from services.evidence.sweeper import sweep_store


@dataclass(frozen=True)
class VersionSlot:
    """A document version about to be written: its ids, and the hearing key that wraps it."""

    hearing: str
    document: str
    version: str
    name: str
    hearing_key: bytes
    hearing_key_id: str
    segment_size: int

    @property
    def content_key(self) -> str:
        return f"{_doc_prefix(self.hearing, self.document)}{self.version}.content"


@dataclass(frozen=True)
class Limits:
    max_document_size: int = 2 * 1024**3
    max_documents_per_hearing: int = 1000
    segment_size: int = SEGMENT_SIZE
    #: Chunks at least this large are hashed and sealed/opened in a worker thread (0 = never).
    #: Off by default, as measured: `cryptography`'s AES-GCM keeps the GIL while it works, so a
    #: thread adds hand-offs without adding parallelism (benchmarks/evidence_throughput.py).
    offload_bytes: int = 0


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _doc_prefix(hearing: str, document: str | None = None) -> str:
    return f"docs/{hearing}/" if document is None else f"docs/{hearing}/{document}/"


HASH_IN_THREAD_BYTES = 64 * 1024


def _seal_chunk(digest: Any, encryptor: Encryptor, chunk: bytes) -> bytes:
    digest.update(chunk)
    return encryptor.update(chunk)


def _open_chunk(digest: Any, decryptor: RangeDecryptor, chunk: bytes) -> bytes:
    out = decryptor.update(chunk)
    if digest is not None and out:
        digest.update(out)
    return out


class Vault:
    def __init__(self, store: ObjectStore, keys: k.KeyProvider, *, limits: Limits | None = None,
                 clock: Callable[[], int] = now_ms) -> None:
        self.store = store
        self.keys = keys
        self.limits = limits or Limits()
        self._clock = clock
        self.hearing_keys = HearingKeys(store, keys, clock)

    @staticmethod
    def _document_id(hearing_key: bytes, owner: str, filename: str) -> str:
        """Stable per (owner, name) so a re-upload is a new version, yet unguessable without
        the hearing key: a document id never lets anyone test guesses of a confidential name."""
        mac = hmac.new(hearing_key, b"parley/document-id/v1\x00" + owner.encode() + b"\x00"
                       + filename.encode(), hashlib.sha256).digest()
        return base64.b32encode(mac[:20]).decode().lower()

    async def _crunch(self, work: Callable[[Any, Any, bytes], bytes], digest: Any, codec: Any,
                      chunk: bytes) -> bytes:
        if self.limits.offload_bytes and len(chunk) >= self.limits.offload_bytes:
            return await asyncio.to_thread(work, digest, codec, chunk)
        return work(digest, codec, chunk)

    # -- manifests ----------------------------------------------------------------------------

    async def _manifests(self, prefix: str) -> list[Manifest]:
        found = []
        for info in await self.store.list(prefix):
            if info.key.endswith(".manifest"):
                try:
                    found.append(decode_manifest(await self.store.read(info.key)))
                except ObjectNotFoundError:
                    continue  # deleted while listing
                except msgspec.DecodeError as exc:
                    raise IntegrityError("manifest is malformed") from exc
        return found

    async def versions(self, hearing: str, document: str) -> list[Manifest]:
        """Every version of a document, oldest first (version ids sort by time)."""
        return sorted(await self._manifests(_doc_prefix(hearing, document)),
                      key=lambda m: m.version)

    async def list(self, hearing: str) -> list[Manifest]:
        """The latest version of every document of the hearing, by name."""
        latest: dict[str, Manifest] = {}
        for manifest in await self._manifests(_doc_prefix(hearing)):
            have = latest.get(manifest.document)
            if have is None or manifest.version > have.version:
                latest[manifest.document] = manifest
        return sorted(latest.values(), key=lambda m: (m.filename, m.document))

    async def manifest(self, hearing: str, document: str, version: str | None = None) -> Manifest:
        versions = await self.versions(hearing, document)
        for manifest in reversed(versions):
            if version is None or manifest.version == version:
                return manifest
        raise DocumentNotFoundError("no such document")

    # -- upload -------------------------------------------------------------------------------

    def check_size(self, declared_size: int) -> None:
        if declared_size < 0:
            raise SizeMismatchError("declared size is negative")
        if declared_size > self.limits.max_document_size:
            raise TooLargeError("document exceeds the maximum size")

    def check_count(self, versions: int) -> None:
        if versions >= self.limits.max_documents_per_hearing:
            raise TooManyDocumentsError("the hearing has reached its document limit")

    async def version_count(self, hearing: str) -> int:
        """Committed document versions of the hearing (what the per-hearing limit counts)."""
        return sum(i.key.endswith(".manifest") for i in await self.store.list(_doc_prefix(hearing)))

    async def upload(self, hearing: str, compartment: str, filename: str, declared_size: int,
                     chunks: AsyncIterable[bytes], *, owner: str, uploaded_by: str,
                     content_type: str = "application/octet-stream",
                     before_commit: Callable[[Manifest], Awaitable[None]] | None = None,
                     ) -> Manifest:
        """Encrypt and store a document version; return its manifest once committed.

        `before_commit` runs once the content is stored and before the manifest is written (the
        service audits there): if it raises, nothing is committed and the content is removed.
        """
        self.check_size(declared_size)
        slot = await self.new_version(hearing, compartment, filename, owner)
        data_key, key_id = k.new_key(), k.new_key_id()
        encryptor = Encryptor(data_key, key_id, segment_size=self.limits.segment_size)
        digest = hashlib.sha256()

        async def sealed() -> AsyncIterator[bytes]:
            received = 0
            loop = asyncio.get_running_loop()
            hashing: asyncio.Future[None] | None = None
            try:
                async for chunk in chunks:
                    received += len(chunk)
                    if received > declared_size:
                        raise SizeMismatchError("body is longer than the declared size")
                    if len(chunk) >= HASH_IN_THREAD_BYTES and not self.limits.offload_bytes:
                        # hashlib lets go of the GIL: hash on another core while the loop
                        # encrypts this chunk and receives the next (in order: one at a time).
                        if hashing is not None:
                            await hashing
                        hashing = loop.run_in_executor(None, digest.update, chunk)
                        out = encryptor.update(chunk)
                    else:
                        if hashing is not None:
                            await hashing
                            hashing = None
                        out = await self._crunch(_seal_chunk, digest, encryptor, chunk)
                    if out:
                        yield out
                if hashing is not None:
                    await hashing
                    hashing = None
            finally:
                if hashing is not None:  # cut short: the digest is dropped, let the thread end
                    await asyncio.shield(hashing)
            if received != declared_size:
                raise SizeMismatchError("body is shorter than the declared size")
            yield encryptor.finalize()

        content_key = slot.content_key
        info = await self.store.put(content_key, sealed(), retain=True)
        return await self.commit_version(
            slot, filename=filename, content_type=content_type, compartment=compartment,
            owner=owner, uploaded_by=uploaded_by, size=declared_size,
            sha256=digest.hexdigest(), stored_size=info.size, key_id=key_id,
            wrapped_data_key=k.wrap_data_key(slot.hearing_key, data_key, hearing=hearing,
                                             document=slot.document, version=slot.version,
                                             key_id=key_id),
            before_commit=before_commit)

    async def new_version(self, hearing: str, compartment: str, filename: str, owner: str,
                          *, version: str | None = None) -> VersionSlot:
        """Where the next version of (owner, name) goes, after the checks every upload makes:
        the owner may own that compartment, the name is sane, no same-named document sits in
        another compartment, and the hearing is under its document limit. `version` reuses
        the version a resumable upload fixed at its creation (its data key is bound to it)."""
        place = Compartment.parse(compartment)
        if (place.side is not None and owner != f"side:{place.side}") or (
                place.kind == "mediator" and owner != "mediator"):
            raise UploadError("a side or mediator compartment is owned by that side or mediator")
        name = sanitize_filename(filename)
        record, hearing_key = await self.hearing_keys.get(hearing, create=True)
        document = self._document_id(hearing_key, owner, name)
        existing = await self.versions(hearing, document)
        if existing and existing[-1].compartment != compartment:
            raise ConflictError("a document of that name exists in another compartment")
        self.check_count(await self.version_count(hearing))
        version = version or f"{self._clock():012x}{secrets.token_hex(6)}"
        return VersionSlot(hearing=hearing, document=document, version=version, name=name,
                           hearing_key=hearing_key, hearing_key_id=record.key_id,
                           segment_size=self.limits.segment_size)

    async def commit_version(self, slot: VersionSlot, *, filename: str, content_type: str,
                             compartment: str, owner: str, uploaded_by: str, size: int,
                             sha256: str, stored_size: int, key_id: bytes,
                             wrapped_data_key: bytes,
                             before_commit: Callable[[Manifest], Awaitable[None]] | None,
                             ) -> Manifest:
        """The commit point, for one-shot and resumable uploads alike: once `slot.content_key`
        holds the content, write the manifest (create-if-absent). On any failure the content
        is removed (or left as an orphan for the sweeper) and nothing becomes visible."""
        expected = ciphertext_size(size, slot.segment_size)
        manifest = Manifest(
            hearing=slot.hearing, document=slot.document, version=slot.version,
            filename=slot.name, original_filename=escape_original(filename),
            content_type=content_type[:200], compartment=compartment, owner=owner,
            uploaded_by=uploaded_by, size=size, sha256=sha256, created_ms=self._clock(),
            ciphertext_size=expected, segment_size=slot.segment_size, key_id=key_id.hex(),
            hearing_key_id=slot.hearing_key_id, wrapped_data_key=wrapped_data_key)
        try:
            if stored_size != expected:
                raise StoreError("stored content has an unexpected size")
            if before_commit is not None:
                await before_commit(manifest)
            await self.store.put(f"{_doc_prefix(slot.hearing, slot.document)}{slot.version}"
                                 ".manifest", one_chunk(encode(manifest)), if_absent=True)
        except BaseException:
            with contextlib.suppress(StoreError):  # else an orphan, which `sweep` removes
                await self.store.delete(slot.content_key)
            raise
        return manifest

    # -- download -----------------------------------------------------------------------------

    async def open_range(self, manifest: Manifest, start: int = 0,
                         end: int | None = None) -> AsyncGenerator[bytes, None]:
        """Yield plaintext [start, end) of one version, decrypting only the segments it covers.

        Every yielded byte has been authenticated. A whole-document read also checks the
        plaintext SHA-256 against the manifest before its last bytes are yielded. Any failure
        raises IntegrityError (or HearingShreddedError) and the stream stops.
        """
        end = manifest.size if end is None else end
        if not 0 <= start <= end <= manifest.size:
            raise InvalidRangeError("range outside the document")
        record, hearing_key = await self.hearing_keys.get(manifest.hearing, create=False)
        if record.key_id != manifest.hearing_key_id:
            raise IntegrityError("manifest belongs to another hearing key")
        key_id = bytes.fromhex(manifest.key_id)
        data_key = k.unwrap_data_key(hearing_key, manifest.wrapped_data_key,
                                     hearing=manifest.hearing, document=manifest.document,
                                     version=manifest.version, key_id=key_id)
        plan = _plan_range(manifest.size, start, end, manifest.segment_size)
        content_key = f"{_doc_prefix(manifest.hearing, manifest.document)}{manifest.version}.content"
        whole = start == 0 and end == manifest.size
        if whole and (await self.store.stat(content_key)).size != manifest.ciphertext_size:
            raise IntegrityError("stored content has the wrong length")
        header = b"".join([c async for c in self.store.get(content_key, 0, HEADER_LEN)])
        cipher = SegmentCipher.open_header(data_key, header, key_id)
        decryptor = RangeDecryptor(cipher, plan, manifest.size)
        digest = hashlib.sha256() if whole else None
        loop = asyncio.get_running_loop()
        hashing: asyncio.Future[None] | None = None
        held: bytes = b""
        try:
            async for chunk in self.store.get(content_key, plan.ct_start, plan.ct_end):
                out = await self._crunch(_open_chunk, None, decryptor, chunk)
                if not out:
                    continue
                if held:
                    yield held
                held = out
                if digest is not None:
                    # hashlib lets go of the GIL: hash this chunk on another core while the
                    # loop sends the previous one and decrypts the next (in order: one at a time).
                    if hashing is not None:
                        await hashing
                    hashing = loop.run_in_executor(None, digest.update, out)
            decryptor.finalize()
            if hashing is not None:
                await hashing
                hashing = None
        finally:
            if hashing is not None:  # cut short: let the hash finish before the digest goes
                await asyncio.shield(hashing)
        if digest is not None and not hmac.compare_digest(digest.hexdigest(), manifest.sha256):
            raise IntegrityError("plaintext digest does not match the manifest")
        if held:
            yield held

    # -- release, shredding, rotation, sweeping ---------------------------------------------

    async def release(self, hearing: str, document: str, to: str, *, by: str) -> Manifest:
        """Widen every version of a document to `to` (never narrows). Returns the latest."""
        versions = await self.versions(hearing, document)
        if not versions:
            raise DocumentNotFoundError("no such document")
        check_widening(Compartment.parse(versions[-1].compartment), Compartment.parse(to))
        when = self._clock()
        updated = []
        for manifest in versions:
            new = msgspec.structs.replace(manifest, compartment=to, released_ms=when,
                                          released_by=by)
            key = f"{_doc_prefix(hearing, document)}{manifest.version}.manifest"
            await self.store.put(key, one_chunk(encode(new)))
            updated.append(new)
        return updated[-1]

    async def shred_hearing(self, hearing: str) -> int:
        """Crypto-shred a hearing (see `HearingKeys.shred`); returns versions made unreadable."""
        await self.hearing_keys.shred(hearing)
        count = 0
        staged = await self.store.list(f"uploads/{hearing}/")  # unfinished uploads too
        for info in [*await self.store.list(_doc_prefix(hearing)), *staged]:
            count += info.key.endswith(".manifest")
            with contextlib.suppress(StoreError):  # retained (WORM) content stays, unreadable
                await self.store.delete(info.key)
        return count

    async def rotate_master(self) -> int:
        """Re-wrap every hearing key under a new master key; content is not touched."""
        return await self.hearing_keys.rotate_master()

    async def sweep(self, older_than: timedelta) -> int:
        """Remove staged leftovers and orphan content older than `older_than` (sweeper.py)."""
        return await sweep_store(self.store, datetime.now(UTC) - older_than)
