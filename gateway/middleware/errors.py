"""Turns every failure into the JSON error envelope; no traceback or internal id leaves."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.errors import code_for_status, error_response
from parley.errors import AuditPublishError, ServiceFailure
from proto.errors import ErrorCode

log = logging.getLogger("parley.gateway")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ServiceFailure as exc:
        return error_response(exc.code, exc.message, retry_after_s=exc.retry_after_s,
                              reason=exc.reason)
    except AuditPublishError:
        return error_response(ErrorCode.UNAVAILABLE, "audit log unavailable: action not taken")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = code_for_status(exc.status)
        reason = exc.reason if exc.status != 404 else "no such route"
        response = error_response(code, reason, status=exc.status)
        for name in ("Allow", "Retry-After"):
            if name in exc.headers:
                response.headers[name] = exc.headers[name]
        return response
    except (ConnectionResetError, TimeoutError):
        raise
    except Exception:
        log.exception("unhandled error", extra={"path": request.path})
        return error_response(ErrorCode.INTERNAL, "internal error")
