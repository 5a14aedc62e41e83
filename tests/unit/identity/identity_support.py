"""Shared helpers for the identity unit tests (a unique module name, not a conftest)."""

from __future__ import annotations

import secrets
from functools import cache

from gateway.identity.passwords import TEST_PARAMS, PasswordHasher
from gateway.identity.secretbox import SecretBox


class FakeClock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    @property
    def ms(self) -> int:
        return int(self.now * 1000)


@cache
def fast_hasher() -> PasswordHasher:
    return PasswordHasher(TEST_PARAMS)


def new_box() -> SecretBox:
    return SecretBox(secrets.token_bytes(32))
