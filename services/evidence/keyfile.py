"""`LocalKeyFileProvider`: master keys in a key file (mode 0600, created on first run).

The file is a small JSON keyring `{"format": 1, "current": id, "keys": {id: base64}}`; rotation
adds a key and makes it current, and after every hearing key is re-wrapped the old key is
retired. Writes are atomic (temp file, fsync, rename, directory fsync) so a crash mid-rotation
leaves either the old or the new keyring, both of which still unwrap every record.
A key file readable by group or others is refused: the master key is the one secret that
protects every document of the institution.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
from pathlib import Path

import msgspec

from parley.secretfile import (
    PrivateFileError,
    create_private_file,
    read_private_file,
    replace_private_file,
)
from services.evidence.errors import IntegrityError, KeyFileError
from services.evidence.keys import KEY_LEN, WrappedKey, aead_unwrap, aead_wrap


class _Keyring(msgspec.Struct, forbid_unknown_fields=True):
    current: str
    keys: dict[str, str]
    format: int = 1


def _new_id() -> str:
    return "mk-" + secrets.token_hex(8)


class LocalKeyFileProvider:
    """Master keys from a local key file; construct with `load_or_create` (blocking, start-up)."""

    def __init__(self, path: Path, keyring: _Keyring) -> None:
        self._path = path
        self._ring = keyring
        self._keys = {kid: base64.b64decode(v) for kid, v in keyring.keys.items()}
        if keyring.current not in self._keys or any(len(k) != KEY_LEN for k in self._keys.values()):
            raise KeyFileError("key file is malformed")
        self._lock = asyncio.Lock()

    @classmethod
    def load_or_create(cls, path: Path) -> LocalKeyFileProvider:
        path = Path(path)
        if not path.exists():
            kid = _new_id()
            ring = _Keyring(current=kid, keys={kid: base64.b64encode(os.urandom(KEY_LEN)).decode()})
            create_private_file(path, msgspec.json.encode(ring))  # a racing creator may win
        try:
            raw = read_private_file(path)
        except PrivateFileError as exc:
            raise KeyFileError(f"master key file: {exc}") from None
        try:
            ring = msgspec.json.decode(raw, type=_Keyring)
        except (msgspec.DecodeError, ValueError) as exc:
            raise KeyFileError("key file is malformed") from exc
        return cls(path, ring)

    @property
    def current_key_id(self) -> str:
        return self._ring.current

    @property
    def key_ids(self) -> list[str]:
        return sorted(self._keys)

    def _aad(self, key_id: str, context: bytes) -> bytes:
        return context + b"\x00" + key_id.encode()

    async def wrap(self, key: bytes, context: bytes) -> WrappedKey:
        kid = self._ring.current
        return WrappedKey(master_key_id=kid, blob=aead_wrap(self._keys[kid], key,
                                                            self._aad(kid, context)))

    async def unwrap(self, wrapped: WrappedKey, context: bytes) -> bytes:
        master = self._keys.get(wrapped.master_key_id)
        if master is None:
            raise IntegrityError("hearing key is wrapped under an unknown master key")
        return aead_unwrap(master, wrapped.blob, self._aad(wrapped.master_key_id, context))

    async def _save(self, keys: dict[str, bytes], current: str) -> None:
        ring = _Keyring(current=current,
                        keys={k: base64.b64encode(v).decode() for k, v in keys.items()})
        await asyncio.to_thread(replace_private_file, self._path, msgspec.json.encode(ring))
        self._ring, self._keys = ring, dict(keys)

    async def begin_rotation(self) -> str:
        async with self._lock:
            kid = _new_id()
            await self._save({**self._keys, kid: os.urandom(KEY_LEN)}, kid)
            return kid

    async def retire_others(self) -> list[str]:
        async with self._lock:
            current = self._ring.current
            retired = sorted(kid for kid in self._keys if kid != current)
            await self._save({current: self._keys[current]}, current)
            return retired
