"""The phases, in order: real stack up, hearings seated, sockets joined and admitted (memory
measured around this), real moves, baseline moves (same sockets' hearings and pacing), media
switch; then the report. The temporary directory (process logs) is kept when a run fails."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from proto.ws import Move, encode
from tests.people import bootstrap_admin, create_staff

from .baseline import run_baseline
from .media import media_switch
from .moves import move_loop
from .participants import Hearing, Sock, gather_limited, join_and_admit, seat_hearing
from .report import Results
from .stack import Stack


def _truthy(check: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def condition() -> bool:
        return check()

    return condition


async def _seat_all(stack: Stack, http: aiohttp.ClientSession,
                    hearings: list[Hearing]) -> tuple[int, int]:
    """Open every socket, then admit everyone to plenary and make each hearing's caucus.

    Returns the gateway + signalling RSS before and after, for memory per participant."""
    rss_before = stack.rss()
    await join_and_admit([http], hearings)
    return rss_before, stack.rss()


async def run(args: argparse.Namespace) -> Results:
    root = Path(tempfile.mkdtemp(prefix="parley-sigload-"))
    stack = Stack(root)
    await stack.start()
    try:
        admin = await bootstrap_admin(stack)  # type: ignore[arg-type]
        mediator = await create_staff(stack, admin, "mediator", "mediator")  # type: ignore[arg-type]
        n_hearings = max(1, args.participants // args.hearing_size)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(base_url=stack.base_url, connector=connector) as http:
            started = time.perf_counter()
            hearings: list[Hearing] = await gather_limited(
                8, [seat_hearing(http, mediator, args.hearing_size) for _ in range(n_hearings)])
            sockets = [s for h in hearings for s in h.sockets]
            print(f"{n_hearings} hearings, {len(sockets)} participants seated in "
                  f"{time.perf_counter() - started:.1f}s", file=sys.stderr)
            rss_before, rss_after = await _seat_all(stack, http, hearings)
            print(f"all joined in {time.perf_counter() - started:.1f}s", file=sys.stderr)

            async def send_real(h: Hearing, moved: Sock, to_room: str, serial: int) -> None:
                assert h.mediator.ws is not None
                await h.mediator.ws.send_str(encode(Move(participant=moved.id, room=to_room)).decode())

            real = await move_loop(hearings, args.move_rate, args.seconds, send_real)
            baseline = await run_baseline(hearings, args.move_rate, args.seconds, root)
            for s in sockets:
                if s.ws is not None:
                    await s.ws.close()
        switch = await media_switch(stack, mediator, args.trials)
    finally:
        stack.stop()
    shutil.rmtree(root, ignore_errors=True)  # kept (logs) only when the run failed
    return Results(len(sockets), real, baseline, rss_before, rss_after, switch)


def main(description: str) -> None:
    import asyncio

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a small run, under a minute")
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--hearing-size", type=int, default=10)
    parser.add_argument("--move-rate", type=float, default=None, help="moves per second in all")
    parser.add_argument("--seconds", type=float, default=None, help="length of each move phase")
    parser.add_argument("--trials", type=int, default=None, help="media switch repetitions")
    args = parser.parse_args()
    quick = args.quick
    args.participants = args.participants or (100 if quick else 2000)
    args.move_rate = args.move_rate or (20.0 if quick else 25.0)
    args.seconds = args.seconds or (6.0 if quick else 30.0)
    args.trials = args.trials or (2 if quick else 5)
    results = asyncio.run(run(args))
    for line in results.summary():
        print(line)
    print(json.dumps(results.as_json()))
