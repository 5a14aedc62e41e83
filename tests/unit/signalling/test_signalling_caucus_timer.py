"""Caucus timers count the time of the people in a caucus: emptied, a caucus's timer ends.
Time added to a running timer ("Add 5 minutes") is added by the server to its deadline."""

from __future__ import annotations

import msgspec
import pytest
from sighelp import SYSTEM, World, audits, caucus, deliveries, standard

from proto.ws import (
    MAX_TIMER_S,
    BoardUpdate,
    CaucusTimer,
    Move,
    MoveSide,
    Notice,
    NoticeKind,
    Recall,
    RoomUpdate,
    Shuttle,
    decode_client,
)
from services.signalling.core import Sweep, next_due
from services.signalling.effects import Audit, Effect
from services.signalling.errors import Invalid
from services.signalling.model import LOBBY, PLENARY


def time_ups(effects: list[Effect]) -> set[str]:
    return {d.to for d in deliveries(effects)
            if isinstance(d.message, Notice) and d.message.kind is NoticeKind.TIMER}


def board_deadline(effects: list[Effect], room: str) -> object:
    boards = [d.message.board for d in deliveries(effects, "med")
              if isinstance(d.message, BoardUpdate)]
    assert boards, "the mediator's board is told"
    return next(r.deadline for r in boards[-1].rooms if r.id == room)


def side_caucus_with_timer() -> tuple[World, dict[str, str], str]:
    w, ids = standard()
    c = caucus(w, "A", w.sides["A"], move=True)
    w.do("med", CaucusTimer(room=c, seconds=60))
    assert w.h.rooms[c].deadline == w.now + 60_000
    return w, ids, c


def assert_ended(w: World, effects: list[Effect], room: str) -> None:
    assert w.h.rooms[room].deadline is None
    assert board_deadline(effects, room) is None  # the console's countdown goes
    ended = [e for e in effects if isinstance(e, Audit) and e.action == "room.timer"]
    assert [(e.resource_id, e.details) for e in ended] == [(room, {"seconds": 0,
                                                                   "emptied": True})]
    assert next_due(w.h, w.env) is None
    w.now += 120_000  # long after the deadline it had: nobody is told its time is up
    assert not time_ups(w.do("med", Sweep()))


def test_calling_everyone_back_ends_the_emptied_caucus_timer() -> None:
    w, _, c = side_caucus_with_timer()
    assert_ended(w, w.do("med", Recall()), c)


def test_moving_the_side_back_to_plenary_ends_its_caucus_timer() -> None:
    w, _, c = side_caucus_with_timer()
    assert_ended(w, w.do("med", MoveSide(side=w.sides["A"], room=PLENARY)), c)


def test_the_mediator_alone_in_a_caucus_does_not_keep_its_timer() -> None:
    w, ids, c = side_caucus_with_timer()
    w.do("med", Shuttle(room=c))
    w.do("med", Move(participant=ids["a1"], room=PLENARY))
    assert w.h.rooms[c].deadline is not None  # a2 is still there
    assert_ended(w, w.do("med", Move(participant=ids["a2"], room=PLENARY)), c)
    assert w.h.participants["med"].room == c


def test_sent_to_the_lobby_by_the_reconnection_grace_ends_it_too() -> None:
    w, ids = standard()
    c = caucus(w, "B", w.sides["B"])
    w.do("med", Move(participant=ids["b1"], room=c))
    w.do("med", CaucusTimer(room=c, seconds=600))
    w.disconnect(ids["b1"])
    assert w.h.rooms[c].deadline is not None  # offline, within the grace: still theirs
    w.now += w.env.policy.reconnect_grace_ms
    effects = w.do(SYSTEM, Sweep())
    assert w.h.participants[ids["b1"]].room == LOBBY
    assert_ended(w, effects, c)


def test_a_timer_keeps_running_while_someone_is_there() -> None:
    w, ids, _ = side_caucus_with_timer()
    effects = w.do("med", Move(participant=ids["a1"], room=PLENARY))
    assert "room.timer" not in audits(effects)
    w.now += 60_000
    assert time_ups(w.do("med", Sweep())) == {ids["a2"], "med"}


def test_a_timer_set_before_anyone_enters_keeps_running() -> None:
    w, _ = standard()
    c = caucus(w)
    w.do("med", CaucusTimer(room=c, seconds=30))
    w.do("med", Shuttle(room=c))
    w.do("med", Shuttle(room=PLENARY))  # the mediator coming and going empties nothing
    assert w.h.rooms[c].deadline is not None
    w.now += 30_000
    assert time_ups(w.do("med", Sweep())) == {"med"}


def test_time_up_is_said_before_the_room_view_without_the_deadline() -> None:
    w, ids, _ = side_caucus_with_timer()
    w.now += 60_000
    mine = deliveries(w.do("med", Sweep()), ids["a1"])
    kinds = [type(d.message) for d in mine]
    assert Notice in kinds and RoomUpdate in kinds
    assert kinds.index(Notice) < kinds.index(RoomUpdate)
    view = next(d.message.room for d in mine if isinstance(d.message, RoomUpdate))
    assert view.deadline is None


# --- extending a running timer ("Add 5 minutes"): the server adds to the deadline it holds ---

def room_deadline(effects: list[Effect], pid: str) -> object:
    views = [d.message.room for d in deliveries(effects, pid) if isinstance(d.message, RoomUpdate)]
    assert views, f"{pid} is told of the room"
    return views[-1].deadline


def timer_audit(effects: list[Effect]) -> dict[str, object]:
    (entry,) = [e for e in effects if isinstance(e, Audit) and e.action == "room.timer"]
    return entry.details


def test_extending_adds_to_the_deadline_set_not_to_now() -> None:
    w, ids, c = side_caucus_with_timer()  # 60 s from w.now
    set_at = w.now
    w.now += 45_000  # the console shows 0:15 left; its clock may differ from the server's
    effects = w.do("med", CaucusTimer(room=c, seconds=300, extend=True))
    assert w.h.rooms[c].deadline == set_at + 360_000
    assert board_deadline(effects, c) == set_at + 360_000  # the console's countdown
    assert room_deadline(effects, ids["a1"]) == set_at + 360_000  # the party's
    assert timer_audit(effects) == {"seconds": 300, "added": True, "left": 315}
    w.now = set_at + 359_999
    assert not time_ups(w.do("med", Sweep()))
    w.now += 1
    assert time_ups(w.do("med", Sweep())) == {ids["a1"], ids["a2"], "med"}


def test_two_consoles_adding_5_minutes_add_10() -> None:
    w, _, c = side_caucus_with_timer()
    set_at = w.now
    for _ in range(2):
        w.now += 1_000
        w.do("med", CaucusTimer(room=c, seconds=300, extend=True))
    assert w.h.rooms[c].deadline == set_at + 60_000 + 600_000


def test_time_added_after_time_up_counts_from_now() -> None:
    w, ids, c = side_caucus_with_timer()
    w.now += 90_000  # up at 60 s; the sweep of this command says so first
    effects = w.do("med", CaucusTimer(room=c, seconds=300, extend=True))
    assert time_ups(effects) == {ids["a1"], ids["a2"], "med"}
    assert w.h.rooms[c].deadline == w.now + 300_000
    assert room_deadline(effects, ids["a1"]) == w.now + 300_000
    assert timer_audit(effects) == {"seconds": 300, "added": True, "left": 300}


def test_extending_past_24_hours_or_by_nothing_is_refused() -> None:
    w, _, c = side_caucus_with_timer()
    w.do("med", CaucusTimer(room=c, seconds=MAX_TIMER_S))  # the longest: allowed
    before = w.h
    with pytest.raises(Invalid) as refused:
        w.do("med", CaucusTimer(room=c, seconds=60, extend=True))
    assert refused.value.reason == "timer_too_long"
    assert "24 hours" in refused.value.message
    with pytest.raises(Invalid):
        w.do("med", CaucusTimer(room=c, seconds=0, extend=True))
    assert w.h == before
    with pytest.raises(Invalid):
        w.do("med", CaucusTimer(room=PLENARY, seconds=300, extend=True))


@pytest.mark.parametrize("raw", [
    b'{"type":"caucus.timer","room":"c","seconds":-300}',
    b'{"type":"caucus.timer","room":"c","seconds":86401}',
    b'{"type":"caucus.timer","room":"c","seconds":1.5}',
    b'{"type":"caucus.timer","room":"c","seconds":300,"extend":"yes"}',
])
def test_a_timer_out_of_bounds_is_refused_naming_the_field(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError) as refused:
        decode_client(raw)
    assert "$.seconds" in str(refused.value) or "$.extend" in str(refused.value)


def test_a_timer_frame_decodes_with_or_without_extend() -> None:
    assert decode_client(b'{"type":"caucus.timer","room":"c","seconds":1200}') == \
        CaucusTimer(room="c", seconds=1200)
    assert decode_client(b'{"type":"caucus.timer","room":"c","seconds":300,"extend":true}') == \
        CaucusTimer(room="c", seconds=300, extend=True)
