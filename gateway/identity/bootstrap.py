"""The one-time bootstrap secret that lets the operator create the first admin (no default
password anywhere). `parley up` prints the secret on a first run with no accounts; only its hash
is stored, with an expiry; it is deleted when used, so it works once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import msgspec

from gateway.identity.errors import AuthenticationFailed
from proto.common import TimestampMs
from proto.identity import BOOTSTRAP_SECRET_PATTERN

BOOTSTRAP_KEY = "bootstrap"  # key in `parley_accounts`
DEFAULT_TTL_S = 24 * 3600
_RE = re.compile(BOOTSTRAP_SECRET_PATTERN)


class BootstrapRecord(msgspec.Struct, frozen=True, kw_only=True):
    secret_hash: str
    expires_ms: TimestampMs
    #: When it was issued (0: stored before this field existed, so never "just issued").
    issued_ms: TimestampMs = 0


def _hash(secret: str) -> str:
    return hashlib.sha256(b"parley-bootstrap-v1\x00" + secret.encode()).hexdigest()


def new_bootstrap(now_ms: int, ttl_s: int = DEFAULT_TTL_S) -> tuple[str, BootstrapRecord]:
    """Return (secret to print once, record to store)."""
    secret = "pbs_" + secrets.token_urlsafe(32)
    return secret, BootstrapRecord(secret_hash=_hash(secret), expires_ms=now_ms + ttl_s * 1000,
                                   issued_ms=now_ms)


def check_bootstrap(record: BootstrapRecord | None, secret: str, now_ms: int) -> None:
    """Raise `AuthenticationFailed` unless `secret` matches a live record (then delete it)."""
    if record is None or not _RE.fullmatch(secret) or now_ms >= record.expires_ms:
        raise AuthenticationFailed()
    if not hmac.compare_digest(record.secret_hash, _hash(secret)):
        raise AuthenticationFailed()
