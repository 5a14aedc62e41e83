import msgspec
import pytest
from identity_support import FakeClock, fast_hasher, new_box

from gateway.identity import accounts as a
from gateway.identity import totp
from gateway.identity.errors import (
    AccountDisabled,
    AuthenticationFailed,
    InvalidInput,
    LockedOut,
    RateLimited,
    TemporaryPasswordExpired,
)
from gateway.identity.passwords import TEST_PARAMS, Argon2Params, PasswordHasher
from gateway.identity.ratelimit import BackoffConfig, SignInGuard
from gateway.identity.secretbox import SecretBox
from gateway.identity.signin import SignInResult, attempt_sign_in, verify_credentials
from proto.common import Role

PASSWORD = "correct horse battery"


def _setup(
    enrol: bool = True,
) -> tuple[FakeClock, SecretBox, a.Account, str, tuple[str, ...]]:
    clock, box = FakeClock(), new_box()
    account = a.create_account(account_id="acct-1", username="alice", role=Role.ADMIN,
                               password=PASSWORD, hasher=fast_hasher(), now_ms=clock.ms)
    secret, codes = "", tuple[str, ...]()
    if enrol:
        account, secret, _ = a.begin_totp_enrolment(account, box, clock.ms)
        account, codes = a.confirm_totp(account, totp.code_at(secret, totp.time_step(clock.now)),
                                        box, clock.ms)
        clock.advance(30)  # the enrolment code's step is used up
    return clock, box, account, secret, codes


def _verify(
    account: a.Account | None, box: SecretBox, clock: FakeClock, password: str = PASSWORD,
    code: str | None = None, recovery: str | None = None,
) -> SignInResult:
    return verify_credentials(account, password, totp_code=code, recovery_code=recovery,
                              hasher=fast_hasher(), box=box, now_ms=clock.ms)


def test_sign_in_without_totp_enrolled_is_restricted() -> None:
    clock, box, account, _, _ = _setup(enrol=False)
    result = _verify(account, box, clock)
    assert result.mfa_complete is False
    assert result.account.last_signin_ms == clock.ms


def test_an_expired_temporary_password_is_said_only_with_every_credential_right() -> None:
    clock, box, account, secret, _ = _setup()
    account = msgspec.structs.replace(account, password_expires_ms=clock.ms)
    code = totp.code_at(secret, totp.time_step(clock.now))
    with pytest.raises(AuthenticationFailed):  # a wrong password learns nothing of it
        _verify(account, box, clock, password="not the password", code=code)
    with pytest.raises(AuthenticationFailed):  # nor the right one without the code
        _verify(account, box, clock)
    with pytest.raises(TemporaryPasswordExpired):
        _verify(account, box, clock, code=code)
    # A moment before its time it signs in (and still owes a new password).
    before = msgspec.structs.replace(account, password_expires_ms=clock.ms + 1)
    assert _verify(before, box, clock, code=code).account.must_change_password


def test_sign_in_with_totp() -> None:
    clock, box, account, secret, _ = _setup()
    code = totp.code_at(secret, totp.time_step(clock.now))
    result = _verify(account, box, clock, code=code)
    assert result.mfa_complete and result.account.totp_last_step == totp.time_step(clock.now)


def test_enrolled_account_without_second_factor_fails() -> None:
    clock, box, account, _, _ = _setup()
    with pytest.raises(AuthenticationFailed) as info:
        _verify(account, box, clock)
    assert info.value.message == "invalid credentials"


def test_replayed_totp_refused() -> None:
    clock, box, account, secret, _ = _setup()
    code = totp.code_at(secret, totp.time_step(clock.now))
    account = _verify(account, box, clock, code=code).account
    clock.advance(10)
    with pytest.raises(AuthenticationFailed):
        _verify(account, box, clock, code=code)


def test_recovery_code_used_twice_fails() -> None:
    clock, box, account, _, codes = _setup()
    result = _verify(account, box, clock, recovery=codes[0])
    assert result.used_recovery_code and len(result.account.recovery_code_hashes) == 9
    with pytest.raises(AuthenticationFailed):
        _verify(result.account, box, clock, recovery=codes[0])
    assert _verify(result.account, box, clock, recovery=codes[1]).mfa_complete


def test_same_failure_for_unknown_wrong_password_and_a_disabled_account_short_of_both() -> None:
    clock, box, account, secret, _ = _setup()
    code = totp.code_at(secret, totp.time_step(clock.now))
    disabled = a.disable(account, clock.ms)
    messages = set()
    for acct, password, given in [(None, PASSWORD, code), (account, "wrong password here", code),
                                  (disabled, "wrong password here", code),
                                  (disabled, PASSWORD, None), (disabled, PASSWORD, "000000")]:
        with pytest.raises(AuthenticationFailed) as info:
            _verify(acct, box, clock, password=password, code=given)
        messages.add((type(info.value), info.value.message, info.value.code))
    assert len(messages) == 1


def test_a_disabled_account_is_told_so_only_with_every_credential_right() -> None:
    clock, box, account, secret, codes = _setup()
    disabled = a.disable(account, clock.ms)
    code = totp.code_at(secret, totp.time_step(clock.now))
    for given in ({"code": code}, {"recovery": codes[0]}):
        with pytest.raises(AccountDisabled) as info:
            _verify(disabled, box, clock, **given)
        assert (info.value.code, info.value.reason) == ("forbidden", "account_disabled")
    _, box2, never_enrolled, _, _ = _setup(enrol=False)
    with pytest.raises(AccountDisabled):
        _verify(a.disable(never_enrolled, clock.ms), box2, clock)
    guard = SignInGuard(clock, account=BackoffConfig(free_failures=0, base_delay_s=60,
                                                     lockout_after=1, lockout_s=600))
    for _ in range(3):  # not a guess: nothing is counted, nothing locks
        with pytest.raises(AccountDisabled):
            attempt_sign_in(disabled, username="alice", address="192.0.2.1", password=PASSWORD,
                            totp_code=None, recovery_code=codes[1], guard=guard,
                            hasher=fast_hasher(), box=box, now_ms=clock.ms)


def test_oversized_password_refused_before_hashing() -> None:
    clock, box, account, _, _ = _setup(enrol=False)
    with pytest.raises(InvalidInput):
        _verify(account, box, clock, password="x" * 10_000)


def test_rehash_on_sign_in_when_parameters_changed() -> None:
    clock, box, account, _, _ = _setup(enrol=False)
    stronger = PasswordHasher(Argon2Params(time_cost=2, memory_cost_kib=TEST_PARAMS.memory_cost_kib))
    result = verify_credentials(account, PASSWORD, totp_code=None, recovery_code=None,
                                hasher=stronger, box=box, now_ms=clock.ms)
    assert result.account.password_hash != account.password_hash
    assert not stronger.needs_rehash(result.account.password_hash)


def test_attempt_sign_in_backoff_then_lockout() -> None:
    clock, box, account, secret, _ = _setup()
    guard = SignInGuard(clock, account=BackoffConfig(free_failures=2, base_delay_s=1,
                                                     lockout_after=4, lockout_s=600))

    def attempt(password: str, code: str | None = None) -> object:
        return attempt_sign_in(account, username="alice", address="192.0.2.1", password=password,
                               totp_code=code, recovery_code=None, guard=guard,
                               hasher=fast_hasher(), box=box, now_ms=clock.ms)

    lockouts = []
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as info:
            attempt("wrong password!!")
        lockouts.append(info.value.lockout)
        try:
            guard.check("alice", "192.0.2.1")
        except LockedOut:
            break
        except RateLimited as limited:
            assert limited.retry_after_s is not None
            clock.advance(limited.retry_after_s)
    assert lockouts == [False, False, False, True]
    # Locked: even the right password and code are refused before any hashing.
    with pytest.raises(LockedOut) as locked:
        attempt(PASSWORD, totp.code_at(secret, totp.time_step(clock.now)))
    assert locked.value.retry_after_s == 600
    clock.advance(600)
    assert attempt(PASSWORD, totp.code_at(secret, totp.time_step(clock.now))) is not None


def test_attempt_sign_in_unknown_user_backs_off_like_known() -> None:
    clock, box, _, _, _ = _setup()
    guard = SignInGuard(clock, account=BackoffConfig(free_failures=0, base_delay_s=5))
    for username in ("alice", "nobody"):
        with pytest.raises(AuthenticationFailed):
            attempt_sign_in(None, username=username, address=f"10.0.0.{len(username)}",
                            password="wrong password!!", totp_code=None, recovery_code=None,
                            guard=guard, hasher=fast_hasher(), box=box, now_ms=clock.ms)
    waits = []
    for username in ("alice", "nobody"):
        with pytest.raises(RateLimited) as info:
            guard.check(username, "10.9.9.9")
        waits.append(info.value.retry_after_s)
    assert waits == [5, 5]


def test_persisted_lock_honoured() -> None:
    clock, box, account, secret, _ = _setup()
    locked = msgspec.structs.replace(account, locked_until_ms=clock.ms + 30_000)
    with pytest.raises(LockedOut) as info:
        attempt_sign_in(locked, username="alice", address="192.0.2.1", password=PASSWORD,
                        totp_code=totp.code_at(secret, totp.time_step(clock.now)),
                        recovery_code=None, guard=SignInGuard(clock), hasher=fast_hasher(),
                        box=box, now_ms=clock.ms)
    assert info.value.retry_after_s == 30
