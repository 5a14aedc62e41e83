"""Intake's pure parts: which delivered messages continue the log (`in_order`), committing a
batch with its stream sequence, and the pull-request credit that pipelines fetching."""

from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import cast

import pytest
from nats.aio.client import Client

from proto.audit import Actor, AuditEvent, Outcome, Resource, encode_event
from services.audit.intake import commit_batch, in_order, parse_ack_subject
from services.audit.intake_records import StreamMessage
from services.audit.log import LogStore
from services.audit.pull_feed import REFUSAL_LOG_S, PullCredit, PullFeed


def msgs(*seqs: int) -> list[StreamMessage]:
    return [StreamMessage(b"{}", seq, 0) for seq in seqs]


def chosen_seqs(seqs: list[int], committed: int, gap_ok_at: int | None = None) -> tuple[list[int], bool]:
    messages = msgs(*seqs)
    positions, gap = in_order(messages, committed, gap_ok_at)
    return [messages[p].stream_seq for p in positions], gap


def test_consecutive_batch_is_taken_whole() -> None:
    assert chosen_seqs([5, 6, 7], committed=4) == ([5, 6, 7], False)
    assert chosen_seqs([], committed=4) == ([], False)


def test_redeliveries_at_or_below_the_committed_sequence_are_skipped() -> None:
    assert chosen_seqs([3, 4, 5, 6], committed=4) == ([5, 6], False)
    assert chosen_seqs([1, 2, 3], committed=4) == ([], False)
    assert chosen_seqs([5, 5, 6, 6, 7], committed=4) == ([5, 6, 7], False)  # redelivered twice


def test_a_gap_stops_the_batch_and_asks_for_a_reset() -> None:
    assert chosen_seqs([5, 6, 8, 9], committed=4) == ([5, 6], True)
    assert chosen_seqs([6, 7], committed=4) == ([], True)
    assert chosen_seqs([3, 6], committed=4) == ([], True)


def test_a_gap_right_after_a_reset_is_accepted_once() -> None:
    # The consumer was reset to deliver from 5 and the stream starts at 8: 5..7 were deleted.
    assert chosen_seqs([8, 9], committed=4, gap_ok_at=5) == ([8, 9], False)
    # Only for the first message taken, and only from the reset point.
    assert chosen_seqs([8, 9, 11], committed=4, gap_ok_at=5) == ([8, 9], True)
    assert chosen_seqs([8, 9], committed=4, gap_ok_at=6) == ([], True)
    assert chosen_seqs([5, 7], committed=4, gap_ok_at=5) == ([5], True)


def test_random_deliveries_never_commit_out_of_order() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        committed = rng.randint(0, 20)
        seqs = sorted(rng.sample(range(1, 40), rng.randint(0, 12)))
        if rng.random() < 0.3:
            rng.shuffle(seqs)  # redeliveries can interleave
        taken, gap = chosen_seqs(seqs, committed)
        # What is taken is exactly committed+1, committed+2, ... : gap-free, no repeats.
        assert taken == list(range(committed + 1, committed + 1 + len(taken)))
        after = committed + len(taken)
        if gap:  # it stopped at a delivery that skips ahead of the run
            assert any(s > after + 1 for s in seqs)
        else:  # everything else was a redelivery of what the log already has
            assert all(s <= after for s in seqs)


def event(i: int) -> AuditEvent:
    return AuditEvent(id=f"ev{i:04d}", time=1_700_000_000_000 + i, actor=Actor(id="a1"),
                      action="document.view", resource=Resource(type="document", id="d1"),
                      outcome=Outcome.ALLOWED, service="evidence")


def test_commit_batch_stores_the_highest_sequence_with_the_entries(tmp_path: Path) -> None:
    store = LogStore.open(tmp_path / "log.db")
    batch = [StreamMessage(encode_event(event(i)), 10 + i, 0) for i in range(3)]
    batch.append(StreamMessage(b'{"id": "x"}', 13, 1_700_000_000_000))  # not an event
    result, rejected = commit_batch(store, batch)
    assert rejected == 1 and result.size == 4 and store.intake_seq() == 13
    # A redelivered event (same id, later sequence) is one entry; the sequence still advances.
    again, rejected = commit_batch(store, [StreamMessage(encode_event(event(0)), 14, 0)])
    assert again.duplicates == ["ev0000"] and again.size == 4 and rejected == 0
    assert store.intake_seq() == 14
    store.close()


def test_ack_subject_gives_sequence_and_time() -> None:
    ts = 1_700_000_000_123_456_789
    assert parse_ack_subject(f"$JS.ACK.AUDIT.audit-log.1.42.40.{ts}.0") == (42, ts // 1_000_000)
    assert parse_ack_subject(f"$JS.ACK.dom.hash.AUDIT.audit-log.1.42.40.{ts}.0.tok") == \
        (42, ts // 1_000_000)
    with pytest.raises(ValueError):
        parse_ack_subject("_INBOX.x")


def test_pull_credit_keeps_at_most_two_batches_in_flight() -> None:
    credit = PullCredit(100, expires_s=5.0)
    first = credit.next_request(buffered=0, now=0.0)
    second = credit.next_request(buffered=0, now=0.0)
    assert first and second and first != second
    assert credit.next_request(buffered=0, now=0.0) is None and credit.outstanding == 200
    for _ in range(150):  # the oldest request is served first
        credit.delivered()
    assert credit.open_requests == 1 and credit.outstanding == 50
    assert not credit.ended(first)  # its "409 Batch Completed", after its last message
    assert credit.ended(second) is False and credit.outstanding == 0  # ended after 50 of 100
    # Delivered but not yet taken still counts: no new batch until they are taken.
    assert credit.next_request(buffered=101, now=0.0) is None
    assert credit.next_request(buffered=0, now=0.0) is not None


def test_pull_credit_forgets_ended_and_overdue_requests() -> None:
    credit = PullCredit(10, expires_s=5.0, grace_s=1.0)
    a = credit.next_request(0, now=0.0)
    assert a is not None
    refused = credit.next_request(0, now=0.0)
    assert refused is not None
    credit.delivered()
    assert credit.ended(a) is False  # 408 / 409 after one message: the rest will never come
    assert credit.ended(refused) is True  # ended having delivered nothing
    assert credit.outstanding == 0
    credit.delivered()  # a late delivery with no open request changes nothing
    b = credit.next_request(0, now=0.0)
    c = credit.next_request(0, now=0.0)
    assert b and c and credit.outstanding == 20
    assert credit.next_request(0, now=5.9) is None  # not overdue yet
    d = credit.next_request(0, now=6.1)  # both ends were lost: forgotten, new requests go out
    assert d is not None and credit.open_requests == 1 and credit.outstanding == 10


def test_pull_credit_rejects_an_empty_batch() -> None:
    with pytest.raises(ValueError):
        PullCredit(0, expires_s=1.0)


def test_a_run_of_refused_pulls_is_logged_once_per_period(caplog: pytest.LogCaptureFixture) -> None:
    """While a stream elects its leader every retry (4 a second here) is refused: logged once
    per REFUSAL_LOG_S with the count, not once per retry."""
    now = [0.0]
    feed = PullFeed(cast(Client, None), "AUDIT", "audit-log", batch=10, max_bytes=1 << 20,
                    clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="parley.audit.pull"):
        for i in range(48):  # 12 s of refusals, one every 0.25 s
            now[0] = i * 0.25
            feed._refused("503", "")
    counts = [r.refusals for r in caplog.records]  # type: ignore[attr-defined]
    assert counts == [1, int(REFUSAL_LOG_S / 0.25)]
