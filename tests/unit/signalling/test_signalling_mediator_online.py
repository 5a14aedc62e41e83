"""Whether the mediator is connected, in every participant's own view: a waiting room whose
mediator is offline says so, and learns it at once when the mediator drops or comes back."""

from __future__ import annotations

from sighelp import World, deliveries, world

from proto.common import Role
from proto.ws import YouUpdate
from services.signalling.view import snapshot


def _you_updates(effects: list[object], to: str) -> list[bool]:
    return [d.message.you.mediator_online for d in deliveries(effects, to)  # type: ignore[arg-type]
            if isinstance(d.message, YouUpdate)]


def _waiting(w: World) -> str:
    party = w.join("Pat Party", Role.PARTY, w.side("A"), admit=None)  # waits in the lobby
    assert w.h.participants[party].room == "lobby"
    return party


def test_the_lobby_is_told_when_the_mediator_drops_and_comes_back() -> None:
    w = world()
    party = _waiting(w)
    assert snapshot(w.h, party).you.mediator_online is True
    assert _you_updates(w.disconnect("med"), party) == [False]
    assert snapshot(w.h, party).you.mediator_online is False
    assert _you_updates(w.connect("med"), party) == [True]
    assert snapshot(w.h, party).you.mediator_online is True


def test_a_lobby_opened_while_the_mediator_is_away_says_so() -> None:
    w = world()
    w.disconnect("med")
    party = _waiting(w)
    assert snapshot(w.h, party).you.mediator_online is False
