"""The gateway application: middlewares, routes, and the process's serve loop."""

from __future__ import annotations

import logging

from aiohttp import web
from nats.aio.client import Client

from gateway.api import accounts, audit, auth, documents, health, hearings, ice, tokens, totp
from gateway.config import GatewayConfig
from gateway.http import headers
from gateway.http.error_middleware import error_middleware
from gateway.http.metrics import GatewayMetrics
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
    hearings.register(routes)  # hearings, sides, invitations
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
