"""Password hashing with argon2id (argon2-cffi), bounded input, and a dummy hash for unknown users.

Parameters (`DEFAULT_PARAMS`): argon2id, time_cost=2, memory_cost=32 MiB (32768 KiB),
parallelism=1, 32-byte hash, 16-byte salt. Measured on the 2-core development machine
(`measure_signin_ms`): 70-90 ms per verification (t=2/19 MiB ≈ 27 ms, t=3/32 MiB ≈ 90 ms,
t=2/64 MiB ≈ 150 ms). This is above OWASP's argon2id floor (19 MiB, t=2, p=1). Each concurrent
verification holds 32 MiB, so the gateway bounds concurrent sign-ins (rate limits + a semaphore).

Bounds are enforced BEFORE hashing, so nobody can make the server hash a megabyte:
- a new password is 12..256 characters (NIST SP 800-63B: length over composition rules);
- a password offered at sign-in is 1..256 characters (the policy may have changed since it was set);
- passwords are NFKC-normalised before hashing, so the same visible password typed on different
  keyboards (composed vs decomposed accents, full-width digits) verifies.

A changed password follows the same rule and must differ from the current one (compared as
normalised), or "changing" an administrator's temporary password would keep the one they know.
A temporary password (an administrator's reset) is made here, never typed by a person:
`TEMPORARY_GROUPS` groups of 4 from a 31-letter alphabet without look-alikes (0/o, 1/l/i), about
79 bits, easy to read out over a telephone.

Usernames: 3..64 characters of lowercase letters, digits, '.', '_' and '-', starting with a letter
or digit. That set is also valid in a NATS KV key, so a username can key the uniqueness index.

Timing: `PasswordHasher.verify(None, password)` verifies against a dummy hash made with the same
parameters, so signing in as an unknown user costs what a wrong password costs.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import statistics
import time
import unicodedata
from dataclasses import dataclass

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from gateway.identity.errors import InvalidInput
from proto.identity import PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_PATTERN

#: Upper bound on the normalised UTF-8 bytes handed to argon2 (NFKC can expand a character).
_PASSWORD_MAX_BYTES = 4096
_USERNAME_RE = re.compile(USERNAME_PATTERN)


@dataclass(frozen=True)
class Argon2Params:
    time_cost: int = 2
    memory_cost_kib: int = 32768
    parallelism: int = 1
    hash_len: int = 32
    salt_len: int = 16


DEFAULT_PARAMS = Argon2Params()
#: Cheap parameters for tests only (argon2's minimum memory); never use in production.
TEST_PARAMS = Argon2Params(time_cost=1, memory_cost_kib=8, parallelism=1)


def check_username(username: str) -> None:
    """Raise `InvalidInput` unless `username` matches `USERNAME_PATTERN`."""
    if len(username) > USERNAME_MAX or not _USERNAME_RE.fullmatch(username):
        raise InvalidInput("username must be 3-64 characters: a-z, 0-9, '.', '_', '-'")


def check_new_password(password: str) -> None:
    """Raise `InvalidInput` unless `password` is acceptable as a new password (12..256 chars)."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(f"password must be {PASSWORD_MIN}-{PASSWORD_MAX} characters")


def check_password_change(current: str, new: str) -> None:
    """Raise `InvalidInput` unless `new` may replace `current`: the new-password rule, and not
    the same password (a `reason` the client says in its own words)."""
    check_new_password(new)
    if unicodedata.normalize("NFKC", current) == unicodedata.normalize("NFKC", new):
        raise InvalidInput("the new password must differ from the current one",
                           reason="password_unchanged")


TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_GROUPS = 4


def temporary_password() -> str:
    """A new random temporary password, e.g. `k7pm-q2xr-9dwe-hv4t` (19 characters)."""
    return "-".join("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4))
                    for _ in range(TEMPORARY_GROUPS))


def _prepare(password: str) -> bytes:
    if not 1 <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(f"password must be 1-{PASSWORD_MAX} characters")
    data = unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")
    if len(data) > _PASSWORD_MAX_BYTES:
        raise InvalidInput("password too long")
    return data


class PasswordHasher:
    """argon2id hashing and verification with fixed parameters and a dummy hash."""

    def __init__(self, params: Argon2Params = DEFAULT_PARAMS) -> None:
        self.params = params
        self._ph = argon2.PasswordHasher(
            time_cost=params.time_cost,
            memory_cost=params.memory_cost_kib,
            parallelism=params.parallelism,
            hash_len=params.hash_len,
            salt_len=params.salt_len,
            type=argon2.Type.ID,
        )
        # Any value works: nobody knows a password for it, and nothing compares against it.
        self._dummy_hash = self._ph.hash(b"parley-dummy-password-for-unknown-users")

    def hash(self, password: str) -> str:
        """Hash a NEW password (policy bounds checked first)."""
        check_new_password(password)
        return self._ph.hash(_prepare(password))

    def rehash(self, password: str) -> str:
        """Hash an existing, just-verified password with current parameters (no policy check)."""
        return self._ph.hash(_prepare(password))

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True if `password` matches `stored_hash`. `None` (no such user) costs the same, False.

        Raises `InvalidInput` only for out-of-bounds input, which is independent of the account.
        """
        data = _prepare(password)
        if stored_hash is None:
            with contextlib.suppress(VerificationError):
                self._ph.verify(self._dummy_hash, data)
            return False
        try:
            return self._ph.verify(stored_hash, data)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True if `stored_hash` was made with other parameters (rehash after a good sign-in)."""
        try:
            return self._ph.check_needs_rehash(stored_hash)
        except (InvalidHashError, ValueError):
            return True


def measure_signin_ms(params: Argon2Params = DEFAULT_PARAMS, rounds: int = 5) -> float:
    """Median milliseconds of one password verification with `params` (for benchmarks)."""
    hasher = PasswordHasher(params)
    stored = hasher.hash("benchmark-password-123")
    samples = []
    for _ in range(max(1, rounds)):
        start = time.perf_counter()
        hasher.verify(stored, "benchmark-password-123")
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples)
