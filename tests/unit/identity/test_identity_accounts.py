from collections.abc import Callable

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from identity_support import FakeClock, fast_hasher, new_box

from gateway.identity import accounts as a
from gateway.identity import bootstrap, totp
from gateway.identity.errors import (
    AdminLockout,
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    SecretBoxError,
)
from gateway.identity.secretbox import SecretBox
from parley import kv
from proto.common import Role
from proto.errors import ErrorCode
from proto.identity import USERNAME_PATTERN

PASSWORD = "correct horse battery"


def _account(role: Role = Role.MEDIATOR) -> a.Account:
    return a.create_account(account_id="acct-1", username="alice", role=role, password=PASSWORD,
                            hasher=fast_hasher(), now_ms=1_000)


def enrolled(box: SecretBox, clock: FakeClock) -> tuple[a.Account, str, tuple[str, ...]]:
    account, secret, _ = a.begin_totp_enrolment(_account(), box, clock.ms)
    code = totp.code_at(secret, totp.time_step(clock.now))
    account, codes = a.confirm_totp(account, code, box, clock.ms)
    return account, secret, codes


def test_create_account_and_kv_round_trip() -> None:
    account = _account()
    assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash
    assert not account.totp_confirmed and account.epoch == 0
    assert a.decode_account(a.encode_account(account)) == account
    assert a.account_key("acct-1") == "account.acct-1"
    assert a.username_key("alice") == "username.alice"


def test_create_refuses_participant_roles_and_bad_input() -> None:
    for role in (Role.PARTY, Role.COUNSEL, Role.OBSERVER):
        with pytest.raises(InvalidInput):
            _account(role)
    with pytest.raises(InvalidInput):
        a.create_account(account_id="x", username="Bad Name", role=Role.ADMIN, password=PASSWORD,
                         hasher=fast_hasher(), now_ms=0)
    with pytest.raises(InvalidInput):
        a.create_account(account_id="x", username="bob", role=Role.ADMIN, password="short",
                         hasher=fast_hasher(), now_ms=0)


def test_totp_enrolment_seals_secret_and_confirms() -> None:
    box, clock = new_box(), FakeClock()
    account, secret, uri = a.begin_totp_enrolment(_account(), box, clock.ms)
    assert uri.startswith("otpauth://totp/Parley:alice?")
    assert account.totp_secret_sealed is not None
    assert secret.encode() not in account.totp_secret_sealed
    assert secret.encode() not in a.encode_account(account)
    with pytest.raises(AuthenticationFailed):
        a.confirm_totp(account, "000000" if totp.code_at(secret, totp.time_step(clock.now))
                       != "000000" else "111111", box, clock.ms)
    account, codes = a.confirm_totp(account, totp.code_at(secret, totp.time_step(clock.now)),
                                    box, clock.ms)
    assert account.totp_confirmed and len(codes) == 10 and len(account.recovery_code_hashes) == 10
    with pytest.raises(Conflict):
        a.begin_totp_enrolment(account, box, clock.ms)


def test_sealed_secret_bound_to_account() -> None:
    box, clock = new_box(), FakeClock()
    account, _, _ = enrolled(box, clock)
    moved = msgspec.structs.replace(account, id="acct-2")
    with pytest.raises(SecretBoxError):
        a.totp_secret(moved, box)


def test_epoch_bumps_invalidate_credentials() -> None:
    box, clock = new_box(), FakeClock()
    account, _, _ = enrolled(box, clock)
    a.check_current(account, account.epoch)
    changes: list[Callable[[a.Account], a.Account]] = [
        lambda x: a.disable(x, 2),
        lambda x: a.reset_totp(x, 2),
        lambda x: a.change_role(x, Role.ADMIN, 2),
        lambda x: a.set_password(x, "another long password", fast_hasher(), 2),
    ]
    for change in changes:
        changed = change(account)
        assert changed.epoch == account.epoch + 1
        with pytest.raises(AuthenticationFailed):
            a.check_current(changed, account.epoch)
    assert a.change_role(account, account.role, 2) is account
    with pytest.raises(AuthenticationFailed):
        a.check_current(a.disable(account, 2), account.epoch + 1)  # disabled: refused anyway


def test_reset_totp_clears_everything() -> None:
    box, clock = new_box(), FakeClock()
    account, _, _ = enrolled(box, clock)
    reset = a.reset_totp(account, clock.ms)
    assert not reset.totp_confirmed and reset.totp_secret_sealed is None
    assert reset.recovery_code_hashes == () and reset.totp_last_step is None


def test_change_role_refuses_participant_role() -> None:
    with pytest.raises(InvalidInput):
        a.change_role(_account(), Role.PARTY, 2)


def _refusal(before: a.Account, after: a.Account, *, actor: str, others: int) -> str | None:
    try:
        a.check_keeps_an_admin(before, after, actor_id=actor, other_active_admins=others)
    except AdminLockout as refused:
        assert refused.code is ErrorCode.CONFLICT
        return refused.reason
    return None


def test_no_change_locks_the_administrators_out() -> None:
    admin = _account(Role.ADMIN)
    disabled, demoted = a.disable(admin, 2), a.change_role(admin, Role.MEDIATOR, 2)
    # Your own account: never disabled or demoted, however many other admins there are.
    assert _refusal(admin, disabled, actor=admin.id, others=3) == "self_disable"
    assert _refusal(admin, demoted, actor=admin.id, others=3) == "self_demote"
    # Another admin: allowed while one more active admin remains, refused for the last one.
    assert _refusal(admin, disabled, actor="other", others=1) is None
    assert _refusal(admin, disabled, actor="other", others=0) == "last_admin"
    assert _refusal(admin, demoted, actor="other", others=0) == "last_admin"
    # What leaves an active admin active (a new name, a TOTP reset, even one's own) is allowed,
    # and so is anything done to an account that is not an active admin.
    for kept in (a.set_display_name(admin, "Ms Lee", 2), a.reset_totp(admin, 2), admin):
        assert _refusal(admin, kept, actor=admin.id, others=0) is None
    assert _refusal(disabled, a.change_role(disabled, Role.AUDITOR, 3), actor="o", others=0) is None
    mediator = _account()
    assert _refusal(mediator, a.disable(mediator, 2), actor="other", others=0) is None


def test_record_failure_keeps_lock() -> None:
    account = a.record_failure(_account(), 5, 9_000)
    account = a.record_failure(account, 6, None)
    assert account.failed_signins == 2 and account.locked_until_ms == 9_000


def test_bootstrap_secret_check_and_expiry() -> None:
    secret, record = bootstrap.new_bootstrap(now_ms=0, ttl_s=60)
    assert secret not in record.secret_hash
    bootstrap.check_bootstrap(record, secret, 59_999)
    other, _ = bootstrap.new_bootstrap(now_ms=0)
    for bad_record, bad_secret, now in [(record, secret, 60_000), (None, secret, 0),
                                        (record, other, 0), (record, "x", 0)]:
        with pytest.raises(AuthenticationFailed):
            bootstrap.check_bootstrap(bad_record, bad_secret, now)


def test_a_bootstrap_record_says_when_it_was_issued_and_older_ones_still_decode() -> None:
    _, record = bootstrap.new_bootstrap(now_ms=5_000, ttl_s=60)
    assert (record.issued_ms, record.expires_ms) == (5_000, 65_000)
    stored_before = msgspec.json.encode({"secret_hash": record.secret_hash, "expires_ms": 65_000})
    assert msgspec.json.decode(stored_before, type=bootstrap.BootstrapRecord).issued_ms == 0


@settings(max_examples=400, deadline=None)
@given(st.from_regex(USERNAME_PATTERN, fullmatch=True), st.from_regex(USERNAME_PATTERN, fullmatch=True))
def test_every_username_the_pattern_accepts_is_a_valid_distinct_kv_key(one: str, other: str) -> None:
    key = a.username_key(one)
    assert kv.is_valid_key(key), key
    assert (a.username_key(other) == key) == (one == other)


@pytest.mark.parametrize("name", ["abc.", "ab..cd", "a.b.", "x--", "a_b.c", "abc"])
def test_awkward_usernames_have_valid_keys_and_plain_ones_keep_theirs(name: str) -> None:
    key = a.username_key(name)
    assert kv.is_valid_key(key), key
    if ".." not in name and not name.endswith("."):
        assert key == f"username.{name}"  # the form earlier releases stored: no migration
