"""At-rest encryption of account secrets (TOTP seeds) with AES-256-GCM.

The key is 32 random bytes in a key file in the data directory, created with mode 0600 on first
run (O_CREAT|O_EXCL, so two processes starting together never write two different keys; the
loser reads the winner's file). A key file readable by group or others is refused.

Sealed form: version byte 0x01 ‖ 96-bit random nonce ‖ ciphertext+tag. The associated data is the
account id, so a sealed secret copied onto another account's record fails to open. Random nonces
are safe here: a key seals at most a few secrets per account over its life, far below the 2^32
messages where random 96-bit nonces start to risk collision.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gateway.identity.errors import SecretBoxError
from parley.secretfile import PrivateFileError, create_private_file, read_private_file

KEY_FILE_NAME = "identity-secrets.key"
KEY_BYTES = 32
_VERSION = b"\x01"
_NONCE_BYTES = 12


def load_or_create_key(path: Path) -> bytes:
    """Read the key at `path`, creating it (0600, parent 0700) if absent."""
    create_private_file(path, secrets.token_bytes(KEY_BYTES))
    try:
        key = read_private_file(path)
    except PrivateFileError as exc:
        raise SecretBoxError(f"key file: {exc}") from None
    if len(key) != KEY_BYTES:
        raise SecretBoxError(f"key file {path.name} does not hold {KEY_BYTES} bytes")
    return key


class SecretBox:
    """Seal and open small secrets bound to an account id."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise SecretBoxError("secret box key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, account_id: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, account_id.encode())

    def open(self, sealed: bytes, account_id: str) -> bytes:
        if len(sealed) < 1 + _NONCE_BYTES + 16 or sealed[:1] != _VERSION:
            raise SecretBoxError("malformed sealed secret")
        nonce = sealed[1 : 1 + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[1 + _NONCE_BYTES :], account_id.encode())
        except InvalidTag as exc:
            raise SecretBoxError("sealed secret failed to open") from exc
