"""Ending sessions: a participant's when signalling says so (removed, denied, hearing ended), a
staff account's when an administrator disables it or resets its password, or its holder changes
the password (every session but the one they changed it in).

Such ends are rare (mediator actions, an administrator's), so one pass over the session keys is
simpler than keeping an index. But one end reaches many at once: a hearing's end tells every
connected participant, and each socket's gateway ends that participant's sessions before it
relays the notice (gateway/ws/session.py), so a gateway holding 64 of them was asked for 64
passes over every session of the institution, and each notice waited for its own. So
participants' ends share passes (shared_passes.py): those asked for together are served by one.
Measured (20,000 sessions stored, eight parties connected to one gateway, the end sent
over the mediator's socket): the last `ended` came 5.1 s after the end, 0.9-1.1 s now, about
one pass over the 20,000 (0.6-0.8 s) on the gateway's event loop.

A disabled account's sessions already stop working on every process through the account epoch
(accounts.py); ending them here as well removes them from the bucket and leaves each its
tombstone, so its cookie is told "disabled" (not "expired").

A participant's sockets themselves are closed through its delivery subject (every gateway
process); a staff account's by the sockets' credential watch (gateway/ws/credential_watch.py).
This removes the stored sessions, so the cookie stops working on every process (they watch
`parley_sessions`). Each removed session first leaves a tombstone with the reason
(session_store.py), so the same cookie later, in any tab, is told why (`GET /api/v1/me` answers
401 with that `reason`) rather than only "signed out".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import msgspec
from nats.errors import Error as NatsError
from nats.js.kv import KV_DEL, KV_PURGE

from gateway.identity.session_store import SESSION_PREFIX, decode_session
from gateway.identity.sessions import EndedSession, SessionEnd, SessionRecord
from gateway.identity.shared_passes import SharedPasses
from gateway.identity.state import IdentityState
from parley.failures import handled
from proto.principal import PrincipalKind

log = logging.getLogger("parley.gateway.sessions")


async def end_participant_sessions(ident: IdentityState, hearing: str,
                                   participants: list[str], reason: SessionEnd | None) -> int:
    """End the sessions of `participants` in `hearing`; `reason` (None: no tombstone) is kept
    for each until it would have expired. Served by a pass shared with the other participants'
    ends asked for meanwhile; returns how many of these participants' sessions it ended."""
    mine = {(hearing, participant) for participant in participants}
    if not mine:
        return 0
    if ident.participant_ends is None:
        ident.participant_ends = SharedPasses(lambda batch: _participants_pass(ident, batch))
    ended = await ident.participant_ends.submit(_Ends(hearing, frozenset(participants), reason))
    return sum((record.hearing, record.subject) in mine for record in ended)


async def end_account_sessions(ident: IdentityState, account: str, reason: SessionEnd, *,
                               keep: str | None = None) -> int:
    """End every cookie session of the staff `account` but the one whose public id is `keep`,
    each leaving `reason` behind."""
    def verdict(record: SessionRecord) -> tuple[SessionEnd | None] | None:
        mine = record.kind is PrincipalKind.ACCOUNT and record.subject == account
        return (reason,) if mine and record.id != keep else None

    return len(await _end(ident, await _in_bucket(ident, verdict)))


@dataclass(frozen=True)
class _Ends:
    """One request: these participants' sessions in this hearing, ended for `reason`."""
    hearing: str
    participants: frozenset[str]
    reason: SessionEnd | None


async def _participants_pass(ident: IdentityState, batch: list[_Ends]) -> list[SessionRecord]:
    """One pass ending every session a request of `batch` names (the first request to name a
    participant gives the reason)."""
    reasons: dict[tuple[str, str], SessionEnd | None] = {}
    for ends in batch:
        for participant in ends.participants:
            reasons.setdefault((ends.hearing, participant), ends.reason)

    def verdict(record: SessionRecord) -> tuple[SessionEnd | None] | None:
        if record.kind is not PrincipalKind.PARTICIPANT or record.hearing is None:
            return None
        key = (record.hearing, record.subject)
        return (reasons[key],) if key in reasons else None

    return await _end(ident, await _in_bucket(ident, verdict))


#: A session's fate in a pass: None (spared), or ended leaving this reason (None: no tombstone).
Verdict = Callable[[SessionRecord], tuple[SessionEnd | None] | None]
#: Sessions a pass dooms: (key, revision, record, reason).
Doomed = list[tuple[str, int, SessionRecord, SessionEnd | None]]


async def _in_bucket(ident: IdentityState, verdict: Verdict) -> Doomed:
    """The sessions `verdict` dooms, read from the bucket (a watch over every session key)."""
    doomed: Doomed = []
    watcher = await ident.sessions.kv.watch(SESSION_PREFIX + ">", ignore_deletes=True)
    try:
        async for entry in watcher:
            if entry is None:
                break
            if entry.operation in (KV_DEL, KV_PURGE) or entry.value is None:
                continue
            with handled(log, "sessions.revoke.decode", msgspec.DecodeError, msgspec.ValidationError):
                record = decode_session(entry.value)
                fate = verdict(record)
                if fate is not None:
                    doomed.append((entry.key, entry.revision or 0, record, fate[0]))
    finally:
        with handled(log, "sessions.revoke.watch_stop", level=logging.DEBUG):
            await watcher.stop()  # type: ignore[no-untyped-call]
    return doomed


async def _end(ident: IdentityState, doomed: Doomed) -> list[SessionRecord]:
    """End the `doomed` sessions, each leaving its reason first; returns them."""
    now = ident.now_ms()
    for key, revision, record, reason in doomed:
        if reason is not None and record.expires_ms > now:  # before the session goes: no gap
            # A tombstone that could not be written only loses the reason: the session ends.
            with handled(log, "sessions.revoke.tombstone", NatsError, TimeoutError):
                hearing = record.hearing if record.kind is PrincipalKind.PARTICIPANT else None
                await ident.sessions.mark_ended(key, EndedSession(
                    hearing=hearing, reason=reason, expires_ms=record.expires_ms))
        await ident.sessions.delete(key)
        ident.session_mirror.forget(key, revision)
    return [record for _, _, record, _ in doomed]
