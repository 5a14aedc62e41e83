"""The evidence core: store + key hierarchy + segment format, no network (DESIGN §6).

Longer than 300 lines on purpose: one class owns the object layout below, and upload, release,
shred and rotation all read and write it; the streaming work of an upload is its own method
(`_sealed`), apart from the commit rule (`commit`). Reading a version's content back is
reading.py's (`Vault.reads`), reading manifests manifest_store.py's, their format manifest.py's.

Object layout in the store:
    keys/<hearing>                              hearing key record (wrapped by the master key;
                                                in `key_store`, which may be another bucket)
    docs/<hearing>/<document>/<version>.content ciphertext (format.py), put with retention
    docs/<hearing>/<document>/<version>.manifest the commit point, sealed (manifest.py): written
                                                last, create-if-absent, pinning the content

Upload lifecycle (the rules):
    1. the body is encrypted as it arrives and streamed into `.content`;
    2. more bytes than declared, or fewer at the end, abort the put: nothing is visible;
    3. only when the content is committed is the manifest written (`commit`); a document
       version exists iff its manifest exists, so a crash anywhere before leaves at most an
       orphan `.content`, which the sweeper removes once it has seen it orphaned for its age
       limit; a manifest's write begins within half that limit of its content being stored,
       or not at all (`commit`; sweeper.py says why the two halves keep a commit safe).

A manifest is used only if it authenticates (manifest_store.py); what does not is reported
(`Listing.rejected`, `Found.rejected`) for the service to audit, and never breaks a listing.

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
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from parley.futures import retrieved
from parley.instants import now_ms
from proto.evidence import Manifest
from services.evidence import keys as k
from services.evidence import manifest_store as manifests
from services.evidence.access import Compartment, check_widening
from services.evidence.errors import (
    ConflictError,
    DocumentNotFoundError,
    HearingShreddedError,
    ManifestError,
    SizeMismatchError,
    StoreError,
    TooLargeError,
    TooManyDocumentsError,
    UploadError,
)
from services.evidence.format import (
    SEGMENT_SIZE,
    ciphertext_size,
)
from services.evidence.hashing import Hashing
from services.evidence.hearing_keys import HearingKeys
from services.evidence.manifest import manifest_key
from services.evidence.names import escape_original, sanitize_filename
from services.evidence.reading import Reading
from services.evidence.store.base import ObjectInfo, ObjectStore
from services.evidence.stream import Encryptor


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
        return f"{manifests.doc_prefix(self.hearing, self.document)}{self.version}.content"


@dataclass(frozen=True)
class Limits:
    max_document_size: int = 2 * 1024**3
    max_documents_per_hearing: int = 1000
    segment_size: int = SEGMENT_SIZE
    #: Chunks at least this large are hashed and sealed/opened in a worker thread (0 = never).
    #: Off by default, as measured: `cryptography`'s AES-GCM keeps the GIL while it works, so a
    #: thread adds hand-offs without adding parallelism (benchmarks/evidence_throughput.py).
    offload_bytes: int = 0
    #: A manifest's write begins within this long (ms) of its content being stored, or the
    #: upload is given up: half the sweeper's age limit (sweeper.py), which the service sets.
    commit_within_ms: int = 30 * 60 * 1000


Manifests = list[Manifest]


@dataclass(frozen=True)
class Listing:
    documents: list[Manifest]
    rejected: list[manifests.Rejected]
    #: document id → every authentic version of it, oldest first (each carries its own
    #: compartment: who may count a version is decided on it, as for reading it)
    history: dict[str, list[Manifest]]


@dataclass(frozen=True)
class Found:
    manifest: Manifest | None
    rejected: list[manifests.Rejected]
    #: every authentic version of the document, oldest first (whichever was asked for)
    versions: list[Manifest]


class Vault:
    def __init__(self, store: ObjectStore, keys: k.KeyProvider, *, limits: Limits | None = None,
                 clock: Callable[[], int] = now_ms, key_store: ObjectStore | None = None) -> None:
        """`key_store` holds the hearing key records (default: `store`); see hearing_keys.py."""
        self.store = store
        self.key_store = key_store or store
        self.keys = keys
        self.limits = limits or Limits()
        self._clock = clock
        self.hearing_keys = HearingKeys(self.key_store, keys, clock)
        #: The read side: versions back as authenticated plaintext (reading.py).
        self.reads = Reading(store, self.hearing_keys, offload_bytes=self.limits.offload_bytes)

    @staticmethod
    def _document_id(hearing_key: bytes, owner: str, filename: str) -> str:
        """Stable per (owner, name) so a re-upload is a new version, yet unguessable without
        the hearing key: a document id never lets anyone test guesses of a confidential name."""
        mac = hmac.new(hearing_key, b"parley/document-id/v1\x00" + owner.encode() + b"\x00"
                       + filename.encode(), hashlib.sha256).digest()
        return base64.b32encode(mac[:20]).decode().lower()

    # -- manifests ----------------------------------------------------------------------------

    async def _key_ref(self, hearing: str) -> tuple[manifests.HearingKeyRef, bytes]:
        record, hearing_key = await self.hearing_keys.get(hearing, create=False)
        return manifests.HearingKeyRef(record.key_id, manifest_key(hearing_key)), hearing_key

    async def _scan(self, hearing: str, document: str | None = None) -> manifests.Scan:
        """A hearing without a key (never used) or with a shredded one has no documents."""
        try:
            ref, _ = await self._key_ref(hearing)
        except (DocumentNotFoundError, HearingShreddedError):
            return manifests.Scan()
        return await manifests.scan(self.store, ref, hearing, document)

    async def listing(self, hearing: str) -> Listing:
        """The latest authentic version of every document of the hearing (by name), every
        version of each, and the manifests that were rejected (for the caller to audit)."""
        scan = await self._scan(hearing)
        history: dict[str, list[Manifest]] = {}
        for manifest in sorted(scan.manifests, key=lambda m: m.version):
            history.setdefault(manifest.document, []).append(manifest)
        latest = [versions[-1] for versions in history.values()]
        return Listing(sorted(latest, key=lambda m: (m.filename, m.document)), scan.rejected,
                       history)

    async def list(self, hearing: str) -> Manifests:
        return (await self.listing(hearing)).documents

    async def versions(self, hearing: str, document: str) -> Manifests:
        """Every authentic version of a document, oldest first (version ids sort by time)."""
        scan = await self._scan(hearing, document)
        return sorted(scan.manifests, key=lambda m: m.version)

    async def find(self, hearing: str, document: str, version: str | None = None) -> Found:
        """The latest authentic version (or the one asked for), every authentic version, and
        what was rejected on the way: a rejected manifest is never used, whatever version it
        claims to be."""
        scan = await self._scan(hearing, document)
        every = sorted(scan.manifests, key=lambda m: m.version)
        wanted = [m for m in every if version is None or m.version == version]
        rejected = [r for r in scan.rejected if version is None or r.version == version]
        return Found(wanted[-1] if wanted else None, rejected, every)

    async def manifest(self, hearing: str, document: str, version: str | None = None) -> Manifest:
        found = await self.find(hearing, document, version)
        if found.manifest is not None:
            return found.manifest
        if found.rejected:
            raise ManifestError(found.rejected[0].reason, "the document's manifest was rejected")
        raise DocumentNotFoundError("no such document")

    # -- upload -------------------------------------------------------------------------------

    def check_size(self, declared_size: int) -> None:
        if declared_size < 0:
            raise SizeMismatchError("declared size is negative")
        if declared_size > self.limits.max_document_size:
            raise TooLargeError("document exceeds the maximum size", reason="document_too_large")

    def check_count(self, versions: int) -> None:
        if versions >= self.limits.max_documents_per_hearing:
            raise TooManyDocumentsError("the hearing has reached its document limit",
                                        reason="documents_limit")

    async def version_count(self, hearing: str) -> int:
        """Committed document versions of the hearing (what the per-hearing limit counts)."""
        return sum(i.key.endswith(manifests.SUFFIX)
                   for i in await self.store.list(manifests.doc_prefix(hearing)))

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
        slot = await self._slot(hearing, compartment, filename, owner)
        # What the stored versions say of the slot is read while the first bytes arrive (it
        # costs a listing of the hearing): a refusal stops the stream, and the content is not
        # stored unless the checks passed (`_sealed` waits for them before its last segment).
        admitted = asyncio.ensure_future(self._check_new_version(slot, compartment))
        data_key, key_id = k.new_key(), k.new_key_id()
        encryptor = Encryptor(data_key, key_id, segment_size=self.limits.segment_size)
        digest = hashlib.sha256()
        try:
            info = await self.store.put(
                slot.content_key, self._sealed(chunks, declared_size, encryptor, digest, admitted),
                retain=True)
        finally:
            admitted.cancel()  # a no-op once done
            admitted.add_done_callback(retrieved)
        return await self.commit_version(
            slot, filename=filename, content_type=content_type, compartment=compartment,
            owner=owner, uploaded_by=uploaded_by, size=declared_size,
            sha256=digest.hexdigest(), ciphertext_sha256=None, content=info, key_id=key_id,
            wrapped_data_key=k.wrap_data_key(slot.hearing_key, data_key, hearing=hearing,
                                             document=slot.document, version=slot.version,
                                             key_id=key_id),
            before_commit=before_commit, sealed_once=True)

    async def new_version(self, hearing: str, compartment: str, filename: str, owner: str,
                          *, version: str | None = None) -> VersionSlot:
        """Where the next version of (owner, name) goes, after the checks every upload makes
        (`_slot`, then `_check_new_version`). `version` reuses the version a resumable upload
        fixed at its creation (its data key is bound to it)."""
        slot = await self._slot(hearing, compartment, filename, owner, version=version)
        await self._check_new_version(slot, compartment)
        return slot

    async def _slot(self, hearing: str, compartment: str, filename: str, owner: str,
                    *, version: str | None = None) -> VersionSlot:
        """Where the next version of (owner, name) would go: the owner rule checked, the
        hearing's key read (or created); nothing else is read."""
        place = Compartment.parse(compartment)
        if (place.side is not None and owner != f"side:{place.side}") or (
                place.kind == "mediator" and owner != "mediator"):
            raise UploadError("a side or mediator compartment is owned by that side or mediator")
        name = sanitize_filename(filename)
        record, hearing_key = await self.hearing_keys.get(hearing, create=True)
        document = self._document_id(hearing_key, owner, name)
        version = version or f"{self._clock():012x}{secrets.token_hex(6)}"
        return VersionSlot(hearing=hearing, document=document, version=version, name=name,
                           hearing_key=hearing_key, hearing_key_id=record.key_id,
                           segment_size=self.limits.segment_size)

    async def commit_version(self, slot: VersionSlot, *, filename: str, content_type: str,
                             compartment: str, owner: str, uploaded_by: str, size: int,
                             sha256: str, ciphertext_sha256: str | None, content: ObjectInfo,
                             key_id: bytes, wrapped_data_key: bytes,
                             before_commit: Callable[[Manifest], Awaitable[None]] | None,
                             sealed_once: bool = False) -> Manifest:
        """The manifest of a version whose content `slot.content_key` holds, committed (see
        `commit`): one path for one-shot and resumable uploads alike. `sealed_once`: one
        encryptor sealed each segment exactly once, and `ciphertext_sha256` is None (see
        `Manifest`)."""
        manifest = Manifest(
            hearing=slot.hearing, document=slot.document, version=slot.version,
            filename=slot.name, original_filename=escape_original(filename),
            content_type=content_type[:200], compartment=compartment, owner=owner,
            uploaded_by=uploaded_by, size=size, sha256=sha256, created_ms=self._clock(),
            ciphertext_size=ciphertext_size(size, slot.segment_size),
            ciphertext_sha256=ciphertext_sha256, content_version=content.version_id,
            segment_size=slot.segment_size, key_id=key_id.hex(),
            hearing_key_id=slot.hearing_key_id, wrapped_data_key=wrapped_data_key,
            sealed_once=sealed_once)
        await self.commit(manifest, slot.hearing_key, content=content,
                          before_commit=before_commit)
        return manifest

    async def _check_new_version(self, slot: VersionSlot, compartment: str) -> None:
        """The checks a new version passes against what is stored, read at once: its name is
        not taken in another compartment, and the hearing is below its limit.

        A document is where its latest version is: after a release, the next version goes to
        the compartment it was released to (earlier versions stay where they were), and an
        upload of the name to the narrower one is refused (reason `name_in_other_compartment`),
        never a quiet way back to the narrower place."""
        existing, count = await asyncio.gather(self.versions(slot.hearing, slot.document),
                                               self.version_count(slot.hearing))
        if existing and existing[-1].compartment != compartment:
            raise ConflictError("a document of that name exists in another compartment",
                                reason="name_in_other_compartment")
        self.check_count(count)

    async def _sealed(self, chunks: AsyncIterable[bytes], declared_size: int,
                      encryptor: Encryptor, digest: Any,
                      admitted: asyncio.Future[None]) -> AsyncIterator[bytes]:
        """The ciphertext of `chunks`, hashing the plaintext (`digest`) on the way; sizes
        checked. Hashing runs in `Hashing`, beside the encryption. The ciphertext is not
        hashed: sealed once, it is pinned by the AEAD (see `Manifest.sealed_once`). A failed
        `admitted` ends the stream with its error; the last segment waits for it."""
        received = 0
        hashing = Hashing()
        try:
            async for chunk in chunks:
                if admitted.done():
                    admitted.result()  # refused: stop reading the body
                received += len(chunk)
                if received > declared_size:
                    raise SizeMismatchError("body is longer than the declared size")
                if self.limits.offload_bytes and len(chunk) >= self.limits.offload_bytes:
                    out = await asyncio.to_thread(encryptor.update, chunk)
                else:
                    out = encryptor.update(chunk)
                await hashing.feed((digest, chunk))
                if out:
                    yield out
            if received != declared_size:
                raise SizeMismatchError("body is shorter than the declared size")
            final = encryptor.finalize()
            await hashing.wait()
            await admitted
        finally:
            await hashing.settle()
        yield final

    async def commit(self, manifest: Manifest, hearing_key: bytes, *, content: ObjectInfo,
                     before_commit: Callable[[Manifest], Awaitable[None]] | None = None) -> None:
        """The commit point of an upload whose content is stored (`content`, as `put` returned
        it): check the stored object is the one sealed, run `before_commit` (the service audits
        there), then write the sealed manifest create-if-absent, begun within
        `limits.commit_within_ms` (the content was just stored): later, a sweeper may soon take
        the content for an orphan (sweeper.py), so an audit that takes longer gives the upload
        up, a StoreError its sender may retry. If anything fails, nothing is committed and the
        content is removed (or left for the sweeper)."""
        ref = manifests.HearingKeyRef(manifest.hearing_key_id, manifest_key(hearing_key))
        try:
            if content.size != manifest.ciphertext_size:
                raise StoreError("stored content has an unexpected size")
            if content.version_id != manifest.content_version:
                raise StoreError("stored content is not the version sealed")
            if before_commit is not None:
                try:
                    async with asyncio.timeout(self.limits.commit_within_ms / 1000):
                        await before_commit(manifest)
                except TimeoutError as exc:
                    raise StoreError("the upload was stored but could not be committed in "
                                     "time; nothing was kept, send it again") from exc
            await manifests.write(self.store, ref, manifest, if_absent=True)
        except BaseException:
            with contextlib.suppress(StoreError):  # else an orphan, which `sweep` removes
                await self.store.delete(content.key)
            raise

    # -- release, shredding, rotation ------------------------------------------------------

    async def release(self, hearing: str, document: str, to: str, *, by: str,
                      version: str | None = None) -> Manifest:
        """Widen the document's latest version to `to` (never narrows), sealed again; return it.

        Only the latest: earlier versions keep the compartment they had, and each version is
        decided on its own record, so sharing the current document never shares its drafts.
        With the rule of new versions (`_check_new_version`: a version goes where the latest
        is) the latest version is always the widest, and whoever may read any version may read
        the document. `version`: the one the person chose to share; if another has become the
        latest since, nothing is released (`ConflictError`, reason `newer_version`); one the
        document never had is `DocumentNotFoundError`, reason `version_not_found`.
        """
        ref, _ = await self._key_ref(hearing)
        versions = await self.versions(hearing, document)
        if not versions:
            raise DocumentNotFoundError("no such document")
        latest = versions[-1]
        if version is not None and all(m.version != version for m in versions):
            raise DocumentNotFoundError("no such version", reason="version_not_found")
        if version is not None and latest.version != version:
            raise ConflictError("a newer version of the document has arrived; nothing was "
                                "released", reason="newer_version")
        check_widening(Compartment.parse(latest.compartment), Compartment.parse(to))
        new = msgspec.structs.replace(latest, compartment=to, released_ms=self._clock(),
                                      released_by=by)
        await manifests.write(self.store, ref, new, if_absent=False)
        return new

    async def hearing_shredded(self, hearing: str) -> bool:
        """Whether the hearing's key was already destroyed (its record is a tombstone)."""
        record = await self.hearing_keys.record(hearing)
        return record is not None and record.shredded_ms is not None

    async def shred_hearing(self, hearing: str) -> int:
        """Crypto-shred a hearing (see `HearingKeys.shred`); returns versions made unreadable."""
        await self.hearing_keys.shred(hearing)
        count = 0
        staged = await self.store.list(f"uploads/{hearing}/")  # unfinished uploads too
        for info in [*await self.store.list(manifests.doc_prefix(hearing)), *staged]:
            count += info.key.endswith(".manifest")
            with contextlib.suppress(StoreError):  # retained (WORM) content stays, unreadable
                await self.store.delete(info.key)
        return count

    async def rotate_master(self) -> int:
        """Re-wrap every hearing key under a new master key; content is not touched."""
        return await self.hearing_keys.rotate_master()
