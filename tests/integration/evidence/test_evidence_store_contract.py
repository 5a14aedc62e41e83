"""One contract suite, run against LocalFolderStore and S3Store on real moto_server and SeaweedFS
processes (a plain bucket and an object-locked, versioned one): see conftest.STORES."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.evidence.errors import (
    InvalidKeyNameError,
    ObjectExistsError,
    ObjectNotFoundError,
    StoreError,
)
from services.evidence.store.base import ObjectStore, one_chunk
from services.evidence.store.s3 import S3Store
from tests.integration.evidence.conftest import CONTRACT_STORES, open_test_store


@pytest.fixture(params=CONTRACT_STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    """The contract suite runs once per backend."""
    backend = await open_test_store(request, tmp_path, request.param)
    yield backend
    await backend.close()


BIG = 12 * 1024 * 1024 + 12345  # more than two 5 MiB parts


async def chunked(data: bytes, size: int = 300_001) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


async def failing(data: bytes, fail_after: int) -> AsyncIterator[bytes]:
    sent = 0
    async for chunk in chunked(data):
        if sent >= fail_after:
            raise OSError("client went away")
        sent += len(chunk)
        yield chunk


async def collect(it: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in it])


async def nothing_visible(store: ObjectStore, key: str) -> None:
    with pytest.raises(ObjectNotFoundError):
        await store.stat(key)
    assert await store.list(key.rpartition("/")[0] + "/") == []
    assert await store.sweep(0) == 0, "an aborted put left staged bytes behind"


async def test_small_round_trip_stat_list_delete(store: ObjectStore) -> None:
    info = await store.put("h/a/one", one_chunk(b"hello"))
    assert info.size == 5
    await store.put("h/a/two", chunked(b""))
    await store.put("h/b/three", one_chunk(b"x"))
    assert await store.read("h/a/one") == b"hello"
    assert await store.read("h/a/two") == b""
    assert (await store.stat("h/a/one")).size == 5
    assert [i.key for i in await store.list("h/a/")] == ["h/a/one", "h/a/two"]
    assert [i.key for i in await store.list("h/")] == ["h/a/one", "h/a/two", "h/b/three"]
    # a prefix that ends mid-name matches by key, folders included; sizes are the stored sizes
    assert [(i.key, i.size) for i in await store.list("h/a/o")] == [("h/a/one", 5)]
    assert [i.key for i in await store.list("h/")] == [i.key for i in await store.list("h")]
    assert await store.list("h/c/") == await store.list("nothing/here/") == []
    await store.delete("h/a/one")
    await store.delete("h/a/one")  # idempotent
    with pytest.raises(ObjectNotFoundError):
        await store.stat("h/a/one")
    with pytest.raises(ObjectNotFoundError):
        await store.read("h/a/one")
    with pytest.raises(ObjectNotFoundError):
        await collect(store.get("h/a/one"))


async def test_large_streaming_put_and_ranges(store: ObjectStore) -> None:
    data = os.urandom(BIG)
    info = await store.put("h/big/content", chunked(data))
    assert info.size == len(data)
    assert await collect(store.get("h/big/content")) == data
    for start, end in [(0, 1), (5, 5), (1000, 6_000_000), (BIG - 10, BIG), (BIG - 3, None),
                       (0, BIG + 100)]:
        got = await collect(store.get("h/big/content", start, end))
        assert got == data[start:end], (start, end)


async def test_overwrite_replaces(store: ObjectStore) -> None:
    await store.put("k/x", one_chunk(b"old"))
    await store.put("k/x", one_chunk(b"new!"))
    assert await store.read("k/x") == b"new!"


async def test_create_if_absent(store: ObjectStore) -> None:
    await store.put("k/rec", one_chunk(b"first"), if_absent=True)
    with pytest.raises(ObjectExistsError):
        await store.put("k/rec", one_chunk(b"second"), if_absent=True)
    assert await store.read("k/rec") == b"first"


@pytest.mark.parametrize("fail_after", [0, 1_000_000, 11 * 1024 * 1024])
async def test_failed_source_leaves_nothing(store: ObjectStore, fail_after: int) -> None:
    with pytest.raises(OSError, match="went away"):
        await store.put("f/doc", failing(os.urandom(BIG), fail_after))
    await nothing_visible(store, "f/doc")


async def test_cancelled_put_leaves_nothing(store: ObjectStore) -> None:
    started = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield os.urandom(6 * 1024 * 1024)
        started.set()
        await asyncio.Event().wait()  # never finishes: the client stalls
        yield b""

    task = asyncio.create_task(store.put("c/doc", slow()))
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await nothing_visible(store, "c/doc")


async def test_failed_overwrite_keeps_previous(store: ObjectStore) -> None:
    await store.put("o/doc", one_chunk(b"committed"))
    with pytest.raises(OSError):
        await store.put("o/doc", failing(os.urandom(BIG), 6_000_000))
    assert await store.read("o/doc") == b"committed"


@pytest.mark.parametrize("key", ["../x", "/abs", "a//b", "a/../b", "", "a b", "a/.hidden/..", "é"])
async def test_rejects_bad_keys(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKeyNameError):
        await store.put(key, one_chunk(b"x"))


async def test_versions_pin_and_prune(store: ObjectStore) -> None:
    """A versioned store names every version: reads of a named one survive overwrites, and
    `prune` leaves only the current one. An unversioned store has none to name."""
    first = await store.put("v/rec", one_chunk(b"first"))
    second = await store.put("v/rec", one_chunk(b"second!"))
    assert await store.read("v/rec") == b"second!"
    if first.version_id is None:
        assert second.version_id is None
        assert [i.version_id for i in await store.versions("v/rec")] == [None]
    else:
        assert second.version_id not in (None, first.version_id)
        assert await collect(store.get("v/rec", version_id=first.version_id)) == b"first"
        assert (await store.stat("v/rec", version_id=first.version_id)).size == 5
        assert [i.version_id for i in await store.versions("v/rec")] == [second.version_id,
                                                                         first.version_id]
    await store.prune("v/rec")
    assert [i.version_id for i in await store.versions("v/rec")] == [second.version_id]
    assert await store.read("v/rec") == b"second!"
    await store.delete("v/rec")
    assert await store.versions("v/rec") == []


async def test_retained_objects_cannot_be_deleted_where_the_store_locks(
        store: ObjectStore) -> None:
    locked = isinstance(store, S3Store) and store.retains
    info = await store.put("r/content", one_chunk(b"kept"), retain=True)
    if locked:
        with pytest.raises(StoreError):
            await store.delete("r/content")
        assert await collect(store.get("r/content", version_id=info.version_id)) == b"kept"
    else:
        await store.delete("r/content")
        assert await store.versions("r/content") == []
