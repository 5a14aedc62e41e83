"""The closed set of error codes every reply may carry (DESIGN §4), and their HTTP statuses."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec


class ErrorCode(StrEnum):
    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"
    #: Stored data failed its integrity check (a store that changed under Parley): not served.
    INTEGRITY = "integrity"


#: The one table mapping error codes to HTTP statuses (used by the gateway's error middleware).
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID: 400,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.INTERNAL: 500,
    ErrorCode.INTEGRITY: 502,
}

#: The `nats.micro` error code carried in the `Nats-Service-Error-Code` header for each code.
MICRO_CODE: dict[ErrorCode, str] = {code: str(status) for code, status in HTTP_STATUS.items()}


#: A finer, machine-readable cause within a code (e.g. `invitation_expired` under
#: `unauthenticated`), so a client can tell a person the true reason in their language without
#: parsing `message`. Optional: most errors need only their code.
Reason = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z_]{0,39}$")]


class Error(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """The error envelope: every failed reply, on NATS, WebSocket or REST."""

    code: ErrorCode
    message: Annotated[str, msgspec.Meta(max_length=500)]
    retry_after_s: Annotated[int, msgspec.Meta(ge=0, le=86400)] | None = None
    reason: Reason | None = None
    #: A refusal that counts tries (a wrong access code): how many are left before the lock,
    #: and how long (seconds) the lock then lasts, so the person is warned before it, not after.
    tries_left: Annotated[int, msgspec.Meta(ge=0, le=1000)] | None = None
    lock_s: Annotated[int, msgspec.Meta(ge=0, le=86400)] | None = None


class ErrorReply(msgspec.Struct, frozen=True):
    """REST body of an error: `{"error": {...}}`."""

    error: Error
