"""Opening a session: the one sequence behind staff sign-in and a participant's redeemed invitation.

Mint the secret and record, store the record (create-only) and put it in this process's watched
copy at once, so the very next request with the cookie is recognised here without waiting for
the KV watch. The caller audits; if that fails it calls `discard` so no unaudited session lives.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from gateway.identity.handler_kit import set_session_cookie
from gateway.identity.session_store import kv_key_for_secret
from gateway.identity.sessions import SessionRecord, csrf_token, new_session
from gateway.identity.state import IdentityState
from proto.common import Role
from proto.principal import PrincipalKind

#: A revision above any real one: `forget` then drops the key whatever the watch delivers later.
_FOREVER = 1 << 62


@dataclass(frozen=True)
class OpenedSession:
    secret: str
    key: str
    record: SessionRecord

    @property
    def csrf_token(self) -> str:
        return csrf_token(self.secret)


async def open_session(ident: IdentityState, *, kind: PrincipalKind, subject: str, role: Role,
                       now_ms: int, hearing: str | None = None, side: str | None = None,
                       account_epoch: int = 0, mfa_complete: bool = True) -> OpenedSession:
    secret, record = new_session(kind=kind, subject=subject, role=role, now_ms=now_ms,
                                 policy=ident.policy, hearing=hearing, side=side,
                                 account_epoch=account_epoch, mfa_complete=mfa_complete)
    key = kv_key_for_secret(secret)
    ident.session_mirror.remember(key, record, await ident.sessions.create(key, record))
    return OpenedSession(secret, key, record)


async def discard(ident: IdentityState, opened: OpenedSession) -> None:
    """Delete a session just opened (its audit event could not be stored)."""
    await ident.sessions.delete(opened.key)
    ident.session_mirror.forget(opened.key, _FOREVER)


def hand_over(response: web.StreamResponse, ident: IdentityState, opened: OpenedSession) -> None:
    """Give the client its session: the HttpOnly cookie, never cached on the way."""
    set_session_cookie(response, opened.secret, tls=ident.config.tls,
                       max_age_s=ident.policy.absolute_timeout_s)
    response.headers["Cache-Control"] = "no-store"
