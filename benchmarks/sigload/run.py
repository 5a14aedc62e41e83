"""The phases, in order: real stack up, hearings seated, sockets joined and admitted (memory
measured around this), real moves, baseline moves (the same hearings and pacing on the bare
transport), media switch; then the report. The sockets live in several client processes
(fleet.py); the temporary directory (process logs) is kept when a run fails."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from parley.runner import raise_open_files_limit
from tests.people import bootstrap_admin, create_staff

from .baseline import BaselineServer
from .cpu import CpuMeter
from .fleet import Fleet
from .media import media_switch
from .report import Results
from .stack import Stack


async def run(args: argparse.Namespace) -> Results:
    import asyncio

    root = Path(tempfile.mkdtemp(prefix="parley-sigload-"))
    stack = Stack(root)
    n_hearings = max(1, args.participants // args.hearing_size)
    fleet = Fleet(min(n_hearings, args.workers or Fleet.size_for(args.participants)))
    # The baseline's processes start with the stack (they idle until their phase): a quick run
    # stays under a minute.
    baseline_server = BaselineServer(root)
    try:
        await asyncio.gather(stack.start(), baseline_server.start(), fleet.start())
        admin = await bootstrap_admin(stack)  # type: ignore[arg-type]
        mediator = await create_staff(stack, admin, "mediator", "mediator")  # type: ignore[arg-type]
        started = time.perf_counter()
        sockets = await fleet.seat([stack.base_url], mediator, n_hearings, args.hearing_size)
        print(f"{n_hearings} hearings, {sockets} participants seated in "
              f"{time.perf_counter() - started:.1f}s by {fleet.count} client processes",
              file=sys.stderr)
        before = stack.rss_by_process()
        await fleet.all("join")
        await fleet.all("admit")
        after = stack.rss_by_process()
        rss_before, rss_after = sum(before.values()), sum(after.values())
        print("  memory per participant: " + ", ".join(
            f"{name} {(after[name] - before[name]) / 1024 / sockets:.1f} KiB" for name in after),
            file=sys.stderr)
        print(f"all joined in {time.perf_counter() - started:.1f}s; {stack.gc_pauses()}",
              file=sys.stderr)
        meter = CpuMeter({name: p.process.pid for name, p in stack.procs.items()
                          if p.process is not None})
        with measuring(args.lock):
            meter.start()
            real = await fleet.moves(args.move_rate, args.seconds, "real")
        print("  CPU per move: " + ", ".join(
            f"{name} {1000 * t / max(1, len(real)):.2f} ms" for name, t in meter.stop().items()),
            file=sys.stderr)
        print(f"  {stack.gc_pauses()}", file=sys.stderr)
        await fleet.all("close")
        await fleet.all("baseline", port=baseline_server.port)
        with measuring(args.lock):
            baseline = await fleet.moves(args.move_rate, args.seconds, "baseline")
        await fleet.stop()
        baseline_server.stop()
        with measuring(args.lock):
            switch = await media_switch(stack, mediator, args.trials)
    finally:
        try:
            await fleet.stop()
        finally:
            baseline_server.stop()
            stack.stop()
    shutil.rmtree(root, ignore_errors=True)  # kept (logs) only when the run failed
    return Results(sockets, real, baseline, rss_before, rss_after, switch)


@contextlib.contextmanager
def measuring(lock: str | None) -> Iterator[None]:
    """Hold an exclusive `flock` on `lock` (if given) while a measured phase runs: on a shared
    machine other benchmarks wait for it, but not for the minutes of seating 10,000 sockets."""
    if lock is None:
        yield
        return
    with open(lock, "a") as f:
        started = time.perf_counter()
        fcntl.flock(f, fcntl.LOCK_EX)
        print(f"  lock {lock} held (waited {time.perf_counter() - started:.1f} s; load "
              f"{os.getloadavg()[0]:.2f})", file=sys.stderr)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def main(description: str) -> None:
    import asyncio

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a small run, under a minute")
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--hearing-size", type=int, default=10)
    parser.add_argument("--move-rate", type=float, default=None, help="moves per second in all")
    parser.add_argument("--seconds", type=float, default=None, help="length of each move phase")
    parser.add_argument("--trials", type=int, default=None, help="media switch repetitions")
    parser.add_argument("--lock", default=None,
                        help="a file to hold an exclusive flock on during each measured move "
                             "phase only (not during set-up)")
    parser.add_argument("--workers", type=int, default=None,
                        help="client processes (default: one per 2,500 sockets)")
    args = parser.parse_args()
    quick = args.quick
    args.participants = args.participants or (100 if quick else 2000)
    args.move_rate = args.move_rate or (20.0 if quick else 25.0)
    args.seconds = args.seconds or (5.0 if quick else 30.0)
    args.trials = args.trials or (1 if quick else 5)
    raise_open_files_limit()
    results = asyncio.run(run(args))
    for line in results.summary():
        print(line)
    print(json.dumps(results.as_json()))
