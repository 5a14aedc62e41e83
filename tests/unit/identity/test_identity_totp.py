import re
from urllib.parse import parse_qs, urlparse

import pytest

from gateway.identity import recovery, totp
from gateway.identity.errors import AuthenticationFailed, CodeReplayed, InvalidInput

NOW = 1_700_000_000.0


def test_enrolment_uri_names_issuer_and_account() -> None:
    secret = totp.new_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    uri = urlparse(totp.provisioning_uri(secret, "alice"))
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert uri.path == "/Parley:alice"
    query = parse_qs(uri.query)
    assert query["secret"] == [secret] and query["issuer"] == ["Parley"]


def test_current_code_verifies_and_returns_step() -> None:
    secret = totp.new_secret()
    step = totp.time_step(NOW)
    code = totp.code_at(secret, step)
    assert totp.verify_totp(secret, code, now_s=NOW, last_used_step=None) == step


@pytest.mark.parametrize("offset", [-1, 1])
def test_adjacent_steps_accepted(offset: int) -> None:
    secret = totp.new_secret()
    step = totp.time_step(NOW) + offset
    assert totp.verify_totp(secret, totp.code_at(secret, step), now_s=NOW, last_used_step=None) \
        == step


@pytest.mark.parametrize("offset", [-2, 2])
def test_steps_outside_window_refused(offset: int) -> None:
    secret = totp.new_secret()
    code = totp.code_at(secret, totp.time_step(NOW) + offset)
    if code in {totp.code_at(secret, totp.time_step(NOW) + d) for d in (-1, 0, 1)}:
        pytest.skip("6-digit collision with a code inside the window")
    with pytest.raises(AuthenticationFailed):
        totp.verify_totp(secret, code, now_s=NOW, last_used_step=None)


def test_replayed_code_refused() -> None:
    secret = totp.new_secret()
    code = totp.code_at(secret, totp.time_step(NOW))
    step = totp.verify_totp(secret, code, now_s=NOW, last_used_step=None)
    with pytest.raises(CodeReplayed):
        totp.verify_totp(secret, code, now_s=NOW + 5, last_used_step=step)


def test_older_code_refused_after_newer_one_used() -> None:
    secret = totp.new_secret()
    current = totp.time_step(NOW)
    older = totp.code_at(secret, current - 1)
    with pytest.raises(CodeReplayed):
        totp.verify_totp(secret, older, now_s=NOW, last_used_step=current)


def test_next_step_code_accepted_after_previous_used() -> None:
    secret = totp.new_secret()
    current = totp.time_step(NOW)
    code = totp.code_at(secret, current + 1)
    assert totp.verify_totp(secret, code, now_s=NOW + 30, last_used_step=current) == current + 1


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", " 123456", "", "١٢٣٤٥٦"])
def test_code_format_strict(code: str) -> None:
    with pytest.raises(InvalidInput):
        totp.verify_totp(totp.new_secret(), code, now_s=NOW, last_used_step=None)


def test_recovery_codes_generated_unique_and_hashed() -> None:
    codes, hashes = recovery.generate_codes()
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"([a-z2-7]{4}-){3}[a-z2-7]{4}", c) for c in codes)
    assert all(c not in h for c, h in zip(codes, hashes, strict=True))
    assert len(set(hashes)) == 10


def test_recovery_code_single_use() -> None:
    codes, hashes = recovery.generate_codes()
    remaining = recovery.consume_code(hashes, codes[3])
    assert len(remaining) == 9
    with pytest.raises(AuthenticationFailed):
        recovery.consume_code(remaining, codes[3])
    assert len(recovery.consume_code(remaining, codes[4])) == 8


def test_recovery_code_normalised() -> None:
    codes, hashes = recovery.generate_codes(2)
    assert len(recovery.consume_code(hashes, codes[0].upper().replace("-", ""))) == 1


@pytest.mark.parametrize("code", ["", "abcd", "abcd-efgh-ijkl-mno1", "a" * 200, "abcd efgh ijkl mnop"])
def test_malformed_recovery_code_refused(code: str) -> None:
    _, hashes = recovery.generate_codes(1)
    with pytest.raises(InvalidInput):
        recovery.consume_code(hashes, code)


def test_unknown_recovery_code_refused() -> None:
    _, hashes = recovery.generate_codes()
    with pytest.raises(AuthenticationFailed):
        recovery.consume_code(hashes, "aaaa-bbbb-cccc-dddd")
