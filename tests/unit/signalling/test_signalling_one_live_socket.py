"""One live page per participant: the newest page takes over (services/signalling/connections.py)."""

from __future__ import annotations

import pytest
from sighelp import ADMIN, deliveries, standard

from proto.signalling import STALE_CONNECTION, SessionConnected, SessionDisconnected
from proto.ws import ChatSend, Hand, Knock, Move, PeerPlan, SignalKind, SignalSend, Snapshot
from services.signalling.connections import TAKEN_OVER, is_current_page
from services.signalling.core import Sweep, apply
from services.signalling.effects import Audit, CloseSessions, Deliver, Reply
from services.signalling.errors import Conflict, Forbidden
from services.signalling.model import LOBBY, PLENARY
from services.signalling.relay import DropReason, decide


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
