"""Reconnection grace with an injected clock (DESIGN §5)."""

from __future__ import annotations

from sighelp import deliveries, standard, world

from proto.signalling import SessionConnected, SessionDisconnected
from proto.ws import BoardUpdate, Leave, Move, PeerPlan, Snapshot, YouUpdate
from services.signalling.core import Sweep
from services.signalling.effects import Audit, Policy, Reply
from services.signalling.model import LOBBY, PLENARY


def test_reconnect_within_grace_returns_to_same_room_as_offerer() -> None:
    w, ids = standard()
    b1 = ids["b1"]
    epoch = w.h.rooms[PLENARY].epoch
    effects = w.disconnect(b1)
    assert w.h.rooms[PLENARY].epoch == epoch + 1
    assert all(b1 in d.message.drop for d in deliveries(effects)
               if isinstance(d.message, PeerPlan))
    w.now += w.env.policy.reconnect_grace_ms - 1
    w.do("med", Sweep())
    assert w.h.participants[b1].room == PLENARY
    effects = w.connect(b1)
    snap = effects[0]
    assert isinstance(snap, Reply) and isinstance(snap.value, Snapshot)
    assert snap.value.view.room is not None and snap.value.view.room.id == PLENARY
    plan = next(d.message for d in deliveries(effects, b1) if isinstance(d.message, PeerPlan))
    assert len(plan.connect) == 4 and all(link.offerer for link in plan.connect)


def test_every_snapshot_tells_the_page_the_grace() -> None:
    """A page cut off this long closes its peer connections itself (media/mesh.js `offline`):
    the server's plan dropping them cannot reach it. Each socket's snapshot says how long."""
    for grace in (6_000, 45_500):
        w = world(Policy(reconnect_grace_ms=grace))
        pid = w.join("A1", side=w.side("A"))
        for effects in (w.connect("med"), w.connect(pid)):
            snap = effects[0]
            assert isinstance(snap, Reply) and isinstance(snap.value, Snapshot)
            assert snap.value.reconnect_grace_ms == grace


def test_after_grace_back_to_lobby() -> None:
    w, ids = standard()
    a2 = ids["a2"]
    w.disconnect(a2)
    w.now += w.env.policy.reconnect_grace_ms
    effects = w.do("med", Sweep())
    assert w.h.participants[a2].room == LOBBY
    assert any(isinstance(e, Audit) and e.action == "room.grace_expired" for e in effects)
    effects = w.connect(a2)
    snap = effects[0]
    assert isinstance(snap, Reply) and isinstance(snap.value, Snapshot)
    assert snap.value.view.room is None and snap.value.view.you.room == LOBBY
    # The waiting screen says why, and the mediator's board says it is someone coming back.
    assert snap.value.view.you.grace_expired
    board = next(d.message.board for d in deliveries(effects, "med")
                 if isinstance(d.message, BoardUpdate))
    lobby = next(r for r in board.rooms if r.id == LOBBY)
    assert [(m.id, m.connected, m.grace_expired) for m in lobby.members] == [(a2, True, True)]
    effects = w.do("med", Move(participant=a2, room=PLENARY))
    assert not w.h.participants[a2].grace_expired
    you = next(d.message.you for d in deliveries(effects, a2) if isinstance(d.message, YouUpdate))
    assert you.room == PLENARY and not you.grace_expired


def test_someone_new_in_the_lobby_or_back_on_purpose_is_not_marked_as_dropped() -> None:
    w, ids = standard()
    a2 = ids["a2"]
    w.disconnect(a2)
    w.now += w.env.policy.reconnect_grace_ms
    w.do("med", Sweep())
    w.connect(a2)
    assert w.h.participants[a2].grace_expired
    w.do(a2, Leave())  # left on purpose from the lobby: back later as someone who left
    assert not w.h.participants[a2].grace_expired
    late = w.join("late", side=w.h.participants[a2].side, admit=None)
    assert not w.h.participants[late].grace_expired


def test_grace_is_applied_lazily_by_any_command() -> None:
    w, ids = standard()
    w.disconnect(ids["b2"])
    w.now += w.env.policy.reconnect_grace_ms + 5
    w.connect(ids["b2"])  # the reconnect itself comes too late
    assert w.h.participants[ids["b2"]].room == LOBBY


def test_mediator_keeps_its_seat_and_a_newer_socket_keeps_presence() -> None:
    w, ids = standard()
    w.disconnect("med")
    w.now += 10 * w.env.policy.reconnect_grace_ms
    w.do("med", Sweep())
    assert w.h.participants["med"].room == PLENARY
    # A reconnect the server sees before the old socket's close: the new one takes over
    # (test_signalling_takeover.py), and the old one's close does not start the grace.
    a1 = ids["a1"]
    (old,) = w.h.participants[a1].conns
    w.do(a1, SessionConnected(conn="tab2"))
    w.do(a1, SessionDisconnected(conn=old))
    w.now += 10 * w.env.policy.reconnect_grace_ms
    w.do("med", Sweep())
    assert w.h.participants[a1].room == PLENARY


def test_next_due_is_exactly_when_the_sweep_first_changes_the_hearing() -> None:
    from services.signalling.core import next_due, sweep

    w, ids = standard()
    assert next_due(w.h, w.env) is None  # nothing timed: the sweeper skips this hearing
    w.disconnect(ids["b1"])
    due = next_due(w.h, w.env)
    assert due == w.now + w.env.policy.reconnect_grace_ms
    assert sweep(w.h, due - 1, w.env)[0] == w.h
    assert sweep(w.h, due, w.env)[0] != w.h
    w.connect(ids["b1"])
    assert next_due(w.h, w.env) is None
