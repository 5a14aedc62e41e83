"""Hashing streamed bytes in worker threads, beside the cipher (hashlib releases the GIL)."""

from __future__ import annotations

import asyncio
from typing import Any

#: What may be hashed: any bytes-like buffer that no one changes afterwards.
Buffer = bytes | bytearray | memoryview

#: Bytes fed (all digests together) before a batch goes to the threads. Measured against 4 and
#: 8 MiB (benchmarks/evidence_throughput.py, alternating builds): on tmpfs larger batches, with
#: larger file writes, ran uploads 15-18% faster (fewer hand-offs and loop wake-ups), but on the
#: disk 4 MiB hashing batches gained nothing and 4 MiB writes lost a fifth (writeback starts
#: later), so both stay at 1 MiB.
HASH_BATCH_BYTES = 1 << 20


def update_all(digest: Any, pieces: tuple[Buffer, ...]) -> None:
    """Feed `pieces` to `digest`, in order (in a worker thread: hashlib lets go of the GIL)."""
    for data in pieces:
        digest.update(data)


class Hashing:
    """Digests fed in order, hashed in worker threads one batch (about 1 MiB) at a time:
    hashlib lets go of the GIL, so the loop receives, seals or opens, and sends the next bytes
    meanwhile, with one hand-off per digest and batch rather than per socket read. Each digest
    of a batch is its own job (a completion's plaintext and ciphertext digests run side by side);
    a batch starts only once the previous one is done, so each digest sees its bytes in order.
    The buffers fed must not change afterwards (they never do: each is a fresh read or a fresh
    sealed/opened buffer)."""

    def __init__(self) -> None:
        self._jobs: list[asyncio.Future[None]] = []
        self._batch: dict[Any, list[Buffer]] = {}
        self._size = 0

    async def feed(self, *pairs: tuple[Any, Buffer]) -> None:
        for digest, data in pairs:
            if data:
                self._batch.setdefault(digest, []).append(data)
                self._size += len(data)
        if self._size >= HASH_BATCH_BYTES:
            await self._jobs_done()
            loop = asyncio.get_running_loop()
            self._jobs = [loop.run_in_executor(None, update_all, digest, tuple(pieces))
                          for digest, pieces in self._batch.items()]
            self._batch, self._size = {}, 0

    async def _jobs_done(self) -> None:
        jobs, self._jobs = self._jobs, []
        for job in jobs:
            await job

    async def wait(self) -> None:
        """Every byte fed is in its digest (the last, partial batch hashed here)."""
        await self._jobs_done()
        for digest, pieces in self._batch.items():
            update_all(digest, tuple(pieces))
        self._batch, self._size = {}, 0

    async def settle(self) -> None:
        """Cut short: let the jobs in flight finish before their digests go."""
        if self._jobs:
            await asyncio.shield(asyncio.gather(*self._jobs, return_exceptions=True))
