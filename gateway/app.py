"""The gateway application: middlewares, routes, and the process's serve loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import web
from nats.aio.client import Client

from gateway.api import (
    accounts,
    audit,
    auth,
    documents,
    health,
    hearings,
    ice,
    passwords,
    redeem,
    settings,
    tokens,
    totp,
)
from gateway.config import GatewayConfig
from gateway.http import headers
from gateway.http.audit_gauges import poll_audit
from gateway.http.error_middleware import error_middleware
from gateway.http.metrics import GatewayMetrics, metrics_app
from gateway.http.pacing import PACE
from gateway.http.routes import RouteTable
from gateway.http.server import runner_for, ssl_context
from gateway.http.tracing import tracing_middleware
from gateway.identity import wiring as identity_wiring
from gateway.openapi import route as openapi_route
from gateway.state import STATE, GatewayState
from gateway.webclient import routes as webclient_routes
from gateway.ws import route as ws_route
from gateway.ws import wiring as hearing_wiring
from parley.auditpub import AuditPublisher
from parley.natsconn import connect
from parley.runner import wait_for_stop_signal

log = logging.getLogger("parley.gateway")


def build_routes() -> RouteTable:
    """Every route of the gateway; each module registers its own."""
    routes = RouteTable()
    health.register(routes)
    openapi_route.register(routes)
    auth.register(routes)  # sign-in and out, me, bootstrap
    totp.register(routes)
    tokens.register(routes)
    accounts.register(routes)
    passwords.register(routes)  # change your own, an administrator's reset
    settings.register(routes)  # the admin's view of the settings in force
    hearings.register(routes)  # hearings, sides, invitations
    redeem.register(routes)  # an invitation → a participant session
    ice.register(routes)
    ws_route.register(routes)  # the hearing WebSocket
    webclient_routes.register(routes)  # the web client's pages and files
    documents.register(routes)  # documents (streamed), release, key rotation
    audit.register(routes)  # audit queries, proofs, tiles, exports
    routes.freeze()
    return routes


def create_app(config: GatewayConfig, nc: Client, routes: RouteTable | None = None) -> web.Application:
    routes = routes or build_routes()
    metrics = GatewayMetrics()
    app = web.Application(
        client_max_size=config.max_json_bytes,
        middlewares=[tracing_middleware, metrics.middleware(), error_middleware,
                     *identity_wiring.MIDDLEWARES],
    )
    app[STATE] = GatewayState(config=config, nc=nc, audit=AuditPublisher(nc.jetstream(), "gateway"),
                              metrics=metrics, routes=routes)
    app[PACE] = config.pace
    headers.install(app, tls=config.tls)
    metrics.watch_nats(lambda: int(nc.stats.get("reconnects", 0)))
    app.on_startup.append(_start_audit_gauges)
    app.on_cleanup.append(_stop_audit_gauges)
    identity_wiring.install(app)
    hearing_wiring.install(app)
    routes.install(app)
    return app


_AUDIT_GAUGES: web.AppKey[asyncio.Task[None]] = web.AppKey("audit-gauges", asyncio.Task)


async def _start_audit_gauges(app: web.Application) -> None:
    state = app[STATE]
    app[_AUDIT_GAUGES] = asyncio.create_task(poll_audit(state.nc, state.metrics), name="audit-gauges")


async def _stop_audit_gauges(app: web.Application) -> None:
    task = app[_AUDIT_GAUGES]
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def serve(config: GatewayConfig) -> None:
    nc = await connect(config, "parley-gateway")
    app = create_app(config, nc)
    runner = runner_for(app, config)
    await runner.setup()
    site = web.TCPSite(runner, config.http_host, config.http_port, ssl_context=ssl_context(config))
    await site.start()
    scheme = "https" if config.tls else "http"
    log.info("listening", extra={"url": f"{scheme}://{config.http_host}:{config.http_port}"})
    metrics_runner: web.AppRunner | None = None
    if config.metrics_port:
        metrics_runner = web.AppRunner(metrics_app(app[STATE].metrics), access_log=None)
        await metrics_runner.setup()
        await web.TCPSite(metrics_runner, config.metrics_host, config.metrics_port).start()
        log.info("metrics listening",
                 extra={"url": f"http://{config.metrics_host}:{config.metrics_port}/metrics"})
    try:
        await wait_for_stop_signal()
    finally:
        if metrics_runner is not None:
            await metrics_runner.cleanup()
        await runner.cleanup()
        await nc.drain()
