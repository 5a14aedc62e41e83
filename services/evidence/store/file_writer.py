"""`FileWriter`: one file written from an async stream, each batch written in a worker thread
while the next one fills (pipelined), its writeback begun at once (disk.py). The local folder
store writes its temp files and drafts with it (local.py).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterable, Callable
from pathlib import Path

from parley.futures import ended
from services.evidence.errors import StoreError
from services.evidence.store.disk import write_all, write_batch

WRITE_BATCH = 1 << 20


class FileWriter:
    """One file being written (a temp file, or a draft: `temporary=False`). `abort` waits for an
    in-flight write before closing the descriptor, so a cancelled upload can never write into a
    reused descriptor number; it removes a temp file, never a draft."""

    def __init__(self, path: Path, fd: int, *, temporary: bool = True) -> None:
        self.path, self.fd, self.temporary = path, fd, temporary
        self.inflight: asyncio.Future[None] | None = None

    def start(self, func: Callable[..., None], *args: object) -> None:
        """Start one blocking step in a worker thread; `wait` collects it. One at a time, so the
        next chunk is received and sealed while this one is written (pipelined)."""
        assert self.inflight is None
        self.inflight = asyncio.ensure_future(asyncio.to_thread(func, *args))

    async def wait(self) -> None:
        """The step in flight, if any; the store's own I/O errors become StoreError (the
        source's errors, raised by the caller's iterator, pass through unchanged)."""
        if self.inflight is None:
            return
        try:
            await self.inflight
        except OSError as exc:  # disk full, I/O error, a broken folder: nothing is committed
            raise StoreError("the local store failed a write") from exc
        self.inflight = None  # left set on failure or cancellation: `abort` waits for it

    async def run(self, func: Callable[..., None], *args: object) -> None:
        await self.wait()
        self.start(func, *args)
        await self.wait()

    async def abort(self) -> None:
        if self.inflight is not None:
            await ended(self.inflight)  # the error that matters is the one being raised
        if self.fd != -1:
            os.close(self.fd)
            self.fd = -1
        if self.temporary:
            self.path.unlink(missing_ok=True)

    async def write(self, chunks: AsyncIterable[bytes], start: int) -> int:
        """Write `chunks` from the file's position (`start`), each batch's writeback begun
        while the next one fills; return how many bytes were written."""
        batch: list[bytes] = []
        held, written = 0, start
        async for chunk in chunks:
            batch.append(chunk)
            held += len(chunk)
            if held >= WRITE_BATCH:  # at most one batch written while the next one fills
                await self.wait()
                self.start(write_batch, self.fd, batch, written)
                batch, held, written = [], 0, written + held
        await self.wait()
        if batch:
            await self.run(write_all, self.fd, batch)
        return written + held - start
