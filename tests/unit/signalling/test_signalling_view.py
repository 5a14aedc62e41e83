"""Snapshots: what each participant may see; and the tech-check stats summary."""

from __future__ import annotations

from types import SimpleNamespace

from sighelp import standard

from proto.ws import CaucusCreate, Move
from services.signalling.effects import Reply
from services.signalling.model import LOBBY
from services.signalling.techcheck_peer import summarise
from services.signalling.view import snapshot


def test_lobby_sees_only_itself_mediator_sees_board() -> None:
    w, ids = standard()
    room = next(e.value.room for e in w.do("med", CaucusCreate(name="B"))  # type: ignore[attr-defined]
                if isinstance(e, Reply))
    w.do("med", Move(participant=ids["b1"], room=room))
    w.do("med", Move(participant=ids["a2"], room=LOBBY))
    lobby = snapshot(w.h, ids["a2"])
    assert lobby.room is None and lobby.board is None and lobby.knocks is None
    assert lobby.you.room == LOBBY
    party = snapshot(w.h, ids["a1"])
    assert party.board is None
    assert party.room is not None
    assert {m.id for m in party.room.members} == {ids["a1"], ids["b2"], "med"}
    caucus = snapshot(w.h, ids["b1"])
    assert caucus.room is not None and [m.id for m in caucus.room.members] == [ids["b1"]]
    med = snapshot(w.h, "med")
    assert med.board is not None and med.knocks == []
    assert {r.id for r in med.board.rooms} == {LOBBY, "plenary", room}


def test_summarise_stats() -> None:
    report = {
        "a": SimpleNamespace(type="inbound-rtp", kind="video", packetsReceived=90,
                             packetsLost=10, jitter=900),
        "b": SimpleNamespace(type="remote-inbound-rtp", kind="video", roundTripTime=0.02,
                             fractionLost=64),
        "c": SimpleNamespace(type="remote-inbound-rtp", kind="audio", roundTripTime=0.04,
                             fractionLost=0),
        "d": SimpleNamespace(type="transport"),
    }
    stats = summarise(report, 5)
    assert stats.at == 5 and stats.rtt_ms is not None and abs(stats.rtt_ms - 30.0) < 1e-9
    (video,) = stats.streams
    assert video.loss_fraction == 0.1 and video.jitter_ms == 10.0
    assert video.echo_loss_fraction == 0.25
    assert summarise({}, 1).rtt_ms is None
