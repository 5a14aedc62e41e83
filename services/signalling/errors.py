"""The signalling error tree: raised by the pure core, mapped to `proto.errors.ErrorCode` codes."""

from __future__ import annotations

from parley.errors import DomainError
from proto.errors import ErrorCode


class SignallingError(DomainError):
    """Base of every domain error here; `code` is what crosses the service boundary."""


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
