"""How the hearings' live side plugs into the gateway app, kept out of gateway/app.py.

- `install(app)`: at start-up, the roster's watched copy (and identity's "mediated hearings"
  lookup from it) and the heartbeat that tells signalling this process's sockets are alive (if
  signalling answers that it had given up on them, they are asked to reconnect);
  at clean-up, every socket is closed (each tells signalling it left) and both stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import msgspec
from aiohttp import web

from gateway.identity.ratelimit import AddressBackoff, redeem_address_backoff
from gateway.state import STATE, GatewayState
from gateway.ws import document_events
from gateway.ws.credential_watch import CredentialWatch, keep_alive_period
from gateway.ws.deliveries import Deliveries
from gateway.ws.keepalive import Keepalive
from gateway.ws.outbound import CLOSE_TRY_AGAIN
from gateway.ws.roster_cache import RosterCache
from gateway.ws.session import WsSession
from gateway.ws.state import HearingsState
from parley.failures import handled
from parley.rpc import call
from proto.signalling import (
    BEAT_SUBJECT,
    HEARINGS_BUCKET,
    SERVICE,
    GatewayAlive,
    HeartbeatReply,
)

log = logging.getLogger("parley.gateway.hearings")


async def _beat(state: GatewayState, hs: HearingsState) -> None:
    beat = msgspec.json.encode(GatewayAlive(instance=hs.instance))
    while True:
        # A missed beat is logged and counted: enough of them and signalling declares this
        # process's sockets dead, and the log must say why.
        with handled(log, "ws.heartbeat"):
            await state.nc.publish(BEAT_SUBJECT, beat)
            reply = await call(state.nc, SERVICE, "alive", GatewayAlive(instance=hs.instance),
                               HeartbeatReply, timeout=state.config.service_timeout_s)
            if reply.given_up:
                await _rejoin_all(hs)
        await asyncio.sleep(state.config.ws_heartbeat_s)


async def _rejoin_all(hs: HearingsState) -> None:
    """Signalling took this process's sockets for closed (its heartbeats did not reach it for
    longer than the gateway timeout), though they are open: their people are in no room now.
    Each is closed with 1013 ("try again later"): its client reconnects and joins again, back in
    its room within the reconnection grace."""
    joined = [s for s in hs.sockets.values() if s.hearing]
    log.warning("signalling had given up on this gateway's sockets: asking them to reconnect",
                extra={"sockets": len(joined)})
    await asyncio.gather(*(s.close(CLOSE_TRY_AGAIN, "reconnect") for s in joined),
                         return_exceptions=True)


async def _start(app: web.Application) -> None:
    state = app[STATE]
    rosters = RosterCache(await state.nc.jetstream().key_value(HEARINGS_BUCKET))
    await rosters.start()
    hs = HearingsState(rosters=rosters, deliveries=Deliveries[WsSession](state.nc),
                       keepalive=Keepalive(idle_s=state.config.client_idle_s),
                       redeem_backoff=AddressBackoff(
                           redeem_address_backoff(state.config.redeem_address_free_failures),
                           asyncio.get_running_loop().time))
    hs._keepalive_task = asyncio.create_task(hs.keepalive.run(), name="ws-keepalive")
    state.hearings = hs
    state.metrics.watch_live(
        hearings=lambda: len({s.hearing for s in hs.sockets.values() if s.hearing}),
        participants=lambda: sum(1 for s in hs.sockets.values() if s.hearing))
    if state.identity is not None:
        state.identity.mediated_hearings = rosters.mediated_hearings
        # An open socket keeps its session alive by re-checking (and so touching) it well inside
        # the idle timeout; more often would only add KV writes per socket (changes are pushed).
        watch = CredentialWatch(period_s=keep_alive_period(state.config.session_touch_s,
                                                           state.config.session_idle_s))
        state.identity.session_mirror.listeners.append(watch.changed)
        state.identity.account_mirror.listeners.append(watch.changed)
        hs.credentials = watch
        hs._credential_task = asyncio.create_task(watch.run(), name="ws-credentials")
    hs._heartbeat = asyncio.create_task(_beat(state, hs), name="gateway-heartbeat")
    hs._documents = await document_events.follow(state.nc, hs.deliveries)


async def _stop(app: web.Application) -> None:
    hs = app[STATE].hearings
    if hs is None:
        return
    await asyncio.gather(*(s.close(1001, "gateway stopping") for s in list(hs.sockets.values())),
                         return_exceptions=True)
    if hs._documents is not None:
        with handled(log, "ws.documents.unsubscribe", level=logging.DEBUG):
            await hs._documents.unsubscribe()
    for task in (hs._heartbeat, hs._credential_task, hs._keepalive_task):
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    await hs.keepalive.stop()
    await hs.rosters.stop()


def install(app: web.Application) -> None:
    app.on_startup.append(_start)
    app.on_shutdown.append(_stop)
