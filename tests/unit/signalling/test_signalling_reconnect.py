"""Reconnection grace with an injected clock (DESIGN §5)."""

from __future__ import annotations

from sighelp import deliveries, standard

from proto.signalling import SessionConnected, SessionDisconnected
from proto.ws import Move, PeerPlan, Snapshot
from services.signalling.core import Sweep
from services.signalling.effects import Audit, Reply
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
    w.do("med", Move(participant=a2, room=PLENARY))


def test_grace_is_applied_lazily_by_any_command() -> None:
    w, ids = standard()
    w.disconnect(ids["b2"])
    w.now += w.env.policy.reconnect_grace_ms + 5
    w.connect(ids["b2"])  # the reconnect itself comes too late
    assert w.h.participants[ids["b2"]].room == LOBBY


def test_mediator_keeps_its_seat_and_second_socket_keeps_presence() -> None:
    w, ids = standard()
    w.disconnect("med")
    w.now += 10 * w.env.policy.reconnect_grace_ms
    w.do("med", Sweep())
    assert w.h.participants["med"].room == PLENARY
    a1 = ids["a1"]
    w.do(a1, SessionConnected(conn="tab2"))
    conns = w.h.participants[a1].conns
    assert len(conns) == 2
    w.do(a1, SessionDisconnected(conn=conns[0]))
    w.now += 10 * w.env.policy.reconnect_grace_ms
    w.do("med", Sweep())
    assert w.h.participants[a1].room == PLENARY
