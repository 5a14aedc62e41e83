"""Evidence throughput: the real path against a plain streaming baseline, in the same run.

    python benchmarks/evidence_throughput.py [--quick] [--size-mib N] [--s3-size-mib N] [--no-s3]

Real path: an aiohttp client → the gateway (`parley up`, signed-in mediator) → evidence
(encrypting, local folder) and back (download, decrypting). Baseline: the same client against a
plain aiohttp process that streams the body to a file (fsync'd before it answers, as evidence
does) and back from it (sendfile). Printed: both rates and
their ratios (goal ≥ 0.8x), the peak RSS growth of the gateway and evidence processes above
idle (goal ≤ 64 MiB, flat from 10 MiB to the largest size), the raw AES-256-GCM rate, and the
same through the S3 backend against a `moto_server` process vs a direct `minio` put/get.
The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from minio import Minio

from services.evidence.bench import aes_gcm_mib_s
from tests.harness import Suite, free_port, wait_until_sync
from tests.people import staff_people

MIB = 1024 * 1024
BLOCK = os.urandom(MIB)


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssPeak:
    """Samples the RSS of some processes every 20 ms in a thread; keeps the peak of each."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.idle = {name: rss_mib(pid) for name, pid in pids.items()}
        self.peak = dict(self.idle)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], rss_mib(pid))

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def growth(self) -> dict[str, float]:
        return {name: round(self.peak[name] - self.idle[name], 1) for name in self.pids}


async def body(size: int) -> AsyncIterator[bytes]:
    sent = 0
    while sent < size:
        piece = BLOCK[:min(MIB, size - sent)]
        sent += len(piece)
        yield piece


async def upload(http: aiohttp.ClientSession, url: str, size: int,
                 headers: dict[str, str]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    async with http.post(url, data=body(size),
                         headers={**headers, "Content-Length": str(size)}) as response:
        reply = await response.json()
        assert response.status == 201, reply
    return size / MIB / (time.perf_counter() - started), reply


async def download(http: aiohttp.ClientSession, url: str, size: int,
                   headers: dict[str, str]) -> float:
    started = time.perf_counter()
    got = 0
    async with http.get(url, headers=headers) as response:
        assert response.status == 200, await response.text()
        async for chunk in response.content.iter_chunked(256 * 1024):
            got += len(chunk)
    assert got == size, (got, size)
    return size / MIB / (time.perf_counter() - started)


# --- the baseline: a plain aiohttp streaming server in its own process ------------------------

BASELINE_SERVER = r"""
import os, sys
from aiohttp import web
root = sys.argv[2]
async def put(request):
    with open(root + "/blob", "wb") as fh:
        async for chunk in request.content.iter_chunked(256 * 1024):
            fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())  # durable before 201, as evidence is
    return web.json_response({"ok": True}, status=201)
async def get(request):
    return web.FileResponse(root + "/blob")
app = web.Application()
app.router.add_post("/blob", put)
app.router.add_get("/blob", get)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


@contextmanager
def baseline_server(root: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", BASELINE_SERVER, str(port), str(root)])
    try:
        import socket

        def up() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        wait_until_sync(up, timeout=20, what="the baseline server")
        yield f"http://127.0.0.1:{port}/blob"
    finally:
        proc.terminate()
        proc.wait(10)


async def run_baseline(root: Path, size: int) -> tuple[float, float]:
    with baseline_server(root) as url:
        async with aiohttp.ClientSession() as http:
            up, _ = await upload(http, url, size, {})
            down = await download(http, url, size, {})
    (root / "blob").unlink()
    return up, down


# --- the real path ------------------------------------------------------------------------------

async def real_path(suite: Suite, sizes: list[int]) -> list[dict[str, Any]]:
    await suite.ready(timeout=60)
    people = await staff_people(suite)
    headers = people.mediator.headers()
    status, reply = await people.mediator.call("POST", "/api/v1/hearings", {"title": "bench"})
    assert status == 201, reply
    docs = f"{suite.base_url}/api/v1/hearings/{reply['id']}/documents"
    pids = {"gateway": suite.processes()["gateway"], "evidence": suite.processes()["evidence"]}
    results = []
    async with aiohttp.ClientSession(headers=headers) as http:
        await upload(http, docs, MIB, {"Parley-Filename": "warm-up", "Parley-Compartment": "joint"})
        for size in sizes:
            with RssPeak(pids) as rss:
                up, view = await upload(http, docs, size, {
                    "Parley-Filename": f"bench-{size}.bin", "Parley-Compartment": "joint"})
                down = await download(http, f"{docs}/{view['document']}/content", size, {})
            results.append({"size_mib": size / MIB, "upload_mib_s": up, "download_mib_s": down,
                            "rss_growth_mib": rss.growth()})
    return results


@contextmanager
def moto_server(root: Path) -> Iterator[str]:
    port = free_port()
    exe = Path(sys.executable).parent / "moto_server"
    log = (root / "moto.log").open("wb")
    proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        import socket

        def up() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        wait_until_sync(up, timeout=30, what="moto_server")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


class _Reader(io.RawIOBase):
    """A file-like view of `size` bytes of BLOCK repeated, for minio's put_object."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        out = (BLOCK * (n // MIB + 1))[:n] if n else b""
        self.left -= n
        return out


def direct_minio(endpoint: str, size: int) -> tuple[float, float]:
    client = Minio(endpoint, access_key="bench", secret_key="bench", secure=False,
                   region="us-east-1")
    client.make_bucket("direct")
    started = time.perf_counter()
    client.put_object("direct", "blob", cast(BinaryIO, _Reader(size)), size, part_size=8 * MIB)
    up = size / MIB / (time.perf_counter() - started)
    started = time.perf_counter()
    response = client.get_object("direct", "blob")
    got = sum(len(c) for c in response.stream(256 * 1024))
    response.close()
    response.release_conn()
    assert got == size
    return up, size / MIB / (time.perf_counter() - started)


async def s3_path(root: Path, size: int) -> dict[str, Any]:
    with moto_server(root) as endpoint:
        direct_up, direct_down = await asyncio.to_thread(direct_minio, endpoint, size)
        suite = Suite(data_dir=root / "s3suite", extra_env={
            "PARLEY_READY_SERVICES": "evidence,signalling", "PARLEY_EVIDENCE_BACKEND": "s3",
            "PARLEY_EVIDENCE_S3_ENDPOINT": endpoint, "PARLEY_EVIDENCE_S3_BUCKET": "evidence",
            "PARLEY_EVIDENCE_S3_ACCESS_KEY": "bench", "PARLEY_EVIDENCE_S3_SECRET_KEY": "bench"})
        suite.start()
        try:
            [result] = await real_path(suite, [size])
        finally:
            suite.stop()
    return {"size_mib": size / MIB, "upload_mib_s": result["upload_mib_s"],
            "download_mib_s": result["download_mib_s"], "direct_upload_mib_s": direct_up,
            "direct_download_mib_s": direct_down,
            "upload_ratio": result["upload_mib_s"] / direct_up,
            "download_ratio": result["download_mib_s"] / direct_down}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    size = args.size_mib * MIB
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as tmp:
        root = Path(tmp)
        aes = aes_gcm_mib_s(64 if args.quick else 256)
        print(f"raw AES-256-GCM (64 KiB segments, one core): {aes:.0f} MiB/s")
        base_up, base_down = await run_baseline(root, size)
        print(f"baseline plain aiohttp → disk, {args.size_mib} MiB: upload {base_up:.0f} MiB/s, "
              f"download {base_down:.0f} MiB/s")
        suite = Suite(data_dir=root / "suite",
                      extra_env={"PARLEY_READY_SERVICES": "evidence,signalling"})
        suite.start()
        try:
            sizes = sorted({10 * MIB, size})
            results = await real_path(suite, sizes)
        finally:
            suite.stop()
        for r in results:
            print(f"gateway → evidence → local folder, {r['size_mib']:.0f} MiB: upload "
                  f"{r['upload_mib_s']:.0f} MiB/s, download {r['download_mib_s']:.0f} MiB/s, "
                  f"RSS growth {r['rss_growth_mib']}")
        big = results[-1]
        out: dict[str, Any] = {
            "size_mib": args.size_mib,
            "upload_mib_s": round(big["upload_mib_s"], 1),
            "baseline_upload_mib_s": round(base_up, 1),
            "download_mib_s": round(big["download_mib_s"], 1),
            "baseline_download_mib_s": round(base_down, 1),
            "upload_ratio": round(big["upload_mib_s"] / base_up, 3),
            "download_ratio": round(big["download_mib_s"] / base_down, 3),
            "rss_growth_mib_gateway": big["rss_growth_mib"]["gateway"],
            "rss_growth_mib_evidence": big["rss_growth_mib"]["evidence"],
            "rss_growth_mib_10mib": results[0]["rss_growth_mib"],
            "aes_gcm_mib_s": round(aes, 1),
        }
        print(f"ratios: upload {out['upload_ratio']:.2f}x, download {out['download_ratio']:.2f}x"
              " (goal >= 0.8x)")
        if not args.no_s3:
            s3 = await s3_path(root, args.s3_size_mib * MIB)
            print(f"S3 (moto), {args.s3_size_mib} MiB: through evidence upload "
                  f"{s3['upload_mib_s']:.0f} / download {s3['download_mib_s']:.0f} MiB/s; direct "
                  f"minio put {s3['direct_upload_mib_s']:.0f} / get "
                  f"{s3['direct_download_mib_s']:.0f} MiB/s; ratios {s3['upload_ratio']:.2f}x / "
                  f"{s3['download_ratio']:.2f}x")
            out["s3"] = {k: round(v, 3) for k, v in s3.items()}
    return out


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small documents, under a minute")
    parser.add_argument("--size-mib", type=int, default=None, help="document size (default 1024)")
    parser.add_argument("--s3-size-mib", type=int, default=None,
                        help="document size through S3/moto (default 256; quick 32)")
    parser.add_argument("--no-s3", action="store_true", help="skip the S3 (moto) comparison")
    args = parser.parse_args(argv)
    if args.size_mib is None:
        args.size_mib = 100 if args.quick else 1024
    if args.s3_size_mib is None:
        args.s3_size_mib = 32 if args.quick else 256
    return args


if __name__ == "__main__":
    result = asyncio.run(main(parse()))
    print(json.dumps(result))
