"""The identity package's error tree, each class carrying its `proto.errors.ErrorCode`.

Messages are safe to show a client: they never name a username, a secret or whether an account
exists. The gateway's error middleware maps `code` to an HTTP status (`proto.errors.HTTP_STATUS`).
"""

from __future__ import annotations

from parley.errors import DomainError
from proto.errors import ErrorCode


class IdentityError(DomainError):
    """Base of every identity error; `code` says how it crosses the boundary."""

    default_message = "internal error"


class InvalidInput(IdentityError):
    code = ErrorCode.INVALID
    default_message = "invalid input"


class AuthenticationFailed(IdentityError):
    """Bad credentials of any kind. One message for every cause, so nothing is revealed.

    `lockout` is True when this failure has just locked the account (the caller audits it).
    """

    code = ErrorCode.UNAUTHENTICATED
    default_message = "invalid credentials"

    def __init__(self, message: str | None = None, *, lockout: bool = False) -> None:
        super().__init__(message)
        self.lockout = lockout


class SessionExpired(AuthenticationFailed):
    default_message = "session expired"


class SessionEnded(SessionExpired):
    """The session was ended by the gateway (hearing ended, removed, denied, replaced, account
    disabled); `reason` is that word, safe to tell whoever holds the cookie (it was theirs)."""

    default_message = "session ended"

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class CodeReplayed(AuthenticationFailed):
    """A TOTP code for a time step at or before the last one accepted.

    Raised only after the password was verified, so its own message reveals nothing to someone
    without the password, and tells the person signing in what to do.
    """

    default_message = "this authentication code was already used: wait for the next one"


class Forbidden(IdentityError):
    code = ErrorCode.FORBIDDEN
    default_message = "forbidden"


class AccountDisabled(Forbidden):
    """Sign-in with the right password and second factor, to an account an administrator
    disabled. Raised only after full authentication, so it tells nothing to someone without
    the credentials; it tells their holder what to do instead of "not right"."""

    default_message = "this account has been disabled; contact your administrator"

    def __init__(self) -> None:
        super().__init__(reason="account_disabled")


class TemporaryPasswordExpired(Forbidden):
    """Sign-in (or a password change) with the right temporary password, past its time
    (PARLEY_TEMPORARY_PASSWORD_HOURS). Raised only after the credentials proved right, like
    `AccountDisabled`; its holder learns to ask for a new one. Nothing counts against the
    guard and no TOTP code is spent (nothing is written)."""

    default_message = "this temporary password has expired; ask your administrator for a new one"

    def __init__(self) -> None:
        super().__init__(reason="temporary_password_expired")


class CsrfFailed(Forbidden):
    default_message = "missing or invalid CSRF token"


class NotFound(IdentityError):
    code = ErrorCode.NOT_FOUND
    default_message = "not found"


class Conflict(IdentityError):
    code = ErrorCode.CONFLICT
    default_message = "conflict"


class AdminLockout(Conflict):
    """A change that would leave Parley without an administrator who can act; `reason` says
    which rule refused it (`accounts.AdminRefusal`), so the page can say so in its language."""

    default_message = "this change would leave no administrator"


class RateLimited(IdentityError):
    code = ErrorCode.RATE_LIMITED
    default_message = "too many requests"


class LockedOut(RateLimited):
    default_message = "too many failed sign-ins; try again later"


class SecretBoxError(IdentityError):
    """A sealed secret failed to open (wrong key, wrong account, tampering) or the key is bad."""

    code = ErrorCode.INTERNAL
    default_message = "internal error"
