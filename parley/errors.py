"""The platform kit's error tree, and the one error every service raises to fail a request."""

from __future__ import annotations

from proto.errors import ErrorCode


class ParleyError(Exception):
    """Root of every error the platform kit raises."""


class ConfigError(ParleyError):
    """A configuration variable is missing or malformed; the message names the variable."""


class PortInUseError(ParleyError):
    def __init__(self, port: int, variable: str) -> None:
        super().__init__(f"port {port} is already in use: set {variable} to a free port")
        self.port = port
        self.variable = variable


class ServiceFailure(ParleyError):
    """Fail a request with one of the closed error codes (DESIGN §4).

    Raised by domain code (or translated from a domain error at the service boundary); the micro
    helper turns it into an error reply and the gateway into the mapped HTTP status.
    """

    def __init__(self, code: ErrorCode, message: str, retry_after_s: int | None = None,
                 reason: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message[:500]
        self.retry_after_s = retry_after_s
        self.reason = reason


class AuditPublishError(ParleyError):
    """An audit event could not be durably published; the action it records must fail."""
