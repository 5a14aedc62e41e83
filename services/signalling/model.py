"""The hearing record: one `msgspec` struct, stored whole as JSON in KV `parley_hearings`.

Longer than 300 lines: the record's structs and the lifecycle rules that change them stay in
this one file, so the whole stored shape is read in one place.

Lifecycles (the rules, as data; `transition()` is the only way a state changes):

    hearing:      scheduled ──open──▶ open ──close──▶ closed      (closed is final)
                  scheduled ──close─▶ closed
    participant:  invited ──redeem──▶ active ──deny──▶ denied
                  invited|active|denied ──remove──▶ removed        (removed is final)

Rooms: `lobby` and `plenary` always exist; caucuses come and go. Where a participant is lives on
the participant (`room`), never in two places. `room` is None until the invitation is redeemed and
after denial or removal. Each room has an `epoch`, bumped whenever the set of *live* members
(active, with at least one open connection) changes; signalling stamped with an older epoch is
refused (relay.py). `arrived` orders arrivals (a hearing-wide counter, never a clock) so the later
arrival of a pair is well defined and unique: it is the offerer.

The record is immutable; every change is `msgspec.structs.replace` (dicts are copied, never
mutated in place), so a command's "before" and "after" can be compared to derive its effects.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

from proto.codec import JsonDecoder
from proto.common import Id, Language, Role, ShortText, TimestampMs, TimeZone
from proto.ws import Colour, HearingState, PeerConnState, RoomKind

from .errors import Conflict, NotFound

SCHEMA_VERSION = 1
LOBBY = "lobby"
PLENARY = "plenary"


class ParticipantStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DENIED = "denied"
    REMOVED = "removed"


HEARING_TRANSITIONS: dict[HearingState, frozenset[HearingState]] = {
    HearingState.SCHEDULED: frozenset({HearingState.OPEN, HearingState.CLOSED}),
    HearingState.OPEN: frozenset({HearingState.CLOSED}),
    HearingState.CLOSED: frozenset(),
}

PARTICIPANT_TRANSITIONS: dict[ParticipantStatus, frozenset[ParticipantStatus]] = {
    ParticipantStatus.INVITED: frozenset({ParticipantStatus.ACTIVE, ParticipantStatus.REMOVED}),
    ParticipantStatus.ACTIVE: frozenset({ParticipantStatus.DENIED, ParticipantStatus.REMOVED}),
    ParticipantStatus.DENIED: frozenset({ParticipantStatus.REMOVED}),
    ParticipantStatus.REMOVED: frozenset(),
}

Hex64 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
Counter = Annotated[int, msgspec.Meta(ge=0, le=2**53)]


class Side(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: ShortText
    colour: Colour = "a"


class Invitation(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Single use, expiring, revocable. Only SHA-256 hashes of the secrets are kept."""

    id: Id
    participant: Id
    token_hash: Hex64
    code_hash: Hex64
    expires_at: TimestampMs
    used_at: TimestampMs | None = None
    revoked: bool = False
    #: Revoked because a newer link was sent to the same person (a reissue), not withdrawn.
    replaced: bool = False
    failures: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 0
    blocked_until: TimestampMs | None = None
    #: The language the mediator wrote the invitation in (its link names it).
    language: Language | None = None
    #: Issued with the default lifetime (the mediator chose none): it lasts until a day after
    #: the hearing's start, and follows the start when the hearing is moved (hearing_details.py).
    default_lifetime: bool = False


#: Invitations a hearing keeps (revoked and used ones too: they are its record).
MAX_INVITATIONS = 256

#: Earlier stays in rooms a participant keeps (`Participant.visits`), the oldest dropped first.
MAX_VISITS = 8


class Visit(msgspec.Struct, frozen=True, forbid_unknown_fields=True, array_like=True):
    """An earlier stay in a room that still exists, from `entered` to `left` (Unix ms): the
    room's chat said strictly between the two was said in this participant's presence. Stored
    as `[room, entered, left]`: every move rewrites the hearing record, visits and all."""

    room: Id
    entered: TimestampMs
    left: TimestampMs


class Participant(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: ShortText
    role: Role
    status: ParticipantStatus
    side: Id | None = None
    room: Id | None = None
    arrived: Counter = 0
    admitted_once: bool = False
    muted: bool = False
    camera_off: bool = False
    hand: bool = False
    #: When it entered its current room (Unix ms): it is shown the room's chat said after that.
    entered_at: TimestampMs = 0
    #: Earlier stays in rooms that still exist (membership.py keeps them), so coming back to a
    #: room shows what was said there while this participant was present, and nothing else.
    visits: Annotated[tuple[Visit, ...], msgspec.Meta(max_length=MAX_VISITS)] = ()
    #: Open WebSocket connections (ids the gateway chose); empty means offline. One at most,
    #: except the mediator's (connections.py: the newest page takes over).
    conns: Annotated[tuple[Id, ...], msgspec.Meta(max_length=8)] = ()
    #: The mediator's connection whose console holds its camera and microphone (it claimed
    #: them: connections.py); kept when that socket closes while others stay open, cleared with
    #: the last one. None: no console claimed them (every socket gets the mediator's signals).
    media: Id | None = None
    disconnected_at: TimestampMs | None = None
    #: Sent back to the lobby because it stayed offline for longer than the reconnection grace
    #: (core.sweep); cleared once it leaves the lobby (membership.settle) or leaves on purpose.
    grace_expired: bool = False
    #: Peer connection states this participant's client reported, for peers in its room.
    links: Annotated[dict[Id, PeerConnState], msgspec.Meta(max_length=64)] = {}


class Room(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    kind: RoomKind
    #: "" for a side's caucus named by default: no text in anyone's language is stored, and
    #: every screen names it after the side in its reader's language (proto.ws `RoomView`).
    name: ShortText
    epoch: Counter = 0
    side: Id | None = None  # a caucus bound to one side admits only it (+ mediator, observers)
    deadline: TimestampMs | None = None


class KnockEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    participant: Id
    at: TimestampMs


MAX_HANDOVERS = 16  # kept in `Hearing.handovers`, the oldest dropped first


class Handover(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A hand-over from one mediator account to another at `at` (handover.py)."""

    former: Id
    former_name: ShortText
    to: Id
    to_name: ShortText
    at: TimestampMs


class Hearing(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    title: ShortText
    mediator: Id  # the mediator's account id; also its participant id in this hearing
    created_at: TimestampMs
    state: HearingState = HearingState.SCHEDULED
    locked: bool = False
    #: Closed with `destroy_documents`: a repeated identical close is then answered again (so
    #: the gateway can finish a shredding that failed), any other close is refused.
    documents_destroyed: bool = False
    #: When they were destroyed: at the end, or once the retention period passed (retention.py);
    #: None before this was recorded.
    documents_destroyed_at: TimestampMs | None = None
    sides: Annotated[dict[Id, Side], msgspec.Meta(max_length=16)] = {}
    participants: Annotated[dict[Id, Participant], msgspec.Meta(max_length=64)] = {}
    invitations: Annotated[dict[Id, Invitation], msgspec.Meta(max_length=MAX_INVITATIONS)] = {}
    rooms: Annotated[dict[Id, Room], msgspec.Meta(max_length=20)] = {}
    knocks: Annotated[tuple[KnockEntry, ...], msgspec.Meta(max_length=64)] = ()
    counter: Counter = 0
    scheduled_at: TimestampMs | None = None
    time_zone: TimeZone | None = None
    #: How many times its title, start or zone were changed (hearing_details.py): its calendar
    #: entry's SEQUENCE, so a calendar that holds the hearing takes a new file as an update.
    details_changes: Counter = 0
    #: Its hand-overs to another mediator, oldest first (handover.py).
    handovers: Annotated[tuple[Handover, ...], msgspec.Meta(max_length=MAX_HANDOVERS)] = ()
    #: When it was opened and when it ended (None: not yet, or before these were kept).
    opened_at: TimestampMs | None = None
    ended_at: TimestampMs | None = None
    schema: Annotated[int, msgspec.Meta(ge=1, le=SCHEMA_VERSION)] = SCHEMA_VERSION


#: What every hearing created before staff accounts had display names holds as its mediator's
#: name: a role written in English, not a name.
LEGACY_MEDIATOR_NAME = "Mediator"


def shown_name(p: Participant) -> str:
    """The name other people are shown for `p`: "" for a mediator without one.

    Screens name a mediator without a name by role, in the reader's language; the legacy
    placeholder shown as is would be the one English word on a Chinese screen, so it counts as
    no name. Everyone else carries the name the mediator gave them when inviting them.
    """
    if p.role is Role.MEDIATOR and p.name == LEGACY_MEDIATOR_NAME:
        return ""
    return p.name


def new_hearing(hearing_id: str, title: str, mediator: str, mediator_name: str,
                now: int) -> Hearing:
    """A scheduled hearing with its lobby, its plenary and the mediator seated in plenary.

    `mediator_name` is the mediator's display name ("" when the account has none).
    """
    me = Participant(id=mediator, name=mediator_name, role=Role.MEDIATOR,
                     status=ParticipantStatus.ACTIVE, room=PLENARY, admitted_once=True)
    rooms = {
        LOBBY: Room(id=LOBBY, kind=RoomKind.LOBBY, name="Lobby"),
        PLENARY: Room(id=PLENARY, kind=RoomKind.PLENARY, name="Plenary"),
    }
    return Hearing(id=hearing_id, title=title, mediator=mediator, created_at=now,
                   participants={mediator: me}, rooms=rooms)


def transition(h: Hearing, to: HearingState) -> Hearing:
    if to not in HEARING_TRANSITIONS[h.state]:
        raise Conflict(f"hearing cannot go from {h.state} to {to}")
    return msgspec.structs.replace(h, state=to)


def set_status(p: Participant, to: ParticipantStatus) -> Participant:
    if to not in PARTICIPANT_TRANSITIONS[p.status]:
        raise Conflict(f"participant cannot go from {p.status} to {to}")
    return msgspec.structs.replace(p, status=to)


def is_live(h: Hearing, p: Participant) -> bool:
    """Live: may hold peer connections now (active, online, hearing not closed)."""
    return h.state is not HearingState.CLOSED and p.status is ParticipantStatus.ACTIVE \
        and bool(p.conns)


def room_of(h: Hearing, p: Participant) -> Room | None:
    return h.rooms.get(p.room) if p.room is not None else None


def get_participant(h: Hearing, pid: str) -> Participant:
    p = h.participants.get(pid)
    if p is None:
        raise NotFound("no such participant")
    return p


def get_room(h: Hearing, rid: str) -> Room:
    r = h.rooms.get(rid)
    if r is None:
        raise NotFound("no such room")
    return r


def put_participant(h: Hearing, p: Participant) -> Hearing:
    return msgspec.structs.replace(h, participants={**h.participants, p.id: p})


def put_room(h: Hearing, r: Room) -> Hearing:
    return msgspec.structs.replace(h, rooms={**h.rooms, r.id: r})


def members(h: Hearing, room: str, *, live_only: bool = False) -> list[Participant]:
    """Active participants whose room is `room`, in roster order."""
    return [p for p in h.participants.values()
            if p.room == room and p.status is ParticipantStatus.ACTIVE
            and (not live_only or is_live(h, p))]


def peers(h: Hearing, pid: str) -> frozenset[str]:
    """Whom `pid` should hold a peer connection with: live co-members of a non-lobby room."""
    p = h.participants.get(pid)
    if p is None or not is_live(h, p) or p.room in (None, LOBBY):
        return frozenset()
    return frozenset(q.id for q in members(h, p.room, live_only=True) if q.id != pid)


def peer_map(h: Hearing) -> dict[str, frozenset[str]]:
    """`peers(h, pid)` for every participant at once (one pass, not one scan per participant);
    participants without peers are absent."""
    rooms: dict[str, set[str]] = {}
    for p in h.participants.values():
        if p.room is not None and p.room != LOBBY and is_live(h, p):
            rooms.setdefault(p.room, set()).add(p.id)
    return {pid: frozenset(ids - {pid}) for ids in rooms.values() for pid in ids}


_encoder = msgspec.json.Encoder()
_decoder: JsonDecoder[Hearing] = JsonDecoder(Hearing)


def encode_hearing(h: Hearing) -> bytes:
    return _encoder.encode(h)


def decode_hearing(raw: bytes) -> Hearing:
    """Decode a stored hearing; a newer `schema` than this code knows fails validation."""
    return _decoder.decode(raw)
