"""parley.futures: waiting for futures whose outcome no one reads, and never a "never
retrieved" complaint from asyncio for them."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from parley.futures import ended, retrieved


async def _fails(after: float) -> None:
    await asyncio.sleep(after)
    raise OSError("the peer went away")


async def _complaints(body: Any) -> list[dict[str, Any]]:
    """What the loop's exception handler received while `body` ran (and its futures died)."""
    loop = asyncio.get_running_loop()
    seen: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: seen.append(context))
    try:
        await body()
        gc.collect()  # a future's "never retrieved" complaint comes when it is collected
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    return seen


async def test_ended_waits_for_every_outcome_and_raises_nothing() -> None:
    async def body() -> None:
        failing = asyncio.ensure_future(_fails(0.02))
        slow = asyncio.ensure_future(asyncio.sleep(0.05, "done"))
        cancelled = asyncio.ensure_future(asyncio.sleep(10))
        cancelled.cancel()
        await ended(failing, slow, cancelled)
        assert failing.done() and slow.done() and cancelled.cancelled()
        assert slow.result() == "done"
        await ended()  # nothing to wait for

    assert await _complaints(body) == []


async def test_without_it_asyncio_complains_and_retrieved_silences_it() -> None:
    async def unread() -> None:
        failing = asyncio.ensure_future(_fails(0))
        await asyncio.wait({failing})
        del failing

    complaints = await _complaints(unread)
    assert [c["message"] for c in complaints] == ["Task exception was never retrieved"]

    async def read_by_callback() -> None:
        failing = asyncio.ensure_future(_fails(0))
        failing.add_done_callback(retrieved)
        await asyncio.wait({failing})
        del failing

    assert await _complaints(read_by_callback) == []
