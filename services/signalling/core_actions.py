"""In-room actions of every participant: knock, hand, microphone and camera, chat, peer reports,
leaving.

Pure handlers, like core_controls.py (the mediator's controls). Decisions worth knowing:

* A hand is raised in a room, never in the lobby (nobody there to see it).
* Mute carries the microphone and the camera state, each optional (None: as it is).
* Chat is relayed to the live members of the sender's room and kept, briefly and bounded, as
  that room's history (chatlog.py says why and for how long); the line is stored before it is
  delivered, so a line refused for flooding reaches nobody and the sender is told.
* Knocking is for people in a room or the lobby; a knock stays until the mediator dismisses it,
  comes into the knocker's room, or moves the knocker (membership.settle). The mediator never
  knocks.
* Every peer-state report is audited ("who could hear whom, when"); only reports about a peer
  in the same room are kept as links (the room's "who can hear you").
* Leaving on purpose puts the participant in the lobby at once (a cut connection waits out the
  reconnection grace first: the room sees someone who left go at once), withdraws its hand and
  knock, and closes its sockets while keeping its session: coming back means waiting in the
  lobby to be admitted again, as after the grace. The mediator does not leave; it ends the
  hearing or closes its console.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from proto.common import Role
from proto.ws import (
    ROOM_CHANGED,
    ChatLine,
    ChatMessage,
    Hand,
    Knock,
    Leave,
    Mute,
    PeerConnState,
    PeerStateReport,
)
from proto.ws import ChatSend as Chat

from . import chatlog
from .access import Ctx, actor, not_closed
from .connections import media_holder
from .effects import Audit, CloseSessions, Deliver, Effect, StoreChat
from .errors import Conflict, Forbidden, Invalid
from .model import (
    LOBBY,
    Hearing,
    KnockEntry,
    get_participant,
    is_live,
    members,
    put_participant,
    shown_name,
)

Result = tuple[Hearing, list[Effect]]


def knock(ctx: Ctx, cmd: Knock) -> Result:
    me = actor(ctx.h, ctx.principal)
    not_closed(ctx.h)
    if me.role is Role.MEDIATOR:
        raise Invalid("the mediator does not knock")
    present = any(k.participant == me.id for k in ctx.h.knocks)
    if cmd.on == present:
        return ctx.h, []
    if cmd.on:
        if len(ctx.h.knocks) >= ctx.env.policy.max_knocks:
            raise Conflict("knock queue full")
        knocks = (*ctx.h.knocks, KnockEntry(participant=me.id, at=ctx.now))
    else:
        knocks = tuple(k for k in ctx.h.knocks if k.participant != me.id)
    return msgspec.structs.replace(ctx.h, knocks=knocks), [
        Audit("room.knock", "participant", me.id, details={"on": cmd.on, "room": me.room})]


def hand(ctx: Ctx, cmd: Hand) -> Result:
    me = actor(ctx.h, ctx.principal)
    if cmd.raised and me.room in (None, LOBBY):
        raise Conflict("hands are raised in a room, not in the lobby")
    return put_participant(ctx.h, msgspec.structs.replace(me, hand=cmd.raised)), []


def leave(ctx: Ctx, cmd: Leave) -> Result:
    me = actor(ctx.h, ctx.principal)
    not_closed(ctx.h)
    if me.role is Role.MEDIATOR:
        raise Invalid("the mediator does not leave: end the hearing instead")
    room = LOBBY if me.room is not None else None  # None: never arrived, so nowhere to leave
    h = put_participant(ctx.h, msgspec.structs.replace(me, room=room, hand=False,
                                                       grace_expired=False))
    h = msgspec.structs.replace(h, knocks=tuple(k for k in h.knocks if k.participant != me.id))
    return h, [Audit("participant.leave", "participant", me.id,
                     details={"from": me.room, "to": room}),
               CloseSessions(me.id, "left", keep_sessions=True)]


def mute(ctx: Ctx, cmd: Mute) -> Result:
    me = actor(ctx.h, ctx.principal)
    muted = me.muted if cmd.muted is None else cmd.muted
    camera_off = me.camera_off if cmd.camera_off is None else cmd.camera_off
    return put_participant(ctx.h, msgspec.structs.replace(me, muted=muted,
                                                          camera_off=camera_off)), []


def chat(ctx: Ctx, cmd: Chat) -> Result:
    me = actor(ctx.h, ctx.principal)
    if not is_live(ctx.h, me) or me.room in (None, LOBBY):
        raise Forbidden("chat is for people in a room")
    assert me.room is not None
    if cmd.room is not None and cmd.room != me.room:
        raise Conflict("you are no longer in the room this line was written in",
                       reason=ROOM_CHANGED)
    chatlog.check_length(cmd.text)
    name = shown_name(me)
    line = ChatLine(sender=me.id, name=name, text=cmd.text, at=ctx.now)
    msg = ChatMessage(room=me.room, sender=me.id, name=name, text=cmd.text, at=ctx.now)
    return ctx.h, [StoreChat(me.room, line),
                   *(Deliver(p.id, msg) for p in members(ctx.h, me.room, live_only=True))]


def peer_state(ctx: Ctx, cmd: PeerStateReport) -> Result:
    """Record a client's report; every report is audited ("who could hear whom, when"). The
    mediator's count from the console holding its media only (connections.py): another
    console's mesh, stopped when the media moved, reports nothing about who hears it now."""
    me = actor(ctx.h, ctx.principal)
    if ctx.conn is not None and media_holder(me) not in (None, ctx.conn):
        return ctx.h, []
    peer = get_participant(ctx.h, cmd.peer)
    same = me.room is not None and me.room != LOBBY and peer.room == me.room \
        and peer.id != me.id
    room = ctx.h.rooms.get(me.room) if me.room is not None else None
    audit = Audit("room.peer_state", "participant", me.id, details={
        "peer": peer.id, "state": cmd.state.value, "room": me.room,
        "epoch": room.epoch if room else 0, "same_room": same})
    if not same:
        return ctx.h, [audit]
    links = dict(me.links)
    if cmd.state in (PeerConnState.CLOSED, PeerConnState.FAILED):
        links.pop(peer.id, None)
    else:
        links[peer.id] = cmd.state
    return put_participant(ctx.h, msgspec.structs.replace(me, links=links)), [audit]


HANDLERS: dict[type, Callable[[Ctx, Any], Result]] = {
    Knock: knock, Hand: hand, Leave: leave, Mute: mute, Chat: chat, PeerStateReport: peer_state,
}
