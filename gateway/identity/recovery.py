"""Single-use recovery codes: 10 per account, shown once, stored as SHA-256 hashes.

A code is 16 characters of the RFC 4648 base32 alphabet (80 bits), shown as `xxxx-xxxx-xxxx-xxxx`.
80 random bits make an unsalted, fast hash safe: exhausting the space is out of reach, so no
password hash is needed. Input is normalised (case, dashes, spaces) before hashing. Checking
compares against every stored hash in constant time with no early exit; a used code is removed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from gateway.identity.errors import AuthenticationFailed, InvalidInput
from proto.identity import RECOVERY_CODE_PATTERN

RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_CODE_CHARS = 16
_CODE_RE = re.compile(RECOVERY_CODE_PATTERN)
_DOMAIN = b"parley-recovery-code-v1\x00"


def _normalise(code: str) -> str:
    if len(code) > 19 or not _CODE_RE.fullmatch(code):
        raise InvalidInput("malformed recovery code")
    return code.replace("-", "").lower()


def hash_code(code: str) -> str:
    """Hex SHA-256 of the normalised code, domain-separated."""
    return hashlib.sha256(_DOMAIN + _normalise(code).encode()).hexdigest()


def generate_codes(count: int = RECOVERY_CODE_COUNT) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (codes to show once, hashes to store)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_CHARS))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _CODE_CHARS, 4)))
    return tuple(codes), tuple(hash_code(c) for c in codes)


def consume_code(stored_hashes: tuple[str, ...], code: str) -> tuple[str, ...]:
    """Return the stored hashes without the one `code` matches; raise if none matches.

    Raises `InvalidInput` for a malformed code, `AuthenticationFailed` for an unknown or used one.
    """
    candidate = hash_code(code).encode()
    match_index = -1
    for index, stored in enumerate(stored_hashes):
        if hmac.compare_digest(stored.encode(), candidate):
            match_index = index
    if match_index < 0:
        raise AuthenticationFailed()
    return stored_hashes[:match_index] + stored_hashes[match_index + 1 :]
