"""The gateway application: middlewares, routes, and the process's serve loop."""

from __future__ import annotations

import logging

from aiohttp import web
from nats.aio.client import Client

from gateway import (
    audit_routes,
    evidence_routes,
    health,
    hearing_wiring,
    identity_wiring,
    openapi_route,
    static_routes,
)
from gateway.config import GatewayConfig
from gateway.metrics import GatewayMetrics
from gateway.middleware import headers
from gateway.middleware.errors import error_middleware
from gateway.middleware.tracing import tracing_middleware
from gateway.routes import RouteTable
from gateway.server import runner_for, ssl_context
from gateway.state import STATE, GatewayState
from parley.auditpub import AuditPublisher
from parley.natsconn import connect
from parley.runner import wait_for_stop_signal

log = logging.getLogger("parley.gateway")


def build_routes() -> RouteTable:
    """Every route of the gateway; each module registers its own."""
    routes = RouteTable()
    health.register(routes)
    openapi_route.register(routes)
    identity_wiring.register_routes(routes)  # issue 4: auth, me, TOTP, tokens, accounts
    hearing_wiring.register_routes(routes)  # issue 7: hearings, invitations, ICE, WebSocket
    static_routes.register(routes)  # the web client's pages and files (issue 7)
    evidence_routes.register(routes)  # issue 6: documents (streamed), release, key rotation
    audit_routes.register(routes)  # issue 5: audit queries, proofs, tiles, exports
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
    headers.install(app, tls=config.tls)
    identity_wiring.install(app)
    hearing_wiring.install(app)
    routes.install(app)
    return app


async def serve(config: GatewayConfig) -> None:
    nc = await connect(config, "parley-gateway")
    app = create_app(config, nc)
    runner = runner_for(app, config)
    await runner.setup()
    site = web.TCPSite(runner, config.http_host, config.http_port, ssl_context=ssl_context(config))
    await site.start()
    scheme = "https" if config.tls else "http"
    log.info("listening", extra={"url": f"{scheme}://{config.http_host}:{config.http_port}"})
    try:
        await wait_for_stop_signal()
    finally:
        await runner.cleanup()
        await nc.drain()
