"""`apply(hearing, principal, command, now) -> (hearing, effects)`: the signalling core.

Pure: no I/O, no clock, no randomness except through the injected `Env`. The I/O shell loads the
hearing from KV, calls `apply`, writes the result with compare-and-set on the KV revision (and
retries the whole call on a conflict: it is a pure function), then performs the effects in order.

Every call first runs `sweep` (reconnection grace, caucus timers) at `now`, so time-based rules
hold even without a timer; the shell also sends a periodic `Sweep` so they fire on time.
Errors are raised (errors.py); the shell audits them as denied/failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from proto.audit import Outcome
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    AddSide,
    CloseHearing,
    CreateHearing,
    CreateHearingCommand,
    InviteParticipant,
    OpenHearing,
    RedeemInvitation,
    RemoveParticipant,
    RemoveSide,
    RenameSideCommand,
    SessionConnected,
)
from proto.ws import End, HearingState, Notice, NoticeKind, Remove, RoomKind, Snapshot

from . import (
    connections,
    core_controls,
    handover,
    hearing_details,
    invitations,
    joining,
    mediator_name,
    retention,
    schedule,
    sides,
)
from .access import Ctx, identify, mediator, not_closed
from .effects import Audit, CloseSessions, Deliver, Effect, Env, Fail, ForgetChat, Reply
from .errors import Conflict, Forbidden, Invalid, NotFound, SignallingError
from .membership import end_emptied_timers, presence, settle
from .model import (
    LOBBY,
    Hearing,
    ParticipantStatus,
    get_participant,
    is_live,
    members,
    new_hearing,
    put_participant,
    set_status,
    transition,
)
from .view import snapshot, summary

Result = tuple[Hearing, list[Effect]]
_DEFAULT_ENV = Env()


@dataclass(frozen=True, slots=True)
class Sweep:
    """Internal: apply time-based rules only (sent periodically by the shell)."""


def create(principal: Principal, cmd: CreateHearing, now: int,
           env: Env = _DEFAULT_ENV) -> Result:
    """A new scheduled hearing. A mediator creates its own; an admin names the mediator.

    The mediator's name comes from the gateway (`CreateHearingCommand`, read from the
    mediator's account); a bare `CreateHearing` gives a mediator shown by role.
    """
    if principal.kind is not PrincipalKind.ACCOUNT:
        raise Forbidden("only staff create hearings")
    if principal.role is Role.MEDIATOR:
        if cmd.mediator not in (None, principal.id):
            raise Forbidden("a mediator creates hearings for itself")
        mediator_id = principal.id
    elif principal.role is Role.ADMIN:
        if cmd.mediator is None:
            raise Invalid("name the hearing's mediator")
        mediator_id = cmd.mediator
    else:
        raise Forbidden("only a mediator or an admin creates hearings")
    schedule.check_start(cmd.scheduled_at, now)
    name = cmd.mediator_name if isinstance(cmd, CreateHearingCommand) else ""
    h = msgspec.structs.replace(new_hearing(env.new_id(), cmd.title, mediator_id, name, now),
                                scheduled_at=cmd.scheduled_at, time_zone=cmd.time_zone)
    return h, [Audit("hearing.create", "hearing", h.id, details={
        "mediator": mediator_id, "mediator_name": name, "title": h.title,
        "scheduled_at": cmd.scheduled_at, "time_zone": cmd.time_zone}),
        Reply(summary(h))]


def _open(ctx: Ctx, cmd: OpenHearing) -> Result:
    mediator(ctx.h, ctx.principal)
    h = msgspec.structs.replace(transition(ctx.h, HearingState.OPEN), opened_at=ctx.now)
    return h, [Audit("hearing.open", "hearing", ctx.h.id)]


def _close(ctx: Ctx, cmd: CloseHearing | End) -> Result:
    """End the hearing: everyone's peers are dropped, sessions closed, invitations revoked.

    Signalling decides before anything is destroyed: the gateway crypto-shreds the documents
    only after this close succeeded with `destroy_documents` (HearingClosed says so). Repeating
    a close that destroyed documents is answered again, with no new effect and no new audit
    event, so a shredding that failed half-way is finished by retrying; any other close of a
    closed hearing is refused, and a refused close destroys nothing.
    """
    mediator(ctx.h, ctx.principal)
    destroy = isinstance(cmd, CloseHearing) and cmd.destroy_documents
    if ctx.h.state is HearingState.CLOSED and destroy and ctx.h.documents_destroyed:
        return ctx.h, []
    h = invitations.revoke_all(transition(ctx.h, HearingState.CLOSED))
    h = msgspec.structs.replace(h, knocks=(), locked=True, documents_destroyed=destroy,
                                ended_at=ctx.now, documents_destroyed_at=ctx.now if destroy else None)
    out: list[Effect] = [Audit("hearing.close", "hearing", h.id,
                               details={"destroy_documents": destroy})]
    ended = Notice(kind=NoticeKind.ENDED, text="The hearing has ended.", documents_destroyed=destroy,
                   documents_kept_until=retention.kept_until(h, ctx.env.policy))
    out.extend(Deliver(p.id, ended) for p in h.participants.values() if p.conns)
    out.extend(CloseSessions(p.id, "ended") for p in h.participants.values()
               if p.role is not Role.MEDIATOR and p.status is ParticipantStatus.ACTIVE)
    out.append(ForgetChat(tuple(r for r in h.rooms if r != LOBBY)))
    return h, out


def _invite(ctx: Ctx, cmd: InviteParticipant) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    if Role(cmd.role) is Role.OBSERVER:
        if cmd.side is not None:
            raise Invalid("an observer has no side")
    elif cmd.side is None:
        raise Invalid("a party or counsel belongs to a side")
    elif cmd.side not in ctx.h.sides:
        raise NotFound("no such side in this hearing")
    if len(ctx.h.participants) >= ctx.env.policy.max_participants:
        raise Conflict("the roster is full")
    h, issued = invitations.issue(ctx.h, cmd, ctx.now, ctx.env)
    return h, [Audit("participant.invite", "participant", issued.participant, details={
        "name": cmd.name, "role": cmd.role.value, "side": cmd.side,
        "invitation": issued.invitation, "language": cmd.language,
        "expires_at": issued.expires_at}), Reply(issued)]


def _remove(ctx: Ctx, cmd: RemoveParticipant | Remove) -> Result:
    mediator(ctx.h, ctx.principal)
    p = get_participant(ctx.h, cmd.participant)
    if p.role is Role.MEDIATOR:
        raise Invalid("the mediator cannot be removed")
    was = p.room  # where they were (the lobby, a room, or nowhere yet), for the audit
    p = msgspec.structs.replace(set_status(p, ParticipantStatus.REMOVED), room=None, hand=False)
    h = invitations.revoke_for(put_participant(ctx.h, p), p.id)
    return h, [Audit("participant.remove", "participant", p.id,
                     details={} if was is None else {"from": was}),
               Deliver(p.id, Notice(kind=NoticeKind.REMOVED, text="You were removed.")),
               CloseSessions(p.id, "removed")]


def _redeem(ctx: Ctx, cmd: RedeemInvitation) -> Result:
    """Invitation + access code → an active participant waiting in the lobby."""
    inv = invitations.find(ctx.h, cmd)
    # A genuine invitation refused (ended, withdrawn, used, expired) is audited naming whose.
    refused = invitations.refusal(ctx.h, inv, ctx.now, cmd.access_code)
    if refused is not None:
        return ctx.h, [Audit("participant.redeem", "invitation", inv.id, Outcome.DENIED,
                             details={"participant": inv.participant,
                                      "reason": refused.message[:200]}), Fail(refused)]
    if not invitations.code_matches(inv, cmd.access_code):
        h = invitations.record_failure(ctx.h, inv, ctx.now, ctx.env)
        refusal: SignallingError = invitations.blocked_for(
            h.invitations[inv.id], ctx.now) or invitations.wrong_code(
                h.invitations[inv.id], ctx.env.policy)
        return h, [Audit("participant.redeem", "invitation", inv.id, Outcome.DENIED,
                         details={"participant": inv.participant, "reason": "access_code"}),
                   Fail(refusal)]
    if ctx.h.locked and not ctx.h.participants[inv.participant].admitted_once:
        # Turned away, and the mediator is told who (else they would wait, unseen, for an
        # unlock the mediator does not know anyone needs). Someone admitted before, back
        # with a new link (joining.py), waits in the lobby as a reconnection would.
        who = ctx.h.participants[inv.participant]
        return ctx.h, [Audit("participant.redeem", "invitation", inv.id, Outcome.DENIED,
                             details={"participant": who.id, "reason": "locked"}),
                       Deliver(ctx.h.mediator, Notice(kind=NoticeKind.LOCKED_OUT, text=who.name)),
                       Fail(Conflict("the hearing is locked: nobody new is admitted",
                                     reason=invitations.Refusal.LOCKED))]
    h, redeemed = invitations.consume(ctx.h, inv, ctx.now)
    h, takeover = joining.arrive(h, inv.participant, ctx.now)
    return h, [Audit("participant.redeem", "invitation", inv.id,
                     details={"participant": inv.participant, **joining.details(takeover)}),
               *takeover, Reply(redeemed)]


def _grace_due(p: Any, h: Hearing) -> bool:
    return (p.status is ParticipantStatus.ACTIVE and not p.conns and p.role is not Role.MEDIATOR
            and p.disconnected_at is not None and p.room not in (None, LOBBY))


def next_due(h: Hearing, env: Env) -> int | None:
    """The earliest time (Unix ms) at which `sweep` would change `h`, or None if never.

    `sweep(h, t, env)` changes nothing for every t before it (and something at it): the sweeper
    computes it once per hearing revision instead of sweeping every hearing every second. An
    ended hearing is due when its documents' retention period ends (the shell's `Sweep`).
    """
    if h.state is HearingState.CLOSED:
        return retention.kept_until(h, env.policy)
    times = [p.disconnected_at + env.policy.reconnect_grace_ms for p in h.participants.values()
             if _grace_due(p, h) and p.disconnected_at is not None]
    times += [r.deadline for r in h.rooms.values()
              if r.kind is RoomKind.CAUCUS and r.deadline is not None]
    return min(times) if times else None


def sweep(h: Hearing, now: int, env: Env) -> Result:
    """Reconnection grace (offline too long → lobby) and expired caucus timers."""
    if h.state is HearingState.CLOSED:
        return h, []
    out: list[Effect] = []
    grace = env.policy.reconnect_grace_ms
    for p in list(h.participants.values()):
        if _grace_due(p, h) and p.disconnected_at is not None and now - p.disconnected_at >= grace:
            out.append(Audit("room.grace_expired", "participant", p.id,
                             details={"from": p.room, "to": LOBBY}))
            h = put_participant(h, msgspec.structs.replace(p, room=LOBBY, hand=False,
                                                           grace_expired=True))
    for r in list(h.rooms.values()):
        if r.kind is RoomKind.CAUCUS and r.deadline is not None and now >= r.deadline:
            h = msgspec.structs.replace(h, rooms={**h.rooms, r.id: msgspec.structs.replace(
                r, deadline=None)})
            notice = Notice(kind=NoticeKind.TIMER, text="Caucus time is up.", room=r.id)
            to = {m.id for m in members(h, r.id, live_only=True)}
            med = h.participants[h.mediator]
            if is_live(h, med):
                to.add(med.id)
            out.extend(Deliver(pid, notice) for pid in sorted(to))
            out.append(Audit("room.timer_expired", "room", r.id))
    return h, out


Handler = Callable[[Ctx, Any], Result]

HANDLERS: dict[type, Handler] = {
    OpenHearing: _open,
    CloseHearing: _close, End: _close,
    AddSide: sides.add_side,
    RenameSideCommand: sides.rename_side,
    RemoveSide: sides.remove_side,
    InviteParticipant: _invite,
    RemoveParticipant: _remove, Remove: _remove,
    RedeemInvitation: _redeem,
    # The retention period only here: its decision is the system's, never a command's sender's.
    Sweep: lambda ctx, cmd: retention.expire(ctx.h, ctx.now, ctx.env.policy),
    **core_controls.HANDLERS,
    **mediator_name.HANDLERS,
    **handover.HANDLERS,
    **hearing_details.HANDLERS,
    **joining.HANDLERS,
    **connections.HANDLERS,
}


def apply(hearing: Hearing, principal: Principal, command: object, now: int,
          env: Env = _DEFAULT_ENV, conn: str | None = None) -> Result:
    """Apply one command at time `now` (Unix ms); returns the new hearing and its effects.
    `conn`: the socket a WebSocket command came from, refused if no longer its participant's
    page (connections.from_current_page)."""
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise Invalid(f"not a hearing command: {type(command).__name__}")
    if conn is not None:
        connections.from_current_page(hearing, principal, conn)
    swept, timed = sweep(hearing, now, env)
    after, extra = handler(Ctx(swept, principal, now, env, conn), command)
    after, ended = end_emptied_timers(hearing, settle(hearing, after, now))
    effects: list[Effect] = []
    if isinstance(command, SessionConnected):
        view, grace = snapshot(after, identify(after, principal).id), env.policy.reconnect_grace_ms
        effects.append(Reply(Snapshot(view=view, reconnect_grace_ms=grace)))
    first, extra = connections.taken_over_first(extra)
    effects.extend(first)
    # Time up is said before the room views that no longer carry the deadline: a page that sees
    # a deadline go without it was told the mediator removed the timer.
    effects.extend(timed)
    effects.extend(presence(hearing, after))
    effects.extend(extra)
    effects.extend(ended)
    return after, effects
