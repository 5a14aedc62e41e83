"""A token bucket per client address on every request (the per-session bucket is in authn.py).

The address is the TCP peer (`request.remote`); IPv6 clients are keyed by their /64. Behind a
reverse proxy every client shares the proxy's address: raise PARLEY_RATE_ADDRESS_* there.
Routes declared with `rate="tiles"` (the audit log's tiles), `rate="audit"` (its searches,
names and proofs) or `rate="assets"` (the web client's files) draw from larger buckets of their
own. Every 429 is audited, once per source
and period (denials.py).
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.http.errors import error_response
from gateway.identity.ratelimit import address_key, retry_after
from gateway.state import state_of
from proto.errors import ErrorCode
from proto.principal import Principal


def client_address(request: web.Request) -> str:
    return request.remote or "unknown"


@web.middleware
async def address_rate_limit_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    state = state_of(request)
    identity = state.identity
    if identity is not None:
        route = state.routes.declaration_of(request)
        rate = route.rate if route is not None else "default"
        key = address_key(client_address(request))
        buckets = {"tiles": identity.tile_buckets, "audit": identity.audit_buckets,
                   "assets": identity.asset_buckets}.get(rate, identity.address_buckets)
        wait = buckets.take("a:" + key)
        if wait > 0:
            await refused_too_often(request, None, route.key if route else "unmatched")
            return error_response(ErrorCode.RATE_LIMITED, "too many requests",
                                  retry_after_s=retry_after(wait))
    return await handler(request)


async def refused_too_often(request: web.Request, principal: Principal | None,
                            route_key: str) -> None:
    """Audit a 429 (the first of its source this period; the rest as a count)."""
    denials = state_of(request).denials
    if denials is not None:
        await denials.refused(
            principal=principal, address=client_address(request), action="auth.denied",
            resource_type="route", resource_id=route_key, reason="too many requests",
            kind="rate_limited", details={"method": request.method, "path": request.path[:200]})
