"""Runs one command against KV: load, apply (pure), audit, compare-and-set, perform effects.

Longer than 300 lines: the order of work below is one sequence, kept in one class so it reads
top to bottom (loading, the write and its audit events, the effects, the read model).

Order of work for a command on hearing H (DESIGN §3, §5, §7):
1. A per-hearing lock in this process, so commands of one process never race each other; other
   processes (scale-out) race through compare-and-set and the loser re-applies on fresh state.
2. `apply` on the store's watched copy of H and its KV revision (no round trip). The copy is a
   hint, never the authority: a write is a compare-and-set on the copy's revision, so a stale copy
   cannot be written over (the conflict re-reads KV and re-applies); a command that writes nothing
   (a refusal, a chat line, a no-op) re-reads KV first unless this attempt did (moved: re-apply).
3. All of the command's audit events are published at once, together with the write (4): one
   round trip to NATS for both, not one after the other (on a busy node each round trip is a
   wake-up of three processes). Nothing acts on the change until every acknowledgement is in:
   no delivery, no reply. A failed publish fails the action and changes nothing: a write
   already committed is undone (a compare-and-set back to the record before it; logged and
   counted as `signalling.audit_undo` if that fails) before the error is raised. (A write lost
   to another process re-applies the command; its first attempt's events then stay in the log:
   rare, never an unrecorded action.) A command writing nothing publishes its events alone.
4. Compare-and-set on the KV revision; on conflict, back to 2 with a fresh read.
5. Effects in list order, once the write and its events are acknowledged: consecutive
   `Deliver`s → one `DeliveryBatch` core-published on `parley.v1.client.<H>.~batch` with the
   new revision (outbox.py: one encoding per message, however many recipients share it; each
   recipient's order kept), published before any other effect that follows them;
   `Deliver` naming sockets → published alone on `parley.v1.client.<H>.<participant>` with
   their ids (only those sockets get it: a media moved elsewhere, connections.py);
   `CloseSessions` → a close request on `parley.v1.client.<H>.<participant>` (every gateway
   closes that participant's sockets, or only those it names) and, unless `keep_sessions`, the
   id in the reply's `end_sessions` (the gateway that asked revokes its stored sessions);
   `StoreChat` (a refusal, e.g. flooding, stops the deliveries after it); `ForgetChat` (purge);
   `Reply`; `Fail` (raised last, after the store: an access-code failure counter).
6. `parley.v1.hearing.<H>.changed` is announced, and the roster read model is rewritten when
   its content changed (most moves leave it as it was) or an earlier rewrite failed; before the
   reply, so the gateway that asked can read it through.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
from nats.aio.client import Client

from parley.auditpub import AuditPublisher
from parley.errors import ServiceFailure
from parley.failures import note_failure
from proto.audit import AuditEvent, Outcome
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    CLOSE_HEADER,
    CONNS_HEADER,
    REVISION_HEADER,
    CreateHearing,
    HearingSummary,
    changed_subject,
    client_subject,
)
from proto.ws import ChatHistory, SignalSend, encode

from .access import identify
from .chatstore import ChatStore
from .connections import from_current_page
from .core import apply, create
from .effects import Audit, CloseSessions, Deliver, Effect, Env, Fail, ForgetChat, Reply, StoreChat
from .errors import Forbidden, RateLimited, SignallingError, Unauthenticated
from .model import LOBBY, Hearing
from .outbox import Batch
from .refusals import action_for
from .relay import RelayCounters, target_conns
from .roster import derive
from .store import HearingStore, StaleRevision

log = logging.getLogger("parley.signalling.executor")
MAX_TRIES = 8
SYSTEM = Principal(kind=PrincipalKind.SYSTEM, id="signalling")
_DENIALS = (Forbidden, Unauthenticated, RateLimited)


@dataclass
class Done:
    reply: msgspec.Struct | None = None
    end_sessions: list[str] = field(default_factory=list)
    revision: int = 0


class Executor:
    def __init__(self, store: HearingStore, nc: Client, audit: AuditPublisher, env: Env,
                 clock: Callable[[], float] = time.time, chat: ChatStore | None = None) -> None:
        self.store = store
        self.nc = nc
        self.audit = audit
        self.env = env
        self.clock = clock
        self.relays = RelayCounters()
        self.chat = chat if chat is not None else ChatStore(store.kv)
        self._locks: dict[str, asyncio.Lock] = {}
        #: Hearings whose roster rewrite failed: rewritten on their next change, whatever it is.
        self._roster_behind: set[str] = set()

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def _lock(self, hearing: str) -> asyncio.Lock:
        lock = self._locks.get(hearing)
        if lock is None:
            lock = self._locks[hearing] = asyncio.Lock()
        return lock

    # ------------------------------------------------------------ create

    async def create(self, principal: Principal, cmd: CreateHearing) -> HearingSummary:
        try:
            h, effects = create(principal, cmd, self.now_ms(), self.env)
        except SignallingError as exc:
            await self._refusal(None, principal, cmd, exc)
            raise
        await self._publish_audits(h.id, principal, effects)
        revision = await self.store.create(h)
        self.store.remember(h, revision)
        await self._after_write(None, h, revision)
        reply = next(e.value for e in effects if isinstance(e, Reply))
        assert isinstance(reply, HearingSummary)
        return reply

    # ------------------------------------------------------------ commands

    async def run(self, hearing: str, principal: Principal, command: Any,
                  conn: str | None = None) -> Done:
        """`conn`: a WebSocket command's socket (a stale page is refused: connections.py)."""
        async with self._lock(hearing):
            known = self.store.cached(hearing)
            verified = known is None
            before, revision = known if known is not None else await self.load(hearing)
            for _ in range(MAX_TRIES):
                try:
                    after, effects = apply(before, principal, command, self.now_ms(), self.env,
                                           conn)
                except SignallingError as exc:
                    if not verified:  # refuse on what KV holds, never on a lagging copy
                        verified, fresh = True, await self.load(hearing)
                        if fresh[1] != revision:
                            before, revision = fresh
                            continue
                    await self._refusal(before.id, principal, command, exc)
                    raise
                changed = after != before
                if not changed and not verified:  # no write to guard the decision: confirm it
                    verified, fresh = True, await self.load(hearing)
                    if fresh[1] != revision:
                        before, revision = fresh
                        continue
                if changed:
                    try:
                        revision = await self._write_recorded(before, after, revision, principal,
                                                              effects)
                    except StaleRevision:
                        verified = True
                        before, revision = await self.load(hearing)
                        continue
                else:
                    await self._publish_audits(before.id, principal, effects)
                outcome = await self._perform(after, revision, effects)
                if changed:
                    await self._after_write(before, after, revision)
                fail = next((e.error for e in effects if isinstance(e, Fail)), None)
                if fail is not None:
                    raise fail
                return outcome
        raise ServiceFailure(ErrorCode.UNAVAILABLE, "hearing busy; try again")

    async def relay(self, hearing: str, principal: Principal, msg: SignalSend,
                    conn: str | None = None) -> bool:
        """Relay one offer/answer/candidate of socket `conn` if the isolation rules allow it."""
        h, revision = await self.load(hearing)
        sender = identify(h, principal)
        relayed = self.relays.decide(h, sender.id, msg, conn)
        if relayed is None:
            return False
        headers = {REVISION_HEADER: str(revision)}
        only = target_conns(h, msg.to)  # the mediator's console holding its media
        if only:
            headers[CONNS_HEADER] = ",".join(only)
        await self.nc.publish(client_subject(h.id, msg.to), encode(relayed), headers=headers)
        return True

    async def history(self, hearing: str, principal: Principal, fresh: bool = False,
                      conn: str | None = None) -> ChatHistory | None:
        """The chat of the principal's room said in its presence (None in the lobby or if none;
        a page taken over is refused); `fresh` reads KV, not the watched copy (it may lag)."""
        known = None if fresh else self.store.cached(hearing)
        h = known[0] if known is not None else (await self.load(hearing))[0]
        if conn is not None:  # refused as the page's other commands are
            from_current_page(h, principal, conn)
        try:
            me = identify(h, principal)
        except SignallingError:
            return None
        if me.room in (None, LOBBY):
            return None
        lines = await self.chat.said_to(h.id, me)
        return ChatHistory(room=me.room, lines=lines, entered_at=me.entered_at) if lines else None

    async def load(self, hearing: str) -> tuple[Hearing, int]:
        return await self.store.load(hearing)

    # ------------------------------------------------------------ effects

    def _events(self, hearing: str, principal: Principal,
                effects: list[Effect]) -> list[AuditEvent]:
        return [self.audit.build(actor=principal, action=e.action, resource_type=e.resource_type,
                                 resource_id=e.resource_id, outcome=e.outcome, hearing=hearing,
                                 details=e.details)
                for e in effects if isinstance(e, Audit)]

    async def _publish_audits(self, hearing: str, principal: Principal,
                              effects: list[Effect]) -> None:
        # All at once, every acknowledgement awaited: one round trip, not one per event.
        results = await asyncio.gather(
            *(self.audit.publish(e) for e in self._events(hearing, principal, effects)),
            return_exceptions=True)
        _raise_first(results)  # AuditPublishError → the action fails (unavailable)

    async def _write_recorded(self, before: Hearing, after: Hearing, revision: int,
                              principal: Principal, effects: list[Effect]) -> int:
        """Write `after` over `revision` and publish the command's audit events, all at once;
        the new revision once every one is acknowledged. `StaleRevision` when another write
        came first; the audit error when an event was not stored (the write, if made, undone)."""
        *audited, saved = await asyncio.gather(
            *(self.audit.publish(e) for e in self._events(before.id, principal, effects)),
            self.store.save(after, revision), return_exceptions=True)
        if isinstance(saved, BaseException):
            if isinstance(saved, StaleRevision):
                _raise_first(audited)  # nothing written, something not recorded: failed
            raise saved
        assert isinstance(saved, int)
        if any(isinstance(result, BaseException) for result in audited):
            await self._undo(before, saved)
            _raise_first(audited)
        return saved

    async def _undo(self, before: Hearing, revision: int) -> None:
        """Put back the record a write replaced (its audit events were not stored)."""
        try:
            await self.store.save(before, revision)
        except Exception as exc:  # another write built on it, or NATS is away: say so loudly
            note_failure(log, "signalling.audit_undo", exc, level=logging.ERROR,
                         hearing=before.id, revision=revision)

    async def _perform(self, h: Hearing, revision: int, effects: list[Effect]) -> Done:
        out = Done(revision=revision)
        batch = Batch(h.id, revision)
        for e in effects:
            if isinstance(e, Deliver) and not e.conns:
                batch.add(e)
                continue
            # Deliveries go out before any other effect that follows them (a close, or a chat
            # line whose refusal stops the deliveries after it).
            await batch.publish(self.nc)
            if isinstance(e, CloseSessions):
                headers = {REVISION_HEADER: str(revision), CLOSE_HEADER: e.reason}
                if e.conns:  # only these sockets (a newer page took over: connections.py)
                    headers[CONNS_HEADER] = ",".join(e.conns)
                await self.nc.publish(client_subject(h.id, e.participant), b"",
                                      headers=headers)
                if not e.keep_sessions:
                    out.end_sessions.append(e.participant)
            elif isinstance(e, Deliver):  # to some sockets only (connections.py)
                await self.nc.publish(client_subject(h.id, e.to), encode(e.message), headers={
                    REVISION_HEADER: str(revision), CONNS_HEADER: ",".join(e.conns)})
            elif isinstance(e, StoreChat):
                await self.chat.append(h.id, e.room, e.line)  # a flood refusal stops here
            elif isinstance(e, ForgetChat):
                await self.chat.forget(h.id, e.rooms)
            elif isinstance(e, Reply) and out.reply is None:
                out.reply = e.value
        await batch.publish(self.nc)
        return out

    async def _after_write(self, before: Hearing | None, h: Hearing, revision: int) -> None:
        try:
            if before is None or h.id in self._roster_behind \
                    or derive(before, 0) != derive(h, 0):
                self._roster_behind.add(h.id)
                await self.store.write_roster(h, revision)
                self._roster_behind.discard(h.id)
            await self.nc.publish(changed_subject(h.id), str(revision).encode())
        except Exception as exc:  # the record is stored; the read model catches up next change
            note_failure(log, "signalling.roster_write", exc, level=logging.ERROR, hearing=h.id)

    async def _refusal(self, hearing: str | None, principal: Principal, command: object,
                       exc: SignallingError) -> None:
        """A denied command is an audit event (who, what, why); other errors are not."""
        if not isinstance(exc, _DENIALS):
            return
        await self.audit.record(actor=principal, action=action_for(command),
                                resource_type="hearing", resource_id=hearing or "-",
                                outcome=Outcome.DENIED, hearing=hearing,
                                details={"reason": exc.message[:200]})


def _raise_first(results: Sequence[object]) -> None:
    for result in results:
        if isinstance(result, BaseException):
            raise result
