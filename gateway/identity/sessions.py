"""Sessions (cookie) and API tokens (bearer): opaque random secrets, stored only as hashes.

Sessions. The cookie holds a 256-bit secret (`secrets.token_urlsafe(32)`, 43 characters); the KV
bucket `parley_sessions` is keyed by its SHA-256 (hex), so a leaked bucket does not leak usable
cookies. Each session also has a separate public `id` (Principal.session, audit events, listing)
that is not derived from the secret. Expiry uses times passed in by the caller (an injected
clock): idle expiry (`idle_timeout_s` since last seen) and absolute expiry (`absolute_timeout_s`
since sign-in, also the KV TTL). `touch` returns an updated record only every `touch_interval_s`,
so an active session is written at most once a minute, not on every request.

CSRF (choice: a synchronizer token derived from the session, no server-side state). The token is
HMAC-SHA256 keyed by the session secret over a fixed label, base64url. The client receives it in
the sign-in and `/me` responses (the cookie itself is HttpOnly) and sends it in the `Parley-CSRF`
header on every state-changing cookie-authenticated request. A cross-site page can make the
browser send the cookie (if SameSite were bypassed) but cannot read `/me` nor set a custom header
without a CORS preflight, so it cannot produce the token. Any gateway process can check it, with
no shared key. Bearer-token requests need no CSRF token: browsers never attach them by themselves.

API tokens look like `prl_<16 hex id>_<43-char secret>`: opaque to clients, shown once. The record
is keyed by the id (listing and revocation by id) and holds SHA-256(label ‖ id ‖ secret); the
presented secret is compared in constant time. A token carries its creator's role at creation and
the account epoch (see accounts.py): a role change, TOTP reset or disable invalidates it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import msgspec

from gateway.identity.errors import AuthenticationFailed, CsrfFailed, SessionExpired
from proto.common import Id, Role, TimestampMs
from proto.identity import API_TOKEN_PATTERN
from proto.principal import Principal, PrincipalKind

SESSIONS_BUCKET = "parley_sessions"
SESSION_COOKIE = "parley_session"
CSRF_HEADER = "Parley-CSRF"
STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SESSION_SECRET_PATTERN = r"^[A-Za-z0-9_-]{43}$"  # noqa: S105 (a pattern)
TOKEN_PREFIX = "prl_"  # noqa: S105 (a prefix)
_SECRET_RE = re.compile(SESSION_SECRET_PATTERN)
_TOKEN_RE = re.compile(API_TOKEN_PATTERN)
_CSRF_LABEL = b"parley-csrf-v1"
_TOKEN_LABEL = b"parley-api-token-v1\x00"
_MAX_HEADER = 512


@dataclass(frozen=True)
class SessionPolicy:
    idle_timeout_s: float = 30 * 60
    absolute_timeout_s: float = 12 * 3600
    touch_interval_s: float = 60

    def __post_init__(self) -> None:
        if not 0 < self.touch_interval_s < self.idle_timeout_s <= self.absolute_timeout_s:
            raise ValueError("need 0 < touch_interval_s < idle_timeout_s <= absolute_timeout_s")


class SessionRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One session as stored in `parley_sessions` under `session_key(secret)`."""

    id: Id
    kind: PrincipalKind
    subject: Id
    role: Role
    hearing: Id | None = None
    side: Id | None = None
    account_epoch: int = 0
    #: False for a staff session before TOTP is enrolled: only enrolment routes are allowed.
    mfa_complete: bool = True
    created_ms: TimestampMs
    last_seen_ms: TimestampMs
    expires_ms: TimestampMs


class SessionEnd(StrEnum):
    """Why the gateway ended a session (the 401 `reason` a dead cookie gets)."""

    HEARING_ENDED = "hearing_ended"
    REMOVED = "removed"
    DENIED = "denied"
    REPLACED = "replaced"  # the reissued link was redeemed on another device
    DISABLED = "disabled"  # a staff account an administrator disabled
    #: Its holder changed the password in another session (S105: a reason, not a password).
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105 (an administrator reset the password)


class EndedSession(msgspec.Struct, frozen=True, kw_only=True):
    """A tombstone kept where an ended session was, until the session would have expired: a
    later request with its cookie (another tab, the next day) learns why it ended. Only the
    hearing (None for a staff session) and the reason, keyed by the secret's hash like the
    session."""

    hearing: Id | None = None
    reason: SessionEnd
    expires_ms: TimestampMs


class ApiTokenRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: Id
    owner: Id
    role: Role
    name: Annotated[str, msgspec.Meta(max_length=64)]
    secret_hash: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
    account_epoch: int = 0
    created_ms: TimestampMs
    expires_ms: TimestampMs | None = None
    revoked: bool = False
    revoked_ms: TimestampMs | None = None


def new_public_id() -> str:
    return secrets.token_hex(12)


# --- sessions -------------------------------------------------------------------------------


def new_session(
    *,
    kind: PrincipalKind,
    subject: str,
    role: Role,
    now_ms: int,
    policy: SessionPolicy,
    hearing: str | None = None,
    side: str | None = None,
    account_epoch: int = 0,
    mfa_complete: bool = True,
) -> tuple[str, SessionRecord]:
    """Return (cookie secret, record). Store the record under `session_key(secret)`."""
    secret = secrets.token_urlsafe(32)
    record = SessionRecord(
        id=new_public_id(), kind=kind, subject=subject, role=role, hearing=hearing, side=side,
        account_epoch=account_epoch, mfa_complete=mfa_complete, created_ms=now_ms,
        last_seen_ms=now_ms, expires_ms=now_ms + int(policy.absolute_timeout_s * 1000),
    )
    return secret, record


def parse_session_cookie(value: str | None) -> str:
    """The session secret from a cookie value; `AuthenticationFailed` if absent or malformed."""
    if value is None or len(value) > _MAX_HEADER or not _SECRET_RE.fullmatch(value):
        raise AuthenticationFailed("not signed in")
    return value


def session_key(secret: str) -> str:
    """KV key of a session: hex SHA-256 of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_session(record: SessionRecord, now_ms: int, policy: SessionPolicy) -> None:
    """Raise `SessionExpired` past the absolute or the idle deadline."""
    if now_ms >= record.expires_ms:
        raise SessionExpired()
    if now_ms - record.last_seen_ms >= policy.idle_timeout_s * 1000:
        raise SessionExpired()


def touch(record: SessionRecord, now_ms: int, policy: SessionPolicy) -> SessionRecord | None:
    """An updated record to write back, or None if `last_seen_ms` is recent enough."""
    if now_ms - record.last_seen_ms < policy.touch_interval_s * 1000:
        return None
    return msgspec.structs.replace(record, last_seen_ms=now_ms)


def session_principal(record: SessionRecord) -> Principal:
    return Principal(
        kind=record.kind, id=record.subject, role=record.role, hearing=record.hearing,
        side=record.side, session=record.id,
    )


def csrf_token(secret: str) -> str:
    mac = hmac.new(secret.encode(), _CSRF_LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def csrf_required(method: str, *, cookie_authenticated: bool) -> bool:
    return cookie_authenticated and method.upper() in STATE_CHANGING_METHODS


def check_csrf(secret: str, presented: str | None) -> None:
    """Raise `CsrfFailed` unless `presented` is this session's CSRF token."""
    if presented is None or len(presented) > 128:
        raise CsrfFailed()
    if not hmac.compare_digest(csrf_token(secret).encode(), presented.encode("utf-8", "replace")):
        raise CsrfFailed()


# --- API tokens -----------------------------------------------------------------------------


def _token_hash(token_id: str, secret: str) -> str:
    return hashlib.sha256(_TOKEN_LABEL + token_id.encode() + b"\x00" + secret.encode()).hexdigest()


def new_api_token(
    *, owner: str, role: Role, name: str, now_ms: int, account_epoch: int = 0,
    ttl_s: int | None = None,
) -> tuple[str, ApiTokenRecord]:
    """Return (token to show once, record to store under its id)."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    record = ApiTokenRecord(
        id=token_id, owner=owner, role=role, name=name, secret_hash=_token_hash(token_id, secret),
        account_epoch=account_epoch, created_ms=now_ms,
        expires_ms=None if ttl_s is None else now_ms + ttl_s * 1000,
    )
    return f"{TOKEN_PREFIX}{token_id}_{secret}", record


def parse_api_token(token: str) -> tuple[str, str]:
    """Split a presented token into (id, secret); `AuthenticationFailed` if malformed."""
    if len(token) > _MAX_HEADER or not _TOKEN_RE.fullmatch(token):
        raise AuthenticationFailed("malformed token")
    return token[4:20], token[21:]


def parse_authorization(header: str | None) -> str | None:
    """The bearer token from an `Authorization` header; None if absent; raise if malformed."""
    if header is None:
        return None
    if len(header) > _MAX_HEADER:
        raise AuthenticationFailed("malformed Authorization header")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise AuthenticationFailed("malformed Authorization header")
    return value.strip()


def check_api_token(record: ApiTokenRecord, secret: str, now_ms: int) -> None:
    """Raise `AuthenticationFailed` unless `secret` matches and the token is live."""
    matches = hmac.compare_digest(record.secret_hash, _token_hash(record.id, secret))
    if not matches or record.revoked:
        raise AuthenticationFailed()
    if record.expires_ms is not None and now_ms >= record.expires_ms:
        raise AuthenticationFailed("token expired")


def revoke_api_token(record: ApiTokenRecord, now_ms: int) -> ApiTokenRecord:
    return msgspec.structs.replace(record, revoked=True, revoked_ms=now_ms)


def token_principal(record: ApiTokenRecord) -> Principal:
    return Principal(kind=PrincipalKind.ACCOUNT, id=record.owner, role=record.role,
                     session=record.id)
