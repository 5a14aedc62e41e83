"""Reading bounded, typed JSON request bodies."""

from __future__ import annotations

from typing import TypeVar

import msgspec
from aiohttp import web

from parley.errors import ServiceFailure
from proto.errors import ErrorCode

T = TypeVar("T")


async def read_json(request: web.Request, body_type: type[T]) -> T:
    """Decode the body as `body_type`; oversize → too_large, bad JSON or fields → invalid.

    The size is checked from Content-Length before reading, and again while reading (aiohttp's
    `client_max_size`), so a lying or missing length cannot make the gateway buffer more.
    """
    limit = request.app._client_max_size  # the one configured limit (PARLEY_MAX_JSON_BYTES)
    if request.content_length is not None and request.content_length > limit:
        raise ServiceFailure(ErrorCode.TOO_LARGE, f"body larger than {limit} bytes")
    if request.content_type not in ("application/json", ""):
        raise ServiceFailure(ErrorCode.INVALID, "expected Content-Type: application/json")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ServiceFailure(ErrorCode.TOO_LARGE, f"body larger than {limit} bytes") from None
    try:
        return msgspec.json.decode(raw or b"{}", type=body_type)
    except msgspec.ValidationError as exc:
        raise ServiceFailure(ErrorCode.INVALID, str(exc)) from None
    except msgspec.DecodeError:
        raise ServiceFailure(ErrorCode.INVALID, "malformed JSON") from None


def json_response(value: object, status: int = 200) -> web.Response:
    return web.Response(body=msgspec.json.encode(value), status=status, content_type="application/json")
