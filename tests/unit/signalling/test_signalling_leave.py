"""Leaving a hearing on purpose (proto.ws.Leave): the lobby at once, sockets closed, session kept."""

from __future__ import annotations

import pytest
from sighelp import audits, caucus, deliveries, standard

from proto.ws import Admit, End, Hand, Knock, Leave, PeerPlan, RoomUpdate, Snapshot
from services.signalling.core import Sweep
from services.signalling.effects import Audit, CloseSessions, Reply
from services.signalling.errors import Conflict, Invalid
from services.signalling.model import LOBBY, PLENARY, ParticipantStatus


def test_leave_puts_the_participant_in_the_lobby_at_once_and_closes_its_sockets() -> None:
    w, ids = standard()
    b1 = ids["b1"]
    w.do(b1, Hand(raised=True))
    w.do(b1, Knock())
    epoch = w.h.rooms[PLENARY].epoch
    effects = w.do(b1, Leave())
    me = w.h.participants[b1]
    assert me.room == LOBBY and not me.hand and me.status is ParticipantStatus.ACTIVE
    assert all(k.participant != b1 for k in w.h.knocks)
    assert w.h.rooms[PLENARY].epoch == epoch + 1  # the room changed: everyone re-plans
    # Its sockets close, its session stays.
    assert [e for e in effects if isinstance(e, CloseSessions)] == [
        CloseSessions(b1, "left", keep_sessions=True)]
    [audit] = [e for e in effects if isinstance(e, Audit) and e.action == "participant.leave"]
    assert audit.resource_id == b1 and audit.details == {"from": PLENARY, "to": LOBBY}
    for other in ("a1", "a2", "b2", "med"):  # the others drop their connection to b1 now
        plans = [d.message for d in deliveries(effects, ids[other])
                 if isinstance(d.message, PeerPlan)]
        assert plans and b1 in plans[-1].drop
        rooms = [d.message for d in deliveries(effects, ids[other])
                 if isinstance(d.message, RoomUpdate)]
        assert rooms and b1 not in {m.id for m in rooms[-1].room.members}


def test_no_grace_after_leaving_and_coming_back_means_waiting_to_be_admitted() -> None:
    w, ids = standard()
    a2 = ids["a2"]
    w.do(a2, Leave())
    w.disconnect(a2)  # the page closes its socket once told
    assert audits(w.do("med", Sweep())) == []  # already in the lobby: no grace to run out
    # Gone, not waiting: admitting them now would bring them back straight into the room.
    with pytest.raises(Conflict, match="not connected"):
        w.do("med", Admit(participant=a2, room=PLENARY))
    assert w.h.participants[a2].room == LOBBY
    effects = w.connect(a2)
    snap = effects[0]
    assert isinstance(snap, Reply) and isinstance(snap.value, Snapshot)
    assert snap.value.view.room is None and snap.value.view.you.room == LOBBY
    w.do("med", Admit(participant=a2, room=PLENARY))
    assert w.h.participants[a2].room == PLENARY


def test_leaving_a_caucus_and_leaving_the_lobby() -> None:
    w, ids = standard()
    room = caucus(w, "B caucus", w.sides["B"], move=True)
    w.do(ids["b2"], Leave())
    assert w.h.participants[ids["b2"]].room == LOBBY
    assert {p.id for p in w.h.participants.values() if p.room == room} == {ids["b1"]}
    w.connect(ids["b2"])
    w.do(ids["b2"], Knock())  # waiting in the lobby, asking for the mediator, then gone
    effects = w.do(ids["b2"], Leave())
    assert w.h.participants[ids["b2"]].room == LOBBY and w.h.knocks == ()
    [audit] = [e for e in effects if isinstance(e, Audit)]
    assert audit.details == {"from": LOBBY, "to": LOBBY}


def test_the_mediator_does_not_leave_and_nobody_leaves_a_closed_hearing() -> None:
    w, ids = standard()
    with pytest.raises(Invalid):
        w.do("med", Leave())
    assert w.h.participants["med"].room == PLENARY
    w.do("med", End())
    with pytest.raises(Conflict):
        w.do(ids["a1"], Leave())
