"""Reading bounded, typed JSON request bodies."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from aiohttp import web

from gateway.http.pacing import pace_of, paced_chunks
from parley.errors import ServiceFailure
from proto.codec import decode_json
from proto.errors import ErrorCode

T = TypeVar("T")


async def read_json(request: web.Request, body_type: type[T], *, limit: int | None = None) -> T:
    """Decode the body as `body_type`; oversize → too_large, bad JSON or fields → invalid.

    `limit` defaults to PARLEY_MAX_JSON_BYTES; a route whose largest valid body is bigger
    (the tech check's SDP) passes its own, so no schema-valid request is ever refused as too
    large. The size is checked from Content-Length before reading and again while reading, so
    a lying or missing length cannot make the gateway buffer more; the body must arrive at the
    configured pace (gateway/http/pacing.py), or the client is cut off with 408.
    """
    if limit is None:
        limit = request.app._client_max_size  # the one configured limit (PARLEY_MAX_JSON_BYTES)
    if request.content_length is not None and request.content_length > limit:
        raise ServiceFailure(ErrorCode.TOO_LARGE, f"body larger than {limit} bytes")
    if request.content_type not in ("application/json", ""):
        raise ServiceFailure(ErrorCode.INVALID, "expected Content-Type: application/json")
    raw = bytearray()
    async for chunk in paced_chunks(request.content, pace_of(request.app)):
        raw += chunk
        if len(raw) > limit:
            raise ServiceFailure(ErrorCode.TOO_LARGE, f"body larger than {limit} bytes")
    return decode_body(bytes(raw) or b"{}", body_type)


def decode_body(raw: bytes, body_type: type[T]) -> T:
    """Decode a JSON body; every failure (invalid UTF-8 included) is an `invalid` ServiceFailure.

    JSON has one number type: JSON Schema's `integer` (and so the OpenAPI document) admits
    `544.0`, so a float with no fractional part is accepted where an integer is expected.
    Anything else keeps msgspec's strict typing (no strings for numbers).
    """
    try:
        tree = decode_json(raw, Any)
        return msgspec.convert(_integral_floats_as_ints(tree), body_type)
    except msgspec.ValidationError as exc:
        raise ServiceFailure(ErrorCode.INVALID, str(exc)) from None
    except msgspec.DecodeError:
        raise ServiceFailure(ErrorCode.INVALID, "malformed JSON") from None


def _integral_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _integral_floats_as_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral_floats_as_ints(v) for v in value]
    return value


def json_response(value: object, status: int = 200) -> web.Response:
    return web.Response(body=msgspec.json.encode(value), status=status, content_type="application/json")
