"""A side's people still in the waiting room when the mediator moves the side (`move.side`, or a
new caucus with the side moved in): a move is not an admission, so they stay, and the console
that asked is told how many (it once did nothing, silently). `admit.side` admits them all in one
step, each as one admission (audited per person; a locked hearing admits nobody new)."""

from __future__ import annotations

import pytest
from sighelp import audits, caucus, deliveries, standard

from proto.common import Role
from proto.ws import AdmitSide, CaucusCreate, Lock, Move, MoveSide, Notice, NoticeKind
from services.signalling.effects import Audit, Deliver, Effect
from services.signalling.errors import Conflict, Forbidden, Invalid
from services.signalling.model import LOBBY, PLENARY


def waiting_notices(effects: list[Effect]) -> list[Deliver]:
    return [d for d in deliveries(effects) if isinstance(d.message, Notice)
            and d.message.kind is NoticeKind.SIDE_WAITING]


def test_moving_a_side_tells_the_console_how_many_still_wait() -> None:
    w, ids = standard()
    b = w.sides["B"]
    late = [w.join(n, Role.COUNSEL, b, admit=None) for n in ("b3", "b4")]
    gone = w.join("b5", Role.COUNSEL, b, admit=None)
    w.disconnect(gone)  # not waiting: their page is closed
    console = w.h.participants["med"].conns[0]
    effects = w.do("med", MoveSide(side=b, room=PLENARY), conn=console)
    told = waiting_notices(effects)
    assert [(d.to, d.conns) for d in told] == [("med", (console,))]  # the asking socket only
    assert told[0].message == Notice(kind=NoticeKind.SIDE_WAITING, side=b, room=PLENARY, waiting=2)
    assert {w.h.participants[p].room for p in [*late, gone]} == {LOBBY}
    # A caucus created with the side moved in says the same, for the new caucus.
    effects = w.do("med", MoveSide(side=b, room=PLENARY))
    assert waiting_notices(effects)[0].conns == ()  # no socket named: every console of the mediator
    effects = w.do("med", CaucusCreate(name="", side=b, move_side=True), conn=console)
    notice = waiting_notices(effects)[0].message
    assert isinstance(notice, Notice) and notice.waiting == 2 and notice.room != PLENARY
    assert {w.h.participants[ids[n]].room for n in ("b1", "b2")} == {notice.room}
    # Nobody of A waits: moving A says nothing more than the move.
    assert waiting_notices(w.do("med", MoveSide(side=w.sides["A"], room=PLENARY))) == []


def test_admitting_a_side_admits_its_waiting_people_one_by_one_in_one_step() -> None:
    w, ids = standard()
    a, b = w.sides["A"], w.sides["B"]
    mine = [w.join(n, Role.COUNSEL, b, admit=None) for n in ("b3", "b4")]
    other = w.join("a3", Role.COUNSEL, a, admit=None)
    gone = w.join("b5", Role.COUNSEL, b, admit=None)
    w.disconnect(gone)
    room = caucus(w, "", b)
    effects = w.do("med", AdmitSide(side=b, room=room))
    assert {w.h.participants[p].room for p in mine} == {room}
    assert w.h.participants[other].room == LOBBY  # another side's waiting people stay
    assert w.h.participants[gone].room == LOBBY  # nobody is waiting there to be admitted
    admits = [e for e in effects if isinstance(e, Audit)]
    assert audits(effects) == ["participant.admit", "participant.admit"]
    assert {e.resource_id for e in admits} == set(mine)
    assert all(e.details == {"from": LOBBY, "to": room, "side": b} for e in admits)
    # Nobody left waiting of B: said, not a silent nothing.
    with pytest.raises(Conflict) as refused:
        w.do("med", AdmitSide(side=b, room=PLENARY))
    assert refused.value.reason == "none_waiting"
    # The room rules of one admission hold.
    with pytest.raises(Conflict):
        w.do("med", AdmitSide(side=a, room=room))  # B's caucus admits only B
    with pytest.raises(Invalid):
        w.do("med", AdmitSide(side=a, room=LOBBY))
    with pytest.raises(Invalid):
        w.do("med", AdmitSide(side="nope", room=PLENARY))
    with pytest.raises(Forbidden):
        w.do(ids["a1"], AdmitSide(side=a, room=PLENARY))
    assert w.h.participants[other].room == LOBBY


def test_a_locked_hearing_admits_nobody_new_from_a_side() -> None:
    w, ids = standard()
    a = w.sides["A"]
    new = w.join("a3", Role.COUNSEL, a, admit=None)
    w.do("med", Move(participant=ids["a1"], room=LOBBY))  # admitted before: may come back
    w.do("med", Lock(locked=True))
    with pytest.raises(Conflict) as refused:
        w.do("med", AdmitSide(side=a, room=PLENARY))
    assert refused.value.reason == "locked"
    assert {w.h.participants[p].room for p in (new, ids["a1"])} == {LOBBY}  # nobody half-admitted
    w.do("med", Lock(locked=False))
    w.do("med", AdmitSide(side=a, room=PLENARY))
    assert {w.h.participants[p].room for p in (new, ids["a1"])} == {PLENARY}
