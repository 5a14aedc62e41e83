"""A server span per request, continuing the caller's W3C trace context; request ids."""

from __future__ import annotations

import secrets

from aiohttp import web
from aiohttp.typedefs import Handler
from opentelemetry import trace

from parley.telemetry import extract_context

_tracer = trace.get_tracer("parley.gateway")


@web.middleware
async def tracing_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    request_id = secrets.token_hex(8)
    request["request_id"] = request_id
    if request.headers.get("Upgrade", "").lower() == "websocket":
        # A WebSocket's handler returns when the socket closes, maybe hours later: a server span
        # around it tells a trace viewer nothing, and would hold its span and context objects
        # for the socket's life (thousands of sockets: memory, and more for every full garbage
        # collection to walk). Each command on it is traced where signalling serves it.
        return await handler(request)
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    with _tracer.start_as_current_span(
        f"{request.method} {name}",
        context=extract_context(dict(request.headers)),
        kind=trace.SpanKind.SERVER,
        attributes={"http.request.method": request.method, "http.route": name},
    ) as span:
        response = await handler(request)
        span.set_attribute("http.response.status_code", response.status)
        response.headers["Parley-Request-Id"] = request_id
        return response
