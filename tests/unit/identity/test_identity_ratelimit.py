import pytest
from identity_support import FakeClock

from gateway.identity.errors import LockedOut, RateLimited
from gateway.identity.ratelimit import (
    AddressBackoff,
    BackoffConfig,
    BucketConfig,
    FailureBackoff,
    SignInGuard,
    TokenBuckets,
    address_key,
)


def test_token_bucket_burst_then_refill() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(BucketConfig(rate_per_s=2.0, burst=3.0), clock)
    for _ in range(3):
        buckets.check("session-1")
    with pytest.raises(RateLimited) as info:
        buckets.check("session-1")
    assert info.value.retry_after_s == 1
    buckets.check("session-2")  # keys are independent
    clock.advance(0.5)
    buckets.check("session-1")
    assert buckets.take("session-1") == pytest.approx(0.5)


def test_token_bucket_never_exceeds_burst() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(BucketConfig(rate_per_s=1.0, burst=2.0), clock)
    buckets.check("k")
    clock.advance(1000)
    buckets.check("k")
    buckets.check("k")
    with pytest.raises(RateLimited):
        buckets.check("k")


def test_token_bucket_memory_bounded() -> None:
    buckets = TokenBuckets(BucketConfig(), FakeClock(), max_keys=100)
    for i in range(1000):
        buckets.check(f"addr-{i}")
    assert len(buckets) == 100


def test_backoff_then_lockout_sequence() -> None:
    clock = FakeClock()
    config = BackoffConfig(free_failures=2, base_delay_s=1, max_delay_s=8, lockout_after=7,
                           lockout_s=900)
    backoff = FailureBackoff(config, clock)
    waits = []
    for _ in range(6):
        assert backoff.wait_s("alice") == (0.0, False)
        assert backoff.record_failure("alice") is False
        waits.append(backoff.wait_s("alice")[0])
        clock.advance(waits[-1])
    assert waits == [0, 0, 1, 2, 4, 8]
    assert backoff.record_failure("alice") is True
    assert backoff.wait_s("alice") == (900.0, True)
    clock.advance(899)
    assert backoff.wait_s("alice")[1] is True
    clock.advance(1)
    assert backoff.wait_s("alice") == (0.0, False)  # lockout served: starts over
    assert backoff.record_failure("alice") is False


def test_a_blocks_first_refusal_is_told_once_per_window() -> None:
    """The gateway audits a blocked redemption once per backoff window (api/redeem.py): the
    first refusal of each window is first, the rest of a flood into it is not."""
    clock = FakeClock()
    backoff = FailureBackoff(BackoffConfig(free_failures=1, base_delay_s=10, lockout_after=None),
                             clock)
    backoff.record_failure("10.0.0.1")
    assert backoff.first_refusal("10.0.0.1") is False  # not blocked: nothing to tell
    backoff.record_failure("10.0.0.1")  # blocked for 10 s
    told = []
    for _ in range(5):
        told.append(backoff.first_refusal("10.0.0.1"))
        clock.advance(1)
    assert told == [True, False, False, False, False]
    assert backoff.first_refusal("10.0.0.2") is False  # each address its own
    clock.advance(5)  # the window is over: refusals stop, so nothing to tell
    assert backoff.first_refusal("10.0.0.1") is False
    backoff.record_failure("10.0.0.1")  # the next window (20 s): told once again
    assert [backoff.first_refusal("10.0.0.1") for _ in range(3)] == [True, False, False]


def test_backoff_capped_without_lockout() -> None:
    clock = FakeClock()
    backoff = FailureBackoff(BackoffConfig(free_failures=0, max_delay_s=5, lockout_after=None),
                             clock)
    for _ in range(30):
        backoff.record_failure("1.2.3.4")
        wait, locked = backoff.wait_s("1.2.3.4")
        assert wait <= 5 and not locked
        clock.advance(wait)


def test_failures_forgotten_after_quiet_period() -> None:
    clock = FakeClock()
    backoff = FailureBackoff(BackoffConfig(free_failures=1, forget_after_s=100), clock)
    backoff.record_failure("bob")
    backoff.record_failure("bob")
    assert backoff.wait_s("bob")[0] > 0
    clock.advance(100)
    assert backoff.wait_s("bob") == (0.0, False)
    assert len(backoff) == 0


def test_backoff_memory_bounded() -> None:
    backoff = FailureBackoff(BackoffConfig(), FakeClock(), max_keys=10)
    for i in range(100):
        backoff.record_failure(f"user{i}")
    assert len(backoff) == 10


def test_guard_account_lockout_and_retry_after() -> None:
    clock = FakeClock()
    guard = SignInGuard(clock, account=BackoffConfig(free_failures=1, lockout_after=3,
                                                     lockout_s=60))
    guard.check("alice", "10.0.0.1")
    assert guard.record_failure("alice", "10.0.0.1") is False
    guard.check("alice", "10.0.0.1")
    assert guard.record_failure("alice", "10.0.0.1") is False
    with pytest.raises(RateLimited) as info:
        guard.check("alice", "10.0.0.2")  # per account: another address does not help
    assert not isinstance(info.value, LockedOut) and info.value.retry_after_s == 1
    clock.advance(1)
    assert guard.record_failure("alice", "10.0.0.3") is True
    with pytest.raises(LockedOut) as locked:
        guard.check("alice", "10.0.0.4")
    assert locked.value.retry_after_s == 60
    guard.check("bob", "10.0.0.4")


def test_guard_per_address_backoff_across_usernames() -> None:
    clock = FakeClock()
    guard = SignInGuard(clock, address=BackoffConfig(free_failures=3, lockout_after=None))
    for i in range(3):
        guard.record_failure(f"user{i}", "192.0.2.7")
    guard.check("someone-else", "192.0.2.7")  # three failures are free
    guard.record_failure("user3", "192.0.2.7")
    with pytest.raises(RateLimited):
        guard.check("someone-else", "192.0.2.7")
    guard.check("someone-else", "192.0.2.8")


def test_an_ipv6_client_rotating_within_its_64_stays_in_its_backoff() -> None:
    """`AddressBackoff` (sign-in's per-address backoff and the redeem backoff) counts an IPv6
    client by its /64: new addresses in the prefix share its failures, its block and its one
    audited refusal per window; another /64, and IPv4, are counted apart."""
    clock = FakeClock()
    backoff = AddressBackoff(BackoffConfig(free_failures=2, lockout_after=None), clock)
    for host in range(1, 4):
        backoff.record_failure(f"2001:db8:0:1::{host}")
    assert backoff.wait_s("2001:db8:0:1:ffff::9")[0] == pytest.approx(1.0)
    assert backoff.first_refusal("2001:db8:0:1::77") is True
    assert backoff.first_refusal("2001:db8:0:1::78") is False  # the same window, told once
    assert backoff.wait_s("2001:db8:0:2::1") == (0.0, False)
    assert backoff.wait_s("192.0.2.1") == (0.0, False)
    backoff.reset("2001:db8:0:1::abc")
    assert backoff.wait_s("2001:db8:0:1::1") == (0.0, False)


def test_guard_counts_an_ipv6_address_by_its_64() -> None:
    clock = FakeClock()
    guard = SignInGuard(clock, address=BackoffConfig(free_failures=1, lockout_after=None))
    guard.record_failure("user1", "2001:db8::1")
    guard.record_failure("user2", "2001:db8::2")
    with pytest.raises(RateLimited):
        guard.check("someone-else", "2001:db8::3")
    guard.check("someone-else", "2001:db8:0:1::3")


def test_guard_success_resets_account_not_address() -> None:
    clock = FakeClock()
    guard = SignInGuard(clock, account=BackoffConfig(free_failures=1),
                        address=BackoffConfig(free_failures=1, lockout_after=None))
    guard.record_failure("alice", "192.0.2.1")
    guard.record_failure("alice", "192.0.2.1")
    clock.advance(10)
    guard.record_success("alice")
    guard.check("alice", "192.0.2.2")
    guard.record_failure("mallory", "192.0.2.1")
    with pytest.raises(RateLimited):
        guard.check("mallory2", "192.0.2.1")


@pytest.mark.parametrize(
    ("address", "key"),
    [("192.0.2.1", "192.0.2.1"), ("2001:db8::1", "2001:db8::/64"),
     ("2001:db8::ffff:1", "2001:db8::/64"), ("::ffff:192.0.2.1", "192.0.2.1"),
     ("not-an-ip", "not-an-ip")],
)
def test_address_key(address: str, key: str) -> None:
    assert address_key(address) == key


@pytest.mark.parametrize(
    "kwargs",
    [{"base_delay_s": 0}, {"free_failures": -1}, {"max_delay_s": 0.5}, {"lockout_after": 0}],
)
def test_bad_backoff_config_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BackoffConfig(**kwargs)  # type: ignore[arg-type]


def test_bad_bucket_config_refused() -> None:
    with pytest.raises(ValueError):
        BucketConfig(rate_per_s=0)
