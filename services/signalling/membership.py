"""Membership changes and their consequences, derived from a before/after pair of hearings.

Handlers only say where people are (room, status, connections). `settle()` then applies the
rules every change shares, and `presence()` turns the difference into deliveries:

* epochs: a room's epoch is bumped when its set of live members changed;
* arrivals: whoever became live in a room (moved in, admitted, reconnected) gets the next
  arrival number, so it is the later arrival, hence the offerer, towards everyone already there;
* whoever changed room is stamped `entered_at = now` (the room's chat history starts there),
  and the stay it ended is kept as a `Visit` (the last `MAX_VISITS`), so coming back to a room
  shows what was said there in its presence; visits to rooms that no longer exist are dropped;
* whoever left the lobby is no longer marked as sent back there by the reconnection grace;
* knocks are answered: cleared when the knocker changed room or left the hearing, or when the
  mediator came into the knocker's room; reported peer links to people no longer in the same
  room, or offline, are forgotten, and so are all the links of someone offline (a client that
  is gone hears nobody: a mediator whose socket closed was still listed as hearing the parties);
* peer plans: each reachable participant whose peers, room, liveness or room epoch changed gets
  `drop` (peers before minus after), `connect` (after minus before, offerer = later arrival) and `keep`;
* ordering (DESIGN §5): plans for people now in a caucus go first, those with drops first among
  them, so the clients whose words are confidential close their connections before anyone else
  is told anything; then the others; then presence (`room`), then the mediator's board and knocks.
* presence: a room view goes only to that room's live members; the lobby has no room view; the
  board and the knock queue go only to the mediator.
* caucus timers: a timer counts the time of the people in a caucus, so when the last of them
  (anyone but the mediator) leaves it (moved out, called back, sent to the lobby, removed), its
  timer ends (`end_emptied_timers`): an empty room never runs out of time.
"""

from __future__ import annotations

import msgspec

from proto.ws import (
    BoardUpdate,
    KnocksUpdate,
    PeerLink,
    PeerPlan,
    RoomKind,
    RoomUpdate,
    YouUpdate,
)

from .derived import derived
from .effects import Audit, Deliver, Effect
from .model import (
    LOBBY,
    MAX_VISITS,
    Hearing,
    Participant,
    ParticipantStatus,
    Visit,
    is_live,
    members,
    peer_map,
)


def _live_room(h: Hearing, pid: str) -> str | None:
    p = h.participants.get(pid)
    return p.room if p is not None and is_live(h, p) else None


def fresh_clients(before: Hearing, after: Hearing) -> frozenset[str]:
    """Live participants that opened a new connection: a new client, which holds no peers.

    One client per participant: a new socket (a reload, or a reconnect the server noticed
    before the old socket's close) is a fresh client, so everyone renegotiates with it. The
    mediator's media is one console's once claimed (connections.py): then a console claiming
    it from another is the fresh client, and a new socket is not.
    """
    out = set()
    for pid, p in after.participants.items():
        pb = before.participants.get(pid)
        if is_live(after, p) and pb is not None and _new_client(pb, p):
            out.add(pid)
    return frozenset(out)


def _new_client(pb: Participant, p: Participant) -> bool:
    if p.media != pb.media:  # claimed: from another console (a first claim follows its connect)
        return pb.media is not None and p.media is not None
    return p.media is None and bool(set(p.conns) - set(pb.conns))


def _visits(p: Participant, pb: Participant | None, after: Hearing, now: int) -> Participant:
    """`p` with the stay it just ended in a room (not the lobby) kept, and its visits to rooms
    that are gone (a closed caucus) dropped."""
    visits = p.visits
    if pb is not None and pb.room not in (None, LOBBY, p.room):
        assert pb.room is not None
        visits = (*visits, Visit(room=pb.room, entered=pb.entered_at, left=now))[-MAX_VISITS:]
    visits = tuple(v for v in visits if v.room in after.rooms)
    return p if visits == p.visits else msgspec.structs.replace(p, visits=visits)


def settle(before: Hearing, after: Hearing, now: int = 0) -> Hearing:
    """Apply the shared rules (arrivals, entries, epochs, knocks, links) to a handler's result."""
    counter = after.counter
    parts = dict(after.participants)
    fresh = fresh_clients(before, after)
    for pid, p in after.participants.items():
        pb = before.participants.get(pid)
        if p.room is not None and (pb is None or pb.room != p.room):
            p = msgspec.structs.replace(p, entered_at=now)
        p = _visits(p, pb, after, now)
        if p.grace_expired and p.room != LOBBY:  # admitted again: no longer "coming back"
            p = msgspec.structs.replace(p, grace_expired=False)
        room_now = _live_room(after, pid)
        if room_now is not None and (room_now != _live_room(before, pid) or pid in fresh):
            counter += 1
            p = msgspec.structs.replace(p, arrived=counter)
        if p.links:
            live = is_live(after, p)
            kept = {peer: s for peer, s in p.links.items()
                    if live and peer in parts and parts[peer].room == p.room and p.room != LOBBY
                    and is_live(after, parts[peer])}
            if kept != p.links:
                p = msgspec.structs.replace(p, links=kept)
        parts[pid] = p
    rooms = dict(after.rooms)
    for rid, r in after.rooms.items():
        live_before = {p.id for p in members(before, rid, live_only=True)} \
            if rid in before.rooms else set()
        live_after = {p.id for p in members(after, rid, live_only=True)}
        if live_before != live_after or live_after & fresh:
            rooms[rid] = msgspec.structs.replace(r, epoch=r.epoch + 1)
    med_before = before.participants.get(before.mediator)
    med_after = parts.get(after.mediator)
    came = med_after.room if med_after is not None and (
        med_before is None or med_before.room != med_after.room) else None
    kept_knocks = tuple(
        k for k in after.knocks
        if k.participant in parts and parts[k.participant].status is ParticipantStatus.ACTIVE
        and k.participant in before.participants
        and parts[k.participant].room == before.participants[k.participant].room
        and (came is None or parts[k.participant].room != came)
    )
    return msgspec.structs.replace(after, participants=parts, rooms=rooms, counter=counter,
                                   knocks=kept_knocks)


def _people(h: Hearing, room: str) -> bool:
    """Whether anyone but the mediator is in `room` (online or not: still theirs)."""
    return any(p.id != h.mediator for p in members(h, room))


def end_emptied_timers(before: Hearing, after: Hearing) -> tuple[Hearing, list[Effect]]:
    """`after` with the timers of the caucuses that this change emptied ended, and an audit
    of each ("cleared", by whoever emptied it). A timer set on a caucus nobody has entered yet
    keeps running: the mediator sets it before moving the side in."""
    rooms = dict(after.rooms)
    out: list[Effect] = []
    for rid, r in after.rooms.items():
        if (r.kind is RoomKind.CAUCUS and r.deadline is not None and rid in before.rooms
                and _people(before, rid) and not _people(after, rid)):
            rooms[rid] = msgspec.structs.replace(r, deadline=None)
            out.append(Audit("room.timer", "room", rid, details={"seconds": 0, "emptied": True}))
    return (msgspec.structs.replace(after, rooms=rooms), out) if out else (after, out)


def _plan(before: Hearing, after: Hearing, pid: str, fresh: frozenset[str],
          maps: tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]) -> PeerPlan | None:
    pa = after.participants[pid]
    pb = before.participants.get(pid)
    pre, post = maps[0].get(pid, frozenset()), maps[1].get(pid, frozenset())
    if pid in fresh:
        pre = frozenset()  # a new client holds no connections
    renew = (pre & post & fresh)  # peers with a new client: drop the old, connect the new
    room_a = pa.room if is_live(after, pa) else None
    room_b = pb.room if pb is not None and is_live(before, pb) else None
    r_a = after.rooms.get(room_a) if room_a is not None else None
    epoch_a = r_a.epoch if r_a is not None and r_a.kind is not RoomKind.LOBBY else 0
    r_b = before.rooms.get(room_a) if room_a is not None else None
    epoch_b = r_b.epoch if r_b is not None and r_b.kind is not RoomKind.LOBBY else 0
    if pre == post and room_a == room_b and epoch_a == epoch_b and pid not in fresh:
        return None
    me = pa.arrived

    def link(q: str) -> PeerLink:
        return PeerLink(peer=q, offerer=me > after.participants[q].arrived)

    return PeerPlan(room=room_a, epoch=epoch_a, drop=sorted((pre - post) | renew),
                    connect=[link(q) for q in sorted((post - pre) | renew)],
                    keep=[link(q) for q in sorted((pre & post) - renew)])


def presence(before: Hearing, after: Hearing) -> list[Effect]:
    """Every delivery that follows from the change `before` → `after` (already settled).

    The views of both records come from derived.py: each computed once, and `before`'s are
    usually the ones the previous command computed as its `after`."""
    reachable = [pid for pid, p in after.participants.items() if p.conns]
    fresh = fresh_clients(before, after)
    was, now = derived(before), derived(after)
    maps = (peer_map(before), peer_map(after))  # `peers()` of everyone, before and after
    groups: list[tuple[tuple[int, int], list[Effect]]] = []
    tail: list[Effect] = []
    for pid in reachable:
        pb = before.participants.get(pid)
        you: list[Effect] = []
        if pb is None or was.self_view(pid) != now.self_view(pid):
            you.append(Deliver(pid, YouUpdate(you=now.self_view(pid))))
        plan = _plan(before, after, pid, fresh, maps)
        if plan is None:
            tail.extend(you)
            continue
        room = after.rooms.get(plan.room) if plan.room is not None else None
        in_caucus = room is not None and room.kind is RoomKind.CAUCUS
        groups.append(((0 if in_caucus else 1, 0 if plan.drop else 1),
                       [*you, Deliver(pid, plan)]))
    out: list[Effect] = []
    for _key, effects in sorted(groups, key=lambda g: g[0]):  # stable: roster order within
        out.extend(effects)
    out.extend(tail)
    for rid in after.rooms:
        if rid == LOBBY:
            continue
        view_a = now.room_view(rid)
        if rid in before.rooms and was.room_view(rid) == view_a:
            continue
        update = RoomUpdate(room=view_a)  # one message object: the shell encodes it once
        out.extend(Deliver(m.id, update) for m in members(after, rid, live_only=True))
    med = after.participants.get(after.mediator)
    if med is not None and med.conns and is_live(after, med):
        board_a = now.board()
        if was.board() != board_a:
            out.append(Deliver(med.id, BoardUpdate(board=board_a)))
        knocks_a = now.knocks()
        if was.knocks() != knocks_a:
            out.append(Deliver(med.id, KnocksUpdate(knocks=knocks_a)))
    return out
