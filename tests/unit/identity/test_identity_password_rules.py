"""The pure password rules: a change's checks in order, the epoch that keeps one session, the
administrator's reset, the step owed before anything else, and the temporary password."""

import re

import msgspec
import pytest
from identity_support import FakeClock, fast_hasher

from gateway.identity import accounts as a
from gateway.identity.errors import (
    AuthenticationFailed,
    InvalidInput,
    LockedOut,
    RateLimited,
    TemporaryPasswordExpired,
)
from gateway.identity.password_change import verify_change
from gateway.identity.passwords import (
    TEMPORARY_ALPHABET,
    check_password_change,
    temporary_password,
)
from gateway.identity.policy import Grant, Predicate, RequestContext, Rule, decide, signed_in
from gateway.identity.ratelimit import BackoffConfig, SignInGuard
from gateway.identity.temporary_passwords import (
    check_temporary_password,
    temporary_password_expiry,
)
from proto.common import Role
from proto.errors import ErrorCode
from proto.identity import PASSWORD_MIN
from proto.principal import Principal, PrincipalKind

OLD = "the administrator's own choice"
NEW = "a passphrase only I know"


def _account(**changes: object) -> a.Account:
    account = a.create_account(account_id="acct-1", username="alice", role=Role.MEDIATOR,
                               password=OLD, hasher=fast_hasher(), now_ms=1_000)
    return msgspec.structs.replace(account, **changes)


def _guard(clock: FakeClock) -> SignInGuard:
    return SignInGuard(clock, BackoffConfig(free_failures=2, lockout_after=4))


def test_a_new_account_owes_its_own_password_unless_its_holder_typed_it() -> None:
    assert _account().must_change_password is True
    chosen = a.create_account(account_id="acct-2", username="bob", role=Role.ADMIN, password=OLD,
                              hasher=fast_hasher(), now_ms=1, must_change_password=False)
    assert chosen.must_change_password is False


def test_the_new_password_follows_the_one_rule_and_differs_from_the_current() -> None:
    check_password_change(OLD, NEW)
    with pytest.raises(InvalidInput) as same:
        check_password_change(OLD, OLD)
    assert same.value.reason == "password_unchanged"
    # The same password typed on another keyboard (full-width digits) is the same password.
    with pytest.raises(InvalidInput):
        check_password_change("password" + "\uff11\uff12\uff13\uff14\uff15", "password12345")
    with pytest.raises(InvalidInput):
        check_password_change(OLD, "x" * (PASSWORD_MIN - 1))


def test_a_change_checks_the_guard_then_the_current_password_then_the_new() -> None:
    clock = FakeClock()
    guard = _guard(clock)
    account = _account()
    for _ in range(2):
        with pytest.raises(AuthenticationFailed) as wrong:
            verify_change(account, current="not it at all", new=NEW, address="10.0.0.1",
                          guard=guard, hasher=fast_hasher(), now_ms=clock.ms)
        assert type(wrong.value) is AuthenticationFailed and not wrong.value.lockout
    with pytest.raises(AuthenticationFailed):  # the third: backoff starts
        verify_change(account, current="not it at all", new=NEW, address="10.0.0.1",
                      guard=guard, hasher=fast_hasher(), now_ms=clock.ms)
    # Backing off: refused before any hashing, even with the right password.
    with pytest.raises(RateLimited):
        verify_change(account, current=OLD, new=NEW, address="10.0.0.1", guard=guard,
                      hasher=fast_hasher(), now_ms=clock.ms)
    clock.advance(60)
    with pytest.raises(InvalidInput):  # right, but the same password
        verify_change(account, current=OLD, new=OLD, address="10.0.0.1", guard=guard,
                      hasher=fast_hasher(), now_ms=clock.ms)
    hashed = verify_change(account, current=OLD, new=NEW, address="10.0.0.1", guard=guard,
                           hasher=fast_hasher(), now_ms=clock.ms)
    assert fast_hasher().verify(hashed, NEW) and not fast_hasher().verify(hashed, OLD)
    # A lockout written on the account (by another gateway) holds here too.
    locked = _account(locked_until_ms=clock.ms + 5_000)
    with pytest.raises(LockedOut):
        verify_change(locked, current=OLD, new=NEW, address="10.0.0.2", guard=_guard(clock),
                      hasher=fast_hasher(), now_ms=clock.ms)


def test_a_change_keeps_only_the_session_it_was_made_in_and_only_across_its_own_bump() -> None:
    account = _account()
    changed = a.change_password(account, "new-hash", 2, keep_session="s-here")
    assert changed.epoch == account.epoch + 1 and not changed.must_change_password
    a.check_current(changed, account.epoch, "s-here")  # kept, one epoch back
    a.check_current(changed, changed.epoch, "s-here")  # moved on
    for session in ("s-elsewhere", None):
        with pytest.raises(AuthenticationFailed):
            a.check_current(changed, account.epoch, session)
    # Any later bump (here a disable; a TOTP reset, a role change alike) keeps nothing.
    for later in (a.disable(changed, 3), a.reset_totp(changed, 3),
                  a.change_role(changed, Role.AUDITOR, 3)):
        assert later.kept_session is None
        with pytest.raises(AuthenticationFailed):
            a.check_current(later, changed.epoch, "s-here")


def test_a_reset_ends_everything_owes_a_new_password_and_lifts_a_lockout() -> None:
    account = _account(must_change_password=False, failed_signins=7, locked_until_ms=99_999,
                       kept_session="s-here", epoch=1)
    reset = a.reset_password(account, "temporary-hash", 2, expires_ms=50)
    assert reset.must_change_password and reset.password_hash == "temporary-hash"
    assert reset.password_expires_ms == 50
    assert reset.failed_signins == 0 and reset.locked_until_ms is None
    assert reset.epoch == 2 and reset.kept_session is None
    with pytest.raises(AuthenticationFailed):
        a.check_current(reset, 1, "s-here")


HOUR_MS = 3_600_000


def test_a_temporary_password_signs_in_until_its_time_and_not_from_then_on() -> None:
    expires = temporary_password_expiry(1_000, 72)
    assert expires == 1_000 + 72 * HOUR_MS
    account = _account(password_expires_ms=expires)
    check_temporary_password(account, expires - 1)
    for later in (expires, expires + 1, expires + 365 * 24 * HOUR_MS):
        with pytest.raises(TemporaryPasswordExpired) as refused:
            check_temporary_password(account, later)
        assert refused.value.reason == "temporary_password_expired"
        assert refused.value.code is ErrorCode.FORBIDDEN
    # Chosen by its holder: no limit, whatever the record said before.
    chosen = a.change_password(account, "own-hash", expires - 1, keep_session=None)
    assert chosen.password_expires_ms is None
    check_temporary_password(chosen, expires + HOUR_MS)
    # Typed by its holder (the first administrator), or a record from before the field: none.
    typed = a.create_account(account_id="acct-3", username="carol", role=Role.ADMIN,
                             password=OLD, hasher=fast_hasher(), now_ms=1,
                             must_change_password=False, password_expires_ms=expires)
    assert typed.password_expires_ms is None
    check_temporary_password(_account(), expires + HOUR_MS)
    # A reset sets a new time: the expired password's account signs in again with the new one.
    again = a.reset_password(account, "new-temporary", expires + 5, expires_ms=expires + HOUR_MS)
    check_temporary_password(again, expires + 5)


def test_an_expired_temporary_password_is_refused_only_once_proved_right() -> None:
    clock = FakeClock()
    expired = _account(password_expires_ms=clock.ms - 1)
    with pytest.raises(AuthenticationFailed):  # a wrong guess learns nothing of the expiry
        verify_change(expired, current="not it at all", new=NEW, address="10.0.0.1",
                      guard=_guard(clock), hasher=fast_hasher(), now_ms=clock.ms)
    with pytest.raises(TemporaryPasswordExpired):
        verify_change(expired, current=OLD, new=NEW, address="10.0.0.1", guard=_guard(clock),
                      hasher=fast_hasher(), now_ms=clock.ms)
    hashed = verify_change(_account(password_expires_ms=clock.ms + 1), current=OLD, new=NEW,
                           address="10.0.0.1", guard=_guard(clock), hasher=fast_hasher(),
                           now_ms=clock.ms)
    assert fast_hasher().verify(hashed, NEW)


STAFF = Principal(kind=PrincipalKind.ACCOUNT, id="acct-1", role=Role.MEDIATOR, session="s1")
OWED = RequestContext(password_change_required=True)


def test_a_password_owed_comes_before_everything_even_enrolment() -> None:
    hearings = Rule("hearings.list", (Grant(Predicate.STAFF),))
    enrol = Rule("auth.totp", (Grant(Predicate.STAFF),), allow_pending_mfa=True)
    change = Rule("me.password", (Grant(Predicate.STAFF),), allow_pending_mfa=True,
                  allow_pending_password=True)
    me = signed_in("me", allow_pending_mfa=True, allow_pending_password=True)
    for rule in (hearings, enrol):
        refused = decide(rule, STAFF, OWED)
        assert not refused.allowed and refused.code is ErrorCode.FORBIDDEN
        assert refused.reason == f"{rule.name}: a new password must be chosen first"
        # Both steps owed (a new account): the password's is said, it comes first.
        both = decide(rule, STAFF, RequestContext(password_change_required=True,
                                                  mfa_complete=False))
        assert "new password" in both.reason
    for rule in (change, me):
        assert decide(rule, STAFF, OWED).allowed
        assert decide(rule, STAFF, RequestContext(password_change_required=True,
                                                  mfa_complete=False)).allowed
    assert decide(hearings, STAFF, RequestContext()).allowed
    assert decide(change, None, OWED).code is ErrorCode.UNAUTHENTICATED


def test_a_temporary_password_is_random_readable_and_long_enough() -> None:
    made = {temporary_password() for _ in range(200)}
    assert len(made) == 200
    for password in made:
        assert re.fullmatch(rf"([{TEMPORARY_ALPHABET}]{{4}}-){{3}}[{TEMPORARY_ALPHABET}]{{4}}",
                            password)
        assert len(password) >= PASSWORD_MIN
        check_password_change(OLD, password)
    assert not set("0o1li") & set(TEMPORARY_ALPHABET)
