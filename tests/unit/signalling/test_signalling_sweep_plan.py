"""The sweeper's plan: a pass visits only the hearings due now or on a silent gateway, and its
work follows changes, not the number of hearings (services/signalling/sweep_plan.py)."""

from __future__ import annotations

from services.signalling.sweep_plan import Due, SweepPlan

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
