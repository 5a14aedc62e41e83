import pytest
from identity_support import fast_hasher

from gateway.identity.errors import InvalidInput
from gateway.identity.passwords import (
    DEFAULT_PARAMS,
    TEST_PARAMS,
    Argon2Params,
    PasswordHasher,
    check_username,
    measure_signin_ms,
)


def test_hash_is_argon2id_with_stated_parameters() -> None:
    stored = PasswordHasher(DEFAULT_PARAMS).hash("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=32768,t=2,p=1$")


def test_verify_right_and_wrong() -> None:
    hasher = fast_hasher()
    stored = hasher.hash("correct horse battery")
    assert hasher.verify(stored, "correct horse battery")
    assert not hasher.verify(stored, "correct horse batterY")


def test_nfkc_normalisation_makes_composed_and_decomposed_equal() -> None:
    hasher = fast_hasher()
    stored = hasher.hash("caf\u00e9-password-1")
    assert hasher.verify(stored, "cafe\u0301-password-1")


def test_unknown_user_verifies_against_dummy_and_fails() -> None:
    assert fast_hasher().verify(None, "whatever-password") is False


def test_garbage_stored_hash_fails_closed() -> None:
    hasher = fast_hasher()
    assert hasher.verify("not-a-hash", "whatever-password") is False
    assert hasher.needs_rehash("not-a-hash")


@pytest.mark.parametrize("password", ["short", "", "x" * 257])
def test_new_password_bounds(password: str) -> None:
    with pytest.raises(InvalidInput):
        fast_hasher().hash(password)


@pytest.mark.parametrize("password", ["", "x" * 257])
def test_signin_password_bounded_before_hashing(password: str) -> None:
    with pytest.raises(InvalidInput):
        fast_hasher().verify(None, password)


def test_boundary_lengths_accepted() -> None:
    hasher = fast_hasher()
    assert hasher.verify(hasher.hash("x" * 12), "x" * 12)
    assert hasher.verify(hasher.hash("y" * 256), "y" * 256)


def test_needs_rehash_when_parameters_change() -> None:
    old = PasswordHasher(TEST_PARAMS).hash("correct horse battery")
    newer = PasswordHasher(Argon2Params(time_cost=2, memory_cost_kib=16))
    assert newer.needs_rehash(old)
    assert not newer.needs_rehash(newer.rehash("correct horse battery"))


@pytest.mark.parametrize("name", ["alice", "bob.smith", "m-01_x", "abc", "a" * 64])
def test_usernames_accepted(name: str) -> None:
    check_username(name)


@pytest.mark.parametrize(
    "name", ["ab", "Alice", "a" * 65, "-alice", "al ice", "alice\n", "al*ce", "élodie", ""]
)
def test_usernames_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        check_username(name)


def test_measure_signin_ms_returns_a_positive_time() -> None:
    assert measure_signin_ms(TEST_PARAMS, rounds=2) > 0


def test_unknown_user_costs_one_argon2_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    hasher = PasswordHasher(TEST_PARAMS)
    real = hasher._ph
    calls: list[str] = []

    class Counting:
        def verify(self, stored: str, password: bytes) -> bool:
            calls.append(stored)
            return real.verify(stored, password)

    stored = hasher.hash("correct horse battery")
    monkeypatch.setattr(hasher, "_ph", Counting())
    assert not hasher.verify(stored, "wrong password!")
    assert not hasher.verify(None, "wrong password!")
    assert len(calls) == 2 and calls[0] == stored and calls[1] != stored
    assert calls[1].startswith("$argon2id$v=19$m=8,t=1,p=1$")
