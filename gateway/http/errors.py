"""One table from error codes to HTTP responses (DESIGN §4): every gateway error is JSON."""

from __future__ import annotations

from typing import Final

import msgspec
from aiohttp import web

from proto.errors import HTTP_STATUS, Error, ErrorCode, ErrorReply

_STATUS_TO_CODE = {
    400: ErrorCode.INVALID, 401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND, 405: ErrorCode.INVALID, 409: ErrorCode.CONFLICT,
    411: ErrorCode.INVALID, 413: ErrorCode.TOO_LARGE, 415: ErrorCode.INVALID,
    416: ErrorCode.INVALID, 429: ErrorCode.RATE_LIMITED, 431: ErrorCode.TOO_LARGE,
    503: ErrorCode.UNAVAILABLE,
}


#: Where an error response carries its code for gateway/http/metrics.py (never sent).
ERROR_CODE_KEY: Final = web.ResponseKey("parley.error_code", str)


def error_response(
    code: ErrorCode, message: str, *, status: int | None = None,
    retry_after_s: int | None = None, reason: str | None = None,
    tries_left: int | None = None, lock_s: int | None = None,
) -> web.Response:
    body = msgspec.json.encode(ErrorReply(error=Error(
        code=code, message=message[:500], retry_after_s=retry_after_s, reason=reason,
        tries_left=tries_left, lock_s=lock_s)))
    response = web.Response(
        status=status or HTTP_STATUS[code], body=body, content_type="application/json"
    )
    if retry_after_s is not None:
        response.headers["Retry-After"] = str(retry_after_s)
    response[ERROR_CODE_KEY] = code.value  # counted by code in the metrics middleware
    return response


def code_for_status(status: int) -> ErrorCode:
    if status in _STATUS_TO_CODE:
        return _STATUS_TO_CODE[status]
    return ErrorCode.INVALID if status < 500 else ErrorCode.INTERNAL
