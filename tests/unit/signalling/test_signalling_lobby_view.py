"""What a person waiting in the lobby is told of the hearing: before it has started, its schedule
(`SelfView.scheduled_at`, `time_zone`), so the waiting room says when it is due, not "shortly"."""

from __future__ import annotations

from sighelp import MEDIATOR, World, det_env

from proto.common import Role
from proto.signalling import CreateHearing, OpenHearing
from proto.ws import HearingState
from services.signalling.core import create
from services.signalling.view import snapshot

DUE = 1_800_000_000_000


def _waiting(scheduled_at: int | None, zone: str | None) -> tuple[World, str]:
    h, _ = create(MEDIATOR, CreateHearing(title="Matter", scheduled_at=scheduled_at,
                                          time_zone=zone), 1_000_000, det_env())
    w = World(h=h, env=det_env(), principals={"med": MEDIATOR})
    w.connect("med")
    return w, w.join("Pat Party", Role.PARTY, w.side("A"), admit=None)


def test_the_lobby_before_the_start_carries_the_schedule() -> None:
    w, party = _waiting(DUE, "Asia/Hong_Kong")
    you = snapshot(w.h, party).you
    assert you.hearing_state is HearingState.SCHEDULED
    assert (you.scheduled_at, you.time_zone) == (DUE, "Asia/Hong_Kong")
    w.do("med", OpenHearing())
    assert snapshot(w.h, party).you.hearing_state is HearingState.OPEN


def test_an_unscheduled_hearing_says_none() -> None:
    w, party = _waiting(None, None)
    you = snapshot(w.h, party).you
    assert you.scheduled_at is None and you.time_zone is None
