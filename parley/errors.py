"""The platform kit's error tree, and the one error every service raises to fail a request."""

from __future__ import annotations

from typing import ClassVar

from proto.errors import Error, ErrorCode


class ParleyError(Exception):
    """Root of every error the platform kit raises."""


class ConfigError(ParleyError):
    """A configuration variable is missing or malformed; the message names the variable."""


class PortInUseError(ParleyError):
    def __init__(self, port: int, variable: str) -> None:
        super().__init__(f"port {port} is already in use: set {variable} to a free port")
        self.port = port
        self.variable = variable


class DomainError(ParleyError):
    """Base of every error a request can fail with: its closed code (DESIGN §4) travels with it.

    Every package's error tree derives from this class and sets `code` per subclass. Domain code
    raises; exactly two places translate: the `nats.micro` adapter (parley/micro.py) into an error
    reply, and the gateway's error middleware into the HTTP envelope. `message` must be safe to
    show a client; an `internal` error's message stays in the log and the client sees its kind.
    """

    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL
    default_message: ClassVar[str] = ""

    def __init__(self, message: str | None = None, *, retry_after_s: int | None = None,
                 reason: str | None = None, tries_left: int | None = None,
                 lock_s: int | None = None) -> None:
        self.message = (message or self.default_message or self.code.value)[:500]
        self.retry_after_s = retry_after_s
        #: A finer cause within the code (`proto.errors.Reason`) a client turns into a sentence.
        self.reason = reason
        #: Tries left before a lock, and the lock's length (`proto.errors.Error`).
        self.tries_left = tries_left
        self.lock_s = lock_s
        super().__init__(self.message)

    @property
    def public_message(self) -> str:
        return self.message if self.code is not ErrorCode.INTERNAL else type(self).__name__

    def envelope(self) -> Error:
        """The error envelope this failure crosses a boundary as."""
        return Error(code=self.code, message=self.public_message, retry_after_s=self.retry_after_s,
                     reason=self.reason, tries_left=self.tries_left, lock_s=self.lock_s)


class ServiceFailure(DomainError):
    """Fail a request with a code chosen where it is raised (and a message meant for the client).

    Also what a service's error reply becomes again on the caller's side (parley/rpc.py).
    """

    def __init__(self, code: ErrorCode, message: str, retry_after_s: int | None = None,
                 reason: str | None = None, *, tries_left: int | None = None,
                 lock_s: int | None = None) -> None:
        self.code = code  # type: ignore[misc]  # an instance's own code, chosen at the raise
        super().__init__(message, retry_after_s=retry_after_s, reason=reason,
                         tries_left=tries_left, lock_s=lock_s)

    @classmethod
    def of(cls, error: Error) -> ServiceFailure:
        """The failure an error envelope from another service stands for, every field kept
        (`retry_after_s`, `reason` and the tries too: the client is owed them as the service
        sent them)."""
        return cls(error.code, error.message, error.retry_after_s, error.reason,
                   tries_left=error.tries_left, lock_s=error.lock_s)

    @property
    def public_message(self) -> str:
        return self.message


class AuditPublishError(DomainError):
    """An audit event could not be durably published; the action it records must fail.

    The detail (which event, why) is for the log; the client is told the action was not taken.
    """

    code = ErrorCode.UNAVAILABLE

    def __init__(self, detail: str) -> None:
        super().__init__("audit log unavailable: action not taken")
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})"
