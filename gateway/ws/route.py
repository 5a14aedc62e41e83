"""`GET /api/v1/ws`: the hearing WebSocket (the session logic is gateway/ws/session.py)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from aiohttp import web

from gateway.api.hearing_access import IN_HEARING
from gateway.http.errors import error_response
from gateway.http.routes import RouteTable
from gateway.identity.authn import identity_of, principal_of, resolve
from gateway.identity.session_revoke import end_participant_sessions
from gateway.identity.state import IdentityState
from gateway.state import state_of
from gateway.ws.session import WsSession
from parley.errors import ServiceFailure
from proto.errors import ErrorCode
from proto.principal import Principal

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
                          "signalling (messages: /api/v1/asyncapi.json)",
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
        watchdog = asyncio.create_task(_watch_credentials(session, ident, request, principal))
        try:
            await session.run()
        finally:
            watchdog.cancel()
            hs.sockets.pop(session.conn, None)
            await session.close(1000, "bye")
        return ws


async def _watch_credentials(session: WsSession, ident: IdentityState, request: web.Request,
                             principal: Principal, every_s: float = 2.0) -> None:
    """Credentials that stop being valid end the sockets opened with them.

    The same resolution as every HTTP request (cookie or bearer token; session expiry, sign-out,
    token revocation, a disabled account or changed role through the account epoch), run
    against the watched KV copies, so it costs no round trip. A passing NATS outage
    (`unavailable`) does not close anyone; a definite refusal does.
    """
    while True:
        await asyncio.sleep(every_s)
        try:
            auth = await resolve(ident, request)
        except ServiceFailure:
            continue
        if auth.principal is None or auth.principal.id != principal.id:
            await session.close(CLOSE_SIGNED_OUT, "credentials no longer valid")
            return
