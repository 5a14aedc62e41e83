"""Futures whose outcome no one reads: `ended` waits for them (a resource they use is about to
go: a file, a socket, a response), `retrieved` marks a done one's outcome as read, so asyncio
never logs "exception was never retrieved" for a failure that is moot or reported elsewhere."""

from __future__ import annotations

import asyncio
from typing import Any


def retrieved(future: asyncio.Future[Any]) -> None:
    """Mark a done future's outcome as read (usable as a done callback)."""
    if not future.cancelled():
        future.exception()


async def ended(*futures: asyncio.Future[Any]) -> None:
    """Wait until each of `futures` is done, however it ends, raising nothing; their outcomes
    retrieved."""
    if futures:
        await asyncio.wait(futures)
    for future in futures:
        retrieved(future)
