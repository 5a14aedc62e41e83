"""The load generators: several client processes (benchmarks/sigload/worker.py), driven in step.

Hearings are split as evenly as whole hearings allow; every phase is sent to every worker at
once and finishes when all have answered, so the move phases of all workers overlap (each paces
its share of the total rate).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import sys
from pathlib import Path
from typing import Any

from tests.people import Staff

from .moves import pct

REPO = Path(__file__).resolve().parents[2]
#: Sockets per client process: two sets (real, baseline) stay far below a 20,000 descriptor
#: limit, and one event loop can still timestamp a move's frames promptly.
SOCKETS_PER_WORKER = 2500


class WorkerFailed(Exception):
    pass


class Fleet:
    def __init__(self, workers: int) -> None:
        self.count = workers
        self.procs: list[asyncio.subprocess.Process] = []
        self.shares: list[int] = []

    @staticmethod
    def size_for(participants: int) -> int:
        return max(1, math.ceil(participants / SOCKETS_PER_WORKER))

    def pids(self) -> dict[str, int]:
        return {f"client-{i}": p.pid for i, p in enumerate(self.procs)}

    async def start(self) -> None:
        for _ in range(self.count):
            self.procs.append(await asyncio.create_subprocess_exec(
                sys.executable, "-m", "benchmarks.sigload.worker", cwd=REPO,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                limit=2**26))

    async def _ask(self, proc: asyncio.subprocess.Process, command: dict[str, Any]) -> Any:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(command).encode() + b"\n")
        await proc.stdin.drain()
        line = await proc.stdout.readline()
        if not line:
            raise WorkerFailed(f"worker {proc.pid} exited (code {await proc.wait()})")
        reply = json.loads(line)
        if not reply.pop("ok"):
            raise WorkerFailed(f"worker {proc.pid}: {reply['error']}")
        return reply

    async def all(self, cmd: str, **args: Any) -> list[Any]:
        return await asyncio.gather(*(self._ask(p, {"cmd": cmd, **args}) for p in self.procs))

    async def seat(self, base_urls: list[str], mediator: Staff, hearings: int,
                   size: int) -> int:
        self.shares = [hearings // self.count + (i < hearings % self.count)
                       for i in range(self.count)]
        me = dataclasses.asdict(mediator)
        replies = await asyncio.gather(*(
            self._ask(p, {"cmd": "seat", "base_urls": base_urls, "mediator": me,
                          "hearings": share, "size": size})
            for p, share in zip(self.procs, self.shares, strict=True)))
        return sum(r["sockets"] for r in replies)

    async def moves(self, rate: float, seconds: float, path: str) -> list[float]:
        total = sum(self.shares)
        replies = await asyncio.gather(*(
            self._ask(p, {"cmd": "moves", "rate": rate * share / total, "seconds": seconds,
                          "path": path})
            for p, share in zip(self.procs, self.shares, strict=True) if share))
        lags = [r["lag_p99_ms"] for r in replies]
        samples = [x for r in replies for x in r["samples"]]
        print(f"  {path}: {len(samples)} moves; p50 {pct(samples, 0.5):.1f} ms, "
              f"p99 {pct(samples, 0.99):.1f} ms; load generators' loop lag p99 "
              f"{', '.join(f'{x:.0f}' for x in lags)} ms", file=sys.stderr)
        return samples

    async def stop(self) -> None:
        """End every worker (a command may still be in flight after a failure: no more asking)."""
        for proc in self.procs:
            if proc.returncode is None:
                proc.terminate()
        for proc in self.procs:
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
