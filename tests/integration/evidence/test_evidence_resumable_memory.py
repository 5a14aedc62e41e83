"""A 1 GiB resumable upload keeps memory bounded in every process (slow: `make slow`).

The gateway and evidence processes are sampled with psutil while a 1 GiB document goes up in
8 MiB appends, is cut once mid-append and resumed, is completed (the staged segments copied into
the content object) and is downloaded; the peak RSS growth of each must stay within 64 MiB, and
the download's SHA-256 must equal the original's. `PARLEY_TEST_RESUMABLE_MIB` shrinks the size.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import psutil
import pytest

from tests.harness import Suite
from tests.integration.evidence.conftest import E2E_ENV
from tests.people import staff_people

MIB = 1024 * 1024
APPEND = 8 * MIB
LIMIT_MIB = 64
BLOCK = os.urandom(MIB)


def piece(index: int) -> bytes:
    """MiB number `index` of the document: a random block made unique by its index."""
    return index.to_bytes(8, "big") + BLOCK[8:]


class Peak:
    """Peak RSS of some processes, sampled every 20 ms in a thread."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.idle = {name: p.memory_info().rss for name, p in self.procs.items()}
        self.peak = dict(self.idle)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            for name, proc in self.procs.items():
                try:
                    self.peak[name] = max(self.peak[name], proc.memory_info().rss)
                except psutil.NoSuchProcess:
                    continue

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def growth_mib(self) -> dict[str, float]:
        return {n: round((self.peak[n] - self.idle[n]) / MIB, 1) for n in self.procs}


@pytest.fixture
def suite(tmp_path: Path) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path / "data", extra_env={
        **E2E_ENV, "PARLEY_EVIDENCE_MAX_DOCUMENT_BYTES": str(2 * 1024 * MIB),
        "PARLEY_EVIDENCE_UPLOAD_IDLE_S": "3600"})  # a slow machine may take a while per append
    running.start()
    yield running
    running.stop()


@pytest.mark.slow
@pytest.mark.timeout(1800)
async def test_a_1_gib_resumable_upload_keeps_memory_bounded(suite: Suite) -> None:
    size = int(os.environ.get("PARLEY_TEST_RESUMABLE_MIB", "1024")) * MIB
    await suite.ready()
    people = await staff_people(suite)
    status, hearing = await people.mediator.call("POST", "/api/v1/hearings", {"title": "big"})
    assert status == 201, hearing
    docs = f"{suite.base_url}/api/v1/hearings/{hearing['id']}/documents"
    procs = suite.processes()
    original = hashlib.sha256()
    for index in range(size // MIB):
        original.update(piece(index))

    async def span(start: int, end: int, stop: asyncio.Event | None = None,
                   ) -> AsyncIterator[bytes]:
        """Bytes [start, end) of the document (a resumed offset is 64 KiB-, not MiB-aligned)."""
        pos = start
        while pos < end:
            index = pos // MIB
            chunk = piece(index)[pos % MIB:min(MIB, end - index * MIB)]
            yield chunk
            pos += len(chunk)
            if stop is not None and pos >= start + 3 * MIB:
                stop.set()
                await asyncio.sleep(3600)  # held until the test cuts the connection

    timeout = aiohttp.ClientTimeout(total=None, sock_read=600)
    with Peak({"gateway": procs["gateway"], "evidence": procs["evidence"]}) as peak:
        async with aiohttp.ClientSession(headers=people.mediator.headers(),
                                         timeout=timeout) as http:
            async with http.post(docs, headers={
                    "Parley-Filename": "big.bin", "Parley-Compartment": "joint",
                    "Upload-Complete": "?0", "Upload-Length": str(size),
                    "Content-Length": "0"}) as r:
                assert r.status == 201, await r.text()
                url = suite.base_url + r.headers["Location"]

            async def patch(offset: int, end: int, stop: asyncio.Event | None = None) -> int:
                async with http.patch(url, data=span(offset, end, stop), headers={
                        "Upload-Offset": str(offset), "Content-Length": str(end - offset),
                        "Upload-Complete": "?1" if end == size else "?0"}) as r:
                    # 409: the cut append was still being stored when HEAD answered; the
                    # refusal carries the true offset (docs/uploads.md)
                    assert r.status in (201, 204, 409), await r.text()
                    return size if r.status == 201 else int(r.headers["Upload-Offset"])

            offset, cut_done = 0, False
            while offset < size:
                end = min(offset + APPEND, size)
                if not cut_done and offset >= size // 2:  # one cut, mid-append
                    cut_done = True
                    stop = asyncio.Event()
                    task = asyncio.create_task(patch(offset, end, stop))
                    await asyncio.wait_for(stop.wait(), 120)
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    async with http.head(url) as r:
                        resumed = int(r.headers["Upload-Offset"])
                    assert offset <= resumed <= offset + 4 * MIB
                    offset = resumed
                    continue
                offset = await patch(offset, end)
            async with http.get(docs) as r:
                [document] = [d for d in (await r.json())["documents"]
                              if d["filename"] == "big.bin"]
            downloaded = hashlib.sha256()
            async with http.get(f"{docs}/{document['document']}/content") as r:
                assert r.status == 200
                async for chunk in r.content.iter_chunked(MIB):
                    downloaded.update(chunk)
    growth = peak.growth_mib()
    print(f"RSS growth over a {size // MIB} MiB resumable upload + download: {growth} MiB")
    assert downloaded.hexdigest() == original.hexdigest() == document["sha256"]
    assert all(g <= LIMIT_MIB for g in growth.values()), growth
