"""What one participant may see: the only place hearing state is turned into client views.

Rules (DESIGN §5, isolation): a participant sees its own state, and, when it is in plenary or a
caucus, that room and the people in it. A lobby participant sees nothing but its own state. The
mediator additionally sees the whole rooms board (every room, the lobby too) and the knock queue,
wherever it is. Nothing here reveals another room's epoch, chat or members to a non-mediator.
"""

from __future__ import annotations

from collections.abc import Callable

from proto.common import Role
from proto.signalling import (
    HearingDetail,
    HearingSchedule,
    HearingSummary,
    RosterEntry,
    SideView,
    TookOver,
)
from proto.ws import (
    Board,
    FormerMediator,
    KnockView,
    MemberView,
    PeerConnState,
    RoomView,
    SelfView,
    SideInfo,
    View,
)

from . import retention
from .effects import Policy
from .model import (
    LOBBY,
    Hearing,
    Invitation,
    Participant,
    ParticipantStatus,
    is_live,
    members,
    shown_name,
)

_NO_RETENTION = Policy()


def member_view(h: Hearing, p: Participant) -> MemberView:
    links = sorted(peer for peer, state in p.links.items()
                   if state is PeerConnState.CONNECTED and peer in h.participants
                   and h.participants[peer].room == p.room)
    return MemberView(id=p.id, name=shown_name(p), role=p.role, side=p.side, muted=p.muted,
                      camera_off=p.camera_off, hand=p.hand, connected=is_live(h, p), links=links,
                      grace_expired=p.grace_expired)


def room_view(h: Hearing, room_id: str) -> RoomView:
    r = h.rooms[room_id]
    side = h.sides.get(r.side) if r.side is not None else None
    return RoomView(id=r.id, kind=r.kind, name=r.name, epoch=r.epoch, side=r.side,
                    deadline=r.deadline, colour=side.colour if side is not None else None,
                    side_name=side.name if side is not None and not r.name else None,
                    members=[member_view(h, p) for p in members(h, room_id)])


def self_view(h: Hearing, p: Participant) -> SelfView:
    room = h.rooms.get(p.room) if p.room is not None else None
    return SelfView(
        id=p.id, name=shown_name(p), role=p.role, hearing=h.id, title=h.title,
        hearing_state=h.state,
        locked=h.locked, room=p.room, room_kind=room.kind if room else None,
        side=p.side, muted=p.muted, camera_off=p.camera_off, hand=p.hand,
        knocking=any(k.participant == p.id for k in h.knocks),
        mediator_name=shown_name(h.participants[h.mediator]) if h.mediator in h.participants
        else "",
        mediator=h.mediator if h.mediator in h.participants else None,
        mediator_online=h.mediator in h.participants
        and is_live(h, h.participants[h.mediator]),
        scheduled_at=h.scheduled_at, time_zone=h.time_zone, grace_expired=p.grace_expired,
        former_mediators=former_mediators(h), sides=len(h.sides),
    )


def visible_room(h: Hearing, p: Participant) -> RoomView | None:
    """The room view `p` may see, or None (lobby, no room, or the participant is not active)."""
    if p.room is None or p.room == LOBBY or p.room not in h.rooms or not is_live(h, p):
        return None
    return room_view(h, p.room)


def board(h: Hearing, room: Callable[[str], RoomView] | None = None) -> Board:
    """Every room (the lobby too) and the sides; `room` gives a room's view (default:
    `room_view`, computed here)."""
    view = room if room is not None else (lambda rid: room_view(h, rid))
    return Board(rooms=[view(rid) for rid in h.rooms],
                 sides=[SideInfo(id=s.id, name=s.name, colour=s.colour) for s in h.sides.values()])


def knocks(h: Hearing) -> list[KnockView]:
    return [KnockView(participant=k.participant, name=h.participants[k.participant].name,
                      room=h.participants[k.participant].room, at=k.at)
            for k in h.knocks if k.participant in h.participants]


def is_mediator(h: Hearing, p: Participant) -> bool:
    return p.role is Role.MEDIATOR and p.id == h.mediator


def snapshot(h: Hearing, pid: str) -> View:
    """The full view for participant `pid` (sent on every (re)connect)."""
    p = h.participants[pid]
    if is_mediator(h, p):
        return View(you=self_view(h, p), room=visible_room(h, p), board=board(h),
                    knocks=knocks(h))
    return View(you=self_view(h, p), room=visible_room(h, p))


def invitation_state(inv: Invitation, now: int) -> str:
    if inv.used_at is not None:
        return "redeemed"
    if inv.revoked:
        return "revoked"
    return "expired" if now >= inv.expires_at else "pending"


def summary(h: Hearing) -> HearingSummary:
    people = sum(p.role is not Role.MEDIATOR and p.status is not ParticipantStatus.REMOVED
                 for p in h.participants.values())
    return HearingSummary(id=h.id, title=h.title, state=h.state, mediator=h.mediator,
                          created_at=h.created_at, scheduled_at=h.scheduled_at,
                          time_zone=h.time_zone, sides=len(h.sides), people=people,
                          took_over=took_over(h))


def schedule(h: Hearing) -> HearingSchedule:
    """What the calendar file holds (`may_read_schedule`): no roster, sides or rooms."""
    return HearingSchedule(id=h.id, title=h.title, state=h.state, scheduled_at=h.scheduled_at,
                           time_zone=h.time_zone, details_changes=h.details_changes)


def detail(h: Hearing, now: int, policy: Policy = _NO_RETENTION) -> HearingDetail:
    """The REST detail (mediator of this hearing, or admin): roster with each invitation's
    state (the latest one per participant) and when the person first joined, sides and rooms."""
    latest: dict[str, Invitation] = {}
    joined: dict[str, int] = {}
    for inv in h.invitations.values():
        latest[inv.participant] = inv  # issued in order: the last one wins
        if inv.used_at is not None:
            joined[inv.participant] = min(inv.used_at, joined.get(inv.participant, inv.used_at))
    roster = []
    for p in h.participants.values():
        last = latest.get(p.id)
        state = invitation_state(last, now) if last is not None else None
        roster.append(RosterEntry(
            id=p.id, name=shown_name(p), role=p.role, status=p.status.value, side=p.side, room=p.room,
            invitation_expires_at=last.expires_at if last and state == "pending" else None,
            invitation=state, redeemed_at=last.used_at if last is not None else None,
            joined_at=joined.get(p.id)))
    return HearingDetail(
        id=h.id, title=h.title, state=h.state, locked=h.locked, mediator=h.mediator,
        created_at=h.created_at,
        sides=[SideView(id=s.id, name=s.name, colour=s.colour) for s in h.sides.values()],
        roster=roster, rooms=board(h).rooms, scheduled_at=h.scheduled_at, time_zone=h.time_zone,
        details_changes=h.details_changes,
        former_mediators=former_mediators(h), took_over=took_over(h),
        opened_at=h.opened_at, ended_at=h.ended_at, documents_destroyed=h.documents_destroyed,
        documents_destroyed_at=h.documents_destroyed_at,
        documents_kept_until=retention.kept_until(h, policy),
        document_retention_days=retention.days(policy),
    )


def took_over(h: Hearing) -> TookOver | None:
    """How the mediator it has now came to hold it: the latest hand-over, from whom (by the
    name it had then) and when; None when no administrator handed it to them."""
    last = h.handovers[-1] if h.handovers else None
    if last is None or last.to != h.mediator:
        return None
    return TookOver(from_name=last.former_name, at=last.at)


def former_mediators(h: Hearing) -> list[FormerMediator]:
    """Each account that held the hearing before a hand-over, once, by its latest name there;
    never the mediator it has now (handed back to it, it is that again). Its id and name only:
    every participant's own view carries them (their documents are credited by name), so
    nothing else of a hand-over (to whom, when) goes with them."""
    named: dict[str, str] = {}
    for x in reversed(h.handovers):
        if x.former != h.mediator:
            named.setdefault(x.former, x.former_name)
    return [FormerMediator(id=pid, name=name) for pid, name in named.items()]
