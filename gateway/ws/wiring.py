"""How the hearings' live side plugs into the gateway app, kept out of gateway/app.py.

- `install(app)`: at start-up, the roster's watched copy (and identity's "mediated hearings"
  lookup from it) and the heartbeat that tells signalling this process's sockets are alive;
  at clean-up, every socket is closed (each tells signalling it left) and both stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from gateway.state import STATE, GatewayState
from gateway.ws.roster_cache import RosterCache
from gateway.ws.state import HearingsState
from parley.failures import handled
from parley.rpc import call
from proto.signalling import HEARINGS_BUCKET, SERVICE, Empty, GatewayAlive

if TYPE_CHECKING:
    pass

log = logging.getLogger("parley.gateway.hearings")


async def _beat(state: GatewayState, hs: HearingsState) -> None:
    while True:
        # A missed beat is logged and counted: enough of them and signalling declares this
        # process's sockets dead, and the log must say why.
        with handled(log, "ws.heartbeat"):
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


async def _stop(app: web.Application) -> None:
    hs = app[STATE].hearings
    if hs is None:
        return
    await asyncio.gather(*(s.close(1001, "gateway stopping") for s in list(hs.sockets.values())),
                         return_exceptions=True)
    if hs._heartbeat is not None:
        hs._heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await hs._heartbeat
    await hs.rosters.stop()


def install(app: web.Application) -> None:
    app.on_startup.append(_start)
    app.on_shutdown.append(_stop)
