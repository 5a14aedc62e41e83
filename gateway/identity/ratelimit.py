"""Rate limits: token buckets per key, and sign-in failure backoff then lockout.

Both take an injected clock (seconds, monotonic in production) and keep at most `max_keys` keys
in memory, evicting the least recently used, so a flood of new keys (addresses, usernames) costs
bounded memory. Eviction forgets a key's history; per-address limits make the flood that would
force it slow, and account lockouts are also written to the account record by the gateway so
they survive eviction and hold across gateway processes.

Sign-in backoff is keyed by the username as typed (normalised), not by account id, so an unknown
username backs off and locks exactly like a real one: responses reveal nothing about existence.
Per address: the same scheme with its own thresholds (no lockout by default, a longer cap),
keyed by `address_key` (`AddressBackoff`, which the redeem backoff uses too, with a far higher
threshold: `redeem_address_backoff`).
"""

from __future__ import annotations

import ipaddress
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from gateway.identity.errors import LockedOut, RateLimited

Clock = Callable[[], float]


def retry_after(seconds: float) -> int:
    """Whole seconds for a `Retry-After` header (at least 1)."""
    return max(1, math.ceil(seconds))


def address_key(address: str) -> str:
    """Key for a client address: IPv4 as is, IPv6 by its /64 (one host usually holds a /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


V = TypeVar("V")


class _Lru(Generic[V]):
    def __init__(self, max_keys: int) -> None:
        self.max_keys = max_keys
        self.items: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.max_keys:
            self.items.popitem(last=False)

    def pop(self, key: str) -> None:
        self.items.pop(key, None)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class BucketConfig:
    rate_per_s: float = 10.0
    burst: float = 40.0

    def __post_init__(self) -> None:
        if self.rate_per_s <= 0 or self.burst < 1:
            raise ValueError("rate_per_s must be > 0 and burst >= 1")


class TokenBucket:
    """One token bucket: `burst` tokens, refilled at `rate_per_s` (a socket's own, or one key's)."""

    def __init__(self, config: BucketConfig, clock: Clock) -> None:
        self.config = config
        self._clock = clock
        self.tokens, self.at = config.burst, clock()

    def take(self, cost: float = 1.0) -> float:
        """Take `cost` tokens: 0.0 if allowed, else seconds until it would be (nothing taken)."""
        now = self._clock()
        self.tokens = min(self.config.burst,
                          self.tokens + max(0.0, now - self.at) * self.config.rate_per_s)
        self.at = now
        if self.tokens >= cost:
            self.tokens -= cost
            return 0.0
        return (cost - self.tokens) / self.config.rate_per_s


class TokenBuckets:
    """One `TokenBucket` per key, the least recently used forgotten beyond `max_keys`."""

    def __init__(self, config: BucketConfig, clock: Clock, max_keys: int = 50_000) -> None:
        self.config = config
        self._clock = clock
        self._buckets: _Lru[TokenBucket] = _Lru(max_keys)

    def take(self, key: str, cost: float = 1.0) -> float:
        """Take `cost` tokens from `key`'s bucket: 0.0 if allowed, else seconds to wait."""
        bucket = self._buckets.get(key) or TokenBucket(self.config, self._clock)
        self._buckets.put(key, bucket)
        return bucket.take(cost)

    def check(self, key: str, cost: float = 1.0) -> None:
        wait = self.take(key, cost)
        if wait > 0:
            raise RateLimited(retry_after_s=retry_after(wait))

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass(frozen=True)
class BackoffConfig:
    """After `free_failures` failures, each further one blocks for base·2^k seconds (capped);
    the `lockout_after`-th consecutive failure locks the key for `lockout_s` (None: never)."""

    free_failures: int = 3
    base_delay_s: float = 1.0
    max_delay_s: float = 300.0
    lockout_after: int | None = 10
    lockout_s: float = 900.0
    forget_after_s: float = 3600.0

    def __post_init__(self) -> None:
        if self.free_failures < 0 or self.base_delay_s <= 0 or self.max_delay_s < self.base_delay_s:
            raise ValueError("need free_failures >= 0 and 0 < base_delay_s <= max_delay_s")
        if self.lockout_after is not None and (self.lockout_after < 1 or self.lockout_s <= 0):
            raise ValueError("need lockout_after >= 1 and lockout_s > 0")


ADDRESS_BACKOFF = BackoffConfig(free_failures=10, max_delay_s=600.0, lockout_after=None)

#: Wrong invitation links or codes one client address may send before it backs off. High on
#: purpose: each invitation bounds the guessing of its own code (signalling blocks it after a
#: few wrong ones), so this only stops one address spraying many links. An office behind one
#: NAT address, whose people each mistype a code or two, must never meet it.
REDEEM_ADDRESS_FREE_FAILURES = 50


def redeem_address_backoff(free_failures: int = REDEEM_ADDRESS_FREE_FAILURES) -> BackoffConfig:
    """The redeem backoff per client address (`PARLEY_REDEEM_ADDRESS_FREE_FAILURES`)."""
    return BackoffConfig(free_failures=free_failures, max_delay_s=600.0, lockout_after=None)


@dataclass
class _Failures:
    count: int
    last_s: float
    blocked_until_s: float
    locked: bool = False
    #: The end of the last block a refusal was first told for (`first_refusal`).
    told_until_s: float = 0.0


class FailureBackoff:
    """Exponential backoff and lockout for one keyspace."""

    def __init__(self, config: BackoffConfig, clock: Clock, max_keys: int = 50_000) -> None:
        self.config = config
        self._clock = clock
        self._state: _Lru[_Failures] = _Lru(max_keys)

    def _current(self, key: str, now: float) -> _Failures | None:
        state = self._state.get(key)
        if state is None:
            return None
        if now >= state.blocked_until_s and (
            state.locked or now - state.last_s >= self.config.forget_after_s
        ):
            self._state.pop(key)  # lockout served, or failures long forgotten: start over
            return None
        return state

    def wait_s(self, key: str) -> tuple[float, bool]:
        """(seconds until the key may try again, whether it is locked out)."""
        now = self._clock()
        state = self._current(key, now)
        if state is None:
            return 0.0, False
        return max(0.0, state.blocked_until_s - now), state.locked

    def first_refusal(self, key: str) -> bool:
        """Whether a refusal of `key` now is the first of its current block (one backoff
        window: from the failure that set it to its end), so a caller audits one refusal per
        window, not every request a flood sends into it. False when the key is not blocked."""
        now = self._clock()
        state = self._current(key, now)
        if state is None or now >= state.blocked_until_s \
                or state.told_until_s == state.blocked_until_s:
            return False
        state.told_until_s = state.blocked_until_s
        return True

    def record_failure(self, key: str) -> bool:
        """Count a failure; True if it has just locked the key."""
        now = self._clock()
        state = self._current(key, now) or _Failures(count=0, last_s=now, blocked_until_s=now)
        state.count += 1
        state.last_s = now
        cfg = self.config
        if cfg.lockout_after is not None and state.count >= cfg.lockout_after:
            state.locked = True
            state.blocked_until_s = now + cfg.lockout_s
            self._state.put(key, state)
            return True
        excess = state.count - cfg.free_failures
        if excess > 0:
            state.blocked_until_s = now + min(cfg.max_delay_s, cfg.base_delay_s * 2 ** (excess - 1))
        self._state.put(key, state)
        return False

    def reset(self, key: str) -> None:
        self._state.pop(key)

    def __len__(self) -> int:
        return len(self._state)


class AddressBackoff(FailureBackoff):
    """A `FailureBackoff` over client addresses, each counted by its `address_key` (IPv6 by
    its /64), so a client cannot step out of its backoff by rotating addresses within the
    prefix it holds. Sign-in's per-address backoff and the redeem backoff are both this."""

    def wait_s(self, key: str) -> tuple[float, bool]:
        return super().wait_s(address_key(key))

    def first_refusal(self, key: str) -> bool:
        return super().first_refusal(address_key(key))

    def record_failure(self, key: str) -> bool:
        return super().record_failure(address_key(key))

    def reset(self, key: str) -> None:
        super().reset(address_key(key))


class SignInGuard:
    """Sign-in backoff per username and per client address.

    Order of use: `check` before hashing the password (raises `LockedOut`/`RateLimited` with a
    Retry-After), then `record_failure` or `record_success`.
    """

    def __init__(
        self, clock: Clock, account: BackoffConfig | None = None,
        address: BackoffConfig | None = None, max_keys: int = 50_000,
    ) -> None:
        self.accounts = FailureBackoff(account or BackoffConfig(), clock, max_keys)
        self.addresses = AddressBackoff(address or ADDRESS_BACKOFF, clock, max_keys)

    def check(self, username: str, address: str) -> None:
        wait_u, locked = self.accounts.wait_s(username.lower())
        wait_a, locked_a = self.addresses.wait_s(address)
        wait = max(wait_u, wait_a)
        if wait > 0:
            error = LockedOut if (locked or locked_a) else RateLimited
            raise error(retry_after_s=retry_after(wait))

    def record_failure(self, username: str, address: str) -> bool:
        """Count a failed sign-in; True if the username has just been locked (audit it)."""
        self.addresses.record_failure(address)
        return self.accounts.record_failure(username.lower())

    def record_success(self, username: str) -> None:
        # The address keeps its history: otherwise an attacker signing in to its own account
        # between guesses would reset its address counter.
        self.accounts.reset(username.lower())
