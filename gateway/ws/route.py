"""`GET /api/v1/ws`: the hearing WebSocket (the session logic is gateway/ws/session.py)."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from aiohttp import web

from gateway.api.hearing_access import IN_HEARING
from gateway.http.errors import error_response
from gateway.http.routes import RouteTable
from gateway.identity.authn import auth_of, identity_of, principal_of, resolve
from gateway.identity.session_revoke import end_participant_sessions
from gateway.identity.sessions import SessionEnd, parse_api_token, parse_authorization
from gateway.identity.state import IdentityState, account_mirror_key, token_mirror_key
from gateway.state import state_of
from gateway.ws.credential_watch import Watched
from gateway.ws.session import WsSession
from parley.errors import ServiceFailure
from parley.failures import handled
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind

log = logging.getLogger("parley.gateway.ws")
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
        # No aiohttp heartbeat or auto-ping: one task pings quiet sockets and closes silent
        # ones for the whole process (gateway/ws/keepalive.py). No permessage-deflate (browsers
        # ask for it): a socket's deflate and inflate streams hold about 125 KiB (measured
        # after one small message) for the socket's life, for messages of a few hundred bytes;
        # and compressing a frame that mixes a client's own text with server data invites
        # CRIME-style guessing.
        ws = web.WebSocketResponse(max_msg_size=state.config.ws_max_frame_bytes,
                                   autoping=False, compress=False)
        if not ws.can_prepare(request).ok:
            return error_response(ErrorCode.INVALID, "expected a WebSocket upgrade")
        await ws.prepare(request)
        ident = identity_of(request)

        async def end_sessions(hearing: str, participants: list[str],
                               reason: SessionEnd | None) -> None:
            await end_participant_sessions(ident, hearing, participants, reason)

        session = WsSession(ws, state.nc, state.config, principal, hs.new_conn_id(),
                            end_sessions, hs.deliveries, request.transport)
        hs.sockets[session.conn] = session
        hs.keepalive.add(session)
        watched = _watched(session, ident, request, principal)
        if hs.credentials is not None:
            hs.credentials.add(watched)
        try:
            await session.run()
        finally:
            if hs.credentials is not None:
                hs.credentials.remove(watched)
            hs.sockets.pop(session.conn, None)
            hs.keepalive.remove(session)
            await session.close(1000, "bye")
        return ws


def keys_of(request: web.Request, principal: Principal) -> frozenset[str]:
    """The watched KV keys this socket's credentials stand on (gateway/ws/credential_watch.py)."""
    auth = auth_of(request)
    keys = set()
    if auth.session_key is not None:
        keys.add(auth.session_key)
    if auth.via == "bearer":
        # The middleware already accepted this token, so it parses; if not, the account key
        # (always watched) still ends the socket on a revocation through the account epoch.
        with handled(log, "gateway.ws.token_key"):
            token_id, _ = parse_api_token(parse_authorization(request.headers.get("Authorization")) or "")
            keys.add(token_mirror_key(token_id))
    if principal.kind is PrincipalKind.ACCOUNT:
        keys.add(account_mirror_key(principal.id))
    return frozenset(keys)


def _watched(session: WsSession, ident: IdentityState, request: web.Request,
             principal: Principal) -> Watched:
    """Credentials that stop being valid end the sockets opened with them.

    The same resolution as every HTTP request (cookie or bearer token; session expiry, sign-out,
    token revocation, a disabled account or changed role through the account epoch), run
    against the watched KV copies, so it costs no round trip. A passing NATS outage
    (`unavailable`) does not close anyone; a definite refusal does. The close says which:
    "session expired" (its lifetime is over: an open socket keeps it from idling out) or
    "signed out" (ended, revoked or disabled), so a page can tell the person what happened.
    """
    record = auth_of(request).session

    async def check() -> bool:
        try:
            auth = await resolve(ident, request)
        except ServiceFailure:
            return True
        if auth.principal is None or auth.principal.id != principal.id:
            expired = record is not None and ident.now_ms() >= record.expires_ms
            await session.close(CLOSE_SIGNED_OUT, "session expired" if expired else "signed out")
            return False
        return True

    expires_at = None
    if record is not None:
        loop = asyncio.get_running_loop()
        expires_at = loop.time() + max(0.0, (record.expires_ms - ident.now_ms()) / 1000)
    return Watched(check=check, keys=keys_of(request, principal), expires_at=expires_at)
