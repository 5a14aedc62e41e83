"""Backend-specific behaviour: object lock and multipart on moto, staging on the local folder."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import urllib3
from aiohttp import web
from aiohttp.test_utils import TestServer
from minio import Minio

from parley.instants import now_ms
from services.evidence.errors import HearingShreddedError, StoreError
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.store.local import LocalFolderStore
from services.evidence.store.s3 import MIN_PART_SIZE, S3Store
from services.evidence.vault import Vault


async def chunks(data: bytes, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


async def test_object_lock_bucket_upload_retain_and_shred(
        minio_client: Minio, bucket_factory: Callable[..., str], tmp_path: Path) -> None:
    client = minio_client
    bucket = bucket_factory(object_lock=True)
    store = S3Store(client, bucket, part_size=MIN_PART_SIZE, object_lock=True,
                    retention=timedelta(days=1))
    vault = Vault(store, LocalKeyFileProvider.load_or_create(tmp_path / "m.key"))
    big = os.urandom(MIN_PART_SIZE + 100_000)  # multipart
    small = await vault.upload("h1", "joint", "s.txt", 5, chunks(b"hello"), owner="mediator",
                               uploaded_by="m")
    large = await vault.upload("h1", "joint", "b.bin", len(big), chunks(big), owner="mediator",
                               uploaded_by="m")
    assert b"".join([c async for c in vault.reads.open_range(large)]) == big
    content = f"docs/h1/{small.document}/{small.version}.content"
    headers = {k.lower(): v for k, v in (client.stat_object(bucket, content).metadata or {}).items()}
    assert headers.get("x-amz-object-lock-mode") == "GOVERNANCE"
    with pytest.raises(StoreError):
        await store.delete(content)  # WORM: the ciphertext stays ...
    await vault.shred_hearing("h1")  # ... but the key record is not retained, so it goes
    with pytest.raises(HearingShreddedError):
        b"".join([c async for c in vault.reads.open_range(small)])
    assert await store.read(content)  # still stored, unreadable for good
    await store.close()


async def test_sweeper_aborts_stale_multipart_uploads(minio_client: Minio,
                                                    bucket_factory: Callable[..., str]) -> None:
    """A foreign incomplete upload is aborted; this store's own in-flight upload is not (the
    in-flight guard, not an age, keeps it: the sweep here is of every leftover, age 0)."""
    client = minio_client
    bucket = bucket_factory()
    store = S3Store(client, bucket, part_size=MIN_PART_SIZE)
    client._create_multipart_upload(bucket, "docs/h/d/dead.content", {})
    first_part_sent, go_on = asyncio.Event(), asyncio.Event()
    data = os.urandom(2 * MIN_PART_SIZE + 10)

    async def stalled() -> AsyncIterator[bytes]:
        yield data[:MIN_PART_SIZE + 1]  # more than one part: multipart begins
        first_part_sent.set()
        await go_on.wait()
        yield data[MIN_PART_SIZE + 1:]

    live = asyncio.create_task(store.put("docs/h/d/live.content", stalled()))
    await asyncio.wait_for(first_part_sent.wait(), 10)
    assert len(client._list_multipart_uploads(bucket).uploads) == 2
    assert await store.sweep(0) == 1
    go_on.set()
    await asyncio.wait_for(live, 30)
    assert await store.read("docs/h/d/live.content") == data
    assert client._list_multipart_uploads(bucket).uploads == []
    await store.close()


async def test_a_leftover_upload_is_aged_by_this_stores_sight_not_the_servers_date(
        minio_client: Minio, bucket_factory: Callable[..., str]) -> None:
    """moto dates every multipart upload 2010, as a server whose clock runs years behind would:
    a sweep with an hour's limit must not take a fresh upload (another evidence process's, in
    flight) for an hour-old leftover. The age is counted from this store's first sight of it,
    on its steady clock, and a sweep that no longer sees it forgets it."""
    client = minio_client
    bucket = bucket_factory()
    steady = [0]
    hour = 3_600_000
    store = S3Store(client, bucket, part_size=MIN_PART_SIZE, steady=lambda: steady[0])
    foreign = client._create_multipart_upload(bucket, "docs/h/d/elsewhere.content", {})
    assert [u.initiated_time.year for u in client._list_multipart_uploads(bucket).uploads
            if u.initiated_time is not None] == [2010], "moto dates uploads differently now"
    assert await store.sweep(hour) == 0  # first sight
    steady[0] = hour - 1
    assert await store.sweep(hour) == 0
    steady[0] = hour
    assert await store.sweep(hour) == 1
    assert client._list_multipart_uploads(bucket).uploads == []
    assert foreign
    await store.close()


async def test_a_sweep_at_the_moment_an_upload_is_created_leaves_it_alone(
        minio_client: Minio, bucket_factory: Callable[..., str]) -> None:
    """The sweep that lists a multipart upload between its creation on the server and the
    creator learning its id (a restarted evidence's first sweep, beside the first upload after
    it: CI, on moto) must not abort it under the writer."""
    client = minio_client
    bucket = bucket_factory()
    store = S3Store(client, bucket, part_size=MIN_PART_SIZE, workers=4)
    loop = asyncio.get_running_loop()
    create = client._create_multipart_upload
    swept: list[int] = []

    def create_then_sweep(*args: Any) -> str:
        upload_id = str(create(*args))
        # In the store's worker thread, before the id is returned: another worker sweeps.
        swept.append(asyncio.run_coroutine_threadsafe(store.sweep(0), loop).result(30))
        return upload_id

    client._create_multipart_upload = create_then_sweep  # type: ignore[method-assign,assignment]
    data = os.urandom(2 * MIN_PART_SIZE + 10)
    await asyncio.wait_for(store.put("docs/h/d/live.content", chunks(data)), 60)
    assert swept == [0], "the sweep aborted an upload being created"
    assert await store.read("docs/h/d/live.content") == data
    await store.close()


async def test_s3_upload_memory_is_bounded(minio_client: Minio,
                                          bucket_factory: Callable[..., str]) -> None:
    """At most `max_inflight_parts` parts are in flight, however fast the producer is."""
    client = minio_client
    bucket = bucket_factory()
    active, peak, lock = 0, 0, threading.Lock()
    original = client._upload_part

    def counting(*args: Any) -> str:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        try:
            return str(original(*args))
        finally:
            with lock:
                active -= 1

    client._upload_part = counting  # type: ignore[method-assign,assignment]
    store = S3Store(client, bucket, part_size=MIN_PART_SIZE, max_inflight_parts=2, workers=8)
    data = os.urandom(6 * MIN_PART_SIZE)
    await store.put("big/object", chunks(data))
    assert 1 <= peak <= 2
    assert await store.read("big/object") == data
    await store.close()


async def test_local_staging_leftovers_are_swept_and_files_private(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path / "s")
    leftover = tmp_path / "s" / "staging" / "dead.tmp"
    leftover.write_bytes(b"half an upload")
    hour = 3_600_000
    old = (now_ms() - 2 * hour) / 1000
    os.utime(leftover, (old, old))
    assert await store.sweep(3 * hour) == 0
    assert await store.sweep(hour) == 1
    assert not leftover.exists()
    await store.put("docs/h/x.content", chunks(b"abc"))
    path = tmp_path / "s" / "objects" / "docs" / "h" / "x.content"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(("status", "body", "said"), [
    (500, b"<?xml version='1.0'?><Error><Code>InternalError</Code><Message>boom</Message>"
          b"</Error>", "too many 500 error responses"),
    (501, b"<?xml version='1.0'?><Error><Code>NotImplemented</Code><Message>no</Message></Error>",
     "HTTP 501, NotImplemented"),
    (507, b"disk full", "unexpected reply (HTTP 507)"),
])
async def test_a_store_that_answers_with_an_error_is_not_called_unreachable(
        status: int, body: bytes, said: str) -> None:
    """Regression (item 6): the store's own 500 was reported as "object store unreachable".
    A real HTTP server answers every S3 request with an error; the production client (minio's
    default, which retries 5xx answers) reads through it."""
    async def answer(_: web.Request) -> web.Response:
        ctype = "application/xml" if body.startswith(b"<?xml") else "text/plain"
        return web.Response(status=status, body=body, content_type=ctype)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    port = server.port
    store = S3Store(Minio(f"127.0.0.1:{port}", access_key="testing",
                          secret_key="testing", secure=False, region="us-east-1"),
                    "bucket", part_size=MIN_PART_SIZE)
    try:
        with pytest.raises(StoreError) as caught:
            await store.read("keys/h1")
        assert said in str(caught.value) and "unreachable" not in str(caught.value)
    finally:
        await store.close()
        await server.close()
    gone = S3Store(Minio(f"127.0.0.1:{port}", access_key="testing", secret_key="testing",
                         secure=False, region="us-east-1",
                         http_client=urllib3.PoolManager(retries=False)),
                   "bucket", part_size=MIN_PART_SIZE)
    try:  # and one that really is not there is said to be unreachable
        with pytest.raises(StoreError, match="unreachable"):
            await gone.read("keys/h1")
    finally:
        await gone.close()
