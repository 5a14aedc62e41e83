"""A token bucket per client address on every request (the per-session bucket is in authn.py).

The address is the TCP peer (`request.remote`); IPv6 clients are keyed by their /64. Behind a
reverse proxy every client shares the proxy's address: raise PARLEY_RATE_ADDRESS_* there.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.http.errors import error_response
from gateway.identity.ratelimit import address_key, retry_after
from gateway.state import state_of
from proto.errors import ErrorCode


def client_address(request: web.Request) -> str:
    return request.remote or "unknown"


@web.middleware
async def address_rate_limit_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    identity = state_of(request).identity
    if identity is not None:
        wait = identity.address_buckets.take(address_key(client_address(request)))
        if wait > 0:
            return error_response(ErrorCode.RATE_LIMITED, "too many requests",
                                  retry_after_s=retry_after(wait))
    return await handler(request)
