"""Ending sessions: a participant's when signalling says so (removed, denied, hearing ended), a
staff account's when an administrator disables it or resets its password, or its holder changes
the password (every session but the one they changed it in).

Such ends are rare (mediator actions, an administrator's), so one pass over the session keys is
simpler than keeping an index. A disabled account's sessions already stop working on every
process through the account epoch (accounts.py); ending them here as well removes them from
the bucket and leaves each its tombstone, so its cookie is told "disabled" (not "expired").

A participant's sockets themselves are closed through its delivery subject (every gateway
process); a staff account's by the sockets' credential watch (gateway/ws/credential_watch.py).
This removes the stored sessions, so the cookie stops working on every process (they watch
`parley_sessions`). Each removed session first
leaves a tombstone with the reason (session_store.py), so the same cookie later, in any tab,
is told why (`GET /api/v1/me` answers 401 with that `reason`) rather than only "signed out".
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import msgspec
from nats.errors import Error as NatsError
from nats.js.kv import KV_DEL, KV_PURGE

from gateway.identity.session_store import SESSION_PREFIX, decode_session
from gateway.identity.sessions import EndedSession, SessionEnd, SessionRecord
from gateway.identity.state import IdentityState
from parley.failures import handled
from proto.principal import PrincipalKind

log = logging.getLogger("parley.gateway.sessions")


async def end_participant_sessions(ident: IdentityState, hearing: str,
                                   participants: list[str], reason: SessionEnd | None) -> int:
    """End the sessions of `participants` in `hearing`; `reason` (None: no tombstone) is kept
    for each until it would have expired."""
    wanted = set(participants)
    if not wanted:
        return 0
    return await _end(ident, lambda r: r.kind is PrincipalKind.PARTICIPANT
                      and r.hearing == hearing and r.subject in wanted, hearing, reason)


async def end_account_sessions(ident: IdentityState, account: str, reason: SessionEnd, *,
                               keep: str | None = None) -> int:
    """End every cookie session of the staff `account` but the one whose public id is `keep`,
    each leaving `reason` behind."""
    return await _end(ident, lambda r: r.kind is PrincipalKind.ACCOUNT and r.subject == account
                      and r.id != keep, None, reason)


async def _end(ident: IdentityState, doomed_if: Callable[[SessionRecord], bool],
               hearing: str | None, reason: SessionEnd | None) -> int:
    doomed: list[tuple[str, int, SessionRecord]] = []
    watcher = await ident.sessions.kv.watch(SESSION_PREFIX + ">", ignore_deletes=True)
    try:
        async for entry in watcher:
            if entry is None:
                break
            if entry.operation in (KV_DEL, KV_PURGE) or entry.value is None:
                continue
            with handled(log, "sessions.revoke.decode", msgspec.DecodeError, msgspec.ValidationError):
                record = decode_session(entry.value)
                if doomed_if(record):
                    doomed.append((entry.key, entry.revision or 0, record))
    finally:
        with handled(log, "sessions.revoke.watch_stop", level=logging.DEBUG):
            await watcher.stop()  # type: ignore[no-untyped-call]
    now = ident.now_ms()
    for key, revision, record in doomed:
        if reason is not None and record.expires_ms > now:  # before the session goes: no gap
            # A tombstone that could not be written only loses the reason: the session ends.
            with handled(log, "sessions.revoke.tombstone", NatsError, TimeoutError):
                await ident.sessions.mark_ended(key, EndedSession(
                    hearing=hearing, reason=reason, expires_ms=record.expires_ms))
        await ident.sessions.delete(key)
        ident.session_mirror.forget(key, revision)
    return len(doomed)
