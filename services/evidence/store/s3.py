"""`S3Store`: the production backend, any S3-protocol server (SeaweedFS, AWS S3) through `minio`.

The `minio` client is synchronous, so every call runs in this store's own worker threads, never
on the event loop. An upload is cut into fixed-size parts; at most `max_inflight_parts` parts are
being sent at once and the next part is only accepted from the producer when a slot frees, so one
upload holds at most `(max_inflight_parts + 1) * part_size` bytes and backpressure reaches the
client. Objects no larger than one part go up in a single PUT. A failed or cancelled multipart
upload is aborted; one that could not be aborted (process killed) is removed by `sweep` once this
store has seen it for the age limit (sightings.py: never by the date the server gives it), sparing
every key being written from before its upload exists.

Object lock (WORM): with `object_lock=True` every request that stores bytes carries Content-MD5
(S3, and moto, refuse lock-governed uploads without a checksum header), and `put(retain=True)`
sets the configured retention on the object. Key records are never retained; do not give the
bucket a *default* retention, or shredding (deleting every version of a key record) is refused.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypeVar

from minio import Minio
from minio.datatypes import Part
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from minio.helpers import DictType
from urllib3.exceptions import HTTPError, MaxRetryError, ResponseError

from parley.futures import ended
from parley.instants import instant, ms_of, now_ms, steady_ms
from services.evidence.errors import (
    ObjectExistsError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    StoreError,
)
from services.evidence.sightings import Sightings
from services.evidence.store.base import ObjectInfo, validate_key

MIN_PART_SIZE = 5 * 1024 * 1024
READ_CHUNK = 1 << 20
T = TypeVar("T")
_NOT_FOUND = {"NoSuchKey", "NoSuchObject", "ResourceNotFound", "NoSuchVersion"}


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()


def _version(version_id: str | None) -> str | None:
    """S3 names the one copy in an unversioned bucket "null": that is no version to pin."""
    return None if version_id in (None, "", "null") else version_id


def _translate(exc: Exception) -> StoreError:
    """Say what happened: a server that answered with an error is not an unreachable one."""
    if isinstance(exc, S3Error):
        if exc.code in _NOT_FOUND:
            return ObjectNotFoundError("no such object")
        if exc.code == "PreconditionFailed":
            return ObjectExistsError("object already exists")
        status = getattr(exc.response, "status", None)
        if isinstance(status, int) and status >= 500:
            return StoreError(f"the object store failed the request (HTTP {status}, {exc.code})")
        return StoreError(f"the object store refused the request ({exc.code})")
    if isinstance(exc, ServerError):
        return StoreError(f"the object store failed the request (HTTP {exc.status_code})")
    if isinstance(exc, MaxRetryError) and isinstance(exc.reason, ResponseError):
        # urllib3 (under minio) retried 5xx answers and gave up: the server did answer
        return StoreError(f"the object store kept failing the request ({exc.reason})")
    if isinstance(exc, InvalidResponseError):
        return StoreError("the object store sent an unexpected reply "
                          f"(HTTP {exc._code})")  # the body is not repeated: it may be anything
    return StoreError("the object store is unreachable")


class S3Store:
    def __init__(self, client: Minio, bucket: str, *, part_size: int = 8 * 1024 * 1024,
                 max_inflight_parts: int = 2, workers: int = 8, object_lock: bool = False,
                 retention: timedelta | None = None, retention_mode: str = "GOVERNANCE",
                 clock: Callable[[], int] = now_ms, steady: Callable[[], int] = steady_ms) -> None:
        if part_size < MIN_PART_SIZE:
            raise ValueError("S3 parts must be at least 5 MiB")
        self._client = client
        self._bucket = bucket
        self._part_size = part_size
        self._max_inflight = max(1, max_inflight_parts)
        self._lock = object_lock
        self._retention = retention
        self._retention_mode = retention_mode
        self._clock, self._steady, self._seen = clock, steady, Sightings()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="s3store")
        self._writing: Counter[str] = Counter()  # keys being written: `sweep` spares them

    @property
    def retains(self) -> bool:
        """Whether `put(retain=True)` puts objects under object-lock retention."""
        return self._lock and self._retention is not None

    def _ms(self, when: datetime | None) -> int:
        """A server's time as epoch ms; one left out is now (never ancient, so never swept)."""
        return self._clock() if when is None else ms_of(when)

    async def _run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, lambda: func(*args, **kwargs))
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc) from exc

    def _write_headers(self, retain: bool) -> dict[str, str]:
        headers = {"Content-Type": "application/octet-stream"}
        if retain and self._retention is not None:
            until = instant(self._clock()) + self._retention
            headers["x-amz-object-lock-mode"] = self._retention_mode
            headers["x-amz-object-lock-retain-until-date"] = until.strftime(
                "%Y-%m-%dT%H:%M:%S.000Z")
        return headers

    def _put_single(self, key: str, data: bytes, headers: dict[str, str]) -> str | None:
        # Always send Content-MD5: cheap on small objects and required by object-locked buckets.
        return self._client._put_object(self._bucket, key, data,
                                        {**headers, "Content-MD5": _md5(data)}).version_id

    def _upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> Part:
        headers: DictType | None = {"Content-MD5": _md5(data)} if self._lock else None
        etag = self._client._upload_part(self._bucket, key, data, headers, upload_id, number)
        return Part(number, etag)

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, if_absent: bool = False,
                  retain: bool = False) -> ObjectInfo:
        validate_key(key)
        headers = self._write_headers(retain)
        size = self._part_size
        buf = bytearray()
        upload_id: str | None = None
        inflight: list[asyncio.Future[Part]] = []
        parts: list[Part] = []

        async def send(data: bytes) -> None:
            while len(inflight) >= self._max_inflight:
                parts.append(await inflight.pop(0))
            number = len(parts) + len(inflight) + 1
            assert upload_id is not None
            inflight.append(asyncio.ensure_future(
                self._run(self._upload_part, key, upload_id, number, data)))

        self._writing[key] += 1
        try:
            async for chunk in chunks:
                buf += chunk
                while len(buf) > size:
                    if if_absent:
                        raise ValueError("create-if-absent is for single-part objects")
                    if upload_id is None:
                        upload_id = await self._run(self._client._create_multipart_upload,
                                                    self._bucket, key, dict(headers))
                    data = bytes(buf[:size])
                    del buf[:size]
                    await send(data)
            if upload_id is None:
                if if_absent:
                    headers["If-None-Match"] = "*"
                version = await self._run(self._put_single, key, bytes(buf), headers)
            else:
                await send(bytes(buf))
                while inflight:
                    parts.append(await inflight.pop(0))
                version = (await self._run(
                    self._client._complete_multipart_upload, self._bucket, key, upload_id,
                    sorted(parts, key=lambda p: p.part_number))).version_id
        except BaseException:
            await asyncio.shield(self._abort(upload_id, key, inflight))
            raise
        finally:
            self._writing -= Counter((key,))
        # The version just written, not whatever is current by now (another writer may be).
        return await self.stat(key, version_id=_version(version))

    async def _abort(self, upload_id: str | None, key: str,
                     inflight: list[asyncio.Future[Part]]) -> None:
        await ended(*inflight)
        if upload_id is not None:
            with contextlib.suppress(StoreError):  # otherwise left for the sweeper
                await self._run(self._client._abort_multipart_upload, self._bucket, key, upload_id)

    async def get(self, key: str, start: int = 0, end: int | None = None, *,
                  version_id: str | None = None) -> AsyncGenerator[bytes, None]:
        validate_key(key)
        if end is not None and end <= start:
            return  # minio reads length 0 as "to the end"
        length = 0 if end is None else end - start
        try:
            response = await self._run(self._client.get_object, self._bucket, key,
                                       offset=start, length=length, version_id=version_id)
        except StoreError as exc:
            cause = exc.__cause__
            if isinstance(cause, S3Error) and cause.code == "InvalidRange":
                return
            raise
        ahead: asyncio.Future[bytes] | None = None
        try:
            ahead = asyncio.ensure_future(self._run(response.read, READ_CHUNK))
            while True:
                chunk = await ahead
                ahead = None
                if not chunk:
                    break
                # the next read runs while this chunk is consumed (opened, sent)
                ahead = asyncio.ensure_future(self._run(response.read, READ_CHUNK))
                yield chunk
        finally:
            if ahead is not None:  # never close the response under a read in flight
                await ended(ahead)
            response.close()
            response.release_conn()

    async def read(self, key: str, *, max_size: int | None = None) -> bytes:
        end = None if max_size is None else max_size + 1
        data = b"".join([chunk async for chunk in self.get(key, 0, end)])
        if max_size is not None and len(data) > max_size:
            raise ObjectTooLargeError("object larger than expected")
        return data

    def _all_versions(self, key: str) -> list[Any]:
        """Every version and delete marker of `key`, latest first (as S3 lists them)."""
        return [obj for obj in self._client.list_objects(
            self._bucket, prefix=key, include_version=True, recursive=True)
            if obj.object_name == key]

    def _delete_all_versions(self, key: str) -> None:
        versions = [obj.version_id for obj in self._all_versions(key)]
        for version in versions:
            self._client.remove_object(self._bucket, key, version_id=version)
        if not versions:
            self._client.remove_object(self._bucket, key)

    def _prune(self, key: str) -> None:
        for obj in self._all_versions(key):
            current = str(obj.is_latest).lower() == "true" and not obj.is_delete_marker
            if obj.version_id and not current:
                self._client.remove_object(self._bucket, key, version_id=obj.version_id)
        if len(self._all_versions(key)) > 1:
            raise StoreError("an older version of the object could not be removed")

    async def prune(self, key: str) -> None:
        validate_key(key)
        await self._run(self._prune, key)

    async def versions(self, key: str) -> list[ObjectInfo]:
        validate_key(key)
        found = await self._run(self._all_versions, key)
        return [ObjectInfo(key, int(o.size or 0), self._ms(o.last_modified),
                           _version(o.version_id)) for o in found if not o.is_delete_marker]

    async def delete(self, key: str) -> None:
        validate_key(key)
        try:
            await self._run(self._delete_all_versions, key)
        except ObjectNotFoundError:
            return

    async def stat(self, key: str, *, version_id: str | None = None) -> ObjectInfo:
        validate_key(key)
        info = await self._run(self._client.stat_object, self._bucket, key,
                               version_id=version_id)
        return ObjectInfo(key=key, size=int(info.size or 0),
                          modified_ms=self._ms(info.last_modified),
                          version_id=_version(info.version_id))

    async def list(self, prefix: str) -> list[ObjectInfo]:
        def _list() -> list[ObjectInfo]:
            return [ObjectInfo(o.object_name or "", int(o.size or 0), self._ms(o.last_modified))
                    for o in self._client.list_objects(self._bucket, prefix=prefix,
                                                       recursive=True)]

        return sorted(await self._run(_list), key=lambda info: info.key)

    async def sweep(self, max_age_ms: int) -> int:
        listed = await self._run(self._client._list_multipart_uploads, self._bucket)
        leftovers = {upload.upload_id: upload.object_name for upload in listed.uploads
                     if upload.upload_id and upload.object_name not in self._writing}
        due = self._seen.seen_for(leftovers, self._steady(), max_age_ms)
        for upload_id in due:
            await self._run(self._client._abort_multipart_upload, self._bucket,
                            leftovers[upload_id], upload_id)
        return len(due)

    async def close(self) -> None:
        self._pool.shutdown(wait=True)
