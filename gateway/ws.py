"""`GET /api/v1/ws`: the hearing WebSocket (the session logic is gateway/ws_session.py)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from aiohttp import web

from gateway.authn import auth_of, identity_of, principal_of
from gateway.errors import error_response
from gateway.hearing_access import IN_HEARING
from gateway.identity_state import IdentityState
from gateway.routes import RouteTable
from gateway.session_revoke import end_participant_sessions
from gateway.state import state_of
from gateway.ws_session import WsSession
from proto.errors import ErrorCode

TAGS = ("hearings",)
CLOSE_SIGNED_OUT = 4001


def _same_origin(request: web.Request) -> bool:
    """Browsers send `Origin` on WebSocket upgrades: refuse other sites (cross-site hijacking)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser (API clients, tests)
    return urlsplit(origin).netloc == request.host


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/ws", access=IN_HEARING, tags=TAGS,
                  summary="WebSocket: hearing presence, rooms, mediator commands, chat, WebRTC "
                          "signalling (messages: proto/ws.py)",
                  openapi={"status": 101})
    async def websocket(request: web.Request) -> web.StreamResponse:
        state = state_of(request)
        hs = state.hearings
        principal = principal_of(request)
        if hs is None or principal is None:
            return error_response(ErrorCode.UNAVAILABLE, "hearings are not ready")
        if not _same_origin(request):
            return error_response(ErrorCode.FORBIDDEN, "cross-origin WebSocket refused")
        ws = web.WebSocketResponse(max_msg_size=state.config.ws_max_frame_bytes, heartbeat=20.0)
        if not ws.can_prepare(request).ok:
            return error_response(ErrorCode.INVALID, "expected a WebSocket upgrade")
        await ws.prepare(request)
        ident = identity_of(request)

        async def end_sessions(hearing: str, participants: list[str]) -> None:
            await end_participant_sessions(ident, hearing, participants)

        session = WsSession(ws, state.nc, state.config, principal, hs.new_conn_id(),
                            end_sessions)
        hs.sockets[session.conn] = session
        key = auth_of(request).session_key
        watchdog = asyncio.create_task(_watch_session(session, ident, key))
        try:
            await session.run()
        finally:
            watchdog.cancel()
            hs.sockets.pop(session.conn, None)
            await session.close(1000, "bye")
        return ws


async def _watch_session(session: WsSession, ident: IdentityState, key: str | None,
                         every_s: float = 2.0) -> None:
    """A signed-out, expired or revoked cookie session ends its open sockets too.

    The session copy is kept current by identity's KV watch, so this costs no round trip.
    """
    if key is None:
        return  # bearer tokens: checked at the upgrade only
    while True:
        await asyncio.sleep(every_s)
        found = ident.session_mirror.get(key)
        if found is None or ident.now_ms() >= found[0].expires_ms:
            await session.close(CLOSE_SIGNED_OUT, "session ended")
            return
