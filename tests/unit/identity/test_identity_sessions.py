import re

import pytest
from identity_support import FakeClock

from gateway.identity import sessions as s
from gateway.identity.errors import AuthenticationFailed, CsrfFailed, SessionExpired
from proto.common import Role
from proto.principal import PrincipalKind

POLICY = s.SessionPolicy(idle_timeout_s=600, absolute_timeout_s=3600, touch_interval_s=60)


def _session(clock: FakeClock) -> tuple[str, s.SessionRecord]:
    return s.new_session(kind=PrincipalKind.ACCOUNT, subject="acct-1", role=Role.MEDIATOR,
                         now_ms=clock.ms, policy=POLICY, account_epoch=3)


def test_session_secret_is_256_bits_and_stored_hashed() -> None:
    clock = FakeClock()
    secret, record = _session(clock)
    assert s.parse_session_cookie(secret) == secret
    key = s.session_key(secret)
    assert re.fullmatch(r"[0-9a-f]{64}", key) and secret not in key
    assert record.id != key and secret not in record.id
    principal = s.session_principal(record)
    assert principal.id == "acct-1" and principal.session == record.id
    assert principal.role is Role.MEDIATOR


def test_new_secrets_differ() -> None:
    clock = FakeClock()
    assert len({_session(clock)[0] for _ in range(50)}) == 50


@pytest.mark.parametrize("cookie", [None, "", "abc", "a" * 42, "a" * 44, "a" * 42 + "!", "x" * 5000])
def test_malformed_cookie_refused(cookie: str | None) -> None:
    with pytest.raises(AuthenticationFailed):
        s.parse_session_cookie(cookie)


def test_idle_expiry_with_injected_clock() -> None:
    clock = FakeClock()
    _, record = _session(clock)
    clock.advance(599)
    s.check_session(record, clock.ms, POLICY)
    clock.advance(1)
    with pytest.raises(SessionExpired):
        s.check_session(record, clock.ms, POLICY)


def test_touch_extends_idle_but_not_absolute_expiry() -> None:
    clock = FakeClock()
    _, record = _session(clock)
    for _ in range(6):  # active every 500 s, under the idle limit, up to 3000 s
        clock.advance(500)
        s.check_session(record, clock.ms, POLICY)
        updated = s.touch(record, clock.ms, POLICY)
        assert updated is not None
        record = updated
    clock.advance(599)  # 3599 s: still inside the absolute limit
    s.check_session(record, clock.ms, POLICY)
    clock.advance(1)
    with pytest.raises(SessionExpired):
        s.check_session(record, clock.ms, POLICY)


def test_touch_writes_at_most_once_per_interval() -> None:
    clock = FakeClock()
    _, record = _session(clock)
    clock.advance(59)
    assert s.touch(record, clock.ms, POLICY) is None
    clock.advance(1)
    updated = s.touch(record, clock.ms, POLICY)
    assert updated is not None and updated.last_seen_ms == clock.ms


def test_csrf_token_checks() -> None:
    secret, _ = _session(FakeClock())
    other, _ = _session(FakeClock())
    token = s.csrf_token(secret)
    s.check_csrf(secret, token)
    assert token != s.csrf_token(other) and secret not in token
    for bad in [None, "", token[:-1], s.csrf_token(other), "x" * 500, token + "x"]:
        with pytest.raises(CsrfFailed):
            s.check_csrf(secret, bad)


def test_csrf_required_only_for_state_changing_cookie_requests() -> None:
    assert s.csrf_required("post", cookie_authenticated=True)
    assert s.csrf_required("DELETE", cookie_authenticated=True)
    assert not s.csrf_required("GET", cookie_authenticated=True)
    assert not s.csrf_required("POST", cookie_authenticated=False)


def test_api_token_round_trip() -> None:
    clock = FakeClock()
    token, record = s.new_api_token(owner="acct-1", role=Role.AUDITOR, name="cli",
                                    now_ms=clock.ms, account_epoch=2)
    assert token.startswith("prl_")
    token_id, secret = s.parse_api_token(token)
    assert token_id == record.id
    assert secret not in record.secret_hash
    s.check_api_token(record, secret, clock.ms)
    principal = s.token_principal(record)
    assert principal.role is Role.AUDITOR and principal.session == record.id


def test_api_token_wrong_secret_revoked_expired() -> None:
    clock = FakeClock()
    token, record = s.new_api_token(owner="acct-1", role=Role.ADMIN, name="x", now_ms=clock.ms,
                                    ttl_s=100)
    _, secret = s.parse_api_token(token)
    other_token, _ = s.new_api_token(owner="acct-1", role=Role.ADMIN, name="y", now_ms=clock.ms)
    with pytest.raises(AuthenticationFailed):
        s.check_api_token(record, s.parse_api_token(other_token)[1], clock.ms)
    with pytest.raises(AuthenticationFailed):
        s.check_api_token(s.revoke_api_token(record, clock.ms), secret, clock.ms)
    clock.advance(99)
    s.check_api_token(record, secret, clock.ms)
    clock.advance(1)
    with pytest.raises(AuthenticationFailed):
        s.check_api_token(record, secret, clock.ms)


@pytest.mark.parametrize(
    "header", ["Basic abc", "Bearer", "Bearer ", "", "token prl_x", "Bearer " + "a" * 600],
)
def test_malformed_authorization_refused(header: str) -> None:
    with pytest.raises(AuthenticationFailed):
        s.parse_authorization(header)


@pytest.mark.parametrize(
    "token", ["prl_", "prl_" + "0" * 16 + "_" + "a" * 42, "xyz_" + "0" * 16 + "_" + "a" * 43,
              "prl_" + "G" * 16 + "_" + "a" * 43, "prl_" + "0" * 16 + "_" + "a" * 43 + "\n"],
)
def test_malformed_token_refused(token: str) -> None:
    with pytest.raises(AuthenticationFailed):
        s.parse_api_token(token)


def test_authorization_parsing() -> None:
    assert s.parse_authorization(None) is None
    assert s.parse_authorization("bearer  prl_abc ") == "prl_abc"


def test_bad_session_policy_refused() -> None:
    with pytest.raises(ValueError):
        s.SessionPolicy(idle_timeout_s=7200, absolute_timeout_s=3600)
