"""Calling a service from a gateway handler: the one helper every resource module uses.

`SIGNALLING.ask(request, verb, body, Reply)` requests `parley.v1.signalling.<verb>` with the
request's principal forwarded and the configured timeout; an error reply raises `ServiceFailure`
(translated by the error middleware like any `DomainError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from aiohttp import web

from gateway.identity.authn import principal_of
from gateway.state import state_of
from parley.rpc import call, request_raw
from proto import auditlog, evidence, signalling
from proto.principal import Principal

T = TypeVar("T")


@dataclass(frozen=True)
class Service:
    name: str

    async def ask(self, request: web.Request, verb: str, body: Any, reply: type[T], *,
                  principal: Principal | None = None, anonymous: bool = False,
                  timeout_s: float | None = None) -> T:
        """The decoded reply of `verb`; `anonymous` forwards no principal (invitation redeem)."""
        state = state_of(request)
        who = None if anonymous else (principal or principal_of(request))
        return await call(state.nc, self.name, verb, body, reply, principal=who,
                          timeout=timeout_s or state.config.service_timeout_s)

    async def ask_raw(self, request: web.Request, verb: str, body: Any, *,
                      timeout_s: float | None = None) -> bytes:
        """The reply's bytes as the service sent them (tiles, receipts)."""
        state = state_of(request)
        msg = await request_raw(state.nc, self.name, verb, msgspec.json.encode(body),
                                principal=principal_of(request),
                                timeout=timeout_s or state.config.service_timeout_s)
        return bytes(msg.data)


SIGNALLING = Service(signalling.SERVICE)
EVIDENCE = Service(evidence.SERVICE)
AUDIT = Service(auditlog.SERVICE)
