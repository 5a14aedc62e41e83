"""The identity package's error tree, each class carrying its `proto.errors.ErrorCode`.

Messages are safe to show a client: they never name a username, a secret or whether an account
exists. The gateway maps `code` to an HTTP status through `proto.errors.HTTP_STATUS`.
"""

from __future__ import annotations

from proto.errors import Error, ErrorCode


class IdentityError(Exception):
    """Base of every identity error; `code` says how it crosses the boundary."""

    code: ErrorCode = ErrorCode.INTERNAL
    default_message = "internal error"

    def __init__(self, message: str | None = None, *, retry_after_s: int | None = None) -> None:
        self.message = message or self.default_message
        self.retry_after_s = retry_after_s
        super().__init__(self.message)

    def to_error(self) -> Error:
        return Error(code=self.code, message=self.message, retry_after_s=self.retry_after_s)


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


class CodeReplayed(AuthenticationFailed):
    """A TOTP code for a time step at or before the last one accepted (same client message)."""


class Forbidden(IdentityError):
    code = ErrorCode.FORBIDDEN
    default_message = "forbidden"


class CsrfFailed(Forbidden):
    default_message = "missing or invalid CSRF token"


class NotFound(IdentityError):
    code = ErrorCode.NOT_FOUND
    default_message = "not found"


class Conflict(IdentityError):
    code = ErrorCode.CONFLICT
    default_message = "conflict"


class RateLimited(IdentityError):
    code = ErrorCode.RATE_LIMITED
    default_message = "too many requests"


class LockedOut(RateLimited):
    default_message = "too many failed sign-ins; try again later"


class SecretBoxError(IdentityError):
    """A sealed secret failed to open (wrong key, wrong account, tampering) or the key is bad."""

    code = ErrorCode.INTERNAL
    default_message = "internal error"


class UndeclaredRoute(IdentityError):
    """A route has no authorization rule: the gateway must refuse to start."""

    code = ErrorCode.INTERNAL
    default_message = "route without an authorization rule"
