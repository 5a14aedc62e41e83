"""Key hierarchy: key file provider, wrapping, rotation at the provider level, names."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.evidence import keys as k
from services.evidence.errors import HearingShreddedError, IntegrityError, KeyFileError
from services.evidence.keyfile import LocalKeyFileProvider
from services.evidence.names import escape_original, sanitize_filename


def test_key_file_created_on_first_run_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "master.key"
    provider = LocalKeyFileProvider.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = LocalKeyFileProvider.load_or_create(path)
    assert again.current_key_id == provider.current_key_id


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    LocalKeyFileProvider.load_or_create(path)
    path.chmod(0o640)
    with pytest.raises(KeyFileError):
        LocalKeyFileProvider.load_or_create(path)


def test_malformed_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b'{"current": "x", "keys": {}}')
    os.close(fd)
    with pytest.raises(KeyFileError):
        LocalKeyFileProvider.load_or_create(path)


async def test_hearing_key_wrap_is_bound_to_the_hearing(tmp_path: Path) -> None:
    provider = LocalKeyFileProvider.load_or_create(tmp_path / "m.key")
    record, key = await k.mint_hearing_key(provider, "h1", 1)
    assert await k.open_hearing_key(provider, record) == key
    moved = k.HearingKeyRecord(hearing="h2", key_id=record.key_id, created_ms=1,
                               wrapped=record.wrapped)
    with pytest.raises(IntegrityError):
        await k.open_hearing_key(provider, moved)
    other = LocalKeyFileProvider.load_or_create(tmp_path / "other.key")
    with pytest.raises(IntegrityError):
        await k.open_hearing_key(other, record)
    with pytest.raises(HearingShreddedError):
        await k.open_hearing_key(provider, k.shredded(record, 2))


async def test_provider_rotation_rewraps_and_retires(tmp_path: Path) -> None:
    path = tmp_path / "m.key"
    provider = LocalKeyFileProvider.load_or_create(path)
    old_id = provider.current_key_id
    record, key = await k.mint_hearing_key(provider, "h1", 1)
    new_id = await provider.begin_rotation()
    assert new_id != old_id and provider.key_ids == sorted([old_id, new_id])
    rewrapped = await k.rewrap_hearing_key(provider, record)
    assert rewrapped.wrapped is not None and rewrapped.wrapped.master_key_id == new_id
    assert await provider.retire_others() == [old_id]
    assert await k.open_hearing_key(provider, rewrapped) == key
    with pytest.raises(IntegrityError):
        await k.open_hearing_key(provider, record)  # the old wrap is now useless
    reloaded = LocalKeyFileProvider.load_or_create(path)
    assert reloaded.key_ids == [new_id]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_data_key_wrap_is_bound_to_document_and_version() -> None:
    hk, dk, kid = k.new_key(), k.new_key(), k.new_key_id()
    blob = k.wrap_data_key(hk, dk, hearing="h", document="d", version="v1", key_id=kid)
    assert k.unwrap_data_key(hk, blob, hearing="h", document="d", version="v1", key_id=kid) == dk
    for kwargs in [dict(hearing="h2", document="d", version="v1"),
                   dict(hearing="h", document="d2", version="v1"),
                   dict(hearing="h", document="d", version="v2")]:
        with pytest.raises(IntegrityError):
            k.unwrap_data_key(hk, blob, key_id=kid, **kwargs)
    with pytest.raises(IntegrityError):
        k.unwrap_data_key(k.new_key(), blob, hearing="h", document="d", version="v1", key_id=kid)


@pytest.mark.parametrize("raw,expected", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\brief.pdf", "brief.pdf"),
    ("a\x00b\x1f.txt", "a b .txt"), ("evil\u202etxt.exe", "evil txt.exe"), ("...", "document"),
    ("", "document"), ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("  spaced  ", "spaced"),
    ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"), ("ok name (1).pdf", "ok name (1).pdf"),
])
def test_sanitize_examples(raw: str, expected: str) -> None:
    assert sanitize_filename(raw) == expected


def test_overlong_names_keep_their_extension() -> None:
    name = sanitize_filename("é" * 400 + ".pdf")
    assert len(name.encode()) <= 255 and name.endswith(".pdf")


@given(st.text(max_size=600))
def test_sanitized_names_are_always_safe(raw: str) -> None:
    name = sanitize_filename(raw)
    assert name and len(name.encode()) <= 255
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert all(c.isprintable() for c in name)
    original = escape_original(raw)
    assert all(c.isprintable() for c in original) and len(original) <= 1024 * 10
