"""Room chat history rules (chatlog.py) and the in-room states the participant's page shows:
entry times, knocks answered, microphone and camera state."""

from __future__ import annotations

import pytest
from sighelp import deliveries, standard

from proto.ws import (
    MAX_CHAT_HISTORY,
    ROOM_CHANGED,
    CaucusClose,
    CaucusCreate,
    ChatLine,
    ChatSend,
    End,
    Knock,
    Move,
    Mute,
    RoomUpdate,
    Shuttle,
)
from services.signalling.chatlog import (
    FLOOD_MAX,
    FLOOD_WINDOW_MS,
    ChatLog,
    append,
    decode_log,
    encode_log,
    said_to,
)
from services.signalling.effects import ForgetChat, StoreChat
from services.signalling.errors import Conflict, RateLimited
from services.signalling.model import MAX_VISITS


def line(sender: str, at: int, text: str = "hi") -> ChatLine:
    return ChatLine(sender=sender, name=sender, text=text, at=at)


def test_history_is_bounded_and_oldest_lines_go_first() -> None:
    log = ChatLog()
    for i in range(MAX_CHAT_HISTORY + 5):
        log = append(log, line(f"p{i % 50}", i * FLOOD_WINDOW_MS))
    assert len(log.lines) == MAX_CHAT_HISTORY
    assert log.lines[0].at == 5 * FLOOD_WINDOW_MS
    assert decode_log(encode_log(log)) == log
    assert decode_log(b"not json") == ChatLog()


def test_flood_is_per_sender_and_window() -> None:
    log = ChatLog()
    for i in range(FLOOD_MAX):
        log = append(log, line("a", 1000 + i))
    with pytest.raises(RateLimited) as refused:
        append(log, line("a", 2000))
    assert refused.value.reason == "chat_flood"
    assert refused.value.retry_after_s == (FLOOD_WINDOW_MS - 1000 + 999) // 1000
    append(log, line("b", 2000))  # someone else may still speak
    append(log, line("a", 1000 + FLOOD_WINDOW_MS))  # and so may `a` once the window moved on


def test_lines_said_before_one_entered_are_never_shown() -> None:
    log = ChatLog(lines=(line("a", 10), line("a", 20), line("a", 30)))
    assert [x.at for x in said_to(log, 20)] == [30]  # the same millisecond is left out
    assert said_to(log, 0) == list(log.lines)


def test_lines_said_during_an_earlier_stay_are_shown_and_none_said_while_away() -> None:
    log = ChatLog(lines=tuple(line("a", at) for at in (5, 10, 15, 20, 25, 30, 35, 40)))
    # in the room from 10 to 25, away until 35, back since then
    assert [x.at for x in said_to(log, 35, [(10, 25)])] == [15, 20, 40]
    assert [x.at for x in said_to(log, 35, [(10, 25), (28, 31)])] == [15, 20, 30, 40]
    assert [x.at for x in said_to(log, 35, [(10, 10)])] == [40]  # a stay of no time


def test_entering_a_room_stamps_the_time_and_chat_is_kept_then_delivered() -> None:
    w, ids = standard()
    w.now += 5000
    w.do("med", CaucusCreate(name="B caucus", side=w.sides["B"]))
    caucus = next(r for r in w.h.rooms if r not in ("lobby", "plenary"))
    w.do("med", Move(participant=ids["b1"], room=caucus))
    assert w.h.participants[ids["b1"]].entered_at == w.now
    w.now += 10
    effects = w.do(ids["b1"], ChatSend(text="only for B and the mediator"))
    assert isinstance(effects[0], StoreChat) and effects[0].room == caucus
    assert {d.to for d in deliveries(effects)} == {ids["b1"]}  # the mediator is in plenary
    w.do("med", Shuttle(room=caucus))
    effects = w.do(ids["b1"], ChatSend(text="now with the mediator"))
    assert {d.to for d in deliveries(effects)} == {ids["b1"], "med"}
    effects = w.do("med", CaucusClose(room=caucus))
    assert ForgetChat((caucus,)) in effects
    effects = w.do("med", End())
    forget = next(e for e in effects if isinstance(e, ForgetChat))
    assert set(forget.rooms) == {"plenary"}


def test_each_stay_in_a_room_is_kept_and_a_closed_caucus_forgotten() -> None:
    w, ids = standard()
    b1 = ids["b1"]
    first = w.h.participants[b1].entered_at
    w.now += 1000
    w.do("med", CaucusCreate(name="B caucus", side=w.sides["B"]))
    caucus = next(r for r in w.h.rooms if r not in ("lobby", "plenary"))
    w.do("med", Move(participant=b1, room=caucus))
    assert [(v.room, v.entered, v.left) for v in w.h.participants[b1].visits] == [
        ("plenary", first, w.now)]
    left_plenary, w.now = w.now, w.now + 1000
    w.do("med", Move(participant=b1, room="plenary"))
    assert [(v.room, v.entered, v.left) for v in w.h.participants[b1].visits] == [
        ("plenary", first, left_plenary), (caucus, left_plenary, w.now)]
    w.now += 1000
    w.do("med", CaucusClose(room=caucus))  # its chat is purged: no stay in it is kept either
    assert [v.room for v in w.h.participants[b1].visits] == ["plenary"]
    for _ in range(MAX_VISITS + 3):  # bounded: the oldest stays go first
        w.now += 10
        w.do("med", Move(participant=b1, room="lobby"))
        w.now += 10
        w.do("med", Move(participant=b1, room="plenary"))
    visits = w.h.participants[b1].visits
    assert len(visits) == MAX_VISITS and visits[-1].left == w.now - 10  # left for the lobby


def test_a_knock_is_answered_when_the_mediator_comes() -> None:
    w, ids = standard()
    w.do("med", CaucusCreate(name="A caucus", side=w.sides["A"]))
    caucus = next(r for r in w.h.rooms if r not in ("lobby", "plenary"))
    w.do("med", Move(participant=ids["a1"], room=caucus))
    w.do(ids["a1"], Knock(on=True))
    assert [k.participant for k in w.h.knocks] == [ids["a1"]]
    w.do(ids["b1"], Knock(on=True))
    w.do("med", Shuttle(room=caucus))
    assert [k.participant for k in w.h.knocks] == [ids["b1"]]  # b1 still waits


def test_microphone_and_camera_state_are_shown_to_the_room() -> None:
    w, ids = standard()
    effects = w.do(ids["a1"], Mute(camera_off=True))
    p = w.h.participants[ids["a1"]]
    assert p.camera_off and not p.muted
    effects = w.do(ids["a1"], Mute(muted=True))
    p = w.h.participants[ids["a1"]]
    assert p.camera_off and p.muted
    update = next(d.message for d in deliveries(effects, ids["b1"])
                  if isinstance(d.message, RoomUpdate))
    me = next(m for m in update.room.members if m.id == ids["a1"])
    assert me.muted and me.camera_off


def test_a_line_written_in_a_room_the_sender_has_left_is_refused_not_moved() -> None:
    """A move can cross a line on its way: the line names the room it was written in, and a
    sender who is no longer there has it refused (the page keeps it for them), never posted
    where they are now, so a caucus line cannot land in plenary."""
    w, ids = standard()
    w.do("med", CaucusCreate(name="B caucus", side=w.sides["B"]))
    caucus = next(r for r in w.h.rooms if r not in ("lobby", "plenary"))
    w.do("med", Move(participant=ids["b1"], room=caucus))
    effects = w.do(ids["b1"], ChatSend(text="our bottom line", room=caucus))
    assert isinstance(effects[0], StoreChat) and effects[0].room == caucus
    w.do("med", Move(participant=ids["b1"], room="plenary"))  # the mediator calls B back
    with pytest.raises(Conflict) as refused:
        w.do(ids["b1"], ChatSend(text="our bottom line is 40", room=caucus))
    assert refused.value.reason == ROOM_CHANGED
    assert not any(isinstance(e, StoreChat) for e in w.log[-3:])
    # A line that names no room (an API client) goes to the sender's room, as before.
    effects = w.do(ids["b1"], ChatSend(text="good morning"))
    assert isinstance(effects[0], StoreChat) and effects[0].room == "plenary"
