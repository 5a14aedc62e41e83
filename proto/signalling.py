"""Signalling request/reply contracts (REST bodies and `parley.v1.signalling.*` NATS payloads).

Longer than 300 lines on purpose: a list of declarations (one struct per message) for one
protocol; splitting it would only scatter the contract.

The hearing id of a route (`/api/v1/hearings/{h}/…`) travels beside the body (in the NATS request
envelope), not inside these structs. Secrets (`token`, `access_code`) appear only in
`InvitationIssued` (shown once) and `RedeemInvitation`; they are never logged nor stored in clear.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

import msgspec

from proto.common import DisplayName, Id, Language, Role, ShortText, TimestampMs, TimeZone
from proto.text import clean_fields
from proto.ws import (
    MAX_FORMER_MEDIATORS,
    ChatHistory,
    ClientMessage,
    Colour,
    FormerMediator,
    HearingState,
    Name,
    RoomView,
    Snapshot,
)

SERVICE = "signalling"
SUBJECT_PREFIX = "parley.v1.signalling"
HEARINGS_BUCKET = "parley_hearings"

#: `<hearing>.<invitation>.<secret>`: ids are `[A-Za-z0-9_-]`, so '.' separates unambiguously.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{16,128}$"  # noqa: S105
Token = Annotated[str, msgspec.Meta(pattern=TOKEN_PATTERN, max_length=260)]
AccessCode = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


def subject(verb: str) -> str:
    return f"{SUBJECT_PREFIX}.{verb}"


#: Core publish, no reply: a gateway's heartbeat (`GatewayAlive`) heard by EVERY signalling
#: process, so each sweeper judges a gateway by what it heard itself over core NATS. The request
#: `alive` reaches one process of the queue group; the others learnt of it only through its
#: write to KV, which fails for seconds while a JetStream cluster elects a bucket leader. Only
#: the gateway may publish on `parley.v1.signalling.>` (infra/nats), so a beat is trusted.
BEAT_SUBJECT = subject("beat")


class _Req(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class CreateHearing(_Req, frozen=True):
    title: Name
    #: The mediator account; defaults to the caller when the caller is a mediator.
    mediator: Id | None = None
    #: When the hearing is planned (Unix ms), and the zone its time is written in.
    scheduled_at: TimestampMs | None = None
    time_zone: TimeZone | None = None

    def __post_init__(self) -> None:
        clean_fields(self, "title")


class CreateHearingCommand(CreateHearing, frozen=True):
    """`create` as the gateway sends it to signalling: the request and the mediator's name.

    The gateway reads `mediator_name` from the mediator's account (its display name; "" when
    it has none, and screens then name the mediator by role), never from the REST request: the
    name a hearing shows for its mediator is the one set on the account.
    """

    mediator_name: DisplayName = ""

    def __post_init__(self) -> None:
        clean_fields(self, "title", "mediator_name")


class RenameMediator(_Req, frozen=True):
    """The gateway tells signalling a mediator's display name changed on their account (by an
    admin, or by the mediator): each of their hearings that has not ended shows the new name
    ("" for none). A closed hearing keeps the name it was held under."""

    mediator: Id
    name: DisplayName = ""

    def __post_init__(self) -> None:
        clean_fields(self, "name")


class MediatorRenamed(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    #: How many hearings now show the new name (those that already did are not counted).
    hearings: Annotated[int, msgspec.Meta(ge=0)] = 0


class HandOverHearing(_Req, frozen=True):
    """An administrator hands a hearing that has not ended to another mediator account (the
    one it had was disabled, or is away): `account` becomes its mediator at once."""

    account: Id


class HandOverCommand(HandOverHearing, frozen=True):
    """`hand_over` as the gateway sends it to signalling: the request and the new mediator's
    name, read from that account (an enabled mediator: the gateway checked it)."""

    mediator_name: DisplayName = ""

    def __post_init__(self) -> None:
        clean_fields(self, "mediator_name")


class ChangeHearing(_Req, frozen=True):
    """`PATCH /api/v1/hearings/{h}`: the hearing's new title, start, time zone, or any of them
    (a merge patch: a field left out stays as it is; `scheduled_at: null` takes the start away,
    and its zone with it, for a hearing whose new date is not fixed yet). The start follows the
    rule of a new hearing's (not in the past); nothing changes once the hearing has ended."""

    title: Name | msgspec.UnsetType = msgspec.UNSET
    scheduled_at: TimestampMs | msgspec.UnsetType | None = msgspec.UNSET
    time_zone: TimeZone | msgspec.UnsetType | None = msgspec.UNSET

    def __post_init__(self) -> None:
        clean_fields(self, "title")


class OpenHearing(_Req, frozen=True):
    pass


class CloseHearing(_Req, frozen=True):
    destroy_documents: bool = False


class AddSide(_Req, frozen=True):
    name: Name
    #: The side's colour (its caucus's identity); by default the first one no side has yet.
    colour: Colour | None = None

    def __post_init__(self) -> None:
        clean_fields(self, "name")


class RenameSide(_Req, frozen=True):
    """`PATCH /api/v1/hearings/{h}/sides/{side}`: a side's new name, colour, or both (the same
    rules as adding one: no two sides of a hearing share a name or a colour). Neither changes
    nothing: the side is answered as it is (a merge patch with nothing in it)."""

    name: Name | None = None
    colour: Colour | None = None

    def __post_init__(self) -> None:
        clean_fields(self, "name")


class RenameSideCommand(RenameSide, frozen=True, kw_only=True):
    """`side_rename` as the gateway sends it to signalling: the route's side beside the body."""

    side: Id


class RemoveSide(_Req, frozen=True):
    """`DELETE /api/v1/hearings/{h}/sides/{side}`: only a side nobody has been invited to."""

    side: Id


class InviteeRole(StrEnum):
    """The roles an invitation can give (the mediator is staff, never invited)."""

    PARTY = "party"
    COUNSEL = "counsel"
    OBSERVER = "observer"


class InviteParticipant(_Req, frozen=True):
    name: Name
    role: InviteeRole
    side: Id | None = None  # required for party and counsel, absent for an observer
    expires_in_s: Annotated[int, msgspec.Meta(ge=60, le=90 * 86400)] | None = None
    #: The language the invitation's letter is written in; its link opens the person's pages in
    #: it (`link_path` names it) until they pick another. None: their browser's language.
    language: Language | None = None

    def __post_init__(self) -> None:
        clean_fields(self, "name")


class RemoveParticipant(_Req, frozen=True):
    participant: Id


class ReissueInvitation(_Req, frozen=True):
    """`POST /api/v1/hearings/{h}/participants/{p}/invitations`: a new link and access code for
    someone already on the roster (invited or joined); their earlier unused links stop working.
    The letter's language is their last invitation's; the lifetime as for a new invitation."""

    expires_in_s: Annotated[int, msgspec.Meta(ge=60, le=90 * 86400)] | None = None


class ReissueInvitationCommand(ReissueInvitation, frozen=True, kw_only=True):
    """`reissue` as the gateway sends it to signalling: the route's participant beside the body."""

    participant: Id


class RedeemInvitation(_Req, frozen=True):
    token: Token
    access_code: AccessCode


class SessionConnected(_Req, frozen=True):
    """The gateway tells signalling a WebSocket of this principal opened (`conn` = socket id)."""

    conn: Id


class SessionDisconnected(_Req, frozen=True):
    conn: Id


class IceServersRequest(_Req, frozen=True):
    pass


class IcePolicyRequest(_Req, frozen=True):
    """`ice_policy` (admins only): the ICE configuration in force, for the admin console."""


# ---------------------------------------------------------------- replies


class SideView(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: ShortText
    colour: Colour = "a"


class SideAdded(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    side: SideView


class SideRenamed(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    side: SideView
    #: Caucuses of this side now named after its new name: those named by default, and those
    #: whose name began with its old name (now beginning with the new one).
    caucuses_renamed: Annotated[int, msgspec.Meta(ge=0)] = 0


class SideRemoved(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    side: Id


class RoomCreated(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    room: Id


class InvitationIssued(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Shown once: only hashes of `token` and `access_code` are stored."""

    participant: Id
    invitation: Id
    token: Token
    access_code: AccessCode
    link_path: Annotated[str, msgspec.Meta(max_length=300)]  # the token rides in the fragment
    expires_at: TimestampMs
    #: The invitation's language, as asked for (`InviteParticipant.language`) and kept with it.
    language: Language | None = None


class Redeemed(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    participant: Id
    role: Role
    side: Id | None = None
    #: A reissued link was redeemed by someone who had joined before: their earlier sessions
    #: end (this device takes over), so the gateway revokes them before opening the new one.
    end_sessions: Annotated[list[Id], msgspec.Meta(max_length=64)] = []


class RosterEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: ShortText
    role: Role
    status: Annotated[str, msgspec.Meta(max_length=16)]
    side: Id | None = None
    room: Id | None = None
    invitation_expires_at: TimestampMs | None = None
    #: The invitation's state: pending (not yet used), redeemed, expired or revoked.
    invitation: Annotated[str, msgspec.Meta(pattern=r"^(pending|redeemed|expired|revoked)$")] \
        | None = None
    redeemed_at: TimestampMs | None = None
    #: When the person first joined with any of their invitations (None: never), so a person who
    #: joined, was sent a new link and was then removed reads as removed, not as withdrawn.
    joined_at: TimestampMs | None = None


class TookOver(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How the hearing's mediator came to hold it: an administrator handed it to them from
    `from_name` ("" for a mediator without a display name) at `at` (the latest hand-over)."""

    from_name: ShortText
    at: TimestampMs


class HearingSummary(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    title: ShortText
    state: HearingState
    mediator: Id
    created_at: TimestampMs
    scheduled_at: TimestampMs | None = None
    time_zone: TimeZone | None = None
    sides: Annotated[int, msgspec.Meta(ge=0)] = 0
    #: Invited people still in the hearing (not removed), the mediator not counted.
    people: Annotated[int, msgspec.Meta(ge=0)] = 0
    #: Handed to its mediator by an administrator (None: it has been theirs from the start).
    took_over: TookOver | None = None


class HearingDetail(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    title: ShortText
    state: HearingState
    locked: bool
    mediator: Id
    created_at: TimestampMs
    sides: Annotated[list[SideView], msgspec.Meta(max_length=16)]
    roster: Annotated[list[RosterEntry], msgspec.Meta(max_length=64)]
    rooms: Annotated[list[RoomView], msgspec.Meta(max_length=20)]
    scheduled_at: TimestampMs | None = None
    time_zone: TimeZone | None = None
    #: How many times the title, start or zone were changed since the hearing was created (its
    #: calendar file's SEQUENCE: a calendar holding the hearing takes a newer file as an update).
    details_changes: Annotated[int, msgspec.Meta(ge=0)] = 0
    #: Mediator accounts that held it before a hand-over (the latest hand-over first).
    former_mediators: Annotated[list[FormerMediator], msgspec.Meta(
        max_length=MAX_FORMER_MEDIATORS)] = []
    #: Handed to its mediator by an administrator (None: it has been theirs from the start).
    took_over: TookOver | None = None
    #: When it was opened and when it ended (None: not yet, or not recorded then).
    opened_at: TimestampMs | None = None
    ended_at: TimestampMs | None = None
    #: It was ended with `destroy_documents`: its documents are crypto-shredded (else a closed
    #: hearing's documents stay readable by those their compartments admit, never added to).
    documents_destroyed: bool = False
    #: When they were destroyed (None: kept, or destroyed before this was recorded).
    documents_destroyed_at: TimestampMs | None = None
    #: When the kept documents are destroyed by the institution's retention period (None: not
    #: ended, no period set, or destroyed already).
    documents_kept_until: TimestampMs | None = None
    #: The institution's retention period (`PARLEY_DOCUMENT_RETENTION_DAYS`), so the end dialog
    #: can say it before the end; 0 = kept until the mediator destroys them.
    document_retention_days: Annotated[float, msgspec.Meta(ge=0.0)] = 0.0


class HearingSchedule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a hearing's calendar file holds (its title, start, zone and how often they changed):
    all of it a participant already sees in the waiting room, and nothing of its people."""

    id: Id
    title: ShortText
    state: HearingState
    scheduled_at: TimestampMs | None = None
    time_zone: TimeZone | None = None
    details_changes: Annotated[int, msgspec.Meta(ge=0)] = 0


class HandedAway(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A hearing an administrator handed from the mediator asking to another one, lately
    (`HANDED_AWAY_DAYS`): its title, who holds it now ("" for a mediator without a display
    name) and when, so a list that lost it says why."""

    id: Id
    title: ShortText
    to_name: ShortText
    at: TimestampMs


#: How long a mediator's list keeps saying that a hearing was handed away from them.
HANDED_AWAY_DAYS = 30


class HearingList(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearings: Annotated[list[HearingSummary], msgspec.Meta(max_length=1000)]
    #: For a mediator: hearings handed away from them in the last `HANDED_AWAY_DAYS` days,
    #: the latest first (an administrator's list holds every hearing, and none here).
    handed_away: Annotated[list[HandedAway], msgspec.Meta(max_length=100)] = []


class IceServer(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """One RTCIceServer, as the browser's RTCConfiguration expects it."""

    urls: Annotated[list[Annotated[str, msgspec.Meta(max_length=300)]],
                    msgspec.Meta(min_length=1, max_length=8)]
    username: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    credential: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class IceConfig(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename="camel"):
    """`GET /api/v1/ice-servers`: field names follow RTCConfiguration (`iceServers`, …)."""

    ice_servers: Annotated[list[IceServer], msgspec.Meta(max_length=16)]
    ice_transport_policy: Annotated[str, msgspec.Meta(pattern=r"^(all|relay)$")] = "all"
    expires_at: TimestampMs | None = None


IceUrl = Annotated[str, msgspec.Meta(max_length=300)]


class IcePolicy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The ICE configuration every participant is given, as configured (never the TURN secret).

    `relay_only`: browsers are told `iceTransportPolicy: "relay"`, so every call goes through a
    TURN server and parties never learn each other's addresses."""

    relay_only: bool
    stun_urls: Annotated[list[IceUrl], msgspec.Meta(max_length=16)]
    turn_urls: Annotated[list[IceUrl], msgspec.Meta(max_length=16)]
    turn_credential_ttl_s: Annotated[int, msgspec.Meta(ge=0)]


class StreamQuality(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One direction of one media kind, as seen by the tech-check peer."""

    kind: Annotated[str, msgspec.Meta(pattern=r"^(audio|video)$")]
    packets_received: Annotated[int, msgspec.Meta(ge=0)] = 0
    packets_lost: Annotated[int, msgspec.Meta(ge=-(2**31), le=2**31)] = 0
    loss_fraction: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)] = 0.0
    jitter_ms: Annotated[float, msgspec.Meta(ge=0.0)] = 0.0
    #: Loss the participant's browser reports for the echo coming back (RTCP receiver reports).
    echo_loss_fraction: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)] | None = None


class TechCheckStats(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Sent as JSON over the tech check's "stats" data channel, about once a second."""

    at: TimestampMs
    rtt_ms: Annotated[float, msgspec.Meta(ge=0.0)] | None = None
    streams: Annotated[list[StreamQuality], msgspec.Meta(max_length=8)] = []


#: SDP is ASCII text in practice (RFC 8866 session descriptions from browsers and aiortc), so a
#: valid offer's JSON body is at most twice its length (escapes such as \r\n) plus the envelope.
SDP_PATTERN = r"^[\t\r\n\x20-\x7e]*$"
MAX_TECHCHECK_SDP = 64 * 1024
MAX_TECHCHECK_BODY = 2 * MAX_TECHCHECK_SDP + 1024


class TechCheckOffer(_Req, frozen=True):
    sdp: Annotated[str, msgspec.Meta(max_length=MAX_TECHCHECK_SDP, pattern=SDP_PATTERN)]


class TechCheckAnswer(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    sdp: Annotated[str, msgspec.Meta(max_length=64 * 1024)]


# ---------------------------------------------------------------- NATS envelopes (gateway ⇄ signalling)

T = TypeVar("T")

HEARING_PREFIX = "hearing."
ROSTER_PREFIX = "roster."
ALIVE_PREFIX = "alive."
#: The value of `alive.<instance>` once a sweeper took that gateway's sockets for closed (until
#: its next heartbeat, which is told so: `HeartbeatReply.given_up`); otherwise Unix ms.
GIVEN_UP = b"given-up"


def hearing_key(hearing: str) -> str:
    return HEARING_PREFIX + hearing


def roster_key(hearing: str) -> str:
    return ROSTER_PREFIX + hearing


def client_subject(hearing: str, participant: str) -> str:
    """Core-publish subject for one connected participant (the gateway forwards it)."""
    return f"parley.v1.client.{hearing}.{participant}"


#: The last token of a `DeliveryBatch`'s subject: never a participant id (ids match ID_PATTERN),
#: and under the same `parley.v1.client.<hearing>.*` a gateway already subscribes to.
BATCH_TOKEN = "~batch"  # noqa: S105 (a subject token, not a secret)


def batch_subject(hearing: str) -> str:
    """Core-publish subject for a `DeliveryBatch` of one hearing."""
    return client_subject(hearing, BATCH_TOKEN)


def changed_subject(hearing: str) -> str:
    return f"parley.v1.hearing.{hearing}.changed"


def documents_subject(hearing: str) -> str:
    """Core publish (gateway → gateways): a document of this hearing was added or released."""
    return f"parley.v1.hearing.{hearing}.documents"


#: NATS headers on client deliveries: the hearing revision that produced the message (so a new
#: socket drops what is older than its snapshot), and a request to close the participant's sockets.
REVISION_HEADER = "Parley-Revision"
CLOSE_HEADER = "Parley-Close"
#: With `CLOSE_HEADER`: only these sockets of the participant (ids, comma-separated) are closed;
#: the others ignore it (a newer page took over: services/signalling/connections.py).
CONNS_HEADER = "Parley-Conns"
#: The error reason of a command from a socket that is no longer its participant's page (a
#: newer page took over, and its close has not reached the gateway yet): refused without an
#: audit event; the gateway logs and counts it and tells the page nothing.
STALE_CONNECTION = "stale_connection"


class Delivery(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One server message as `proto.ws.encode` wrote it (with `seq` 0; each gateway stamps each
    socket's own), and the participants it is for, in order."""

    to: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=64)]
    message: msgspec.Raw


class DeliveryBatch(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Every client delivery of one hearing change, in the order they are to be sent, on
    `batch_subject`: one NATS message per change instead of one per recipient (a move in a
    hearing of ten is about twenty deliveries; each NATS message costs signalling, the server
    and every gateway its own parse, dispatch and wake-up). `revision` is the hearing revision
    that produced them (as `REVISION_HEADER` on a single delivery). A gateway hands each
    delivery only to the sockets of the participants it names."""

    revision: Annotated[int, msgspec.Meta(ge=0)]
    items: Annotated[list[Delivery], msgspec.Meta(max_length=4096)]


class Scoped(msgspec.Struct, Generic[T], frozen=True, forbid_unknown_fields=True):
    """A request about one hearing: the route's hearing id beside the body."""

    hearing: Id
    body: T


class Empty(_Req, frozen=True):
    pass


class ListHearings(_Req, frozen=True):
    pass


class WsCommand(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One client message from a WebSocket, forwarded with the socket's id."""

    hearing: Id
    conn: Id
    message: ClientMessage


class CommandResult(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Reply to a WebSocket command. `end_sessions`: participants whose sessions must end now;
    `history`: the answer to `chat.recall`, for the asking socket only."""

    room: Id | None = None
    end_sessions: Annotated[list[Id], msgspec.Meta(max_length=64)] = []
    history: ChatHistory | None = None


class Connected(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Reply to `connect`: the snapshot, the hearing revision it reflects, and the room's chat
    said since this participant entered it (none in the lobby)."""

    snapshot: Snapshot
    revision: Annotated[int, msgspec.Meta(ge=0)]
    history: ChatHistory | None = None


class HearingClosed(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    state: HearingState
    end_sessions: Annotated[list[Id], msgspec.Meta(max_length=64)] = []
    #: The close was decided with `destroy_documents`: the documents are (now) crypto-shredded.
    documents_destroyed: bool = False


class ParticipantRemoved(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    participant: Id
    end_sessions: Annotated[list[Id], msgspec.Meta(max_length=64)] = []


class GatewayAlive(_Req, frozen=True):
    """A gateway process's heartbeat: sockets whose ids start with `instance` are still open.

    Sent twice each beat: as the request `alive` (one signalling process writes it to KV and
    answers `HeartbeatReply`), and published on `BEAT_SUBJECT`, which every signalling process
    hears (a plain subscription, not the service's queue group)."""

    instance: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{8,32}$")]


class HeartbeatReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
                     omit_defaults=True):
    """Signalling's answer to `GatewayAlive`. `given_up`: since this gateway's last heartbeat,
    signalling took its sockets for closed (it was silent past the gateway timeout): they are
    in no room now, so the gateway closes them (1013) and their clients reconnect and rejoin."""

    given_up: bool = False


class ParticipantSignedIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`POST /api/v1/invitations/redeem` reply; the session itself is the HttpOnly cookie."""

    hearing: Id
    participant: Id
    role: Role
    csrf_token: Annotated[str, msgspec.Meta(max_length=64)]
    side: Id | None = None


# ---------------------------------------------------------------- the roster read model


class RosterMember(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    role: Role
    status: Annotated[str, msgspec.Meta(max_length=16)]  # invited, active, denied, removed
    side: Id | None = None
    #: Admitted and now in plenary or a caucus (not the lobby, not removed).
    in_room: bool = False


class Roster(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """KV `parley_hearings`, key `roster.<hearing>`: what other processes may know of a hearing.

    Written by signalling after every change (and re-derived for every hearing on start), read
    by evidence (compartments) and the gateway ("mediator of hearing H") without importing
    signalling. `revision` is the hearing record's KV revision it was derived from.
    """

    hearing: Id
    state: HearingState
    mediator: Id
    revision: Annotated[int, msgspec.Meta(ge=0)]
    sides: Annotated[list[Id], msgspec.Meta(max_length=16)] = []
    participants: Annotated[dict[Id, RosterMember], msgspec.Meta(max_length=64)] = {}
    #: Its documents are destroyed (ended with "destroy", or its retention period passed): evidence
    #: reads none of them any more and crypto-shreds what is left (its retention sweep).
    documents_destroyed: bool = False


WIRE_MESSAGES: list[type[Any]] = [
    CreateHearing, CreateHearingCommand, RenameMediator, MediatorRenamed, HandOverHearing,
    HandOverCommand, ChangeHearing, OpenHearing,
    CloseHearing, AddSide, RenameSide, RenameSideCommand, RemoveSide, InviteParticipant,
    RemoveParticipant, ReissueInvitation, ReissueInvitationCommand,
    RedeemInvitation, SessionConnected, SessionDisconnected, IceServersRequest, SideView,
    SideAdded, SideRenamed, SideRemoved, RoomCreated, InvitationIssued, Redeemed, RosterEntry,
    TookOver, HearingSummary, HearingDetail, HearingSchedule, HearingList, IceServer, IceConfig,
    StreamQuality,
    TechCheckStats, TechCheckOffer, TechCheckAnswer, Empty, ListHearings, WsCommand, CommandResult, Connected,
    HearingClosed, ParticipantRemoved, GatewayAlive, HeartbeatReply, ParticipantSignedIn,
    RosterMember, Roster,
    Delivery, DeliveryBatch,
]
