"""The signalling error tree: raised by the pure core, mapped to `proto.errors.ErrorCode` codes."""

from __future__ import annotations

from proto.errors import Error, ErrorCode


class SignallingError(Exception):
    """Base of every domain error here; `code` is what crosses the service boundary."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, *, retry_after_s: int | None = None,
                 reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s
        #: The finer cause a client shows a person (`proto.errors.Reason`), when it has one.
        self.reason = reason

    def to_error(self) -> Error:
        return Error(code=self.code, message=self.message[:500], retry_after_s=self.retry_after_s,
                     reason=self.reason)


class Invalid(SignallingError):
    code = ErrorCode.INVALID


class Unauthenticated(SignallingError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(SignallingError):
    code = ErrorCode.FORBIDDEN


class NotFound(SignallingError):
    code = ErrorCode.NOT_FOUND


class Conflict(SignallingError):
    code = ErrorCode.CONFLICT


class TooLarge(SignallingError):
    code = ErrorCode.TOO_LARGE


class RateLimited(SignallingError):
    code = ErrorCode.RATE_LIMITED


class Unavailable(SignallingError):
    code = ErrorCode.UNAVAILABLE
