"""Private files (keys, credentials): created once, atomically, readable by the owner only.

Every key and credential file of the suite goes through here, so all of them get the same
guarantees: the content is fully written and fsynced before the name appears (a crash never
leaves a half-written key), two processes racing to create the same file end with one winner
whose content both then read, and a file that group or others can access is refused.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from parley.errors import ParleyError


class PrivateFileError(ParleyError):
    """A private file is accessible by group or others, or cannot be read."""


def fsync_dir(directory: Path) -> None:
    """Make a directory's entries (a new, renamed or removed file) durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temp(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    return tmp


def create_private_file(path: Path, data: bytes) -> bool:
    """Create `path` (mode 0600) holding `data`; False if it already existed (nothing changed)."""
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)  # atomic, and fails if the name exists: first creator wins
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(path.parent)
    return True


def replace_private_file(path: Path, data: bytes) -> None:
    """Atomically replace `path` (mode 0600) with `data` (e.g. a re-wrapped keyring)."""
    tmp = _write_temp(path, data)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def read_private_file(path: Path) -> bytes:
    """Read `path`, refusing it if group or others can access it."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise PrivateFileError(f"{path.name} is accessible by group or others "
                                   f"(mode {mode:o}); chmod 600 it")
        return path.read_bytes()
    except OSError as exc:
        raise PrivateFileError(f"cannot read {path.name}: {exc.strerror}") from None
