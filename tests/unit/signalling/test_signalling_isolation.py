"""The isolation invariant under random sequences of moves and actions (hypothesis).

After every step (checked inside `World.do`): no delivery and no connect instruction crosses
rooms, the lobby gets only its own state, every pair that should be connected is, with exactly
one offerer; and signals stamped with a stale epoch or aimed at another room are refused.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sighelp import World, standard

from proto.common import Role
from proto.ws import (
    CaucusClose,
    CaucusCreate,
    ChatSend,
    Hand,
    Knock,
    Move,
    Mute,
    Recall,
    Remove,
    Shuttle,
    SignalKind,
    SignalSend,
)
from services.signalling.core import Sweep
from services.signalling.errors import SignallingError
from services.signalling.model import LOBBY, is_live
from services.signalling.relay import decide

OPS = ("move", "move", "move", "shuttle", "caucus", "close", "recall", "drop", "reconnect",
       "chat", "hand", "mute", "knock", "remove", "tick")


def check_relay(w: World) -> None:
    """Stale or cross-room signals are refused; current same-room ones are relayed."""
    h = w.h
    live = [p for p in h.participants.values() if is_live(h, p)]
    for p in live:
        for q in live:
            if p.id == q.id:
                continue
            same = p.room == q.room and p.room not in (None, LOBBY)
            epoch = h.rooms[p.room].epoch if p.room in h.rooms else 0
            ok = decide(h, p.id, SignalSend(to=q.id, epoch=epoch, kind=SignalKind.OFFER,
                                            sdp="v=0"))
            assert (not isinstance(ok, str)) is same
            if same and epoch > 0:
                stale = decide(h, p.id, SignalSend(to=q.id, epoch=epoch - 1,
                                                   kind=SignalKind.OFFER, sdp="v=0"))
                assert isinstance(stale, str)


def step(w: World, ids: list[str], data: st.DataObject) -> None:
    op = data.draw(st.sampled_from(OPS))
    who = data.draw(st.sampled_from(ids))
    rooms = sorted(w.h.rooms)
    room = data.draw(st.sampled_from(rooms))
    cmd: object
    actor = "med"
    if op == "move":
        cmd = Move(participant=who, room=room)
    elif op == "shuttle":
        cmd = Shuttle(room=room)
    elif op == "caucus":
        side = data.draw(st.sampled_from([None, *w.sides.values()]))
        cmd = CaucusCreate(name="c", side=side)
    elif op == "close":
        cmd = CaucusClose(room=room)
    elif op == "recall":
        cmd = Recall()
    elif op == "remove":
        cmd = Remove(participant=who)
    elif op == "tick":
        w.now += data.draw(st.integers(0, 2 * w.env.policy.reconnect_grace_ms))
        cmd = Sweep()
    elif op == "drop":
        with contextlib.suppress(SignallingError):
            w.disconnect(who)
        return
    elif op == "reconnect":
        with contextlib.suppress(SignallingError):
            w.connect(who)
        return
    else:
        actor = who
        cmd = {"chat": ChatSend(text="x"), "hand": Hand(raised=True), "mute": Mute(muted=True),
               "knock": Knock()}[op]
    with contextlib.suppress(SignallingError):
        w.do(actor, cmd)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_sequences_keep_rooms_isolated(data: st.DataObject) -> None:
    w, named = standard()
    w.join("obs", Role.OBSERVER, None, admit=None)
    ids = [*named.values(), w.h.participants[[*w.h.participants][-1]].id]
    for _ in range(data.draw(st.integers(5, 40))):
        step(w, ids, data)
        check_relay(w)
