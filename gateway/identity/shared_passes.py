"""`SharedPasses`: requests served by as few passes over something large as there are bursts.

A pass is one walk over a whole collection (the sessions bucket: session_revoke.py) answering
every request it was given. A request joins the pass that starts next, never one already
running (that walk may have gone past what the request is about). One pass runs at a time, so
n requests arriving together cost one pass, or two if a pass was running when they came (that
one is not theirs; the next serves them all). A pass's outcome (or its error) is each of its
requests' outcome; a request whose caller gave up (a timeout) leaves its pass running for the
others (`asyncio.shield`); an outcome no one is left to read is read all the same (an error
unread would be reported by asyncio as "never retrieved").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from parley.failures import note_failure
from parley.futures import retrieved

log = logging.getLogger("parley.gateway.identity")

R = TypeVar("R")
T = TypeVar("T")


class SharedPasses(Generic[R, T]):
    def __init__(self, run: Callable[[list[R]], Awaitable[T]]) -> None:
        """`run(requests)`: one pass serving `requests` (in the order they came)."""
        self._run = run
        self._waiting: list[R] = []
        self._next: asyncio.Future[T] | None = None
        self._worker: asyncio.Task[None] | None = None
        #: Passes run so far (what a burst cost).
        self.passes = 0

    async def submit(self, request: R) -> T:
        """The outcome of the first pass to start after `request` arrived."""
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            self._next.add_done_callback(retrieved)  # its callers may all have given up
        self._waiting.append(request)
        served = self._next
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain(), name="shared-passes")
        return await asyncio.shield(served)

    async def _drain(self) -> None:
        while self._waiting:
            batch, served = self._waiting, self._next
            self._waiting, self._next = [], None
            assert served is not None
            self.passes += 1
            try:
                outcome = await self._run(batch)
            except asyncio.CancelledError:
                served.cancel()
                raise
            except Exception as exc:  # counted, and each of the batch's callers gets it too
                note_failure(log, "identity.shared_pass", exc)
                served.set_exception(exc)
            else:
                served.set_result(outcome)
