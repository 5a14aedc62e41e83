"""Someone who can write the store but holds no key (threat model §1, §2), on every backend.

The test plays the store writer with the store's own client: it flips, swaps, replaces and rolls
back manifests, content (and content versions) and key records (and their old versions). After
each, it asserts that no principal gains access, no unauthenticated byte is served (a download
is the original plaintext or a typed `integrity` error), listings still work, and the failure is
in the audit log. Backends: the local folder, and object-locked (so versioned) buckets with
retention on moto and on SeaweedFS.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nats.aio.client import Client

from parley.errors import DomainError
from parley.micro import RequestContext
from proto.errors import ErrorCode
from proto.evidence import ListDocumentsRequest
from services.evidence import keys as k
from services.evidence.errors import IntegrityError
from services.evidence.hearing_keys import record_key
from services.evidence.store.base import ObjectStore, one_chunk
from services.evidence.store.local import LocalFolderStore
from services.evidence.store.s3 import S3Store
from tests.harness import NatsServer
from tests.integration.evidence.conftest import open_test_store
from tests.integration.evidence.writer_bench import Bench, serving_bench

INTEGRITY = ErrorCode.INTEGRITY


@pytest.fixture(params=["local", "moto-locked", "seaweedfs-locked"])
async def bench(request: pytest.FixtureRequest, tmp_path: Path, nats_server: NatsServer,
                supervisor_nc: Client) -> AsyncIterator[Bench]:
    store = await open_test_store(request, tmp_path, request.param)
    async for opened in serving_bench(store, tmp_path, nats_server, supervisor_nc):
        yield opened


def manifest_key_of(bench: Bench, document: str, version: str, hearing: str | None = None) -> str:
    return f"docs/{hearing or bench.hearing}/{document}/{version}.manifest"


async def overwrite(store: ObjectStore, key: str, data: bytes) -> None:
    await store.put(key, one_chunk(data))


def flipped(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index % len(out)] ^= 0x01
    return bytes(out)


async def rejected_ids(bench: Bench) -> set[str]:
    return {e.resource.id for e in await bench.events("document.manifest_rejected")}


async def test_edited_manifest_grants_nothing(bench: Bench) -> None:
    """Regression (item 1): a compartment edited from side:A to joint gave side B the document."""
    secret = os.urandom(10_000)
    x = await bench.upload(secret, name="secret.pdf")
    joint = await bench.upload(b"for everyone", name="agenda.pdf", compartment="joint")
    place = manifest_key_of(bench, x.document, x.version)
    original = await bench.store.read(place)
    legacy = msgspec.json.encode({**msgspec.to_builtins(x), "compartment": "joint",
                                  "format": 1, "filename": "renamed.pdf"})
    for forged in (legacy,  # what the old attack wrote: the manifest as JSON, edited
                   *(flipped(original, i) for i in (7, 30, 60, len(original) // 2, -1)),
                   original[:-1], original + b"\x00",
                   await bench.store.read(manifest_key_of(bench, joint.document, joint.version))):
        await overwrite(bench.store, place, forged)
        assert await bench.listed(bench.b()) == [joint.document]
        assert await bench.listed(bench.a()) == [joint.document]  # never shown, never renamed
        assert await bench.download(bench.b(), x.document) == INTEGRITY
        assert await bench.download(bench.a(), x.document) == INTEGRITY
    assert x.document in await rejected_ids(bench)
    await overwrite(bench.store, place, original)  # the real one still opens: nothing was lost
    assert await bench.download(bench.a(), x.document) == secret
    assert await bench.download(bench.b(), x.document) == ErrorCode.NOT_FOUND


async def test_swapped_manifests_are_refused(bench: Bench) -> None:
    x = await bench.upload(b"side A only", name="x.pdf")
    other = await bench.upload(b"other hearing", name="y.pdf", compartment="joint",
                               hearing=bench.hearing + "z")
    raw_x = await bench.store.read(manifest_key_of(bench, x.document, x.version))
    raw_other = await bench.store.read(
        manifest_key_of(bench, other.document, other.version, other.hearing))
    # another hearing's manifest planted here, and this one moved to another version name
    await overwrite(bench.store, manifest_key_of(bench, other.document, other.version), raw_other)
    moved = "0" * 12 + "ffffffffffff"
    await overwrite(bench.store, manifest_key_of(bench, x.document, moved), raw_x)
    assert await bench.listed(bench.b()) == []
    assert await bench.listed(bench.a()) == [x.document]
    assert await bench.download(bench.b(), other.document) == INTEGRITY
    found = await bench.vault.find(bench.hearing, x.document)
    assert found.manifest == x and {r.version for r in found.rejected} == {moved}
    assert {other.document, x.document} <= await rejected_ids(bench)


async def test_broken_manifest_leaves_the_rest_listed(bench: Bench) -> None:
    """Regression (item 2): one broken manifest made every list call of the hearing fail."""
    docs = [await bench.upload(f"doc {i}".encode(), name=f"d{i}.pdf", compartment="joint")
            for i in range(3)]
    await overwrite(bench.store, manifest_key_of(bench, docs[1].document, docs[1].version),
                    b"{ not json")
    # not "{" first: that would read as an unsealed manifest of the first format ("legacy")
    await overwrite(bench.store, f"docs/{bench.hearing}/planted/x.manifest",
                    b"\x00" + os.urandom(299))
    await overwrite(bench.store, f"docs/{bench.hearing}/stray.manifest", b"")
    want = sorted([docs[0].document, docs[2].document])
    assert sorted(await bench.listed(bench.b())) == want
    assert sorted(await bench.listed(bench.a())) == want
    rejected = await bench.events("document.manifest_rejected")
    assert {(e.resource.id, e.details["reason"]) for e in rejected} >= {
        (docs[1].document, "legacy"), ("planted", "format"), ("unknown", "format")}
    assert all(e.outcome == "failed" and e.actor.id in {bench.a().id, bench.b().id}
               for e in rejected)


async def test_a_flood_of_broken_manifests_is_audited_within_bounds(bench: Bench) -> None:
    real = await bench.upload(b"real", name="real.pdf", compartment="joint")
    for i in range(60):
        await overwrite(bench.store, f"docs/{bench.hearing}/junk{i:03d}/1.manifest", b"\x01" * 50)
    for _ in range(3):
        assert await bench.listed(bench.b()) == [real.document]
    rejected = await bench.events("document.manifest_rejected")
    assert 1 <= len(rejected) <= 20  # the alarm's burst per hearing per window
    assert len({e.resource.id for e in rejected}) == len(rejected)  # each object at most once
    assert len(await bench.events("document.list")) == 3


async def test_content_replaced_or_versioned_serves_the_original_or_nothing(bench: Bench) -> None:
    """Regression (item 4): a new version of a retained content object made reads fail with
    500. Now a versioned store serves the pinned original; elsewhere the read is refused with
    `integrity` and audited. No unauthenticated byte is ever served."""
    data = os.urandom(20_000)
    x = await bench.upload(data, name="x.pdf")
    decoy = await bench.upload(os.urandom(20_000), name="decoy.pdf")
    content = f"docs/{bench.hearing}/{x.document}/{x.version}.content"
    stored = await bench.store.read(content)
    decoy_stored = await bench.store.read(f"docs/{bench.hearing}/{decoy.document}/"
                                          f"{decoy.version}.content")
    versioned = x.content_version is not None
    for forged in (decoy_stored, flipped(stored, 5000), flipped(stored, 50), stored[:-1],
                   stored + b"more"):
        await overwrite(bench.store, content, forged)
        got = await bench.download(bench.a(), x.document)
        partial = await bench.download(bench.a(), x.document, byte_range="bytes=4000-4999")
        if versioned:
            assert got == data and partial == data[4000:5000]
        else:
            assert got == INTEGRITY
            assert partial in (INTEGRITY, data[4000:5000])  # untouched segments still authentic
        assert await bench.listed(bench.a()) == sorted([x.document, decoy.document],
                                                       key=lambda d: "x.pdf" if d == x.document
                                                       else "decoy.pdf")
    assert await bench.download(bench.b(), x.document) == ErrorCode.NOT_FOUND
    if not versioned:
        failures = await bench.events("document.integrity_failure")
        assert failures and all(e.resource.id == x.document for e in failures)


async def every_stored_version(store: ObjectStore) -> list[tuple[str, bytes]]:
    """Every object version the store holds, as someone who can read the bucket sees it."""
    if isinstance(store, LocalFolderStore):
        return [(str(p.relative_to(store.root)), p.read_bytes())
                for p in sorted(store.root.rglob("*")) if p.is_file()]
    assert isinstance(store, S3Store)
    client, bucket = store._client, store._bucket
    found = []
    for obj in client.list_objects(bucket, recursive=True, include_version=True):
        if obj.is_delete_marker:
            continue
        response = client.get_object(bucket, obj.object_name or "", version_id=obj.version_id)
        try:
            found.append((f"{obj.object_name}@{obj.version_id}", response.read()))
        finally:
            response.close()
            response.release_conn()
    return found


def key_records(versions: list[tuple[str, bytes]]) -> list[tuple[str, k.HearingKeyRecord]]:
    records = []
    for name, raw in versions:
        if name.startswith(("keys/", "objects/keys/")):
            records.append((name, k.decode_record(raw)))
    return records


def master_keys(key_file: Path) -> dict[str, bytes]:
    ring = json.loads(key_file.read_text())
    return {kid: base64.b64decode(v) for kid, v in ring["keys"].items()}


async def test_rotation_leaves_no_old_wrap_in_any_version(bench: Bench) -> None:
    """Regression (item 3): on a versioned bucket the noncurrent version of keys/<hearing>
    stayed wrapped under the retired master key. Every version of every object is listed."""
    docs = [await bench.upload(b"one", name="one.pdf"),
            await bench.upload(b"two", name="two.pdf", hearing=bench.hearing + "b")]
    old = master_keys(bench.key_file)
    await bench.vault.rotate_master()
    await bench.vault.rotate_master()  # twice: each leaves exactly one version
    current = set(master_keys(bench.key_file))
    assert not current & set(old)
    records = key_records(await every_stored_version(bench.store))
    assert len(records) == 2, [name for name, _ in records]  # one version per hearing, no more
    for _name, record in records:
        assert record.wrapped is not None and record.wrapped.master_key_id in current
        for kid, key in old.items():  # the retired key opens nothing that is stored anywhere
            context = k.hearing_context(record.hearing, record.key_id) + b"\x00" + kid.encode()
            with pytest.raises(InvalidTag):
                blob = record.wrapped.blob
                AESGCM(key).decrypt(blob[:12], blob[12:], context)
    assert await bench.download(bench.a(), docs[0].document) == b"one"


async def test_shred_leaves_no_key_record_version(bench: Bench) -> None:
    x = await bench.upload(b"to be destroyed", name="x.pdf")
    await bench.vault.rotate_master()
    await bench.vault.shred_hearing(bench.hearing)
    records = [r for _, r in key_records(await every_stored_version(bench.store))
               if r.hearing == bench.hearing]
    assert len(records) == 1 and records[0].wrapped is None  # the tombstone, nothing else
    assert await bench.listed(bench.a()) == []
    assert await bench.download(bench.a(), x.document) == ErrorCode.NOT_FOUND


async def test_key_record_rollback_and_swap_open_nothing(bench: Bench) -> None:
    x = await bench.upload(b"secret", name="x.pdf")
    await bench.upload(b"elsewhere", name="y.pdf", hearing=bench.hearing + "b")
    before = await bench.store.read(record_key(bench.hearing))
    await bench.vault.rotate_master()
    rotated = await bench.store.read(record_key(bench.hearing))
    for forged in (before,  # rolled back to the wrap under the retired master key
                   await bench.store.read(record_key(bench.hearing + "b")),  # another hearing's
                   flipped(rotated, len(rotated) // 2)):
        await overwrite(bench.store, record_key(bench.hearing), forged)
        assert await bench.download(bench.a(), x.document) in (INTEGRITY, ErrorCode.NOT_FOUND)
        assert await bench.download(bench.b(), x.document) in (INTEGRITY, ErrorCode.NOT_FOUND)
        assert x.document not in await _listed_or_nothing(bench)
    await overwrite(bench.store, record_key(bench.hearing), rotated)
    assert await bench.download(bench.a(), x.document) == b"secret"


async def _listed_or_nothing(bench: Bench) -> list[str]:
    try:
        return await bench.listed(bench.a())
    except DomainError as exc:
        assert exc.code is INTEGRITY  # the whole hearing's key is unusable: typed, not 500
        return []


async def test_deleted_tombstone_revives_nothing(bench: Bench) -> None:
    x = await bench.upload(b"destroyed for good", name="x.pdf")
    manifest_raw = await bench.store.read(manifest_key_of(bench, x.document, x.version))
    await bench.vault.shred_hearing(bench.hearing)
    await bench.store.delete(record_key(bench.hearing))  # the writer removes the tombstone ...
    await overwrite(bench.store, manifest_key_of(bench, x.document, x.version), manifest_raw)
    fresh = await bench.upload(b"new", name="new.pdf")  # ... so a new hearing key is minted
    assert await bench.listed(bench.a()) == [fresh.document]
    assert await bench.download(bench.a(), x.document) == INTEGRITY
    with pytest.raises(IntegrityError):
        await bench.vault.manifest(bench.hearing, x.document)


async def test_release_rolled_back_only_narrows(bench: Bench) -> None:
    x = await bench.upload(b"released later", name="x.pdf")
    place = manifest_key_of(bench, x.document, x.version)
    narrow = await bench.store.read(place)
    await bench.vault.release(bench.hearing, x.document, "joint", by=bench.a().id)
    assert await bench.download(bench.b(), x.document) == b"released later"
    await overwrite(bench.store, place, narrow)  # an older sealed state of the same place
    assert await bench.listed(bench.b()) == []
    assert await bench.download(bench.a(), x.document) == b"released later"


async def test_a_version_rolled_back_to_its_narrower_compartment_stays_hidden(
        bench: Bench) -> None:
    """Access is decided on the record of the version asked for: a version whose record is
    rolled back to before its release (side A) is hidden from side B by its id and in the list
    of versions, while the document's latest version, in joint, is read. (A release widens the
    latest version only, so v1 is released while it is the latest, and v2 follows it there.)"""
    v1 = await bench.upload(b"first draft", name="terms.pdf")
    place = manifest_key_of(bench, v1.document, v1.version)
    narrow = await bench.store.read(place)
    await bench.vault.release(bench.hearing, v1.document, "joint", by=bench.a().id)

    async def second() -> AsyncIterator[bytes]:
        yield b"second draft"

    v2 = await bench.vault.upload(bench.hearing, "joint", "terms.pdf", len(b"second draft"),
                                  second(), owner="side:A", uploaded_by=bench.a().id)
    assert v1.document == v2.document and v1.version < v2.version
    assert await bench.versions(bench.b(), v1.document) == [v2.version, v1.version]
    await overwrite(bench.store, place, narrow)  # v1's record as it was before its release
    b, a = bench.b(), bench.a()
    assert await bench.download(b, v1.document) == b"second draft"
    assert await bench.download(b, v1.document, version=v2.version) == b"second draft"
    assert await bench.download(b, v1.document, version=v1.version) == ErrorCode.NOT_FOUND
    assert await bench.versions(b, v1.document) == [v2.version]
    reply = await bench.evidence.list(RequestContext(b, None, {}),
                                      ListDocumentsRequest(hearing=bench.hearing))
    assert [(d.document, d.versions) for d in reply.documents] == [(v1.document, 1)]
    # Side A, whose compartment v1 is in, still reads both.
    assert await bench.versions(a, v1.document) == [v2.version, v1.version]
    assert await bench.download(a, v1.document, version=v1.version) == b"first draft"
    denied = [e for e in await bench.events("document.denied") if e.actor.id == b.id]
    assert [e.resource.id for e in denied] == [v1.document]
