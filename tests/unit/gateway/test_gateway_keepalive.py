"""One task keeps every WebSocket honest (gateway/ws/timer_wheel.py, gateway/ws/keepalive.py):
the wheel hands items out no earlier than their time and at most a tick later; a quiet socket is
pinged once, a silent one closed at the idle deadline, a live one never."""

from __future__ import annotations

import asyncio
import random

import pytest

from gateway.ws.keepalive import Keepalive, Step, next_step, ping_window, tick_for
from gateway.ws.timer_wheel import TimerWheel


def test_an_item_is_due_no_earlier_than_its_time_and_within_a_tick() -> None:
    wheel: TimerWheel[str] = TimerWheel(tick_s=1.0, now=100.0)
    wheel.schedule("a", 102.5)
    wheel.schedule("b", 101.0)
    assert wheel.due(100.9) == []
    assert wheel.due(101.0) == ["b"]
    assert wheel.due(102.9) == []
    assert wheel.due(103.0) == ["a"]
    assert len(wheel) == 0 and wheel.next_at() is None


def test_scheduling_again_moves_an_item_and_cancel_forgets_it() -> None:
    wheel: TimerWheel[str] = TimerWheel(tick_s=0.5, now=0.0)
    wheel.schedule("a", 1.0)
    wheel.schedule("a", 3.0)
    wheel.schedule("b", 1.0)
    wheel.cancel("b")
    wheel.cancel("never added")
    assert wheel.next_at() == 3.0
    assert wheel.due(2.0) == []
    assert "a" in wheel and "b" not in wheel
    assert wheel.due(10.0) == ["a"]


def test_a_time_already_past_is_due_at_the_next_call_and_a_long_pause_hands_out_all() -> None:
    wheel: TimerWheel[int] = TimerWheel(tick_s=1.0, now=50.0)
    assert wheel.due(60.0) == []
    wheel.schedule(1, 40.0)  # in a slot already handed out: the next one
    for i in range(2, 6):
        wheel.schedule(i, 60.0 + i * 100)
    assert wheel.due(61.0) == [1]
    assert wheel.due(1e6) == [2, 3, 4, 5]  # oldest slot first


def test_the_wheel_refuses_a_zero_tick() -> None:
    with pytest.raises(ValueError):
        TimerWheel(tick_s=0, now=0.0)


@pytest.mark.parametrize(("heard", "pinged", "now", "expected"), [
    (0.0, 0.0, 5.0, (Step.WAIT, 15.0)),     # recently heard: look again when a ping is due
    (0.0, 0.0, 15.0, (Step.PING, 30.0)),    # quiet for ping_s: ping, look again at the deadline
    (0.0, 15.0, 20.0, (Step.WAIT, 30.0)),   # pinged already: only the deadline is left
    (0.0, 15.0, 30.0, (Step.CLOSE, 30.0)),  # silent for idle_s (no pong): close
    (16.0, 15.0, 31.0, (Step.PING, 46.0)),  # its pong came: a new round
])
def test_next_step(heard: float, pinged: float, now: float,
                   expected: tuple[Step, float]) -> None:
    assert next_step(heard, pinged, now, ping_s=15.0, idle_s=30.0) == expected


def test_the_tick_is_fine_enough_for_short_idle_times() -> None:
    assert tick_for(30.0) == 0.1
    assert tick_for(0.4) == 0.05


class Sock:
    def __init__(self) -> None:
        self.heard_at = self.pinged_at = self.ping_after = 0.0
        self.pinged = 0
        self.expired = 0

    async def ping(self) -> None:
        self.pinged += 1

    async def expire(self) -> None:
        self.expired += 1

    def backed_up(self) -> bool:
        return False


async def test_a_live_socket_stays_a_silent_one_is_closed_once_a_removed_one_is_forgotten() -> None:
    t = [0.0]
    keep = Keepalive(idle_s=20.0, clock=lambda: t[0], rng=random.Random(1))
    live, silent, gone = Sock(), Sock(), Sock()
    for sock in (live, silent, gone):
        keep.add(sock)
    keep.remove(gone)
    for step in range(1, 601):  # 60 s in ticks of 0.1 s
        t[0] = step * 0.1
        if live.pinged and live.heard_at < live.pinged_at:
            live.heard_at = t[0]  # its pong
        await keep.ping(keep.tick())
        await asyncio.sleep(0)
    assert live.expired == 0 and live.pinged >= 3
    assert silent.pinged == 1 and silent.expired == 1
    assert gone.pinged == 0 and gone.expired == 0
    assert len(keep) == 1  # only the live one is still watched
    await keep.stop()


class StuckSock(Sock):
    """Its client reads nothing: a ping waits for it forever."""

    def backed_up(self) -> bool:
        return True

    async def ping(self) -> None:
        self.pinged += 1
        await asyncio.Event().wait()


async def test_pings_are_written_in_line_in_slices_and_a_backed_up_socket_holds_no_one() -> None:
    t = [0.0]
    keep = Keepalive(idle_s=20.0, clock=lambda: t[0])
    stuck, socks = StuckSock(), [Sock() for _ in range(100)]
    for sock in (stuck, *socks):
        keep.add(sock)
    t[0] = ping_window(20.0)[1]  # every one is due by the end of the window
    pinged_when_loop_ran: list[int] = []
    asyncio.get_running_loop().call_soon(
        lambda: pinged_when_loop_ran.append(sum(s.pinged for s in socks)))
    await asyncio.wait_for(keep.ping(keep.tick()), 1)
    assert all(s.pinged == 1 for s in socks)
    assert len(keep._running) == 1  # a task only for the socket that could wait
    await asyncio.sleep(0)
    assert stuck.pinged == 1
    # The event loop ran other work before all hundred were pinged.
    assert pinged_when_loop_ran and pinged_when_loop_ran[0] < 100
    await keep.stop()


async def test_sockets_opened_together_are_pinged_apart_and_stay_apart() -> None:
    """A bunch (sockets heard at the same moment: opened together, or answering one batch of
    pings) is spread over the ping window in the first round and does not form again: the
    quiet time is the socket's own, not one for all."""
    t = [0.0]
    keep = Keepalive(idle_s=30.0, clock=lambda: t[0], rng=random.Random(7))
    socks = [Sock() for _ in range(1000)]
    for sock in socks:
        keep.add(sock)
    low, high = ping_window(30.0)
    assert (low, high) == (15.0, 22.5)
    largest = 0  # pings in one tick
    for step in range(1, 700):  # 69.9 s: three rounds
        t[0] = step * keep.wheel.tick_s
        due = keep.tick()
        for sock in due:
            sock.heard_at = t[0]  # every pong comes back at once
        await keep.ping(due)
        largest = max(largest, len(due))
    assert all(s.expired == 0 and s.pinged >= 3 for s in socks)
    assert all(low <= s.ping_after <= high for s in socks)
    # 1,000 sockets over a window of 75 ticks: about 13 a tick; a bunch would be all of them.
    assert largest < 60
    await keep.stop()
