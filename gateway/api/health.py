"""`/healthz` (the process is alive), `/readyz` (NATS and every service answer), `/metrics`."""

from __future__ import annotations

import asyncio

from aiohttp import web

from gateway.http.body import json_response
from gateway.http.routes import RouteTable
from gateway.identity.policy import anyone
from gateway.state import state_of
from parley.errors import ServiceFailure
from parley.rpc import call
from proto.health import ComponentState, Health, Liveness, Readiness


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/healthz", access=anyone("healthz"), summary="the gateway is alive",
                  response=Liveness, tags=("operations",))
    async def healthz(request: web.Request) -> web.Response:
        return json_response(Liveness(status="ok"))

    @routes.route("GET", "/readyz", access=anyone("readyz"),
                  summary="ready: NATS connected and every service answers on its request subject",
                  response=Readiness, tags=("operations",))
    async def readyz(request: web.Request) -> web.Response:
        state = state_of(request)
        nats_ok = state.nc.is_connected
        state.metrics.nats_connected.set(1 if nats_ok else 0)
        components = [ComponentState("gateway", "ok"),
                      ComponentState("nats", "ok" if nats_ok else "unavailable")]
        if nats_ok:
            # The `health` endpoint goes through the queue-group request path every real
            # request takes, so it proves more than `$SRV.PING` (which only proves a connection).
            results = await asyncio.gather(
                *(call(state.nc, name, "health", {}, Health, timeout=1.0)
                  for name in state.config.ready_services),
                return_exceptions=True,
            )
            for name, result in zip(state.config.ready_services, results, strict=True):
                if isinstance(result, Health):
                    components.append(ComponentState(name, result.status, result.detail))
                else:
                    detail = result.message if isinstance(result, ServiceFailure) else "error"
                    components.append(ComponentState(name, "unavailable", detail))
        else:
            components += [ComponentState(n, "unavailable", "no NATS connection")
                           for n in state.config.ready_services]
        ready = all(c.status == "ok" for c in components)
        return json_response(Readiness(status="ok" if ready else "unavailable", components=components),
                     200 if ready else 503)

    @routes.route("GET", "/metrics", access=anyone("metrics"),
                  summary="Prometheus metrics (text exposition format)", tags=("operations",),
                  openapi={"produces": "text/plain"})
    async def metrics(request: web.Request) -> web.Response:
        return state_of(request).metrics.exposition()
