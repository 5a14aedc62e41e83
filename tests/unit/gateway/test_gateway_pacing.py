"""The pace of client reads (gateway/http/pacing.py): idle timeout and minimum rate, pure."""

from __future__ import annotations

import pytest

from gateway.http.pacing import ClientTooSlow, Pace, PaceClock


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _clock(idle: float = 5.0, rate: float = 100.0, grace: float = 10.0) -> tuple[PaceClock, Clock]:
    now = Clock()
    return Pace(idle, rate, grace).clock(now), now


def test_a_read_waits_at_most_the_idle_timeout() -> None:
    pace, _ = _clock()
    assert pace.wait_s() == 5.0


def test_the_rate_applies_only_after_the_grace_time() -> None:
    pace, now = _clock(idle=5.0, rate=100.0, grace=10.0)
    now.t += 8.0  # nothing received yet: 2 s of grace left
    assert pace.wait_s() == pytest.approx(2.0)
    now.t += 2.0
    with pytest.raises(ClientTooSlow):
        pace.wait_s()


def test_a_trickle_inside_every_idle_window_is_still_cut_off() -> None:
    pace, now = _clock(idle=5.0, rate=100.0, grace=2.0)
    with pytest.raises(ClientTooSlow):
        for _ in range(100):
            now.t += pace.wait_s() * 0.9  # always just inside the window
            pace.arrived(1)
    assert now.t - 100.0 < 10.0  # cut off after about the grace time, not after 100 windows


def test_a_client_at_the_minimum_rate_keeps_going() -> None:
    pace, now = _clock(idle=5.0, rate=100.0, grace=2.0)
    for _ in range(1000):
        now.t += 1.0
        pace.arrived(150)
        assert pace.wait_s() > 0
    assert pace.received == 150_000


def test_credit_from_a_fast_start_is_bounded_by_the_idle_timeout() -> None:
    pace, _ = _clock(idle=5.0, rate=100.0, grace=2.0)
    pace.arrived(1_000_000)  # ten thousand seconds of credit at the minimum rate
    assert pace.wait_s() == 5.0  # still no more than the idle timeout per read
