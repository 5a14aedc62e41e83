"""The sweeper's plan: a pass visits only the hearings due now or on a silent gateway, and its
work follows changes, not the number of hearings (services/signalling/sweep_plan.py)."""

from __future__ import annotations

from services.signalling.sweep_plan import Due, SweepPlan, silent

ALIVE = {"gw1": 10_000, "gw2": 10_000}


def test_nothing_due_nothing_visited_whatever_the_number_of_hearings() -> None:
    plan = SweepPlan()
    for i in range(10_000):
        plan.update(f"h{i}", Due(1, None, frozenset({"gw1"})))
    assert plan.take(ALIVE, 10_500, timeout_ms=3000) == []
    assert len(plan) == 10_000


def test_due_hearings_come_once_in_time_order_and_stale_entries_are_skipped() -> None:
    plan = SweepPlan()
    plan.update("a", Due(1, 2000, frozenset()))
    plan.update("b", Due(1, 1000, frozenset()))
    plan.update("c", Due(1, 9000, frozenset()))
    plan.update("a", Due(2, 5000, frozenset()))  # a changed: its old due time no longer counts
    assert plan.take(ALIVE, 2500, timeout_ms=3000) == ["b"]
    assert plan.take(ALIVE, 2500, timeout_ms=3000) == []  # taken once
    assert plan.take(ALIVE, 6000, timeout_ms=3000) == ["a"]
    plan.update("c", None)  # gone
    assert plan.take(ALIVE, 10_000, timeout_ms=3000) == []


def test_a_silent_gateway_brings_exactly_its_hearings_until_they_change() -> None:
    plan = SweepPlan()
    plan.update("a", Due(1, None, frozenset({"gw1"})))
    plan.update("b", Due(1, None, frozenset({"gw2"})))
    plan.update("c", Due(1, None, frozenset({"gw1", "gw2"})))
    alive = {"gw1": 10_000, "gw2": 1_000}
    assert plan.dead_instances(alive, 10_500, timeout_ms=3000) == ["gw2"]
    assert sorted(plan.take(alive, 10_500, timeout_ms=3000)) == ["b", "c"]
    assert sorted(plan.take(alive, 11_500, timeout_ms=3000)) == ["b", "c"]  # still holding it
    plan.update("b", Due(2, None, frozenset()))  # its sockets there were disconnected
    plan.update("c", Due(2, None, frozenset({"gw1"})))
    assert plan.take(alive, 12_500, timeout_ms=3000) == []
    assert plan.dead_instances(alive, 12_500, timeout_ms=3000) == []  # no hearing holds gw2


def test_a_failed_sweep_is_retried() -> None:
    plan = SweepPlan()
    plan.update("a", Due(1, 1000, frozenset()))
    assert plan.take(ALIVE, 1000, timeout_ms=3000) == ["a"]
    plan.retry("a", 2000)
    assert plan.take(ALIVE, 1500, timeout_ms=3000) == []
    assert plan.take(ALIVE, 2000, timeout_ms=3000) == ["a"]


def test_no_gateway_is_silent_on_a_feed_that_could_not_hear_it() -> None:
    """A signalling process whose heartbeat feed was down (NATS node restarting) must not find
    every gateway silent when it comes back: each gets a whole timeout from then."""
    plan = SweepPlan()
    plan.update("a", Due(1, None, frozenset({"gw1"})))
    alive = {"gw1": 1_000}
    plan.hear(1, 1_000)  # listening since 1,000
    assert plan.dead_instances(alive, 3_000, timeout_ms=3000) == []
    plan.hear(None, 3_500)  # the feed is down: beats at 4,000 and 7,000 are never seen
    assert plan.take(alive, 9_000, timeout_ms=3000) == []
    plan.hear(2, 9_000)  # back (a new start of the feed)
    assert plan.take(alive, 11_000, timeout_ms=3000) == []  # within a timeout of coming back
    assert plan.take(alive, 12_001, timeout_ms=3000) == ["a"]  # heard for 3 s: truly silent
    plan.hear(2, 12_500)  # the same feed, still up: nothing restarts
    assert plan.heard_since_ms == 9_000
    plan.hear(3, 12_600)  # it failed and came back between two passes
    assert plan.heard_since_ms == 12_600


def test_silent_rule() -> None:
    assert silent(1_000, 4_001, 3_000, 0) and not silent(1_000, 4_000, 3_000, 0)
    assert silent(None, 3_001, 3_000, 0)  # never heard of
    assert not silent(None, 10**9, 3_000, None)  # not listening: nobody is judged
    assert not silent(1_000, 6_000, 3_000, 5_000) and silent(1_000, 8_001, 3_000, 5_000)
