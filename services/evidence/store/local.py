"""`LocalFolderStore`: the embedded default backend, a folder on the local file system.

Layout: `<root>/objects/<key>` for committed objects, `<root>/staging/<random>.tmp` for writes in
progress. A put writes the temp file, fsyncs it, renames it into place (or hard-links it, for
create-if-absent, which fails atomically if the name exists) and fsyncs the directory, so after a
crash an object is either wholly there or not there at all; leftovers stay in `staging/` until
`sweep`. Every blocking call runs in a worker thread, so the event loop never waits on the disk.

While a large object is written, each batch's writeback to the disk is started at once
(`sync_file_range`, Linux), so the fsync before the commit waits for the last batches only, not
for the whole object: the disk works while later bytes are still arriving. Durability is
unchanged: the commit still fsyncs the file and the directory before the object is visible.

Drafts (base.Drafting) are the exception: written in place under `objects/<key>`, range by
range, each write made durable before it returns, then hard-linked as their final object, all
under the draft's `flock` (disk.py), so a commit never sees a draft write half done; a draft
with a second name takes no more writes.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from pathlib import Path

from parley.futures import ended
from parley.instants import now_ms
from parley.secretfile import fsync_dir
from services.evidence.errors import (
    ObjectExistsError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    StoreError,
)
from services.evidence.store.base import ObjectInfo, validate_key
from services.evidence.store.disk import (
    commit_draft,
    files_under,
    finish_draft,
    makedirs_durable,
    mtime_ms,
    open_draft,
)
from services.evidence.store.file_writer import FileWriter

READ_CHUNK = 1 << 20


class LocalFolderStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._objects = self.root / "objects"
        self._staging = self.root / "staging"
        for directory in (self.root, self._objects, self._staging):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self._objects / validate_key(key)

    def _commit(self, staged: FileWriter, final: Path, if_absent: bool) -> None:
        os.fsync(staged.fd)
        os.close(staged.fd)
        staged.fd = -1
        makedirs_durable(final.parent, self._objects)
        if if_absent:
            try:
                os.link(staged.path, final)
            except FileExistsError:
                raise ObjectExistsError("object already exists") from None
            finally:
                staged.path.unlink(missing_ok=True)
        else:
            os.replace(staged.path, final)
        fsync_dir(final.parent)

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, if_absent: bool = False,
                  retain: bool = False) -> ObjectInfo:
        final = self._path(key)
        tmp = self._staging / f"{secrets.token_hex(16)}.tmp"
        try:
            fd = await asyncio.to_thread(os.open, tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise StoreError("the local store cannot stage a write") from exc
        staged = FileWriter(tmp, fd)
        try:
            await staged.write(chunks, 0)
            await staged.run(self._commit, staged, final, if_absent)
        except BaseException:
            await asyncio.shield(staged.abort())
            raise
        return await self.stat(key)

    async def write_draft(self, key: str, offset: int, chunks: AsyncIterable[bytes]) -> int:
        path = self._path(key)
        try:
            fd = await asyncio.to_thread(open_draft, path, self._objects, offset)
        except FileNotFoundError:
            raise ObjectNotFoundError("the draft was committed or removed") from None
        except OSError as exc:
            raise StoreError("the local store cannot open a draft") from exc
        staged = FileWriter(path, fd, temporary=False)
        try:
            written = await staged.write(chunks, offset)
            await staged.run(finish_draft, fd, path)
        finally:
            await asyncio.shield(staged.abort())  # closes the descriptor: the lock goes
        return written

    async def commit_draft(self, key: str, final: str, size: int,
                           check: Callable[[int], None]) -> ObjectInfo:
        try:
            await asyncio.to_thread(commit_draft, self._path(key), self._path(final),
                                    self._objects, size, check)
        except FileNotFoundError:
            raise ObjectNotFoundError("no such draft") from None
        except FileExistsError:
            raise ObjectExistsError("object already exists") from None
        except OSError as exc:
            raise StoreError("the local store failed to commit a draft") from exc
        return await self.stat(final)

    @staticmethod
    def _no_versions(version_id: str | None) -> None:
        if version_id is not None:  # a folder keeps one copy: no version of it was ever named
            raise ObjectNotFoundError("no such object version")

    async def open_file(self, key: str, *, version_id: str | None = None) -> int:
        self._no_versions(version_id)
        try:
            return await asyncio.to_thread(os.open, self._path(key), os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise ObjectNotFoundError("no such object") from None

    async def get(self, key: str, start: int = 0, end: int | None = None, *,
                  version_id: str | None = None) -> AsyncGenerator[bytes, None]:
        self._no_versions(version_id)
        path = self._path(key)
        try:
            handle = await asyncio.to_thread(open, path, "rb")
        except FileNotFoundError:
            raise ObjectNotFoundError("no such object") from None
        ahead: asyncio.Future[bytes] | None = None
        try:
            await asyncio.to_thread(handle.seek, start)
            left = None if end is None else max(0, end - start)

            def next_read() -> asyncio.Future[bytes] | None:
                if left is not None and left <= 0:
                    return None
                want = READ_CHUNK if left is None else min(READ_CHUNK, left)
                return asyncio.ensure_future(asyncio.to_thread(handle.read, want))

            ahead = next_read()
            while ahead is not None:
                chunk = await ahead
                ahead = None
                if not chunk:
                    break
                if left is not None:
                    left -= len(chunk)
                ahead = next_read()  # read the next chunk while this one is consumed
                yield chunk
        finally:
            if ahead is not None:  # never close the file under a read in flight
                await ended(ahead)
            handle.close()

    async def read(self, key: str, *, max_size: int | None = None) -> bytes:
        path = self._path(key)

        def _read() -> bytes:  # one worker-thread hop: listings read many small objects
            with path.open("rb") as handle:
                data = handle.read(-1 if max_size is None else max_size + 1)
            if max_size is not None and len(data) > max_size:
                raise ObjectTooLargeError("object larger than expected")
            return data

        try:
            return await asyncio.to_thread(_read)
        except FileNotFoundError:
            raise ObjectNotFoundError("no such object") from None
        except OSError as exc:
            raise StoreError("read failed") from exc

    async def delete(self, key: str) -> None:
        path = self._path(key)

        def _delete() -> None:
            try:
                path.unlink()
            except FileNotFoundError:
                return
            fsync_dir(path.parent)

        await asyncio.to_thread(_delete)

    async def prune(self, key: str) -> None:
        self._path(key)  # validates; a folder holds one copy of each key, nothing older

    async def versions(self, key: str) -> list[ObjectInfo]:
        try:
            return [await self.stat(key)]
        except ObjectNotFoundError:
            return []

    async def stat(self, key: str, *, version_id: str | None = None) -> ObjectInfo:
        self._no_versions(version_id)
        try:
            st = await asyncio.to_thread(os.stat, self._path(key))
        except FileNotFoundError:
            raise ObjectNotFoundError("no such object") from None
        return ObjectInfo(key=key, size=st.st_size, modified_ms=mtime_ms(st))

    async def list(self, prefix: str) -> list[ObjectInfo]:
        def _walk() -> list[ObjectInfo]:
            return [ObjectInfo(key, size, modified_ms)
                    for key, size, modified_ms in files_under(str(self._objects), prefix)]

        if prefix:
            validate_key(prefix.rstrip("/") or "x")
        return await asyncio.to_thread(_walk)

    async def sweep(self, max_age_ms: int) -> int:
        def _sweep() -> int:
            removed, older_than_ms = 0, now_ms() - max_age_ms
            for path in self._staging.iterdir():
                try:
                    if mtime_ms(path.stat()) < older_than_ms:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue
            return removed

        return await asyncio.to_thread(_sweep)

    async def close(self) -> None:
        return None
