"""Calling the signalling service from a gateway handler (principal and timeout filled in)."""

from __future__ import annotations

from typing import Any, TypeVar

from aiohttp import web

from gateway.identity.authn import principal_of
from gateway.state import state_of
from parley.rpc import call
from proto.principal import Principal
from proto.signalling import SERVICE

T = TypeVar("T")


async def ask(request: web.Request, verb: str, body: Any, reply: type[T], *,
              principal: Principal | None = None, anonymous: bool = False) -> T:
    """Request `parley.v1.signalling.<verb>`; an error reply raises `ServiceFailure`."""
    state = state_of(request)
    who = None if anonymous else (principal or principal_of(request))
    return await call(state.nc, SERVICE, verb, body, reply, principal=who,
                      timeout=state.config.service_timeout_s)
