"""`nats.micro` services with typed endpoints, principals, tracing and error codes.

Every endpoint is `parley.v1.<service>.<verb>` in the queue group `<service>`, so a second process
of the same service shares the load, and every service answers `$SRV.PING/INFO/STATS`.
A handler receives the decoded request and the forwarded principal; it returns a response struct
or raises a `DomainError` (any package's error tree). This is one of the two places such an
error is translated (the other is the gateway's error middleware): it goes back as a `nats.micro`
error (code header = HTTP status) with the `Error` envelope as body; unexpected exceptions become
`internal` with no detail.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from nats.aio.client import Client
from nats.micro import add_service
from nats.micro.request import Request
from nats.micro.service import EndpointConfig, EndpointStats, Service
from opentelemetry import trace

from parley.errors import DomainError, ServiceFailure
from parley.failures import HANDLED
from parley.natsconn import NATS_UNAVAILABLE
from parley.telemetry import extract_context
from proto.codec import decode_json
from proto.errors import MICRO_CODE, Error, ErrorCode
from proto.principal import PRINCIPAL_HEADER, REQUEST_ID_HEADER, Principal, decode_principal

log = logging.getLogger("parley.micro")

Req = TypeVar("Req")
Resp = TypeVar("Resp")
MAX_REQUEST_BYTES = 512 * 1024
#: What a caller told "unavailable" by NATS_UNAVAILABLE should wait before retrying.
NATS_RETRY_AFTER_S = 1


def subject(service: str, verb: str) -> str:
    return f"parley.v1.{service}.{verb}"


@dataclass(frozen=True)
class RequestContext:
    principal: Principal | None
    request_id: str | None
    headers: dict[str, str]

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise ServiceFailure(ErrorCode.UNAUTHENTICATED, "no principal")
        return self.principal


Handler = Callable[[RequestContext, Req], Awaitable[Any]]


def _principal_from(headers: dict[str, str]) -> Principal | None:
    raw = headers.get(PRINCIPAL_HEADER)
    if raw is None:
        return None
    try:
        return decode_principal(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        raise ServiceFailure(ErrorCode.UNAUTHENTICATED, "malformed principal") from None


def decode_request(data: bytes, request_type: type[Req]) -> Req:
    if len(data) > MAX_REQUEST_BYTES:
        raise ServiceFailure(ErrorCode.TOO_LARGE, "request too large")
    try:
        return decode_json(data or b"{}", request_type)
    except msgspec.ValidationError as exc:
        raise ServiceFailure(ErrorCode.INVALID, str(exc)) from None
    except msgspec.DecodeError:
        raise ServiceFailure(ErrorCode.INVALID, "malformed JSON") from None


async def reply_error(request: Request, error: Error) -> None:
    await request.respond_error(
        MICRO_CODE[error.code], error.message, data=msgspec.json.encode(error)
    )


class ServiceHost:
    """One `nats.micro` service of a Parley process."""

    def __init__(self, nc: Client, name: str, version: str = "1.0.0", description: str = "") -> None:
        self._nc = nc
        self.name = name
        self._version = version
        self._description = description
        self._service: Service | None = None
        self._pending: list[tuple[str, Callable[[Request], Awaitable[None]]]] = []
        self._stats: dict[str, Callable[[], dict[str, int]]] = {}
        self._tracer = trace.get_tracer(f"parley.{name}")

    def endpoint(
        self, verb: str, request_type: type[Req], handler: Handler[Req],
        *, raw_response: bool = False, stats: Callable[[], dict[str, int]] | None = None,
    ) -> None:
        """Register `parley.v1.<name>.<verb>`; call before `start()`.

        `stats` adds the endpoint's own counters to its `$SRV.STATS` entry (the `data` field).
        """
        if stats is not None:
            self._stats[verb.replace(".", "_")] = stats

        async def handle(request: Request) -> None:
            headers = dict(request.headers or {})
            ctx = extract_context(headers)
            with self._tracer.start_as_current_span(
                f"{self.name}.{verb}", context=ctx, kind=trace.SpanKind.SERVER
            ) as span:
                try:
                    call = RequestContext(
                        principal=_principal_from(headers),
                        request_id=headers.get(REQUEST_ID_HEADER),
                        headers=headers,
                    )
                    result = await handler(call, decode_request(request.data, request_type))
                    body = result if raw_response else msgspec.json.encode(result)
                    await request.respond(body)
                except DomainError as exc:
                    span.set_attribute("parley.error", exc.code.value)
                    if exc.code in (ErrorCode.INTERNAL, ErrorCode.UNAVAILABLE):
                        log.warning("request failed", extra={"endpoint": verb, "error": str(exc),
                                                             "kind": type(exc).__name__})
                    await reply_error(request, exc.envelope())
                except NATS_UNAVAILABLE as exc:
                    span.set_attribute("parley.error", ErrorCode.UNAVAILABLE.value)
                    log.warning("request failed: NATS unavailable",
                                extra={"endpoint": verb, "kind": type(exc).__name__})
                    HANDLED.labels(f"micro.{self.name}", type(exc).__name__).inc()
                    await reply_error(request, Error(
                        code=ErrorCode.UNAVAILABLE, retry_after_s=NATS_RETRY_AFTER_S,
                        message="the service's store is briefly unavailable; try again"))
                except Exception as exc:
                    log.exception("unhandled error", extra={"endpoint": verb})
                    HANDLED.labels(f"micro.{self.name}", type(exc).__name__).inc()
                    span.set_attribute("parley.error", "internal")
                    await reply_error(request, Error(code=ErrorCode.INTERNAL, message="internal error"))

        self._pending.append((verb, handle))

    async def start(self) -> None:
        def endpoint_data(endpoint: EndpointStats) -> dict[str, int] | None:
            source = self._stats.get(endpoint.name)
            return None if source is None else source()

        self._service = await add_service(
            self._nc, name=self.name, version=self._version, description=self._description,
            queue_group=self.name, stats_handler=endpoint_data,
        )
        for verb, handle in self._pending:
            await self._service.add_endpoint(
                EndpointConfig(name=verb.replace(".", "_"), subject=subject(self.name, verb),
                               handler=handle, queue_group=self.name)
            )

    async def stop(self) -> None:
        if self._service is not None:
            await self._service.stop()
            self._service = None
