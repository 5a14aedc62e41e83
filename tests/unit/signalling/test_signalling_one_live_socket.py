"""One live page per participant: the newest page takes over (services/signalling/connections.py)."""

from __future__ import annotations

import msgspec
import pytest
from sighelp import ADMIN, deliveries, standard

from proto.signalling import STALE_CONNECTION, SessionConnected, SessionDisconnected
from proto.ws import (
    MEDIATOR_COMMANDS,
    ChatSend,
    Hand,
    Knock,
    MediaClaim,
    Move,
    Notice,
    NoticeKind,
    PeerConnState,
    PeerPlan,
    PeerStateReport,
    SignalKind,
    SignalSend,
    Snapshot,
)
from services.signalling.connections import TAKEN_OVER, is_current_page
from services.signalling.core import Sweep, apply
from services.signalling.effects import Audit, CloseSessions, Deliver, Effect, Reply
from services.signalling.errors import Conflict, Forbidden
from services.signalling.model import LOBBY, PLENARY
from services.signalling.relay import DropReason, decide, target_conns


def test_a_second_page_of_a_party_takes_over_and_the_room_renegotiates_with_it_only() -> None:
    w, ids = standard()
    a1 = ids["a1"]
    (first,) = w.h.participants[a1].conns
    epoch = w.h.rooms[PLENARY].epoch
    effects = w.do(a1, SessionConnected(conn="tab2"))
    assert w.h.participants[a1].conns == ("tab2",)  # one live page, never two
    assert w.h.rooms[PLENARY].epoch == epoch + 1  # signals of the earlier page are stale
    # The earlier page is closed (its session kept) before anything of the change is said,
    # so it never acts on a plan meant for the new page.
    closes = [e for e in effects if isinstance(e, CloseSessions)]
    assert closes == [CloseSessions(a1, TAKEN_OVER, keep_sessions=True, conns=(first,))]
    told = [i for i, e in enumerate(effects) if isinstance(e, Deliver)]
    assert told and effects.index(closes[0]) < min(told)
    assert isinstance(effects[0], Reply) and isinstance(effects[0].value, Snapshot)
    audit = next(e for e in effects if isinstance(e, Audit) and e.action == "participant.connect")
    assert audit.details == {"room": PLENARY, "took_over": 1}
    # The new page offers to everyone; everyone drops the earlier page's connection and takes
    # the new one: one connection per pair, so nobody shows the party twice.
    plan = next(d.message for d in deliveries(effects, a1) if isinstance(d.message, PeerPlan))
    others = {ids[n] for n in ("a2", "b1", "b2", "med")}
    assert {link.peer for link in plan.connect} == others and not plan.drop and not plan.keep
    assert all(link.offerer for link in plan.connect)
    for other in others:
        theirs = next(d.message for d in deliveries(effects, other)
                      if isinstance(d.message, PeerPlan))
        assert a1 in theirs.drop and a1 in {link.peer for link in theirs.connect}


def test_the_earlier_page_closing_later_changes_nothing_and_use_it_here_takes_it_back() -> None:
    w, ids = standard()
    a1 = ids["a1"]
    (first,) = w.h.participants[a1].conns
    w.do(a1, SessionConnected(conn="tab2"))
    before = w.h
    assert w.do(a1, SessionDisconnected(conn=first)) == []  # taken over: already not counted
    assert w.h == before
    w.now += 10 * w.env.policy.reconnect_grace_ms
    w.do("med", Sweep())
    assert w.h.participants[a1].room == PLENARY  # the new page holds the seat
    # "Use it here": the earlier tab opens a new socket and takes over from the second tab.
    effects = w.do(a1, SessionConnected(conn="tab1-again"))
    assert w.h.participants[a1].conns == ("tab1-again",)
    assert [e for e in effects if isinstance(e, CloseSessions)] == [
        CloseSessions(a1, TAKEN_OVER, keep_sessions=True, conns=("tab2",))]
    # The second tab closed afterwards: the party is still there.
    w.do(a1, SessionDisconnected(conn="tab2"))
    assert w.h.participants[a1].conns == ("tab1-again",)


def test_in_the_lobby_a_second_page_takes_over_too() -> None:
    w, ids = standard()
    b2 = ids["b2"]
    w.do("med", Move(participant=b2, room=LOBBY))
    (first,) = w.h.participants[b2].conns
    effects = w.do(b2, SessionConnected(conn="tab2"))
    assert w.h.participants[b2].conns == ("tab2",)
    assert CloseSessions(b2, TAKEN_OVER, keep_sessions=True, conns=(first,)) in effects


def test_the_mediator_keeps_every_console_tab() -> None:
    """The console holds its media in one tab itself (a Web Lock); a second console tab shows
    the board beside it, and the mediator's API clients do not end the console."""
    w, _ = standard()
    (first,) = w.h.participants["med"].conns
    effects = w.do("med", SessionConnected(conn="console2"))
    assert w.h.participants["med"].conns == (first, "console2")
    assert not [e for e in effects if isinstance(e, CloseSessions)]
    w.do("med", SessionDisconnected(conn=first))
    assert w.h.participants["med"].conns == ("console2",)


def test_a_page_taken_over_acts_for_nobody_in_the_moment_before_its_close() -> None:
    """Its hand, chat line or knock is refused quietly (a conflict with its reason, not a
    denial to audit); the new page acts; its WebRTC signals are dropped with their reason."""
    w, ids = standard()
    a1 = ids["a1"]
    (first,) = w.h.participants[a1].conns
    w.do(a1, SessionConnected(conn="tab2"))
    for cmd in (Hand(raised=True), ChatSend(text="from the old tab"), Knock()):
        with pytest.raises(Conflict) as refused:
            apply(w.h, w.principals[a1], cmd, w.now, w.env, conn=first)
        assert refused.value.reason == STALE_CONNECTION
    after, _ = apply(w.h, w.principals[a1], Hand(raised=True), w.now, w.env, conn="tab2")
    assert after.participants[a1].hand
    signal = SignalSend(to=ids["b1"], epoch=w.h.rooms[PLENARY].epoch, kind=SignalKind.CANDIDATE,
                        candidate="c", sdp_mid="0", sdp_mline_index=0)
    assert decide(w.h, a1, signal, first) is DropReason.STALE_CONNECTION
    assert not isinstance(decide(w.h, a1, signal, "tab2"), DropReason)


def test_every_console_tab_of_the_mediator_is_current_and_outsiders_meet_their_own_rule() -> None:
    w, ids = standard()
    (first,) = w.h.participants["med"].conns
    w.do("med", SessionConnected(conn="console2"))
    assert is_current_page(w.h, w.principals["med"], first)
    assert is_current_page(w.h, w.principals["med"], "console2")
    assert not is_current_page(w.h, w.principals[ids["b1"]], "console2")
    # Not a participant: the command's own rule refuses it (a denial, audited), not this one.
    with pytest.raises(Forbidden):
        apply(w.h, ADMIN, Move(participant=ids["b1"], room=LOBBY), w.now, w.env, conn="x")


def _plan_of(effects: list[Effect], pid: str) -> PeerPlan:
    return next(d.message for d in deliveries(effects, pid) if isinstance(d.message, PeerPlan))


def test_a_console_on_a_second_device_claims_the_media_and_the_room_renegotiates_with_it() -> None:
    """Two devices each hold their own Web Lock: only the console that claimed last is the
    mediator's media; the earlier one is told first, the room renegotiates with the new one."""
    w, ids = standard()
    (tablet,) = w.h.participants["med"].conns
    w.do("med", MediaClaim(), conn=tablet)  # the first console's claim: no renegotiation
    assert w.h.participants["med"].media == tablet
    epoch = w.h.rooms[PLENARY].epoch
    # The phone opens: a new socket while a console holds the media changes nothing for the room.
    effects = w.do("med", SessionConnected(conn="phone"))
    assert w.h.rooms[PLENARY].epoch == epoch
    assert not [d for d in deliveries(effects) if isinstance(d.message, PeerPlan)]
    effects = w.do("med", MediaClaim(), conn="phone")
    assert w.h.participants["med"].media == "phone"
    assert w.h.participants["med"].conns == (tablet, "phone")  # the board stays on both
    assert w.h.rooms[PLENARY].epoch == epoch + 1
    # The tablet alone is told, before anything else of the change.
    told = Deliver("med", Notice(kind=NoticeKind.MEDIA_ELSEWHERE), conns=(tablet,))
    assert effects[0] == told and effects.count(told) == 1
    # Every party drops the earlier console's connection and connects the new one's.
    for name in ("a1", "a2", "b1", "b2"):
        plan = _plan_of(effects, ids[name])
        assert "med" in plan.drop and "med" in {link.peer for link in plan.connect}
    plan = _plan_of(effects, "med")
    assert not plan.drop and len(plan.connect) == 4 and all(link.offerer for link in plan.connect)


def test_signals_for_the_mediator_reach_its_media_console_only_and_come_from_it_only() -> None:
    w, ids = standard()
    (tablet,) = w.h.participants["med"].conns
    a1 = ids["a1"]
    epoch = w.h.rooms[PLENARY].epoch
    # No console claimed (an API client's mesh, as before): every socket, from any socket.
    w.do("med", SessionConnected(conn="bot"))
    assert target_conns(w.h, "med") == ()
    to_a1 = SignalSend(to=a1, epoch=w.h.rooms[PLENARY].epoch, kind=SignalKind.CANDIDATE,
                       candidate="c", sdp_mid="0", sdp_mline_index=0)
    assert not isinstance(decide(w.h, "med", to_a1, "bot"), DropReason)
    w.do("med", MediaClaim(), conn=tablet)
    w.do("med", SessionConnected(conn="phone"))
    w.do("med", MediaClaim(), conn="phone")
    assert w.h.rooms[PLENARY].epoch > epoch
    to_a1 = msgspec.structs.replace(to_a1, epoch=w.h.rooms[PLENARY].epoch)
    assert target_conns(w.h, "med") == ("phone",)
    assert target_conns(w.h, a1) == ()
    assert not isinstance(decide(w.h, "med", to_a1, "phone"), DropReason)
    for other in (tablet, "bot"):
        assert decide(w.h, "med", to_a1, other) is DropReason.MEDIA_ELSEWHERE
    # The earlier console's mesh, stopped, reports nothing about who hears the mediator now.
    w.do(a1, PeerStateReport(peer="med", state=PeerConnState.CONNECTED))
    w.do("med", PeerStateReport(peer=a1, state=PeerConnState.CONNECTED), conn="phone")
    w.do("med", PeerStateReport(peer=a1, state=PeerConnState.CLOSED), conn=tablet)
    assert w.h.participants["med"].links == {a1: PeerConnState.CONNECTED}


def test_use_them_here_claims_back_and_a_claim_after_the_holder_closed_renegotiates() -> None:
    w, ids = standard()
    (tablet,) = w.h.participants["med"].conns
    w.do("med", MediaClaim(), conn=tablet)
    w.do("med", SessionConnected(conn="phone"))
    w.do("med", MediaClaim(), conn="phone")
    assert w.do("med", MediaClaim(), conn="phone") == []  # claimed already: nothing
    # The phone closes: the media is nobody's, the tablet stays (and keeps the board).
    w.do("med", SessionDisconnected(conn="phone"))
    assert target_conns(w.h, "med") == () and w.h.participants["med"].conns == (tablet,)
    epoch = w.h.rooms[PLENARY].epoch
    effects = w.do("med", MediaClaim(), conn=tablet)  # "Use them here"
    assert w.h.participants["med"].media == tablet and w.h.rooms[PLENARY].epoch == epoch + 1
    assert not [e for e in effects if isinstance(e, Deliver) and e.conns]  # nobody to tell
    assert "med" in _plan_of(effects, ids["a1"]).drop
    # The last socket closing forgets the media: the next console starts afresh.
    w.do("med", SessionDisconnected(conn=tablet))
    assert w.h.participants["med"].media is None
    effects = w.do("med", SessionConnected(conn="laptop"))
    assert "med" in {link.peer for link in _plan_of(effects, ids["a1"]).connect}  # back
    epoch = w.h.rooms[PLENARY].epoch
    assert not [d for d in deliveries(w.do("med", MediaClaim(), conn="laptop"))
                if isinstance(d.message, PeerPlan)]  # its first claim: no second round
    assert w.h.participants["med"].media == "laptop" and w.h.rooms[PLENARY].epoch == epoch


def test_only_the_mediator_claims_and_only_from_one_of_its_sockets() -> None:
    w, ids = standard()
    with pytest.raises(Forbidden):
        w.do(ids["a1"], MediaClaim(), conn=w.h.participants[ids["a1"]].conns[0])
    with pytest.raises(Conflict):
        apply(w.h, w.principals["med"], MediaClaim(), w.now, w.env)
    assert MediaClaim in MEDIATOR_COMMANDS


def _notices(effects: list[Effect]) -> list[tuple[NoticeKind, tuple[str, ...]]]:
    return [(d.message.kind, d.conns) for d in deliveries(effects, "med")
            if isinstance(d.message, Notice)]


def test_the_holders_socket_closing_tells_the_mediators_other_sockets_the_media_is_free() -> None:
    """The laptop holds the media, the phone shows the board: the laptop's tab closes, and the
    phone (every remaining socket) is told nobody sends the camera and microphone now; a board
    tab or API client closing says nothing, nor does the last socket closing (nobody to tell)."""
    w, _ = standard()
    (laptop,) = w.h.participants["med"].conns
    w.do("med", MediaClaim(), conn=laptop)
    w.do("med", SessionConnected(conn="phone"))
    w.do("med", SessionConnected(conn="bot"))
    assert _notices(w.do("med", SessionDisconnected(conn="bot"))) == []  # not the holder
    effects = w.do("med", SessionDisconnected(conn=laptop))
    assert _notices(effects) == [(NoticeKind.MEDIA_FREE, ("phone",))]
    assert isinstance(effects[0], Deliver)  # before anything else of the change
    assert [e for e in effects if isinstance(e, Audit)] == [  # who could be heard, until when
        Audit("participant.media_free", "participant", "med", details={"room": PLENARY})]
    assert target_conns(w.h, "med") == ()
    # A socket opening while nobody holds the media is told too, after its snapshot.
    effects = w.do("med", SessionConnected(conn="tablet"))
    assert isinstance(effects[0], Reply) and isinstance(effects[0].value, Snapshot)
    assert _notices(effects) == [(NoticeKind.MEDIA_FREE, ("tablet",))]
    assert not [e for e in w.do("med", SessionDisconnected(conn="tablet"))
                if isinstance(e, Audit)]  # it held nothing: no entry
    last = w.do("med", SessionDisconnected(conn="phone"))
    assert _notices(last) == []  # the last one
    assert [e.action for e in last if isinstance(e, Audit)] == ["participant.disconnect"]
    assert _notices(w.do("med", SessionConnected(conn="later"))) == []  # forgotten: nothing


def test_a_short_reconnect_of_the_holder_claims_again_and_ends_the_others_wait() -> None:
    """The holder's page drops for a moment: its old socket's close says free, its new socket
    claims again, and that claim tells the other consoles (`media_claimed`), so a page that
    waits its few seconds before saying "not in use anywhere" never says it."""
    w, ids = standard()
    (laptop,) = w.h.participants["med"].conns
    w.do("med", MediaClaim(), conn=laptop)
    w.do("med", SessionConnected(conn="phone"))
    assert _notices(w.do("med", SessionDisconnected(conn=laptop))) == [
        (NoticeKind.MEDIA_FREE, ("phone",))]
    effects = w.do("med", SessionConnected(conn="laptop-again"))
    assert _notices(effects) == [(NoticeKind.MEDIA_FREE, ("laptop-again",))]  # its page holds on
    effects = w.do("med", MediaClaim(), conn="laptop-again")
    assert _notices(effects) == [(NoticeKind.MEDIA_CLAIMED, ("phone",))]
    assert w.h.participants["med"].media == "laptop-again"
    assert "med" in _plan_of(effects, ids["a1"]).drop  # the room renegotiates with the new socket
    audit = next(e for e in effects if isinstance(e, Audit))
    assert audit == Audit("participant.media_claim", "participant", "med",
                          details={"room": PLENARY, "moved": False})


def test_a_claim_that_moves_the_media_is_audited_and_tells_the_holder_and_the_others_apart() -> None:
    """The earlier holder stops (`media_elsewhere`); the other sockets only learn the media is
    held (`media_claimed`: a console whose own claim is on its way keeps its media). The move is
    audited with the mediator's room, and nothing of the connection."""
    w, _ = standard()
    (laptop,) = w.h.participants["med"].conns
    first = w.do("med", MediaClaim(), conn=laptop)
    assert [e for e in first if isinstance(e, Audit)] == [
        Audit("participant.media_claim", "participant", "med",
              details={"room": PLENARY, "moved": False})]
    w.do("med", SessionConnected(conn="phone"))
    w.do("med", SessionConnected(conn="tablet"))
    effects = w.do("med", MediaClaim(), conn="phone")
    assert _notices(effects) == [(NoticeKind.MEDIA_ELSEWHERE, (laptop,)),
                                 (NoticeKind.MEDIA_CLAIMED, ("tablet",))]
    assert [e for e in effects if isinstance(e, Audit)] == [
        Audit("participant.media_claim", "participant", "med",
              details={"room": PLENARY, "moved": True})]
    assert w.do("med", MediaClaim(), conn="phone") == []  # claimed already: no entry either
