"""How hearings (issue 7) plug into the gateway app, kept out of gateway/app.py.

- `register_routes(routes)`: hearing, invitation, ICE, tech-check and WebSocket routes.
- `install(app)`: at start-up, the roster's watched copy (and identity's "mediated hearings"
  lookup from it) and the heartbeat that tells signalling this process's sockets are alive;
  at clean-up, every socket is closed (each tells signalling it left) and both stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from nats.aio.subscription import Subscription

import gateway.hearing_routes
import gateway.ice_routes
import gateway.ws
from gateway import document_events
from gateway.identity.ratelimit import ADDRESS_BACKOFF, FailureBackoff
from gateway.roster_cache import RosterCache
from gateway.routes import RouteTable
from gateway.state import STATE, GatewayState
from parley.rpc import call
from proto.signalling import HEARINGS_BUCKET, SERVICE, Empty, GatewayAlive

if TYPE_CHECKING:
    from gateway.ws_session import WsSession

log = logging.getLogger("parley.gateway.hearings")


@dataclass
class HearingsState:
    rosters: RosterCache
    #: This process's id; every socket id starts with it (signalling's liveness check).
    instance: str = field(default_factory=lambda: secrets.token_hex(8))
    sockets: dict[str, WsSession] = field(default_factory=dict)
    redeem_backoff: FailureBackoff = field(
        default_factory=lambda: FailureBackoff(ADDRESS_BACKOFF, asyncio.get_running_loop().time))
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _heartbeat: asyncio.Task[None] | None = None
    _documents: Subscription | None = None

    def new_conn_id(self) -> str:
        return f"{self.instance}-{next(self._serial)}"


def hearings_of(app: web.Application) -> HearingsState:
    hs = app[STATE].hearings
    if hs is None:
        raise web.HTTPServiceUnavailable()
    return hs


def register_routes(routes: RouteTable) -> None:
    gateway.hearing_routes.register(routes)
    gateway.ice_routes.register(routes)
    gateway.ws.register(routes)


async def _beat(state: GatewayState, hs: HearingsState) -> None:
    while True:
        with contextlib.suppress(Exception):
            await call(state.nc, SERVICE, "alive", GatewayAlive(instance=hs.instance), Empty,
                       timeout=state.config.service_timeout_s)
        await asyncio.sleep(state.config.ws_heartbeat_s)


async def _start(app: web.Application) -> None:
    state = app[STATE]
    rosters = RosterCache(await state.nc.jetstream().key_value(HEARINGS_BUCKET))
    await rosters.start()
    hs = HearingsState(rosters=rosters)
    state.hearings = hs
    if state.identity is not None:
        state.identity.mediated_hearings = rosters.mediated_hearings
    hs._heartbeat = asyncio.create_task(_beat(state, hs), name="gateway-heartbeat")
    hs._documents = await document_events.follow(state.nc, hs.sockets)


async def _stop(app: web.Application) -> None:
    hs = app[STATE].hearings
    if hs is None:
        return
    await asyncio.gather(*(s.close(1001, "gateway stopping") for s in list(hs.sockets.values())),
                         return_exceptions=True)
    if hs._documents is not None:
        with contextlib.suppress(Exception):
            await hs._documents.unsubscribe()
    if hs._heartbeat is not None:
        hs._heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await hs._heartbeat
    await hs.rosters.stop()


def install(app: web.Application) -> None:
    app.on_startup.append(_start)
    app.on_shutdown.append(_stop)
