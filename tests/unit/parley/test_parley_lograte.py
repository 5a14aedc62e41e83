"""`Occurrences`: a repeating warning logged at once, then at most once per period with its count."""

from __future__ import annotations

from parley.lograte import Occurrences


def test_the_first_is_logged_then_one_line_per_period_with_the_count_since() -> None:
    now = [100.0]
    seen = Occurrences(10.0, clock=lambda: now[0])
    assert seen.due() == 1  # the first occurrence: at once
    reported = []
    for _ in range(40):  # every 0.75 s, as the standby's retries during an election
        now[0] += 0.75
        reported.append(seen.due())
    # Lines at 10.5 s and 21 s, each with the 14 occurrences since the line before.
    assert [(i, n) for i, n in enumerate(reported) if n is not None] == [(13, 14), (27, 14)]


def test_after_a_quiet_period_the_next_is_logged_at_once() -> None:
    now = [0.0]
    seen = Occurrences(10.0, clock=lambda: now[0])
    assert seen.due() == 1
    now[0] += 5
    assert seen.due() is None
    now[0] += 60
    assert seen.due() == 2  # the one held back, and this one
