"""Intake: the durable pull consumer on `AUDIT` that feeds the log (DESIGN §7).

Rules:
- The log takes the stream in stream order, gap-free: a batch is committed in ONE SQLite
  transaction together with the highest stream sequence it holds (`intake_seq`), and only then
  acknowledged (acknowledge-all on the batch's last message). A crash (kill -9 included) loses
  nothing: whatever was not committed is delivered again.
- Fetching is pipelined (pull_feed.py): pull requests stay outstanding while a batch commits, so
  the next batch is whatever arrived meanwhile. That changes no rule here: messages still
  arrive in stream order, commit in order, and are acknowledged only after their commit.
- Every start (re)creates the durable consumer `audit-log` to deliver from `intake_seq + 1`. The
  log, not the consumer, is the authority on how far intake got: messages a dead process had
  fetched but not committed come next, in order, instead of waiting out an ack timeout behind
  newer ones (and being acknowledged-all by mistake meanwhile).
- A delivery at or below `intake_seq` is a redelivery and is skipped; one beyond `intake_seq + 1`
  means something was lost in transit: the consumer is reset to `intake_seq + 1` and the batch
  dropped unacknowledged. If right after such a reset the stream still starts later, those
  sequences do not exist (deleted by an operator) and the gap is accepted with a warning.
- Event ids are unique in the log as well: the same event published twice under another message
  id (past the stream's duplicate window) is one entry.
- A standby (services/audit/standby.py) runs this same intake on its own durable consumer
  (`audit-follow-<instance>`) into its own SQLite file: the same messages in the same order make
  byte-identical entries, so its copy is the leader's tree, root for root.
- Rebuild: if the SQLite log is missing, empty, or older than what was acknowledged (restored
  from a backup), the consumer restarts from `intake_seq + 1` (from the first message for an
  empty log) and the log is rebuilt in stream order. The stream keeps every event (limits
  retention without limits) and entries are a pure function of the messages (intake_records.py), so the
  rebuilt tree is the tree that was signed. By hand: stop the audit process, move
  `<data dir>/audit/log.db*` away, start it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Final

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from parley.natsconn import patiently
from proto.audit import AUDIT_STREAM
from services.audit.intake_records import StreamMessage, to_record
from services.audit.log import AppendResult, LogStore
from services.audit.pull_feed import PullFeed

log = logging.getLogger("parley.audit.intake")

DURABLE: Final = "audit-log"
#: Bytes one pull request may deliver: bounds intake's memory (two requests in flight) while
#: always exceeding the stream's largest message (64 KiB + headers), which must never be stuck.
MAX_PULL_BYTES: Final = 4 * 1024 * 1024
#: How long intake keeps trying to (re)create its consumer while JetStream is unavailable (a
#: stream electing its leader takes seconds) before it fails and the process restarts.
PATIENCE_S: Final = 60.0


def parse_ack_subject(reply: str) -> tuple[int, int]:
    """(stream sequence, stream timestamp in ms) from a JetStream ack subject (v1 or v2 form)."""
    tokens = reply.split(".")
    if len(tokens) == 9:  # $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>
        return int(tokens[5]), int(tokens[7]) // 1_000_000
    if len(tokens) >= 11:  # $JS.ACK.<domain>.<hash>.<stream>.<consumer>.<delivered>.<sseq>...
        return int(tokens[7]), int(tokens[9]) // 1_000_000
    raise ValueError(f"not a JetStream ack subject: {reply[:80]!r}")


def stream_message(msg: Msg) -> StreamMessage:
    seq, ts = parse_ack_subject(msg.reply)
    return StreamMessage(msg.data, seq, ts)


def commit_batch(store: LogStore, messages: Sequence[StreamMessage]) -> tuple[AppendResult, int]:
    """Append a batch in one transaction; returns the result and how many were rejected."""
    records = []
    rejected = 0
    for message in messages:
        record, accepted = to_record(message)
        records.append(record)
        rejected += not accepted
    result = store.append(records, intake_seq=max(m.stream_seq for m in messages))
    return result, rejected


def in_order(
    messages: Sequence[StreamMessage], committed: int, gap_ok_at: int | None
) -> tuple[list[int], bool]:
    """Positions of the messages to commit (consecutive from `committed + 1`), and whether a
    gap was found that needs a consumer reset. Pure; see the module rules."""
    chosen: list[int] = []
    expected = committed + 1
    for pos, message in enumerate(messages):
        seq = message.stream_seq
        if seq < expected:
            continue  # redelivered: already in the log
        if seq > expected and not (gap_ok_at == expected and not chosen):
            return chosen, True
        chosen.append(pos)
        expected = seq + 1
    return chosen, False


class Intake:
    """Consumes `AUDIT` into the store until stopped.

    Batches come from a `PullFeed`, which keeps pull requests outstanding while a batch commits;
    each batch is whatever arrived meanwhile (at most `batch` messages), committed in one
    transaction and then acknowledged with one ack-all of its last message.
    """

    def __init__(
        self,
        nc: Client,
        store: LogStore,
        *,
        batch: int = 1000,
        fetch_timeout_s: float = 1.0,
        ack_wait_s: float = 60.0,
        max_bytes: int = MAX_PULL_BYTES,
        on_commit: Callable[[AppendResult], None] | None = None,
        durable: str = DURABLE,
    ) -> None:
        self._nc = nc
        self.durable = durable
        self._js = nc.jetstream()
        self._store = store
        self._batch = batch
        self._fetch_timeout_s = fetch_timeout_s
        self._ack_wait_s = ack_wait_s
        self._max_bytes = max_bytes
        self._on_commit = on_commit or (lambda result: None)
        self._reset_at: int | None = None
        self.rejected = 0
        self.rebuilt = False

    async def _consumer_from(self, start: int) -> PullFeed:
        with contextlib.suppress(NotFoundError):
            await self._js.delete_consumer(AUDIT_STREAM, self.durable)
        config = ConsumerConfig(
            name=self.durable, durable_name=self.durable, ack_policy=AckPolicy.ALL,
            ack_wait=self._ack_wait_s, max_ack_pending=max(20_000, 4 * self._batch),
            deliver_policy=DeliverPolicy.ALL if start <= 1 else DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=None if start <= 1 else start,
        )
        await self._js.add_consumer(AUDIT_STREAM, config)
        self._reset_at = start
        feed = PullFeed(self._nc, AUDIT_STREAM, self.durable, batch=self._batch,
                        max_bytes=self._max_bytes)
        await feed.start()
        return feed

    async def prepare(self) -> PullFeed:
        """(Re)create the durable consumer at `intake_seq + 1` and start pulling from it."""
        log_seq = self._store.intake_seq()
        try:
            info = await self._js.consumer_info(AUDIT_STREAM, self.durable)
        except NotFoundError:
            info = None
        if info is not None and info.ack_floor is not None and info.ack_floor.stream_seq > log_seq:
            log.warning(
                "audit log is behind its consumer: rebuilding from the stream",
                extra={"log_seq": log_seq, "ack_floor": info.ack_floor.stream_seq,
                       "log_size": self._store.size},
            )
            self.rebuilt = True
        return await self._consumer_from(log_seq + 1)

    def commit(self, msgs: Sequence[Msg]) -> tuple[AppendResult | None, Msg | None, bool]:
        """Commit what continues the log; (result, message to acknowledge, reset needed)."""
        messages = [stream_message(m) for m in msgs]
        committed = self._store.intake_seq()
        chosen, gap = in_order(messages, committed, self._reset_at)
        if gap:
            log.warning("gap in audit delivery: resetting the consumer",
                        extra={"expected": committed + 1})
        elif chosen and self._reset_at is not None \
                and messages[chosen[0]].stream_seq > self._reset_at:
            log.warning("stream sequences missing (deleted?): accepting the gap",
                        extra={"from": self._reset_at, "to": messages[chosen[0]].stream_seq})
        if chosen:
            self._reset_at = None
        if not chosen:
            return None, None, gap
        result, rejected = commit_batch(self._store, [messages[p] for p in chosen])
        if rejected:
            self.rejected += rejected
            log.error("audit intake rejected malformed events", extra={"count": rejected})
        return result, msgs[chosen[-1]], gap

    async def run(self, stop: asyncio.Event) -> None:
        feed = await patiently(self.prepare, what="audit intake consumer", patience_s=PATIENCE_S)
        try:
            while not stop.is_set():
                msgs = await feed.take(self._batch, self._fetch_timeout_s)
                if not msgs:
                    continue
                result, last, reset = self.commit(msgs)
                if last is not None:
                    # Only now, after the commit: ack-all covers the batch up to `last`.
                    await last.ack()
                if result is not None:
                    self._on_commit(result)
                # While messages keep arriving `take` need not wait: yield here so the signing
                # loop and the read endpoints get their turn between two commits.
                await asyncio.sleep(0)
                if reset:
                    await feed.close()
                    feed = await patiently(
                        lambda: self._consumer_from(self._store.intake_seq() + 1),
                        what="audit intake consumer", patience_s=PATIENCE_S)
        finally:
            await feed.close()
