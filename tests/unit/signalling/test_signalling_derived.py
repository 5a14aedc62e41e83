"""The views memo (services/signalling/derived.py): a record's views are computed once, and a
new record, however alike, never gets the views of another."""

from __future__ import annotations

import random

import msgspec
from sighelp import caucus, deliveries, standard

from proto.ws import BoardUpdate, Hand, Knock, KnocksUpdate, Move, Mute, PeerPlan, RoomUpdate, YouUpdate
from services.signalling import derived as memo
from services.signalling.derived import Derived, derived
from services.signalling.errors import SignallingError
from services.signalling.membership import presence
from services.signalling.model import PLENARY, put_participant
from services.signalling.view import board, knocks, room_view, self_view

#: What presence() delivers (handlers deliver other kinds: notices, chat).
PRESENCE = (YouUpdate, PeerPlan, RoomUpdate, BoardUpdate, KnocksUpdate)


def test_the_same_record_gets_the_same_views_a_new_one_fresh_views() -> None:
    w, ids = standard()
    h = w.h
    views = derived(h)
    assert derived(h) is views
    assert views.self_view(ids["a1"]) is views.self_view(ids["a1"])  # computed once
    muted = put_participant(h, msgspec.structs.replace(h.participants[ids["a1"]], muted=True))
    assert muted.id == h.id and muted is not h
    fresh = derived(muted)
    assert fresh is not views
    assert fresh.self_view(ids["a1"]).muted and not views.self_view(ids["a1"]).muted
    assert [m.muted for m in fresh.room_view(PLENARY).members if m.id == ids["a1"]] == [True]
    # The memo keeps the latest record per hearing: the older one is derived afresh, correctly.
    assert derived(h) is not views and not derived(h).self_view(ids["a1"]).muted


def test_every_view_equals_the_one_computed_from_scratch() -> None:
    w, ids = standard()
    c = caucus(w, "B caucus", w.sides["B"])
    w.do("med", Move(participant=ids["b1"], room=c))
    w.do(ids["a2"], Knock())
    h = w.h
    views = Derived(h)
    for pid, p in h.participants.items():
        assert views.self_view(pid) == self_view(h, p)
    for rid in h.rooms:
        assert views.room_view(rid) == room_view(h, rid)
    assert views.board() == board(h)
    assert views.knocks() == knocks(h)


def test_a_run_of_commands_delivers_what_views_from_scratch_would() -> None:
    """Random moves, mutes, hands and knocks: each command's deliveries equal those computed
    with an empty memo. A memo that served one record's views for another (the same hearing a
    command later) would report no change where there was one, and this would fail."""
    w, ids = standard()
    c = caucus(w, "A caucus", w.sides["A"])
    rng = random.Random(3)
    people = [ids[n] for n in ("a1", "a2", "b1", "b2")]
    moved = 0
    for _ in range(150):
        who = rng.choice(people)
        command = rng.choice([
            Move(participant=who, room=rng.choice([PLENARY, c])),
            Move(participant=who, room=rng.choice([PLENARY, c])),
            Mute(muted=rng.random() < 0.5),
            Hand(raised=rng.random() < 0.5),
            Knock(),
        ])
        actor = "med" if isinstance(command, Move) else who
        before = w.h
        try:
            effects = w.do(actor, command)
        except SignallingError:  # refused (a side into the other side's caucus)
            continue
        from_memo = [d for d in deliveries(effects) if isinstance(d.message, PRESENCE)]
        memo._latest.clear()
        assert presence(before, w.h) == from_memo
        moved += isinstance(command, Move) and bool(from_memo)
    assert moved >= 10  # the run did move people (it is not a run of refusals)
