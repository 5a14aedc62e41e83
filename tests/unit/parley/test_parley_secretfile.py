from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from parley.secretfile import (
    PrivateFileError,
    create_private_file,
    read_private_file,
    replace_private_file,
)


def test_created_once_with_mode_0600_and_no_temp_left(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "master.key"
    assert create_private_file(path, b"first") is True
    assert create_private_file(path, b"second") is False  # never overwritten
    assert read_private_file(path) == b"first"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["master.key"]


def test_racing_creators_end_with_one_content(tmp_path: Path) -> None:
    path = tmp_path / "k"
    wins: list[bytes] = []

    def create(data: bytes) -> None:
        if create_private_file(path, data):
            wins.append(data)

    threads = [threading.Thread(target=create, args=(bytes([i]) * 32,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and read_private_file(path) == wins[0]


def test_replace_is_atomic_and_private(tmp_path: Path) -> None:
    path = tmp_path / "ring"
    create_private_file(path, b"old")
    replace_private_file(path, b"new")
    assert read_private_file(path) == b"new" and path.stat().st_mode & 0o777 == 0o600


def test_group_or_world_access_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k"
    create_private_file(path, b"x")
    os.chmod(path, 0o640)
    with pytest.raises(PrivateFileError, match="chmod 600"):
        read_private_file(path)
    with pytest.raises(PrivateFileError, match="cannot read"):
        read_private_file(tmp_path / "missing")
