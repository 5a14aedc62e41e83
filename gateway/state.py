"""What the gateway's handlers share, stored on the aiohttp application."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from nats.aio.client import Client

from gateway.config import GatewayConfig
from gateway.metrics import GatewayMetrics
from gateway.routes import RouteTable
from parley.auditpub import AuditPublisher


@dataclass
class GatewayState:
    config: GatewayConfig
    nc: Client
    audit: AuditPublisher
    metrics: GatewayMetrics
    routes: RouteTable


STATE = web.AppKey("parley_state", GatewayState)


def state_of(request: web.Request) -> GatewayState:
    return request.app[STATE]
