"""A pipelined pull from one durable JetStream consumer, for intake.

Why not `PullSubscription.fetch`: each fetch asks for a batch, waits for it, and only then can the
caller commit it, so the server sits idle during every commit and the client pays a timer per
message. Here pull requests stay outstanding while intake commits: the server keeps delivering
into the socket, and the next `take` finds the messages that arrived meanwhile (the slower the
commit, the larger the next batch; one transaction and one acknowledgement amortise over it).

Order is unchanged: one consumer delivers in stream order whichever request a message answers,
and the buffer is first in, first out. Memory stays bounded: a request is only issued while
buffered + requested messages are at most one batch, so at most two batches (and two times
`max_bytes`) are ever in flight or waiting.

Each request gets its own reply subject (`<inbox>.<n>`), where its end arrives (status 408
expired, 409 "Batch Completed" or ended early); messages carry their stream subject, so each is
counted against the oldest open request, the one the server is serving. A request whose end
never arrives (lost across a reconnect) is forgotten `grace_s` after its own expiry, so credit
cannot leak.
`PullCredit` is that bookkeeping, pure; `PullFeed` is the NATS shell around it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from parley.lograte import Occurrences

log = logging.getLogger("parley.audit.pull")

API_PREFIX: Final = "$JS.API"
#: Statuses (a request's end, heartbeats) come without a reply subject; 100 is a heartbeat.
HEARTBEAT: Final = "100"
#: A run of refused pull requests is logged once per this many seconds (`PullFeed._refused`).
REFUSAL_LOG_S: Final = 10.0


@dataclass(slots=True)
class _Request:
    remaining: int
    deadline: float


class PullCredit:
    """How many messages the outstanding pull requests may still deliver. Pure bookkeeping."""

    def __init__(self, batch: int, *, expires_s: float, grace_s: float = 1.0) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self.batch = batch
        self.expires_s = expires_s
        self.grace_s = grace_s
        self._open: dict[str, _Request] = {}
        self._next = 0

    @property
    def outstanding(self) -> int:
        return sum(r.remaining for r in self._open.values())

    @property
    def open_requests(self) -> int:
        return len(self._open)

    def next_request(self, buffered: int, now: float) -> str | None:
        """A token for a new request of `batch` messages if one should be issued now, else None.

        Forgets requests whose end is overdue, then asks for more while what is buffered plus
        what may still arrive is at most one batch (so at most two are ever in flight).
        """
        for token in [t for t, r in self._open.items() if r.deadline + self.grace_s < now]:
            del self._open[token]
        if buffered + self.outstanding > self.batch:
            return None
        self._next += 1
        token = str(self._next)
        self._open[token] = _Request(self.batch, now + self.expires_s)
        return token

    def delivered(self) -> None:
        """One message arrived. It answers the oldest open request: the server serves pull
        requests first come, first served, and a request's end status follows its messages."""
        for token, request in self._open.items():
            request.remaining -= 1
            if request.remaining <= 0:
                del self._open[token]
            return

    def ended(self, token: str) -> bool:
        """Forget a request the server ended; True if it ended having delivered nothing."""
        request = self._open.pop(token, None)
        return request is not None and request.remaining == self.batch


class PullFeed:
    """Keeps pull requests outstanding on `stream`/`consumer` and buffers deliveries in order."""

    def __init__(
        self,
        nc: Client,
        stream: str,
        consumer: str,
        *,
        batch: int,
        max_bytes: int,
        expires_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._nc = nc
        self._next_subject = f"{API_PREFIX}.CONSUMER.MSG.NEXT.{stream}.{consumer}"
        self._credit = PullCredit(batch, expires_s=expires_s)
        self._max_bytes = max_bytes
        self._expires_ns = int(expires_s * 1_000_000_000)
        self._clock = clock
        self._buffer: deque[Msg] = deque()
        self._arrived = asyncio.Event()
        self._prefix = ""
        self._sub: Subscription | None = None
        self._retry_at = 0.0
        self._refusals = Occurrences(REFUSAL_LOG_S, clock)

    async def start(self) -> None:
        self._prefix = self._nc.new_inbox()
        self._sub = await self._nc.subscribe(f"{self._prefix}.*", cb=self._on_message)

    async def close(self) -> None:
        if self._sub is not None:
            sub, self._sub = self._sub, None
            await sub.unsubscribe()

    async def _on_message(self, msg: Msg) -> None:
        if msg.reply:  # a stream message (its reply subject is the ack subject)
            self._buffer.append(msg)
            self._credit.delivered()
        else:  # a status, sent to the reply subject of the request it is about
            token = msg.subject[len(self._prefix) + 1:]
            status = (msg.headers or {}).get("Status", "")
            if status == HEARTBEAT:
                return
            empty = self._credit.ended(token)
            if empty and status not in ("404", "408"):
                # 409 with nothing delivered (consumer deleted, a request limit exceeded...):
                # retry, but not in a hot loop. 408 (expired idle) and "409 Batch Completed"
                # are the normal ends of a request.
                self._refused(status, (msg.headers or {}).get("Description", ""))
                self._retry_at = self._clock() + 0.2
        self._arrived.set()

    def _refused(self, status: str, description: str) -> None:
        """Logged at most every REFUSAL_LOG_S with the count since: while a stream elects its
        leader (seconds) every retry is refused, and one line per retry drowned the log."""
        if (count := self._refusals.due()) is not None:
            log.warning("audit pull request refused: %s %s", status, description,
                        extra={"refusals": count})

    async def _top_up(self) -> None:
        now = self._clock()
        if now < self._retry_at:
            return
        issued = False
        while (token := self._credit.next_request(len(self._buffer), now)) is not None:
            request = {"batch": self._credit.batch, "max_bytes": self._max_bytes,
                       "expires": self._expires_ns}
            await self._nc.publish(self._next_subject, json.dumps(request).encode(),
                                   reply=f"{self._prefix}.{token}")
            issued = True
        if issued:
            await asyncio.sleep(0)  # let the client's flusher put the requests on the wire now

    async def take(self, limit: int, timeout: float) -> list[Msg]:
        """Up to `limit` delivered messages, in order; waits up to `timeout` for the first one.

        Before returning it tops the requests up, so the server keeps delivering while the caller
        commits what it got.
        """
        deadline = self._clock() + timeout
        while not self._buffer:
            self._arrived.clear()
            await self._top_up()
            remaining = deadline - self._clock()
            if self._buffer or remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), min(remaining, 0.25))
        buffer = self._buffer
        taken = [buffer.popleft() for _ in range(min(limit, len(buffer)))]
        await self._top_up()
        return taken
