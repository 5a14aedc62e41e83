"""Calling a Parley service over NATS request/reply, the client side of `parley.micro`."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError

from parley.errors import ServiceFailure
from parley.micro import subject
from parley.telemetry import inject_headers
from proto.codec import decode_json
from proto.errors import Error, ErrorCode
from proto.principal import PRINCIPAL_HEADER, REQUEST_ID_HEADER, Principal, encode_principal

T = TypeVar("T")
ERROR_CODE_HEADER = "Nats-Service-Error-Code"


def error_from_reply(msg: Msg) -> Error | None:
    headers = msg.headers or {}
    if ERROR_CODE_HEADER not in headers:
        return None
    try:
        return decode_json(msg.data, Error)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return Error(code=ErrorCode.INTERNAL, message="malformed error reply")


async def request_raw(
    nc: Client,
    service: str,
    verb: str,
    payload: bytes,
    *,
    principal: Principal | None = None,
    request_id: str | None = None,
    timeout: float = 5.0,
) -> Msg:
    headers: dict[str, str] = {}
    if principal is not None:
        headers[PRINCIPAL_HEADER] = encode_principal(principal)
    if request_id is not None:
        headers[REQUEST_ID_HEADER] = request_id
    inject_headers(headers)
    try:
        msg = await nc.request(subject(service, verb), payload, timeout=timeout, headers=headers)
    except NoRespondersError:
        raise ServiceFailure(ErrorCode.UNAVAILABLE, f"{service} is not available") from None
    except (NatsTimeoutError, TimeoutError):
        raise ServiceFailure(ErrorCode.UNAVAILABLE, f"{service} did not answer in time") from None
    error = error_from_reply(msg)
    if error is not None:
        raise ServiceFailure.of(error)
    return msg


async def call(
    nc: Client,
    service: str,
    verb: str,
    request: Any,
    response_type: type[T],
    *,
    principal: Principal | None = None,
    request_id: str | None = None,
    timeout: float = 5.0,
) -> T:
    """Send a request struct and decode the reply; error replies raise `ServiceFailure`."""
    msg = await request_raw(
        nc, service, verb, msgspec.json.encode(request), principal=principal,
        request_id=request_id, timeout=timeout,
    )
    try:
        return decode_json(msg.data, response_type)
    except (msgspec.ValidationError, msgspec.DecodeError):
        raise ServiceFailure(ErrorCode.INTERNAL, f"malformed reply from {service}") from None
