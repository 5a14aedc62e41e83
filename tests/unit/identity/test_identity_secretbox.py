import os
import stat
from pathlib import Path

import pytest

from gateway.identity.errors import SecretBoxError
from gateway.identity.secretbox import KEY_FILE_NAME, SecretBox, load_or_create_key


def test_key_file_created_0600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "data" / KEY_FILE_NAME
    key = load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key


def test_key_file_readable_by_others_refused(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE_NAME
    load_or_create_key(path)
    os.chmod(path, 0o644)
    with pytest.raises(SecretBoxError):
        load_or_create_key(path)


def test_truncated_key_file_refused(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE_NAME
    path.write_bytes(b"short")
    os.chmod(path, 0o600)
    with pytest.raises(SecretBoxError):
        load_or_create_key(path)


def test_seal_open_round_trip(tmp_path: Path) -> None:
    box = SecretBox(load_or_create_key(tmp_path / KEY_FILE_NAME))
    sealed = box.seal(b"JBSWY3DPEHPK3PXP", "acct-1")
    assert b"JBSWY3DPEHPK3PXP" not in sealed
    assert box.open(sealed, "acct-1") == b"JBSWY3DPEHPK3PXP"
    assert box.seal(b"same", "acct-1") != box.seal(b"same", "acct-1")


def test_wrong_account_fails() -> None:
    box = SecretBox(os.urandom(32))
    with pytest.raises(SecretBoxError):
        box.open(box.seal(b"secret", "acct-1"), "acct-2")


def test_wrong_key_fails() -> None:
    sealed = SecretBox(os.urandom(32)).seal(b"secret", "acct-1")
    with pytest.raises(SecretBoxError):
        SecretBox(os.urandom(32)).open(sealed, "acct-1")


@pytest.mark.parametrize("index", [0, 5, 20, -1])
def test_tampering_fails(index: int) -> None:
    box = SecretBox(os.urandom(32))
    sealed = bytearray(box.seal(b"secret", "acct-1"))
    sealed[index] ^= 0x01
    with pytest.raises(SecretBoxError):
        box.open(bytes(sealed), "acct-1")


def test_short_input_fails() -> None:
    with pytest.raises(SecretBoxError):
        SecretBox(os.urandom(32)).open(b"\x01abc", "acct-1")
