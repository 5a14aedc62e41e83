"""The open sockets' credential watch: work follows changes, not the number of sockets."""

from __future__ import annotations

import asyncio

from gateway.ws.credential_watch import CredentialWatch, Watched, keep_alive_period


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _socket(keys: set[str], log: list[str], name: str, valid: dict[str, bool],
            expires_at: float | None = None) -> Watched:
    async def check() -> bool:
        log.append(name)
        return valid.get(name, True)

    return Watched(check=check, keys=frozenset(keys), expires_at=expires_at)


async def test_a_change_rechecks_only_the_sockets_under_its_key() -> None:
    clock = Clock()
    watch = CredentialWatch(period_s=60.0, clock=clock)
    log: list[str] = []
    sockets = {f"s{i}": _socket({f"session.{i}", "account.shared" if i < 3 else f"account.{i}"},
                                log, f"s{i}", {}) for i in range(1000)}
    for w in sockets.values():
        watch.add(w)
    assert watch.take_due(clock.now) == []  # nothing changed, nothing due: no work at all
    watch.changed("session.7")
    watch.changed("account.shared")
    watch.changed("session.unrelated")
    due = watch.take_due(clock.now)
    assert {id(w) for w in due} == {id(sockets[n]) for n in ("s7", "s0", "s1", "s2")}


async def test_each_socket_is_rechecked_once_a_period_and_at_its_expiry() -> None:
    clock = Clock()
    watch = CredentialWatch(period_s=60.0, clock=clock)
    log: list[str] = []
    valid = {"late": True}
    a = _socket({"k.a"}, log, "a", valid)
    b = _socket({"k.b"}, log, "b", valid, expires_at=10.0)
    watch.add(a)
    watch.add(b)
    clock.now = 10.0
    await watch._check_all(watch.take_due(clock.now))
    assert log == ["b"]  # its session's absolute expiry, before any period
    clock.now = 61.0
    await watch._check_all(watch.take_due(clock.now))
    assert sorted(log) == ["a", "b"]
    # a change re-checks at once and does not pile up extra timed checks
    for _ in range(50):
        watch.changed("k.a")
        await watch._check_all(watch.take_due(clock.now))
    clock.now = 200.0
    before = len(log)
    await watch._check_all(watch.take_due(clock.now))
    assert len(log) - before == 2


async def test_a_refused_socket_is_dropped_and_a_closed_one_is_skipped() -> None:
    clock = Clock()
    watch = CredentialWatch(period_s=1.0, clock=clock)
    log: list[str] = []
    valid = {"bad": False}
    bad = _socket({"k"}, log, "bad", valid)
    gone = _socket({"k"}, log, "gone", valid)
    watch.add(bad)
    watch.add(gone)
    watch.remove(gone)
    watch.changed("k")
    await watch._check_all(watch.take_due(clock.now))
    assert log == ["bad"]
    clock.now = 100.0
    await watch._check_all(watch.take_due(clock.now))
    assert log == ["bad"]  # refused: not scheduled again
    assert watch.next_wait(clock.now) is None


async def test_run_wakes_on_a_change() -> None:
    watch = CredentialWatch(period_s=3600.0)
    seen = asyncio.Event()

    async def check() -> bool:
        seen.set()
        return True

    watch.add(Watched(check=check, keys=frozenset({"k"})))
    task = asyncio.create_task(watch.run())
    try:
        await asyncio.sleep(0)
        watch.changed("k")
        await asyncio.wait_for(seen.wait(), 2.0)
    finally:
        task.cancel()


def test_sockets_touch_their_session_well_inside_the_idle_timeout() -> None:
    assert keep_alive_period(touch_s=60.0, idle_s=1800.0) == 450.0  # 10,000 sockets: 22 checks/s
    assert keep_alive_period(touch_s=0.2, idle_s=1.0) == 0.25
    assert keep_alive_period(touch_s=60.0, idle_s=120.0) == 60.0  # never oftener than a touch
