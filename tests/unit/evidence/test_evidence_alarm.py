"""Rate limits on integrity alarms (services/evidence/alarm.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.evidence.alarm import AlarmLimiter

WINDOW = 1000


def test_the_same_object_is_reported_once_per_window() -> None:
    alarms = AlarmLimiter(window_ms=WINDOW, burst=5)
    assert alarms.admit("h", "k1", 0) == 0
    assert alarms.admit("h", "k1", 999) is None
    assert alarms.admit("h", "k1", 1000) == 0
    assert alarms.admit("other", "k1", 10) == 0  # per hearing


def test_a_flood_is_capped_per_hearing_and_the_rest_counted() -> None:
    alarms = AlarmLimiter(window_ms=WINDOW, burst=3)
    admitted = [alarms.admit("h", f"k{i}", 10) for i in range(100)]
    assert admitted[:3] == [0, 0, 0] and admitted[3:] == [None] * 97
    assert alarms.admit("h2", "k0", 10) == 0  # another hearing is not starved
    assert alarms.admit("h", "late", WINDOW + 10) == 97  # the next window says how many


def test_memory_is_bounded() -> None:
    alarms = AlarmLimiter(window_ms=WINDOW, burst=10**6, max_entries=50)
    for i in range(10_000):
        alarms.admit(f"h{i % 7}", f"k{i}", i)
    assert len(alarms._objects) <= 50 and len(alarms._hearings) <= 50


@given(st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 30), st.integers(0, 5000)),
                max_size=300))
def test_never_more_than_burst_reports_per_window(events: list[tuple[str, int, int]]) -> None:
    """Fixed windows: any span of one window holds at most two windows' bursts."""
    alarms = AlarmLimiter(window_ms=WINDOW, burst=4)
    times: dict[str, list[int]] = {"a": [], "b": []}
    for hearing, key, now in sorted(events, key=lambda e: e[2]):
        if alarms.admit(hearing, str(key), now) is not None:
            times[hearing].append(now)
    for admitted in times.values():
        for i, start in enumerate(admitted):
            assert sum(1 for t in admitted[i:] if t < start + WINDOW) <= 8
