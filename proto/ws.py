"""The WebSocket protocol at `/api/v1/ws` (DESIGN §5, §8): tagged `msgspec` unions, JSON.

Longer than 300 lines on purpose: the whole protocol is declarations (one struct per message)
and the unions over them; one module keeps it readable as the protocol's reference.

Client → server messages carry no sequence number; every server → client message carries `seq`,
a per-connection counter the gateway stamps (the signalling core emits 0). On (re)connect the first
message is a `snapshot` of what this participant may see, then `chat.history` when its room has
lines said since it entered; after them, deltas (`you`, `room`, `board`, `knocks`, `peer.plan`,
`signal`, `chat`, `notice`, `error`).

Every field is bounded so a decode of a hostile frame fails fast with a typed error.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

from proto.codec import JsonDecoder
from proto.common import Id, Role, ShortText, TimestampMs, TimeZone
from proto.errors import ErrorCode, Reason
from proto.text import clean_fields

MAX_SDP = 64 * 1024
MAX_CANDIDATE = 2 * 1024
MAX_CHAT = 2000
#: Decode bound of a chat line a client sends: generous, so a line over `MAX_CHAT` reaches the
#: core and is refused with a typed `too_large` (reason `chat_too_long`), not a schema error.
MAX_CHAT_SENT = 4 * MAX_CHAT
#: Lines of history kept per room (services/signalling/chatlog.py).
MAX_CHAT_HISTORY = 200
MAX_NOTICE = 1000
MAX_MEMBERS = 64
MAX_ROOMS = 20
#: The largest frame a client may send (an SDP plus its envelope).
MAX_CLIENT_FRAME = MAX_SDP + 4 * 1024

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
#: A caucus's name as the mediator typed it; "" for the default name (see `RoomView`).
CaucusName = Annotated[str, msgspec.Meta(max_length=200)]
Epoch = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Seq = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Sdp = Annotated[str, msgspec.Meta(max_length=MAX_SDP)]
Candidate = Annotated[str, msgspec.Meta(max_length=MAX_CANDIDATE)]
ChatText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CHAT)]
NoticeText = Annotated[str, msgspec.Meta(max_length=MAX_NOTICE)]
IdList = Annotated[list[Id], msgspec.Meta(max_length=MAX_MEMBERS)]
#: A side's colour in the client's palette (`--side-a` … `--side-f`): its caucus's identity.
Colour = Annotated[str, msgspec.Meta(pattern=r"^[a-f]$")]
COLOURS = ("a", "b", "c", "d", "e", "f")


class RoomKind(StrEnum):
    LOBBY = "lobby"
    PLENARY = "plenary"
    CAUCUS = "caucus"


class HearingState(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class SignalKind(StrEnum):
    OFFER = "offer"
    ANSWER = "answer"
    CANDIDATE = "candidate"


class PeerConnState(StrEnum):
    """RTCPeerConnection.connectionState, as a client reports it."""

    NEW = "new"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    FAILED = "failed"
    CLOSED = "closed"


class NoticeKind(StrEnum):
    BROADCAST = "broadcast"
    TIMER = "timer"
    DENIED = "denied"
    REMOVED = "removed"
    ENDED = "ended"
    #: To the mediator: someone with a good invitation and code was turned away by the lock
    #: (`text`: their name).
    LOCKED_OUT = "locked_out"
    #: To the mediator's console that held its camera and microphone: a console on another
    #: device claimed them (`media.claim`); this one stops its media and offers to claim back.
    MEDIA_ELSEWHERE = "media_elsewhere"
    #: To the mediator's other open sockets: the socket that held its camera and microphone
    #: closed (a tab closed, a device offline), so nobody sends them now; also to a socket of
    #: the mediator that opens meanwhile. A console on another device says so after a short
    #: grace (the holder's page may be back within seconds and claim them again) and offers to
    #: claim them; it never claims them by itself (the mediator chooses which device speaks).
    MEDIA_FREE = "media_free"
    #: To the mediator's sockets other than the claiming one and the one that held them
    #: (that one is told `media_elsewhere`): a console claimed the camera and microphone, so
    #: they are not free (any more). A page that waited to say "not in use anywhere" does not.
    MEDIA_CLAIMED = "media_claimed"
    #: To the mediator's socket that moved a whole side (`move.side`, or `caucus.create` with
    #: `move_side`): `waiting` of its members (`side`) are still in the waiting room, connected,
    #: and were not moved (a move takes admitted people only); `room`: where the side went.
    SIDE_WAITING = "side_waiting"


# ---------------------------------------------------------------- client → server


class _Client(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="type"):
    pass


class Join(_Client, frozen=True, tag="join"):
    hearing: Id


class Admit(_Client, frozen=True, tag="admit"):
    participant: Id
    room: Id = "plenary"


class Deny(_Client, frozen=True, tag="deny"):
    participant: Id


class Move(_Client, frozen=True, tag="move"):
    participant: Id
    room: Id


class MoveSide(_Client, frozen=True, tag="move.side"):
    """Every admitted member of a side to one room, in one step: no moment has half of them
    moved (the hearing changes in one write, and every peer plan comes from that one change)."""

    side: Id
    room: Id


class AdmitSide(_Client, frozen=True, tag="admit.side"):
    """Everyone of a side waiting in the lobby (connected) into one room, in one step; each
    admission is the server's as one by one (a locked hearing admits nobody new) and audited
    per person. Refused when nobody of that side is waiting."""

    side: Id
    room: Id = "plenary"


class CaucusCreate(_Client, frozen=True, tag="caucus.create"):
    #: "" (or absent) for a side's caucus: named by default, "<side> caucus" in each reader's
    #: language (`RoomView.side_name`); a caucus without a side needs a name.
    name: CaucusName = ""
    side: Id | None = None
    #: With a side: move that side's admitted members in, in the same step as the creation.
    move_side: bool = False

    def __post_init__(self) -> None:
        clean_fields(self, "name")


class CaucusClose(_Client, frozen=True, tag="caucus.close"):
    room: Id


class Shuttle(_Client, frozen=True, tag="shuttle"):
    room: Id


#: The longest a caucus timer runs from now (24 hours), set or extended.
MAX_TIMER_S = 86400


class CaucusTimer(_Client, frozen=True, tag="caucus.timer"):
    room: Id
    #: The timer's length from now; 0 clears the timer. With `extend`: the time added to the
    #: deadline already set (from now when none runs, e.g. after time up), by the server, so
    #: neither the console's clock nor another console's change makes it wrong.
    seconds: Annotated[int, msgspec.Meta(ge=0, le=MAX_TIMER_S)]
    extend: bool = False


class Broadcast(_Client, frozen=True, tag="broadcast"):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NOTICE)]

    def __post_init__(self) -> None:
        clean_fields(self, "text")


class Recall(_Client, frozen=True, tag="recall"):
    pass


class Lock(_Client, frozen=True, tag="lock"):
    locked: bool


class Remove(_Client, frozen=True, tag="remove"):
    participant: Id


class End(_Client, frozen=True, tag="end"):
    pass


class Knock(_Client, frozen=True, tag="knock"):
    on: bool = True


class KnockDismiss(_Client, frozen=True, tag="knock.dismiss"):
    participant: Id


class Hand(_Client, frozen=True, tag="hand"):
    raised: bool


class Leave(_Client, frozen=True, tag="leave"):
    """Leave the hearing on purpose (not the mediator): back to the lobby at once, with no
    reconnection grace, hand and knock withdrawn, and every socket of this participant closed
    (code 4000, reason "left"); the session stays, so the participant may come back and wait
    to be admitted again."""


class ChatSend(_Client, frozen=True, tag="chat"):
    """A chat line for the sender's room. `room`: the room it was written in (the web client
    always says it): refused (`conflict`, reason `room_changed`) when the sender is no longer
    there, so a line typed in a caucus never lands in plenary because a move crossed it."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CHAT_SENT)]
    room: Id | None = None

    def __post_init__(self) -> None:
        clean_fields(self, "text", multiline=("text",))


#: The error reason of a chat line whose sender has left the room it was written in.
ROOM_CHANGED = "room_changed"


class ChatRecall(_Client, frozen=True, tag="chat.recall"):
    """Ask for the current room's chat said in one's presence (sent on arriving in a room:
    coming back to plenary from a caucus shows plenary's lines from before, none said while
    away). Answered with `chat.history`, or with nothing when there is none."""


class Mute(_Client, frozen=True, tag="mute"):
    """Microphone (`muted`) and/or camera (`camera_off`) state, shown to the room; None: as is."""

    muted: bool | None = None
    camera_off: bool | None = None


class SignalSend(_Client, frozen=True, tag="signal"):
    """An offer/answer (`sdp`) or ICE candidate for one peer, stamped with the room's epoch."""

    to: Id
    epoch: Epoch
    kind: SignalKind
    sdp: Sdp | None = None
    candidate: Candidate | None = None
    sdp_mid: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    sdp_mline_index: Annotated[int, msgspec.Meta(ge=0, le=64)] | None = None


class PeerStateReport(_Client, frozen=True, tag="peer.state"):
    peer: Id
    state: PeerConnState


class MediaClaim(_Client, frozen=True, tag="media.claim"):
    """The mediator's console on this socket holds its camera and microphone (sent once it took
    the browser's media lock, and by "Use them here"): the mediator's WebRTC signals go to and
    come from this socket only, and the console that held them before is told
    (`notice` `media_elsewhere`), the mediator's other sockets `media_claimed`. Audited
    (`participant.media_claim`, `moved` when an open socket held them). When the holding
    socket closes, the others are told `media_free`. Board-only tabs and API clients never
    send it."""


ClientMessage = (
    Join | Admit | AdmitSide | Deny | Move | MoveSide | CaucusCreate | CaucusClose | Shuttle | CaucusTimer
    | Broadcast | Recall | Lock | Remove | End | Knock | KnockDismiss | Hand | Leave | ChatSend | ChatRecall
    | Mute | SignalSend | PeerStateReport | MediaClaim
)

#: Commands only the hearing's mediator may send (the gateway may refuse them early by role).
MEDIATOR_COMMANDS: tuple[type[_Client], ...] = (
    Admit, AdmitSide, Deny, Move, MoveSide, CaucusCreate, CaucusClose, Shuttle, CaucusTimer, Broadcast,
    Recall, Lock, Remove, End, KnockDismiss, MediaClaim,
)


# ---------------------------------------------------------------- views


class MemberView(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: ShortText
    role: Role
    side: Id | None = None
    muted: bool = False
    camera_off: bool = False
    hand: bool = False
    connected: bool = False
    #: Peers in this room this member reports a connected RTCPeerConnection to ("who hears whom").
    links: IdList = []
    #: In the lobby because its connection was lost for longer than the reconnection grace
    #: (the board tells the mediator it is someone coming back, not someone new).
    grace_expired: bool = False


class RoomView(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    kind: RoomKind
    #: As the mediator named it; "" for a side's caucus named by default, which every screen
    #: names "<side_name> caucus" in its reader's language (and which follows a side rename).
    name: ShortText
    epoch: Epoch
    side: Id | None = None
    deadline: TimestampMs | None = None
    #: The colour of a side's caucus (its side's), so every screen shows the room alike.
    colour: Colour | None = None
    #: The side's name, for a caucus named by default (`name` is ""); None otherwise.
    side_name: ShortText | None = None
    members: Annotated[list[MemberView], msgspec.Meta(max_length=MAX_MEMBERS)] = []


class FormerMediator(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A mediator account that held the hearing before an administrator handed it over: what
    it uploaded (its notes, joint documents) is credited to it by name ("" when it had none).
    The hearing's detail lists them; so does every participant's own view (`SelfView`), since
    a party reads that mediator's joint documents too: the id (each document's `uploaded_by`
    already shows it) and the name, nothing else of the hand-over."""

    id: Id
    name: ShortText


MAX_FORMER_MEDIATORS = 16


class SelfView(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: ShortText
    role: Role
    hearing: Id
    title: ShortText
    hearing_state: HearingState
    locked: bool
    room: Id | None
    room_kind: RoomKind | None
    side: Id | None = None
    muted: bool = False
    camera_off: bool = False
    hand: bool = False
    knocking: bool = False
    #: The mediator's name, for the lobby's waiting screen ("Waiting for <name> to admit you").
    mediator_name: ShortText = ""
    #: The mediator's participant id (also in every room view that holds them): a page that
    #: sees it change tells its person who mediates now, after an administrator's hand-over.
    mediator: Id | None = None
    #: Whether the mediator is connected now (active, with a socket open): a waiting room whose
    #: mediator is offline says so, rather than "will admit you shortly".
    mediator_online: bool = False
    #: When the hearing is to start, and where (the set-up page's schedule): a lobby opened
    #: before the hearing has started says when it will, not "shortly".
    scheduled_at: TimestampMs | None = None
    time_zone: TimeZone | None = None
    #: Back in the lobby because the connection was lost for longer than the reconnection
    #: grace: the waiting screen says why (cleared once admitted again).
    grace_expired: bool = False
    #: Who mediated the hearing before a hand-over, so the documents they uploaded are
    #: credited to them by name, never to "The mediator" (who is someone else now).
    former_mediators: Annotated[list[FormerMediator], msgspec.Meta(
        max_length=MAX_FORMER_MEDIATORS)] = []
    #: How many sides the hearing has, so a party sharing a document with everyone is told
    #: "every other side" in a hearing of three or more (not "the other side"): the number
    #: only, never which sides or who is on them.
    sides: Annotated[int, msgspec.Meta(ge=0, le=64)] = 0


class KnockView(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    participant: Id
    name: ShortText
    room: Id | None
    at: TimestampMs


KnockList = Annotated[list[KnockView], msgspec.Meta(max_length=MAX_MEMBERS)]


class SideInfo(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: ShortText
    colour: Colour = "a"


class Board(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The mediator's rooms board: every room (the lobby too), who is in it, and the sides."""

    rooms: Annotated[list[RoomView], msgspec.Meta(max_length=MAX_ROOMS)]
    sides: Annotated[list[SideInfo], msgspec.Meta(max_length=16)] = []


class View(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    you: SelfView
    room: RoomView | None = None  # None in the lobby: a waiting participant sees nobody
    board: Board | None = None  # mediator only
    knocks: KnockList | None = None  # mediator only


# ---------------------------------------------------------------- server → client


class _Server(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="type",
              kw_only=True):
    seq: Seq = 0


class Snapshot(_Server, frozen=True, tag="snapshot"):
    view: View
    #: The reconnection grace (signalling's `PARLEY_RECONNECT_GRACE_S`), in ms. A page whose
    #: socket has been down this long is out of its room in the server's view, and a plan that
    #: drops its peers cannot reach it: it closes every peer connection itself then
    #: (gateway/webclient/js/media/mesh.js `offline`), and the next plan opens them again.
    reconnect_grace_ms: Annotated[int, msgspec.Meta(ge=0, le=2**53)]


class YouUpdate(_Server, frozen=True, tag="you"):
    you: SelfView


class RoomUpdate(_Server, frozen=True, tag="room"):
    room: RoomView


class BoardUpdate(_Server, frozen=True, tag="board"):
    board: Board


class KnocksUpdate(_Server, frozen=True, tag="knocks"):
    knocks: KnockList


class PeerLink(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    peer: Id
    offerer: bool  # True: this client creates the offer (it is the later arrival)


PeerLinks = Annotated[list[PeerLink], msgspec.Meta(max_length=MAX_MEMBERS)]


class PeerPlan(_Server, frozen=True, tag="peer.plan"):
    """What this client must do with its peer connections now.

    `drop` first (close those connections at once), then `connect` (new peers; the offerer is
    named). `keep` lists peers that stay: a negotiation still unfinished with one of them must be
    restarted stamped with the new `epoch`, since signals stamped with an older epoch are refused.
    """

    room: Id | None
    epoch: Epoch
    drop: IdList = []
    connect: PeerLinks = []
    keep: PeerLinks = []


class SignalRelay(_Server, frozen=True, tag="signal"):
    sender: Id
    room: Id
    epoch: Epoch
    kind: SignalKind
    sdp: Sdp | None = None
    candidate: Candidate | None = None
    sdp_mid: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    sdp_mline_index: Annotated[int, msgspec.Meta(ge=0, le=64)] | None = None


class ChatMessage(_Server, frozen=True, tag="chat"):
    room: Id
    sender: Id
    name: ShortText
    text: ChatText
    at: TimestampMs


class ChatLine(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    sender: Id
    name: ShortText
    text: ChatText
    at: TimestampMs


class ChatHistory(_Server, frozen=True, tag="chat.history"):
    """What was said in `room` in this participant's presence: since it entered, and during
    its earlier stays there (sent after a snapshot, and in answer to `chat.recall`)."""

    room: Id
    lines: Annotated[list[ChatLine], msgspec.Meta(max_length=MAX_CHAT_HISTORY)] = []
    #: When this participant entered `room` this time (Unix ms): lines at or before it were
    #: said during an earlier stay, and go above the client's marker of this arrival.
    entered_at: TimestampMs = 0


class DocumentsChanged(_Server, frozen=True, tag="documents"):
    """A document was added to, or released into, a compartment this participant may read:
    refresh the list (the list itself is access-checked). Never sent to anyone else."""

    compartment: Annotated[str, msgspec.Meta(max_length=80)]
    document: Id


class Notice(_Server, frozen=True, tag="notice"):
    kind: NoticeKind
    text: NoticeText = ""
    room: Id | None = None
    #: `ended` only, what becomes of the hearing's documents (never which ones): destroyed with
    #: the end, or kept by the mediator until this time (Unix ms; None with neither: kept until
    #: the mediator destroys them, no retention period set).
    documents_destroyed: bool = False
    documents_kept_until: TimestampMs | None = None
    #: `side_waiting` only: the side moved, and how many of it are still waiting (not moved).
    side: Id | None = None
    waiting: Annotated[int, msgspec.Meta(ge=0, le=MAX_MEMBERS)] = 0


class ErrorMessage(_Server, frozen=True, tag="error"):
    code: ErrorCode
    message: Annotated[str, msgspec.Meta(max_length=500)]
    retry_after_s: Annotated[int, msgspec.Meta(ge=0, le=86400)] | None = None
    reason: Reason | None = None
    #: The client message type refused (e.g. `chat`), so the page knows which action failed.
    about: Annotated[str, msgspec.Meta(max_length=32)] | None = None


ServerMessage = (
    Snapshot | YouUpdate | RoomUpdate | BoardUpdate | KnocksUpdate | PeerPlan | SignalRelay
    | ChatMessage | ChatHistory | DocumentsChanged | Notice | ErrorMessage
)

_client_decoder: JsonDecoder[ClientMessage] = JsonDecoder(ClientMessage)
_server_decoder: JsonDecoder[ServerMessage] = JsonDecoder(ServerMessage)
_encoder = msgspec.json.Encoder()


def decode_client(raw: bytes | str) -> ClientMessage:
    """Decode one client frame; any bad input (invalid UTF-8 too) raises `msgspec.DecodeError`
    (`ValidationError` for a schema violation)."""
    message: ClientMessage = _client_decoder.decode(raw)
    return message


def decode_server(raw: bytes | str) -> ServerMessage:
    message: ServerMessage = _server_decoder.decode(raw)
    return message


def encode(message: ClientMessage | ServerMessage) -> bytes:
    return _encoder.encode(message)


def with_seq(message: ServerMessage, seq: int) -> ServerMessage:
    """The same message stamped with a connection's sequence number."""
    return msgspec.structs.replace(message, seq=seq)


# A gateway relays thousands of signalling's messages a second to sockets, each needing only its
# `seq` stamped and, for a peer plan or a relayed signal, its room and epoch read. `encode`
# writes a server message's tag as its first member and `seq` as its last
# (`{"type":"<tag>",...,"seq":0}`: `seq` is the base's keyword-only field), so both are done on
# the bytes, without decoding and encoding the whole message again per socket.
_TAG_START = b'{"type":"'
_SEQ_ZERO = b',"seq":0}'
_MAX_TAG = 32


class RoomEpoch(msgspec.Struct, frozen=True):
    """The room and epoch of a `PeerPlan` or `SignalRelay` (their other fields skipped)."""

    room: Id | None = None
    epoch: Epoch = 0


_room_epoch_decoder: JsonDecoder[RoomEpoch] = JsonDecoder(RoomEpoch)


def encoded_tag(encoded: bytes) -> str | None:
    """The `type` of a server message as `encode` wrote it with `seq` 0; None for bytes in any
    other form (decode those in full)."""
    if not encoded.startswith(_TAG_START) or not encoded.endswith(_SEQ_ZERO):
        return None
    end = encoded.find(b'"', len(_TAG_START), len(_TAG_START) + _MAX_TAG + 1)
    if end < 0:
        return None
    tag = encoded[len(_TAG_START):end]
    return tag.decode("ascii") if tag.isascii() and b"\\" not in tag else None


def stamp_seq(encoded: bytes, seq: int) -> bytes:
    """`encoded` (one `encoded_tag` recognises) with `seq` in place of its 0."""
    return b"%s%d}" % (encoded[:-2], seq)


def decode_room_epoch(encoded: bytes) -> RoomEpoch:
    """The room and epoch of an encoded `PeerPlan` or `SignalRelay`."""
    found: RoomEpoch = _room_epoch_decoder.decode(encoded)
    return found


WIRE_MESSAGES: list[type[msgspec.Struct]] = [
    Join, Admit, AdmitSide, Deny, Move, MoveSide, CaucusCreate, CaucusClose, Shuttle, CaucusTimer, Broadcast,
    Recall, Lock, Remove, End, Knock, KnockDismiss, Hand, Leave, ChatSend, Mute, SignalSend,
    PeerStateReport, MediaClaim, MemberView, RoomView, SelfView, KnockView, SideInfo, Board, View, PeerLink,
    Snapshot, YouUpdate, RoomUpdate, BoardUpdate, KnocksUpdate, PeerPlan, SignalRelay, ChatMessage, ChatLine,
    ChatHistory, DocumentsChanged, Notice, ErrorMessage,
]
