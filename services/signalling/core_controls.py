"""Room controls (mediator) and in-room actions (everyone): pure handlers.

Longer than 300 lines because every room control shares `place()` and its rules, which are
clearest read in one module; each handler stays a few lines.

Each handler takes the context and its command and returns the new hearing (not yet settled:
membership.settle adds epochs and arrivals) plus the effects peculiar to it (audits, notices,
chat). Decisions worth knowing:

* Closing a caucus moves its members to plenary: they were admitted, plenary is the common room,
  and sending them to the lobby would look like an expulsion.
* Recall moves everyone in a caucus to plenary; people in the lobby stay there.
* A caucus created for a side admits only that side's members, the mediator and observers the
  mediator moves there; a caucus without a side admits whoever the mediator moves in.
* A side's caucus created without a name keeps none (""): every screen names it after the side,
  in its reader's language, so a party reading Chinese never sees the mediator's English. A
  caucus without a side must be named.
* A locked hearing admits nobody new: a participant never admitted before cannot leave the lobby
  (the mediator unlocks first); people already admitted once can still be moved.
* Moving a whole side moves its admitted members (those in plenary or a caucus) in one change
  of the hearing: one write, one set of peer plans, so no moment exists with half of the side
  moved. Creating a caucus for a side may move the side in the same way, in the same step. Its
  members still waiting in the lobby are not moved (a move is not an admission), and the
  console that moved the side is told how many (`side_waiting`), never left to guess.
* Admitting a side admits its members waiting in the lobby (connected), each by the rules of
  one admission and audited as one, in one change; a locked hearing refuses the whole step
  when any of them was never admitted (nobody half-admitted while the mediator unlocks).
* The mediator never goes to the lobby, and never knocks.
* "Add 5 minutes" to a caucus timer is added here, to the deadline stored, not computed by the
  console (remaining + 300 would race its clock and another console); a timer set or extended
  never runs past 24 hours from now.
* Everyone's own in-room actions (knock, hand, mute, chat, peer reports): core_actions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from proto.common import Role
from proto.signalling import RoomCreated
from proto.ws import (
    MAX_TIMER_S,
    Admit,
    AdmitSide,
    Broadcast,
    CaucusClose,
    CaucusCreate,
    CaucusTimer,
    Deny,
    KnockDismiss,
    Lock,
    Move,
    MoveSide,
    Notice,
    NoticeKind,
    Recall,
    RoomKind,
    Shuttle,
)

from . import core_actions
from .access import Ctx, is_open, mediator, not_closed
from .effects import Audit, CloseSessions, Deliver, Effect, ForgetChat, Reply
from .errors import Conflict, Invalid
from .model import (
    LOBBY,
    PLENARY,
    Hearing,
    Participant,
    ParticipantStatus,
    Room,
    get_participant,
    get_room,
    is_live,
    members,
    put_participant,
    put_room,
    set_status,
)

Result = tuple[Hearing, list[Effect]]


def place(h: Hearing, pid: str, room_id: str) -> Hearing:
    """Put an active participant in a room, enforcing the room rules; the core of every move."""
    p = get_participant(h, pid)
    if p.status is not ParticipantStatus.ACTIVE:
        raise Conflict("participant is not active")
    room = get_room(h, room_id)
    if p.room == room_id:
        return h
    if room.kind is RoomKind.LOBBY:
        not_closed(h)
        if p.role is Role.MEDIATOR:
            raise Conflict("the mediator does not wait in the lobby")
        return put_participant(h, msgspec.structs.replace(p, room=LOBBY, hand=False))
    is_open(h)
    if h.locked and not p.admitted_once:
        raise Conflict("the hearing is locked: nobody new is admitted", reason="locked")
    if (room.kind is RoomKind.CAUCUS and room.side is not None
            and p.role not in (Role.MEDIATOR, Role.OBSERVER) and p.side != room.side):
        raise Conflict("this caucus is for another side")
    return put_participant(h, msgspec.structs.replace(p, room=room_id, admitted_once=True,
                                                      hand=False))


def _move_audit(ctx: Ctx, pid: str, to: str, action: str = "room.move") -> Audit:
    frm = ctx.h.participants[pid].room
    return Audit(action, "participant", pid, details={"from": frm, "to": to})


def admit(ctx: Ctx, cmd: Admit) -> Result:
    mediator(ctx.h, ctx.principal)
    p = get_participant(ctx.h, cmd.participant)
    if p.status is not ParticipantStatus.ACTIVE or p.room != LOBBY:
        raise Conflict("participant is not waiting in the lobby")
    if not is_live(ctx.h, p):
        raise Conflict("participant is not connected: nobody is waiting to be admitted")
    if get_room(ctx.h, cmd.room).kind is RoomKind.LOBBY:
        raise Invalid("admit to plenary or a caucus")
    h = place(ctx.h, p.id, cmd.room)
    return h, [_move_audit(ctx, p.id, cmd.room, "participant.admit")]


def _waiting(h: Hearing, side: str) -> list[Participant]:
    """The side's members waiting in the lobby now, their page open (admissible one by one)."""
    return [p for p in h.participants.values()
            if p.side == side and p.status is ParticipantStatus.ACTIVE and p.room == LOBBY
            and is_live(h, p)]


def _side_to_room(ctx: Ctx, side: str, room: str, lobby_refused: str) -> None:
    """The mediator's command that takes a whole side somewhere: a known side, and a room that
    is not the lobby (`lobby_refused` says so)."""
    mediator(ctx.h, ctx.principal)
    if side not in ctx.h.sides:
        raise Invalid("no such side")
    if get_room(ctx.h, room).kind is RoomKind.LOBBY:
        raise Invalid(lobby_refused)


def admit_side(ctx: Ctx, cmd: AdmitSide) -> Result:
    _side_to_room(ctx, cmd.side, cmd.room, "admit to plenary or a caucus")
    waiting = _waiting(ctx.h, cmd.side)
    if not waiting:
        raise Conflict("nobody of this side is waiting to be admitted", reason="none_waiting")
    h, out = ctx.h, list[Effect]()
    for p in waiting:
        h = place(h, p.id, cmd.room)
        out.append(Audit("participant.admit", "participant", p.id,
                         details={"from": LOBBY, "to": cmd.room, "side": cmd.side}))
    return h, out


def deny(ctx: Ctx, cmd: Deny) -> Result:
    mediator(ctx.h, ctx.principal)
    p = get_participant(ctx.h, cmd.participant)
    if p.status is not ParticipantStatus.ACTIVE or p.room != LOBBY:
        raise Conflict("participant is not waiting in the lobby")
    if not is_live(ctx.h, p):
        raise Conflict("participant is not connected: nobody is waiting to be admitted")
    p = msgspec.structs.replace(set_status(p, ParticipantStatus.DENIED), room=None)
    return put_participant(ctx.h, p), [
        Audit("participant.deny", "participant", p.id),
        Deliver(p.id, Notice(kind=NoticeKind.DENIED, text="The mediator did not admit you.")),
        CloseSessions(p.id, "denied"),
    ]


def move(ctx: Ctx, cmd: Move) -> Result:
    mediator(ctx.h, ctx.principal)
    p = get_participant(ctx.h, cmd.participant)
    if p.room == cmd.room:
        return ctx.h, []
    return place(ctx.h, p.id, cmd.room), [_move_audit(ctx, p.id, cmd.room)]


def _move_side_into(ctx: Ctx, h: Hearing, side: str, room_id: str) -> Result:
    """Every admitted member of `side` to `room_id`, on `h`; a move audit for each person, and
    the console that asked told of those still waiting (a `Notice`, not audited)."""
    out: list[Effect] = []
    for p in list(h.participants.values()):
        if (p.side == side and p.status is ParticipantStatus.ACTIVE
                and p.room not in (None, LOBBY, room_id)):
            out.append(Audit("room.move", "participant", p.id,
                             details={"from": p.room, "to": room_id, "side": side}))
            h = place(h, p.id, room_id)
    waiting = len(_waiting(h, side))
    if waiting:
        out.append(Deliver(h.mediator, Notice(kind=NoticeKind.SIDE_WAITING, side=side,
                                              room=room_id, waiting=waiting),
                           conns=(ctx.conn,) if ctx.conn else ()))
    return h, out


def move_side(ctx: Ctx, cmd: MoveSide) -> Result:
    _side_to_room(ctx, cmd.side, cmd.room, "a side moves to plenary or a caucus")
    h, moves = _move_side_into(ctx, ctx.h, cmd.side, cmd.room)
    moved = sum(isinstance(e, Audit) for e in moves)
    return h, [Audit("room.move_side", "side", cmd.side,
                     details={"to": cmd.room, "moved": moved}), *moves]


def shuttle(ctx: Ctx, cmd: Shuttle) -> Result:
    me = mediator(ctx.h, ctx.principal)
    if me.room == cmd.room:
        return ctx.h, []
    return place(ctx.h, me.id, cmd.room), [_move_audit(ctx, me.id, cmd.room, "room.shuttle")]


def caucus_create(ctx: Ctx, cmd: CaucusCreate) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    if sum(r.kind is RoomKind.CAUCUS for r in ctx.h.rooms.values()) >= \
            ctx.env.policy.max_caucuses:
        raise Conflict("too many caucuses")
    if cmd.side is not None and cmd.side not in ctx.h.sides:
        raise Invalid("no such side")
    if cmd.move_side and cmd.side is None:
        raise Invalid("name the side to move into the caucus")
    if not cmd.name and cmd.side is None:
        raise Invalid("name the caucus: only a side's caucus is named after the side")
    rid = ctx.env.new_id()
    room = Room(id=rid, kind=RoomKind.CAUCUS, name=cmd.name, side=cmd.side)
    details: dict[str, str | int | float | bool | None] = {"side": cmd.side, "name": cmd.name,
                                                           "move_side": cmd.move_side}
    h = put_room(ctx.h, room)
    out: list[Effect] = [Audit("room.caucus_create", "room", rid, details=details)]
    if cmd.move_side and cmd.side is not None:
        h, moves = _move_side_into(ctx, h, cmd.side, rid)
        out.append(Audit("room.move_side", "side", cmd.side,
                         details={"to": rid, "moved": sum(isinstance(e, Audit) for e in moves)}))
        out.extend(moves)
    return h, [*out, Reply(RoomCreated(room=rid))]


def caucus_close(ctx: Ctx, cmd: CaucusClose) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    if get_room(ctx.h, cmd.room).kind is not RoomKind.CAUCUS:
        raise Invalid("only a caucus can be closed")
    h = ctx.h
    for p in members(h, cmd.room):
        h = place(h, p.id, PLENARY)
    rooms = {rid: r for rid, r in h.rooms.items() if rid != cmd.room}
    return msgspec.structs.replace(h, rooms=rooms), [
        Audit("room.caucus_close", "room", cmd.room), ForgetChat((cmd.room,))]


def caucus_timer(ctx: Ctx, cmd: CaucusTimer) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    room = get_room(ctx.h, cmd.room)
    if room.kind is not RoomKind.CAUCUS:
        raise Invalid("timers are for caucuses")
    if cmd.extend:
        return _extend_timer(ctx, room, cmd.seconds)
    deadline = ctx.now + cmd.seconds * 1000 if cmd.seconds else None
    return put_room(ctx.h, msgspec.structs.replace(room, deadline=deadline)), [
        Audit("room.timer", "room", room.id, details={"seconds": cmd.seconds})]


def _extend_timer(ctx: Ctx, room: Room, seconds: int) -> Result:
    """`seconds` more on the deadline already set: two consoles adding 5 minutes each add 10.
    With no timer running, or one whose time is up (swept or not yet), the time counts from
    now."""
    if not seconds:
        raise Invalid("no time to add: say how many seconds")
    start = max(room.deadline, ctx.now) if room.deadline is not None else ctx.now
    deadline = start + seconds * 1000
    if deadline - ctx.now > MAX_TIMER_S * 1000:
        raise Invalid("a caucus timer runs at most 24 hours", reason="timer_too_long")
    return put_room(ctx.h, msgspec.structs.replace(room, deadline=deadline)), [
        Audit("room.timer", "room", room.id, details={
            "seconds": seconds, "added": True, "left": (deadline - ctx.now) // 1000})]


def broadcast(ctx: Ctx, cmd: Broadcast) -> Result:
    """A notice to every room (plenary and caucuses); the lobby only ever sees its own state."""
    mediator(ctx.h, ctx.principal)
    is_open(ctx.h)
    out: list[Effect] = [Audit("room.broadcast", "hearing", ctx.h.id,
                               details={"length": len(cmd.text)})]
    out.extend(Deliver(p.id, Notice(kind=NoticeKind.BROADCAST, text=cmd.text))
               for p in ctx.h.participants.values()
               if is_live(ctx.h, p) and p.room not in (None, LOBBY))
    return ctx.h, out


def recall(ctx: Ctx, cmd: Recall) -> Result:
    mediator(ctx.h, ctx.principal)
    is_open(ctx.h)
    h = ctx.h
    for p in list(h.participants.values()):
        room = h.rooms.get(p.room) if p.room is not None else None
        if p.status is ParticipantStatus.ACTIVE and room is not None \
                and room.kind is RoomKind.CAUCUS:
            h = place(h, p.id, PLENARY)
    return h, [Audit("room.recall", "hearing", h.id)]


def lock(ctx: Ctx, cmd: Lock) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    action = "hearing.lock" if cmd.locked else "hearing.unlock"
    return msgspec.structs.replace(ctx.h, locked=cmd.locked), [
        Audit(action, "hearing", ctx.h.id)]


def knock_dismiss(ctx: Ctx, cmd: KnockDismiss) -> Result:
    mediator(ctx.h, ctx.principal)
    knocks = tuple(k for k in ctx.h.knocks if k.participant != cmd.participant)
    return msgspec.structs.replace(ctx.h, knocks=knocks), [
        Audit("room.knock_dismiss", "participant", cmd.participant)]


HANDLERS: dict[type, Callable[[Ctx, Any], Result]] = {
    Admit: admit, AdmitSide: admit_side, Deny: deny, Move: move, MoveSide: move_side,
    Shuttle: shuttle, CaucusCreate: caucus_create, CaucusClose: caucus_close,
    CaucusTimer: caucus_timer, Broadcast: broadcast, Recall: recall,
    Lock: lock, KnockDismiss: knock_dismiss, **core_actions.HANDLERS,
}
