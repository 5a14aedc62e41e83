"""Turns every failure into the JSON error envelope; no traceback or internal id leaves.

One of the two places a `DomainError` is translated (the other is parley/micro.py).
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.http.errors import code_for_status, error_response
from gateway.http.pacing import ClientTooSlow
from gateway.webclient.routes import not_found_page, wants_page
from parley.errors import DomainError
from parley.failures import HANDLED
from proto.errors import ErrorCode

log = logging.getLogger("parley.gateway")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DomainError as exc:
        if exc.code in (ErrorCode.INTERNAL, ErrorCode.UNAVAILABLE):
            log.warning("request failed", extra={"path": request.path, "error": str(exc),
                                                 "kind": type(exc).__name__})
        envelope = exc.envelope()
        return error_response(envelope.code, envelope.message, retry_after_s=envelope.retry_after_s,
                              reason=envelope.reason, tries_left=envelope.tries_left,
                              lock_s=envelope.lock_s)
    except ClientTooSlow as exc:  # a slow-loris body: answer 408 and free the connection
        response = error_response(ErrorCode.INVALID, f"the request body arrived too slowly: {exc}",
                                  status=408)
        response.force_close()
        return response
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if exc.status == 404 and wants_page(request):
            return not_found_page()
        code = code_for_status(exc.status)
        reason = exc.reason if exc.status != 404 else "no such route"
        response = error_response(code, reason, status=exc.status)
        for name in ("Allow", "Retry-After"):
            if name in exc.headers:
                response.headers[name] = exc.headers[name]
        return response
    except (ConnectionResetError, TimeoutError):
        raise
    except Exception as exc:  # a bug: the client gets `internal`, the log the traceback
        log.exception("unhandled error", extra={"path": request.path})
        HANDLED.labels("gateway.http", type(exc).__name__).inc()
        return error_response(ErrorCode.INTERNAL, "internal error")
