"""Moving a whole side (`move.side`, and `caucus.create` with `move_side`): one change of the
hearing, so no moment exists with half of the side moved; the side's clients drop the other
side's peers before anyone else is told anything; every person's move is audited."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sighelp import audits, caucus, deliveries, standard

from proto.common import Role
from proto.ws import CaucusCreate, Move, MoveSide, Notice, NoticeKind, PeerPlan, RoomUpdate
from services.signalling.effects import Audit, Deliver
from services.signalling.errors import Conflict, Forbidden, Invalid
from services.signalling.model import LOBBY, PLENARY


def test_a_whole_side_moves_in_one_step_and_drops_first() -> None:
    w, ids = standard()
    c = caucus(w, "Caucus", w.sides["B"])
    before = w.h
    effects = w.do("med", MoveSide(side=w.sides["B"], room=c))
    # One apply: the hearing before has the whole side in plenary, the one after has it all in
    # the caucus; no hearing state exists in between.
    assert {before.participants[ids[n]].room for n in ("b1", "b2")} == {PLENARY}
    assert {w.h.participants[ids[n]].room for n in ("b1", "b2")} == {c}
    assert {w.h.participants[ids[n]].room for n in ("a1", "a2")} == {PLENARY}
    plans = [d for d in deliveries(effects) if isinstance(d.message, PeerPlan)]
    # The two now in the caucus are told first, each dropping everyone of plenary at once.
    assert {d.to for d in plans[:2]} == {ids["b1"], ids["b2"]}
    for d in plans[:2]:
        assert isinstance(d.message, PeerPlan)
        assert set(d.message.drop) >= {ids["a1"], ids["a2"], "med"}
    # Side A is told to drop both of B together, never one of them first.
    for name in ("a1", "a2"):
        plan = next(d.message for d in plans if d.to == ids[name])
        assert isinstance(plan, PeerPlan)
        assert set(plan.drop) == {ids["b1"], ids["b2"]}
    # Nobody outside the caucus sees it.
    for d in deliveries(effects):
        if isinstance(d.message, RoomUpdate) and d.message.room.id == c:
            assert d.to in (ids["b1"], ids["b2"])
    assert audits(effects).count("room.move") == 2
    side_audit = next(e for e in effects if isinstance(e, Audit) and e.action == "room.move_side")
    assert side_audit.details == {"to": c, "moved": 2}


def test_create_a_caucus_with_the_side_moved_in_at_once() -> None:
    w, ids = standard()
    c = caucus(w, "Caucus", w.sides["A"], move=True)
    assert {w.h.participants[ids[n]].room for n in ("a1", "a2")} == {c}
    assert w.h.rooms[c].side == w.sides["A"]


def test_lobby_members_are_not_moved_and_rules_hold() -> None:
    w, ids = standard()
    late = w.join("b3", Role.COUNSEL, w.sides["B"], admit=None)
    assert w.h.participants[late].room == LOBBY
    c = caucus(w, "Caucus", w.sides["B"], move=True)
    assert w.h.participants[late].room == LOBBY  # admitted one by one, never by a side move
    with pytest.raises(Invalid):
        w.do("med", MoveSide(side="nope", room=c))
    with pytest.raises(Invalid):
        w.do("med", MoveSide(side=w.sides["A"], room=LOBBY))
    with pytest.raises(Conflict):
        w.do("med", MoveSide(side=w.sides["A"], room=c))  # B's caucus admits only B
    with pytest.raises(Forbidden):
        w.do(ids["a1"], MoveSide(side=w.sides["A"], room=PLENARY))
    with pytest.raises(Invalid):
        w.do("med", CaucusCreate(name="x", move_side=True))
    # Nothing moved by the refusals; moving the side back is one step too.
    w.do("med", MoveSide(side=w.sides["B"], room=PLENARY))
    assert {w.h.participants[ids[n]].room for n in ("b1", "b2")} == {PLENARY}
    # Still waiting, and said so (test_signalling_admit_side.py): nobody moved.
    assert w.do("med", MoveSide(side=w.sides["B"], room=PLENARY)) == [
        Audit("room.move_side", "side", w.sides["B"], details={"to": PLENARY, "moved": 0}),
        Deliver("med", Notice(kind=NoticeKind.SIDE_WAITING, side=w.sides["B"], room=PLENARY,
                              waiting=1))]


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_side_moves_among_single_moves_keep_rooms_isolated(data: st.DataObject) -> None:
    """Random single and side moves: `World.do` checks isolation and pairs after every step."""
    w, ids = standard()
    rooms = [PLENARY, caucus(w, "Caucus", w.sides["A"]), caucus(w, "Caucus", w.sides["B"]),
             caucus(w, "Caucus", None)]
    people = [ids[n] for n in ("a1", "a2", "b1", "b2")]
    for _ in range(data.draw(st.integers(3, 20))):
        room = data.draw(st.sampled_from(rooms))
        if data.draw(st.booleans()):
            cmd: object = MoveSide(side=data.draw(st.sampled_from(sorted(w.sides.values()))),
                                   room=room)
        else:
            cmd = Move(participant=data.draw(st.sampled_from(people)), room=room)
        try:
            w.do("med", cmd)
        except Conflict:
            continue
        if isinstance(cmd, MoveSide):
            side_rooms = {p.room for p in w.h.participants.values()
                          if p.side == cmd.side and p.room != LOBBY}
            assert side_rooms == {room}  # never half a side
