"""What the gateway's handlers share, stored on the aiohttp application."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web
from nats.aio.client import Client

from gateway.config import GatewayConfig
from gateway.http.metrics import GatewayMetrics
from gateway.http.routes import RouteTable
from parley.auditpub import AuditPublisher

if TYPE_CHECKING:
    from gateway.identity.state import IdentityState
    from gateway.ws.state import HearingsState


@dataclass
class GatewayState:
    config: GatewayConfig
    nc: Client
    audit: AuditPublisher
    metrics: GatewayMetrics
    routes: RouteTable
    #: Stores, watched copies and limits of identity and access; set at start-up.
    identity: IdentityState | None = None
    #: Roster copy, socket registry and heartbeat of hearings; set at start-up.
    hearings: HearingsState | None = None


STATE = web.AppKey("parley_state", GatewayState)


def state_of(request: web.Request) -> GatewayState:
    return request.app[STATE]
