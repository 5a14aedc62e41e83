"""A participant's sockets: connect, disconnect, and the newest page taking over (pure).

One live page per participant. A participant is one place in the hearing (one room, one tile,
one peer in every mesh, keyed by participant id), so two pages of the same person (a second
tab or window, another browser with the same session) would fight over it: both answered every
offer on the one connection each peer holds for that person, the second page's tracks reached
the peers as a second stream (shown as a screen share), each page read its own room
verification code (its own DTLS certificate), and neither page ever connected.

So **the newest page takes over**, as a redeemed reissued link does on a new device
(joining.py), but within the same session: a new socket replaces the participant's earlier
ones, which are closed at once with the reason `taken_over` and their session kept (the earlier
page offers "Use it here", which takes it back the same way). The close is listed before any
other effect of the change (core.apply), so the earlier page is never told of a peer plan meant
for the new one; the new page is a fresh client (membership.fresh_clients), so everyone in the
room drops the earlier page's connections and renegotiates with the new page only.

The mediator is the exception: the console holds its media in one tab itself (a Web Lock per
hearing, components/console-media.js), a second console tab shows the same board beside it, and
the mediator's API clients (bots, tests) must not end the console.

**The mediator's media is one socket's** (`Participant.media`). A console on a second device
has its own Web Lock, so two consoles would each run a mesh as the same participant: both
answered the parties' offers, each showed its own room verification code, and neither
connected. So the console that takes the lock says so (`media.claim`, `claim`): the mediator's
WebRTC signals then go to that socket only and are taken from it only (relay.py), its peer-state
reports alone count, and a newer claim moves the media: the earlier holder is told (a
`media_elsewhere` notice to that socket alone, before anything else of the change; it stops its
camera, microphone and mesh and offers "Use them here", which claims back), and the new holder
is a fresh client (membership.fresh_clients), so the room renegotiates with it only. A new
socket of the mediator is a fresh client only while no console holds the media (as before: an
API client's mesh); while one does, a board-only tab or an API client opening changes nothing
for the room. The holder's socket closing leaves the media with nobody until a console claims
it (that claim is a fresh client); the last socket closing forgets it.

**Nobody holding the media is said, never decided for the mediator.** When the holder's
socket closes and the mediator keeps another one, the remaining sockets are told
(`media_free`; a socket that opens while the media is with nobody is told too, after its
snapshot): a console on another device then offers "Use them here", since the mediator
chooses which device speaks, and the parties no longer face a dead tile with nothing on the
mediator's side to say why. A short reconnect of the holder's page (its new socket claims
again, after the old one's close) must not read as "not in use anywhere", so the page waits
a few seconds before saying it (components/console-media.js), and every claim tells the
mediator's other sockets (`media_claimed`; `media_elsewhere` to the one that held it, which
stops), which ends that wait. Two notices, not one: a console whose own claim is on its way
(both devices chose "Use them here" at once) must not stop on hearing of the other's earlier
claim, only on losing the media itself.

**A claim is audited** (`participant.media_claim`, with the mediator's room, and `moved` when
an open socket held the media: "moved the mediator's camera and microphone to another
console"), and so is its end while the mediator keeps another socket (`participant.media_free`:
the holding console closed; the last socket closing is `participant.disconnect`), so an auditor
can tell which console could be heard when. Which device is not
known to the server, and nothing of the connection (no SDP, no address) is recorded. A first
claim (and a reconnecting console's claim again) is one entry per socket, as its connect is.

**A page that is no longer current acts for nobody** (`from_current_page`). Between the takeover
and its close reaching the earlier page's gateway, that page may still send a hand, a chat line,
a knock, a peer state, or ask for its room's chat history (shell.Executor.history: the room's
words are for the live page only): each is refused (`conflict`, reason `STALE_CONNECTION`), as
is anything from a socket a redeemed link on another device (joining.py) or a given-up gateway
(sweeper.py) left behind. Quietly: not a denial in the audit log (the person did nothing wrong, and a stale
page could flood it); the gateway logs and counts it and tells the page nothing (its close is on
the way). Its WebRTC signals are dropped the same way (relay.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from proto.common import Role
from proto.principal import Principal
from proto.signalling import STALE_CONNECTION, SessionConnected, SessionDisconnected
from proto.ws import MediaClaim, Notice, NoticeKind

from .access import Ctx, identify, mediator, not_closed
from .effects import Audit, CloseSessions, Deliver, DetailValue, Effect
from .errors import Conflict, Forbidden
from .model import Hearing, Participant, ParticipantStatus, put_participant

Result = tuple[Hearing, list[Effect]]

#: The close reason of sockets a newer page of the same participant took over.
TAKEN_OVER = "taken_over"
#: Sockets one mediator may hold at once (the model's bound).
MAX_CONNS = 8


def connect(ctx: Ctx, cmd: SessionConnected) -> Result:
    p = identify(ctx.h, ctx.principal)
    if p.status is not ParticipantStatus.ACTIVE:
        raise Forbidden("participant is not active in this hearing")
    not_closed(ctx.h)
    if cmd.conn in p.conns:
        return ctx.h, []
    earlier = () if p.role is Role.MEDIATOR else p.conns
    if len(p.conns) - len(earlier) >= MAX_CONNS:
        raise Conflict("too many connections")
    conns = (*(c for c in p.conns if c not in earlier), cmd.conn)
    p = msgspec.structs.replace(p, conns=conns, disconnected_at=None)
    details: dict[str, DetailValue] = {"room": p.room}
    out: list[Effect] = []
    if earlier:
        details["took_over"] = len(earlier)
        out.append(CloseSessions(p.id, TAKEN_OVER, keep_sessions=True, conns=earlier))
    if p.media is not None and media_holder(p) is None:  # held before, by nobody now
        out.append(_told(p, NoticeKind.MEDIA_FREE, (cmd.conn,)))
    return put_participant(ctx.h, p), [
        Audit("participant.connect", "participant", p.id, details=details), *out]


def disconnect(ctx: Ctx, cmd: SessionDisconnected) -> Result:
    p = identify(ctx.h, ctx.principal)
    if cmd.conn not in p.conns:  # already closed, or taken over by a newer page
        return ctx.h, []
    conns = tuple(c for c in p.conns if c != cmd.conn)
    held = p.media == cmd.conn
    p = msgspec.structs.replace(p, conns=conns, disconnected_at=None if conns else ctx.now,
                                media=p.media if conns else None)
    if not conns:
        return put_participant(ctx.h, p), [
            Audit("participant.disconnect", "participant", p.id, details={"room": p.room})]
    # The media's socket closed: nobody sends it now; the mediator's other pages are told,
    # and the log says so (a claim is audited, so is its end: "who could be heard, when").
    if not held:
        return put_participant(ctx.h, p), []
    return put_participant(ctx.h, p), [
        Audit("participant.media_free", "participant", p.id, details={"room": p.room}),
        _told(p, NoticeKind.MEDIA_FREE, conns)]


def media_holder(p: Participant) -> str | None:
    """The open socket holding `p`'s camera and microphone (the mediator's claimed console);
    None when none does (then every socket of `p` is its media, as for any participant)."""
    return p.media if p.media is not None and p.media in p.conns else None


def claim(ctx: Ctx, cmd: MediaClaim) -> Result:
    """The mediator's console on socket `ctx.conn` holds its media now (see the module notes)."""
    p = mediator(ctx.h, ctx.principal)
    if ctx.conn is None or ctx.conn not in p.conns:
        raise Conflict("this page was replaced by a newer one of yours; use that one",
                       reason=STALE_CONNECTION)
    if p.media == ctx.conn:
        return ctx.h, []
    earlier = media_holder(p)
    others = tuple(c for c in p.conns if c not in (ctx.conn, earlier))
    out: list[Effect] = []
    if earlier is not None:
        out.append(_told(p, NoticeKind.MEDIA_ELSEWHERE, (earlier,)))
    if others:
        out.append(_told(p, NoticeKind.MEDIA_CLAIMED, others))
    out.append(Audit("participant.media_claim", "participant", p.id,
                     details={"room": p.room, "moved": earlier is not None}))
    return put_participant(ctx.h, msgspec.structs.replace(p, media=ctx.conn)), out


def _told(p: Participant, kind: NoticeKind, conns: tuple[str, ...]) -> Deliver:
    return Deliver(p.id, Notice(kind=kind), conns=conns)


def is_current_page(h: Hearing, principal: Principal, conn: str) -> bool:
    """Whether socket `conn` is one of its participant's current pages. True for a principal
    that is no participant of `h`: the command's own rule refuses that one (and audits it)."""
    try:
        p = identify(h, principal)
    except Forbidden:
        return True
    return conn in p.conns


def from_current_page(h: Hearing, principal: Principal, conn: str) -> None:
    """Refuse a command of a page that is no longer its participant's (see the module notes)."""
    if not is_current_page(h, principal, conn):
        raise Conflict("this page was replaced by a newer one of yours; use that one",
                       reason=STALE_CONNECTION)


def taken_over_first(extra: list[Effect]) -> tuple[list[Effect], list[Effect]]:
    """A command's own effects split into the closes of pages taken over and the notices of
    where the mediator's media is (elsewhere, free, claimed), which go before anything else the
    change says (see the module notes), and the rest, in order."""
    first: list[Effect] = [e for e in extra if _to_some_sockets(e)]
    return first, [e for e in extra if not _to_some_sockets(e)]


def _to_some_sockets(e: Effect) -> bool:
    return isinstance(e, CloseSessions | Deliver) and bool(e.conns)


HANDLERS: dict[type, Callable[[Ctx, Any], Result]] = {
    SessionConnected: connect,
    SessionDisconnected: disconnect,
    MediaClaim: claim,
}
