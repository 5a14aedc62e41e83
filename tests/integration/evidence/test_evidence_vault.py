"""The evidence core (vault) on both stores: upload, download, ranges, faults, keys."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import os
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable
from pathlib import Path

import msgspec
import pytest

from proto.errors import ErrorCode
from proto.evidence import Manifest, encode
from proto.principal import Principal, PrincipalKind
from services.evidence.assembly import draft_key
from services.evidence.errors import (
    ConflictError,
    DocumentNotFoundError,
    HearingShreddedError,
    IntegrityError,
    ObjectNotFoundError,
    ReleaseError,
    SizeMismatchError,
    StoreError,
    TooLargeError,
    TooManyDocumentsError,
    TooManyUploadsError,
    UploadError,
)
from services.evidence.format import HEADER_LEN, TAG_LEN
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.resumable import Part, UploadRecord
from services.evidence.sightings import Sightings
from services.evidence.staging import StagedUploads
from services.evidence.store.base import Drafting, ObjectInfo, ObjectStore, one_chunk
from services.evidence.store.local import LocalFolderStore
from services.evidence.sweeper import sweep_store
from services.evidence.vault import Limits, Vault

SEG = 4096
LIMITS = Limits(max_document_size=1 << 20, max_documents_per_hearing=6, segment_size=SEG)


@pytest.fixture
def vault(store: ObjectStore, tmp_path: Path) -> Vault:
    return Vault(store, LocalKeyFileProvider.load_or_create(tmp_path / "master.key"),
                 limits=LIMITS)


async def chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


async def read(vault: Vault, m: Manifest, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([c async for c in vault.reads.open_range(m, start, end)])


async def put(vault: Vault, data: bytes, name: str = "brief.pdf", compartment: str = "side:A",
              hearing: str = "h1", owner: str = "side:A") -> Manifest:
    return await vault.upload(hearing, compartment, name, len(data), chunks(data), owner=owner,
                              uploaded_by="pa")


async def nothing_visible(vault: Vault, hearing: str = "h1") -> None:
    assert await vault.list(hearing) == []
    objects = [i.key for i in await vault.store.list(f"docs/{hearing}/")]
    assert objects == [], objects


@pytest.mark.parametrize("size", [0, 1, SEG, 3 * SEG, 10 * SEG + 17])
async def test_round_trip_and_ranges(vault: Vault, size: int) -> None:
    data = os.urandom(size)
    m = await put(vault, data)
    assert m.size == size and m.ciphertext_size == (await vault.store.stat(
        f"docs/h1/{m.document}/{m.version}.content")).size
    assert await read(vault, m) == data
    for start, end in [(0, 0), (0, size), (size // 3, size // 2), (max(0, size - 1), size)]:
        assert await read(vault, m, start, end) == data[start:end]
    [listed] = await vault.list("h1")
    assert listed == m and await vault.manifest("h1", m.document) == m


@pytest.mark.parametrize("actual", [99, 101, 0, 5000])
async def test_declared_size_lies_leave_nothing(vault: Vault, actual: int) -> None:
    with pytest.raises(SizeMismatchError):
        await vault.upload("h1", "joint", "x.bin", 100, chunks(os.urandom(actual)),
                           owner="side:A", uploaded_by="pa")
    await nothing_visible(vault)


async def test_limits(vault: Vault) -> None:
    with pytest.raises(TooLargeError):
        await vault.upload("h1", "joint", "big", (1 << 20) + 1, chunks(b""), owner="side:A",
                           uploaded_by="pa")
    for i in range(6):
        await put(vault, b"x", name=f"f{i}")
    with pytest.raises(TooManyDocumentsError) as full:
        await put(vault, b"x", name="one-too-many")
    # Its own reason: the page says the hearing is full, not that the file is too large.
    assert (full.value.code, full.value.reason) == (ErrorCode.TOO_LARGE, "documents_limit")


async def test_a_refusal_read_while_the_body_streams_stops_it_and_stores_nothing(
        vault: Vault) -> None:
    """The checks against stored versions (a name taken in another compartment, the hearing's
    limit) run while the body arrives: a refusal ends the stream early, nothing is stored, and
    the versions already there are unchanged."""
    kept = await put(vault, b"mine", name="Offer.pdf", compartment="joint")
    sent = 0

    async def slow_body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(400):
            sent += 1
            yield b"x" * 1000
            await asyncio.sleep(0.005)

    with pytest.raises(ConflictError):
        await vault.upload("h1", "side:A", "Offer.pdf", 400_000, slow_body(), owner="side:A",
                           uploaded_by="pa")
    assert 0 < sent < 400, sent  # stopped once the refusal was known, not at the end
    assert [m.version for m in await vault.versions("h1", kept.document)] == [kept.version]
    assert [i.key for i in await vault.store.list("docs/h1/")] == [
        f"docs/h1/{kept.document}/{kept.version}.content",
        f"docs/h1/{kept.document}/{kept.version}.manifest"]
    for i in range(LIMITS.max_documents_per_hearing - 1):
        await put(vault, b"x", name=f"f{i}")
    sent = 0
    with pytest.raises(TooManyDocumentsError):
        await vault.upload("h1", "side:A", "late.pdf", 400_000, slow_body(), owner="side:A",
                           uploaded_by="pa")
    assert 0 < sent < 400, sent
    assert len(await vault.list("h1")) == LIMITS.max_documents_per_hearing


class FailingStore:
    """Wraps a store; fails puts after `after` bytes, or fails manifest writes."""

    def __init__(self, inner: ObjectStore, *, after: int | None = None,
                 fail_manifest: bool = False) -> None:
        self.inner, self.after, self.fail_manifest = inner, after, fail_manifest

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def put(self, key: str, data: AsyncIterable[bytes], **kw: bool) -> ObjectInfo:
        if self.fail_manifest and key.endswith(".manifest"):
            raise StoreError("disk full")

        async def limited() -> AsyncIterator[bytes]:
            sent = 0
            async for chunk in data:
                if self.after is not None and key.endswith(".content") and sent >= self.after:
                    raise StoreError("write failed")
                sent += len(chunk)
                yield chunk

        return await self.inner.put(key, limited(), **kw)


@pytest.mark.parametrize("mode", ["content", "manifest"])
async def test_store_failing_a_write_leaves_nothing(store: ObjectStore, tmp_path: Path,
                                                    mode: str) -> None:
    failing = FailingStore(store, after=10_000 if mode == "content" else None,
                           fail_manifest=mode == "manifest")
    vault = Vault(failing, LocalKeyFileProvider.load_or_create(tmp_path / "m.key"),  # type: ignore[arg-type]
                  limits=LIMITS)
    with pytest.raises(StoreError):
        await put(vault, os.urandom(50_000))
    await nothing_visible(vault)


async def test_versions_names_and_conflicts(vault: Vault) -> None:
    v1 = await put(vault, b"one", name="../Offer\x07.pdf")
    v2 = await put(vault, b"two!", name="Offer.pdf")
    assert v1.filename == "Offer .pdf" and v2.filename == "Offer.pdf"
    assert v1.original_filename == "../Offer\\u{7}.pdf"
    assert v1.document != v2.document
    same = await put(vault, b"three", name="../Offer\x07.pdf")
    assert same.document == v1.document and same.version > v1.version
    assert [m.version for m in await vault.versions("h1", v1.document)] == [v1.version,
                                                                             same.version]
    assert await read(vault, await vault.manifest("h1", v1.document, v1.version)) == b"one"
    assert await read(vault, await vault.manifest("h1", v1.document)) == b"three"
    other_side = await put(vault, b"b", name="Offer.pdf", compartment="side:B", owner="side:B")
    assert other_side.document != v2.document
    with pytest.raises(ConflictError):
        await put(vault, b"x", name="Offer.pdf", compartment="joint")


async def test_release_widens_the_latest_version_only_and_never_narrows(vault: Vault) -> None:
    """Sharing the current document never shares its drafts: a release widens the latest
    version, earlier ones keep their compartment (their records are not even rewritten), and a
    new version goes where the latest is. A release names the version chosen, or none."""
    m1 = await put(vault, b"a")
    m2 = await put(vault, b"b")
    first_record = f"docs/h1/{m1.document}/{m1.version}.manifest"
    before = await vault.store.read(first_record)

    def places(versions: list[Manifest]) -> list[tuple[str, str, str | None]]:
        return [(m.version, m.compartment, m.released_by) for m in versions]

    with pytest.raises(ReleaseError):
        await vault.release("h1", m1.document, "side:B", by="pa")
    conf = await vault.release("h1", m1.document, "confidential:A", by="pa")
    assert (conf.version, conf.compartment, conf.released_by) == (m2.version, "confidential:A",
                                                                  "pa")
    assert places(await vault.versions("h1", m1.document)) == [
        (m1.version, "side:A", None), (m2.version, "confidential:A", "pa")]
    assert await vault.store.read(first_record) == before
    # The next version goes where the latest is; the narrower place is refused for the name.
    with pytest.raises(ConflictError) as elsewhere:
        await put(vault, b"c")
    assert elsewhere.value.reason == "name_in_other_compartment"
    m3 = await put(vault, b"c", compartment="confidential:A")
    with pytest.raises(ReleaseError):
        await vault.release("h1", m1.document, "side:A", by="pa")
    # The version the person chose to share, or nothing: a newer one is never shared unseen.
    with pytest.raises(ConflictError) as newer:
        await vault.release("h1", m1.document, "joint", by="ca", version=m2.version)
    assert newer.value.reason == "newer_version"
    with pytest.raises(DocumentNotFoundError) as never:  # a version the document never had
        await vault.release("h1", m1.document, "joint", by="ca", version="0" * 24)
    assert never.value.reason == "version_not_found"
    assert (await vault.manifest("h1", m1.document)).compartment == "confidential:A"
    joint = await vault.release("h1", m1.document, "joint", by="ca", version=m3.version)
    assert (joint.version, joint.compartment) == (m3.version, "joint")
    assert places(await vault.versions("h1", m1.document)) == [
        (m1.version, "side:A", None), (m2.version, "confidential:A", "pa"),
        (m3.version, "joint", "ca")]
    assert await read(vault, await vault.manifest("h1", m1.document, m1.version)) == b"a"
    with pytest.raises(ReleaseError):
        await vault.release("h1", m1.document, "confidential:A", by="pa")
    with pytest.raises(DocumentNotFoundError):
        await vault.release("h1", "nope", "joint", by="pa")


async def test_shredding_makes_documents_unreadable(vault: Vault) -> None:
    m = await put(vault, os.urandom(3 * SEG))
    keep = await put(vault, b"other hearing", hearing="h2")
    assert await vault.shred_hearing("h1") == 1
    with pytest.raises(HearingShreddedError):
        await read(vault, m)
    with pytest.raises(HearingShreddedError):
        await put(vault, b"new")  # a shredded hearing never gets a new key
    assert await vault.list("h1") == []
    assert await read(vault, keep) == b"other hearing"


async def test_rotation_rewraps_without_touching_content(vault: Vault, tmp_path: Path) -> None:
    data = os.urandom(2 * SEG + 5)
    m = await put(vault, data)
    m2 = await put(vault, b"z", hearing="h2")
    content = f"docs/h1/{m.document}/{m.version}.content"
    before = await vault.store.read(content)
    record_before = await vault.store.read("keys/h1")
    assert await vault.rotate_master() == 2
    assert await vault.store.read(content) == before
    assert await vault.store.read("keys/h1") != record_before
    assert await read(vault, m) == data and await read(vault, m2) == b"z"
    reloaded = LocalKeyFileProvider.load_or_create(tmp_path / "master.key")
    assert len(reloaded.key_ids) == 1  # the old master key is gone
    assert await read(Vault(vault.store, reloaded, limits=LIMITS), m) == data


async def test_tampered_content_stops_the_stream(vault: Vault) -> None:
    data = os.urandom(5 * SEG)
    m = await put(vault, data)
    key = f"docs/h1/{m.document}/{m.version}.content"
    raw = bytearray(await vault.store.read(key))
    raw[-(2 * (SEG + 16)) - 3] ^= 1  # inside segment 3 of 5
    await vault.store.put(key, one_chunk(bytes(raw)))
    got = bytearray()
    with pytest.raises(IntegrityError):
        async for chunk in vault.reads.open_range(m):
            got += chunk
    assert data.startswith(bytes(got)) and len(got) < 3 * SEG + 1
    assert await read(vault, m, 0, SEG) == data[:SEG]  # untouched segments still serve ranges


async def test_a_one_shot_upload_is_pinned_by_its_aead_not_a_digest(vault: Vault) -> None:
    """One encryptor sealed each segment once: the manifest says so and carries no ciphertext
    digest; a whole read still authenticates every segment (tampering: the test above)."""
    data = os.urandom(3 * SEG + 5)
    m = await put(vault, data)
    assert m.sealed_once and m.ciphertext_sha256 is None
    assert await read(vault, m) == data


async def test_extended_or_truncated_content_is_refused(vault: Vault) -> None:
    m = await put(vault, os.urandom(2 * SEG))
    key = f"docs/h1/{m.document}/{m.version}.content"
    raw = await vault.store.read(key)
    for bad in (raw + b"extra", raw[:-1]):
        await vault.store.put(key, one_chunk(bad))
        with pytest.raises(IntegrityError):
            await read(vault, m)


async def test_tampered_manifest_is_refused(vault: Vault) -> None:
    a = await put(vault, b"document a", name="a")
    b = await put(vault, b"document b", name="b")
    for forged in (msgspec.structs.replace(b, wrapped_data_key=a.wrapped_data_key, key_id=a.key_id),
                   msgspec.structs.replace(a, sha256="0" * 64),
                   msgspec.structs.replace(a, size=a.size - 1, ciphertext_size=a.ciphertext_size - 1)):
        await vault.store.put(f"docs/h1/{forged.document}/{forged.version}.manifest",
                              one_chunk(encode(forged)))
        with pytest.raises(IntegrityError):
            await read(vault, await vault.manifest("h1", forged.document))
        await vault.store.put(f"docs/h1/{forged.document}/{forged.version}.manifest",
                              one_chunk(encode(a if forged.document == a.document else b)))


async def test_sweep_removes_orphans_but_not_documents(vault: Vault) -> None:
    """An orphan goes once this sweeper has watched it for the whole age limit, however old the
    store dates it (a local file aged ten hours stands for an S3 server whose clock is ten hours
    behind): the first sight starts the wait, and a committed document never goes."""
    kept = await put(vault, b"committed")
    orphan = "docs/h1/orphandoc/000000000001aa.content"
    await vault.store.put(orphan, one_chunk(b"x" * 200))
    if isinstance(vault.store, LocalFolderStore):
        old = time.time_ns() - 10 * 3600 * 10**9
        os.utime(vault.store.root / "objects" / orphan, ns=(old, old))
    seen, hour = Sightings(), 3_600_000
    assert await sweep_store(vault.store, hour, seen, 5 * hour) == 0  # first seen
    assert await sweep_store(vault.store, hour, seen, 6 * hour - 1) == 0  # still in flight?
    assert await sweep_store(vault.store, hour, seen, 6 * hour) == 1
    assert [i.key for i in await vault.store.list("docs/h1/orphandoc/")] == []
    assert await read(vault, kept) == b"committed"
    assert await sweep_store(vault.store, hour, seen, 9 * hour) == 0


async def test_an_audit_slower_than_the_commit_window_commits_nothing(
        store: ObjectStore, tmp_path: Path) -> None:
    """A manifest's write begins within the commit window of its content being stored, or not
    at all: past it a sweeper may take the content for an orphan, so the upload is refused
    (a StoreError its sender may retry) and nothing of it stays; within it, it commits."""
    vault = Vault(store, LocalKeyFileProvider.load_or_create(tmp_path / "master.key"),
                  limits=dataclasses.replace(LIMITS, commit_within_ms=200))

    async def slow_audit(manifest: Manifest) -> None:
        await asyncio.sleep(0.6)

    with pytest.raises(StoreError, match="not be committed in time"):
        await vault.upload("h1", "side:A", "late.pdf", 10, chunks(b"0123456789"),
                           owner="side:A", uploaded_by="pa", before_commit=slow_audit)
    await nothing_visible(vault)

    async def prompt_audit(manifest: Manifest) -> None:
        await asyncio.sleep(0.05)

    m = await vault.upload("h1", "side:A", "prompt.pdf", 10, chunks(b"0123456789"),
                           owner="side:A", uploaded_by="pa", before_commit=prompt_audit)
    assert await read(vault, m) == b"0123456789"


async def test_concurrent_first_uploads_agree_on_the_hearing_key(vault: Vault) -> None:
    docs = await asyncio.gather(*(put(vault, f"doc {i}".encode(), name=f"n{i}", hearing="new")
                                  for i in range(4)))
    for i, m in enumerate(docs):
        assert await read(vault, m) == f"doc {i}".encode()


@pytest.mark.parametrize("compartment,owner", [("side:A", "side:B"), ("confidential:B", "side:A"),
                                               ("mediator", "side:A"), ("side:A", "mediator")])
async def test_owner_must_match_the_compartment(vault: Vault, compartment: str,
                                                owner: str) -> None:
    with pytest.raises(UploadError):
        await put(vault, b"x", compartment=compartment, owner=owner)
    await nothing_visible(vault)


#: The uploader of the resumable uploads below (staging binds an upload to its session).
UPLOADER = Principal(kind=PrincipalKind.ACCOUNT, id="pa", session="s1")


async def resumable(vault: Vault, name: str, length: int) -> tuple[StagedUploads, UploadRecord]:
    """A resumable upload of `length` bytes to side A, created by UPLOADER: nothing sent."""
    staged = StagedUploads(vault, max_per_hearing=5, clock=lambda: 0)
    record = await staged.create(hearing="h1", compartment="side:A", filename=name,
                                 length=length, content_type="application/pdf",
                                 owner="side:A", principal=UPLOADER)
    return staged, record


async def test_a_hearing_full_of_uploads_in_progress_says_so_by_its_own_reason(
        vault: Vault) -> None:
    """The hearing's limit on uploads in progress is `too_large` like a file over the size limit,
    with a reason of its own (`uploads_limit`), so the page says "wait for one to finish" rather
    than "this file is too large"; nothing is staged for the refused one."""
    staged = StagedUploads(vault, max_per_hearing=2, clock=lambda: 0)
    for name in ("a.pdf", "b.pdf"):
        await staged.create(hearing="h1", compartment="side:A", filename=name, length=10,
                            content_type="application/pdf", owner="side:A", principal=UPLOADER)
    with pytest.raises(TooManyUploadsError) as full:
        await staged.create(hearing="h1", compartment="side:A", filename="c.pdf", length=10,
                            content_type="application/pdf", owner="side:A", principal=UPLOADER)
    assert (full.value.code, full.value.reason) == (ErrorCode.TOO_LARGE, "uploads_limit")
    assert await staged.in_progress("h1") == 2


async def test_resumable_digests_are_those_of_the_bytes_whoever_staged_them(
        vault: Vault) -> None:
    """An evidence process hashes what it stages and, at completion, trusts those digests only
    if it staged the whole chain: parts staged by another process (a second StagedUploads on
    the same store), or an append repeated at one offset by both, still commit a document
    whose digests are those of its bytes."""
    other = StagedUploads(vault, max_per_hearing=5, clock=lambda: 0)
    data = os.urandom(7 * SEG + 7)

    async def committed(record: UploadRecord, by: StagedUploads) -> None:
        _, parts, _ = await by.open("h1", record.upload, UPLOADER)
        m = await by.complete(record, parts, uploaded_by="pa")
        assert m.sha256 == hashlib.sha256(data).hexdigest() and await read(vault, m) == data

    one, record = await resumable(vault, "handed-over.pdf", len(data))
    # one, then the other, then one again
    parts = await one.append(record, [], chunks(data[:2 * SEG]))
    parts = await other.append(record, parts, chunks(data[2 * SEG:4 * SEG]))
    parts = await one.append(record, parts, chunks(data[4 * SEG:]))
    await committed(record, one)

    _, record = await resumable(vault, "repeated.pdf", len(data))
    # both append from 0 (a retry), one goes on
    await one.append(record, [], chunks(data[:3 * SEG]))
    await other.append(record, [], chunks(data[:5 * SEG]))
    _, parts, _ = await one.open("h1", record.upload, UPLOADER)
    parts = await one.append(record, parts, chunks(data[parts[-1].end:]))
    await committed(record, one)


async def restage(vault: Vault, record: UploadRecord, parts: list[Part], at: int,
                  change: Callable[[bytes], bytes]) -> None:
    """Replace staged ciphertext in the store, as someone with access to it could: the bytes
    from `at` (counted from segment 0 of the first part) become `change(those bytes)`, in the
    draft (after its header) or in the first part."""
    drafting = isinstance(vault.store, Drafting)
    key, base = (draft_key(record), HEADER_LEN) if drafting else (parts[0].key, 0)
    raw = bytearray(await vault.store.read(key))
    new = change(bytes(raw[base + at:]))
    raw[base + at:base + at + len(new)] = new
    if drafting:
        assert await vault.store.write_draft(key, 0, one_chunk(bytes(raw))) == len(raw)
    else:
        await vault.store.put(key, one_chunk(bytes(raw)))


async def test_appends_raced_at_one_offset_are_sealed_afresh_at_completion(
        vault: Vault) -> None:
    """Two processes took an append at the same offset (a client's retry landing on the other
    evidence process while the first still ran): both sealed those segments under the upload's
    key and nonces, and both staged them. Completion sees the second staging and commits the
    plaintext as a one-shot upload would, under a fresh data key, each segment sealed once;
    without a race the staged segments are committed as they are."""
    other = StagedUploads(vault, max_per_hearing=5, clock=lambda: 0)
    data = os.urandom(6 * SEG + 9)
    one, record = await resumable(vault, "raced.pdf", len(data))
    await one.append(record, [], chunks(data[:3 * SEG]))
    await other.append(record, [], chunks(data[:2 * SEG]))
    _, parts, _ = await one.open("h1", record.upload, UPLOADER)
    parts = await one.append(record, parts, chunks(data[parts[-1].end:]))
    m = await one.complete(record, parts, uploaded_by="pa")
    assert m.sealed_once and m.ciphertext_sha256 is None and m.key_id != record.key_id
    assert m.sha256 == hashlib.sha256(data).hexdigest() and await read(vault, m) == data
    assert await vault.store.list(f"uploads/h1/{record.upload}/") == []

    _, record = await resumable(vault, "alone.pdf", len(data))
    m = await one.complete(record, await one.append(record, [], chunks(data)),
                           uploaded_by="pa")
    assert not m.sealed_once and m.key_id == record.key_id and await read(vault, m) == data


async def test_raced_appends_with_a_changed_staged_byte_commit_nothing(vault: Vault) -> None:
    """The fresh sealing after a race opens every staged segment first: one flipped bit in the
    staged chain and completion refuses, leaving no document."""
    other = StagedUploads(vault, max_per_hearing=5, clock=lambda: 0)
    data = os.urandom(4 * SEG)
    one, record = await resumable(vault, "raced-tampered.pdf", len(data))
    await other.append(record, [], chunks(data[:SEG]))
    parts = await one.append(record, [], chunks(data))
    await restage(vault, record, parts, 2 * SEG, lambda byte: bytes([byte[0] ^ 1]))
    with pytest.raises(IntegrityError):
        await one.complete(record, parts, uploaded_by="pa")
    await nothing_visible(vault)


async def test_a_staged_segment_sealed_again_with_other_bytes_commits_nothing(
        vault: Vault) -> None:
    """Every staged segment still authenticates, but one is not the segment this process
    sealed there: segment 1 sealed again with other bytes under the upload's key (as an
    append racing at one offset in another process could). Its tag is not the one hashed
    while sealing, so completion refuses and no document exists."""
    data = os.urandom(3 * SEG)
    staged, record = await resumable(vault, "resealed.pdf", len(data))
    parts = await staged.append(record, [], chunks(data))
    cipher = await staged._cipher(record)
    other = cipher.seal(1, b"\x00" * SEG, final=False)
    await restage(vault, record, parts, SEG + TAG_LEN, lambda _: other)
    with pytest.raises(IntegrityError, match="staged part changed"):
        await staged.complete(record, parts, uploaded_by="pa")
    await nothing_visible(vault)


async def test_a_long_append_is_staged_part_by_part(vault: Vault,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """An append is made durable a part (PART_BYTES, 3 segments here) at a time: a body cut
    after 7 segments keeps 7, in 3 parts, and the resume completes the document."""
    monkeypatch.setattr("services.evidence.staging.PART_BYTES", 3 * (SEG + TAG_LEN))
    data = os.urandom(12 * SEG + 5)
    staged, record = await resumable(vault, "long.pdf", len(data))

    async def cut_after(size: int) -> AsyncIterator[bytes]:
        async for chunk in chunks(data[:size]):
            yield chunk
        raise ConnectionResetError("the client went away")

    parts = await staged.append(record, [], cut_after(7 * SEG + 100))
    assert [(p.start, p.end) for p in parts] == [(0, 3 * SEG), (3 * SEG, 6 * SEG),
                                                 (6 * SEG, 7 * SEG)]
    assert (await staged.open("h1", record.upload, UPLOADER))[1] == parts
    parts = await staged.append(record, parts, chunks(data[7 * SEG:]))
    assert len(parts) == 5 and parts[-1].end == len(data)
    m = await staged.complete(record, parts, uploaded_by="pa")
    assert m.sha256 == hashlib.sha256(data).hexdigest() and await read(vault, m) == data


async def test_a_completion_that_fails_at_the_commit_point_can_be_retried(
        store: ObjectStore, tmp_path: Path) -> None:
    """The manifest write (or the audit before it) fails: nothing is committed and the staged
    bytes stay whole, so the same completion succeeds once the store is back."""
    failing = FailingStore(store, fail_manifest=True)
    vault = Vault(failing, LocalKeyFileProvider.load_or_create(tmp_path / "m.key"),  # type: ignore[arg-type]
                  limits=LIMITS)
    data = os.urandom(5 * SEG + 3)
    staged, record = await resumable(vault, "retry.pdf", len(data))
    parts = await staged.append(record, [], chunks(data))
    with pytest.raises(StoreError):
        await staged.complete(record, parts, uploaded_by="pa")
    await nothing_visible(vault)
    failing.fail_manifest = False
    m = await staged.complete(record, parts, uploaded_by="pa")
    assert m.sha256 == hashlib.sha256(data).hexdigest() and await read(vault, m) == data


async def test_a_resumable_upload_is_not_sealed_once_and_keeps_the_digest_check(
        vault: Vault) -> None:
    """Staged segments may have been sealed twice (an append repeated at one offset), so the
    manifest of a completed resumable upload leaves `sealed_once` unset and pins the content's
    SHA-256. The worst case for the AEAD alone is someone holding two sealings of a segment
    under one key: played here with the data key itself, segment 1 re-sealed with other bytes.
    Every segment authenticates, yet the whole read is refused before its last bytes, and a
    range over the untouched segment 0 still serves."""
    data = os.urandom(3 * SEG)
    staged, record = await resumable(vault, "r.pdf", len(data))
    parts = await staged.append(record, [], chunks(data))
    m = await staged.complete(record, parts, uploaded_by="pa")
    assert not m.sealed_once and await read(vault, m) == data
    key = f"docs/h1/{m.document}/{m.version}.content"
    raw = bytearray(await vault.store.read(key))
    cipher = await staged._cipher(record)
    at = HEADER_LEN + SEG + TAG_LEN
    raw[at:at + SEG + TAG_LEN] = cipher.seal(1, b"\x00" * SEG, final=False)
    await vault.store.put(key, one_chunk(bytes(raw)))
    got = bytearray()
    with pytest.raises(IntegrityError, match="pinned digest"):
        async for chunk in vault.reads.open_range(m):
            got += chunk
    assert len(got) < len(data)  # the last bytes were held back
    assert await read(vault, m, 0, SEG) == data[:SEG]



async def test_a_shred_never_leaves_the_hearing_without_its_key_record(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    # The gateway's shred after a close with destroy and evidence's own on the roster's news
    # race on one hearing. A shred once deleted the record, then wrote its tombstone: the other's
    # delete removed a fresh tombstone under it (a 404 to the mediator closing the hearing in CI),
    # and in between the hearing had no record at all (an upload could have minted a new key).
    m = await put(vault, os.urandom(SEG))
    gaps: list[str] = []
    delete = vault.store.delete

    async def watched_delete(key: str) -> None:
        await delete(key)
        with contextlib.suppress(ObjectNotFoundError):
            await vault.store.read("keys/h1")
            return
        gaps.append(key)

    monkeypatch.setattr(vault.store, "delete", watched_delete)
    assert await vault.shred_hearing("h1") == 1
    await asyncio.gather(*(vault.shred_hearing("h1") for _ in range(3)))  # again, racing
    assert gaps == []
    assert await vault.hearing_shredded("h1")
    with pytest.raises(HearingShreddedError):
        await read(vault, m)
