"""A hearing's schedule where people meet it: the lobby before the start is told when it is due
(`SelfView.scheduled_at`, `time_zone`), not "shortly"; and an invitation sent weeks ahead still
works on the day (at least until a day after the scheduled start). A start already past (beyond
a short grace) is a slip, refused with its reason."""

from __future__ import annotations

import pytest
from sighelp import MEDIATOR, World, det_env

from proto.common import Role
from proto.signalling import CreateHearing, InvitationIssued, InviteParticipant, OpenHearing
from proto.ws import HearingState
from services.signalling import schedule
from services.signalling.core import create
from services.signalling.effects import Reply
from services.signalling.errors import Invalid
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


def test_an_invitation_to_a_scheduled_hearing_works_until_a_day_after_its_start() -> None:
    week = 7 * 86_400_000
    far, _ = _waiting(DUE, "Asia/Hong_Kong")  # due years after "now": beyond the week
    assert far.invite("Chris", Role.COUNSEL, far.sides["A"]).expires_at == DUE + 86_400_000
    soon, _ = _waiting(soon_due := 1_000_000 + 3_600_000, None)  # due in an hour
    assert soon.invite("Chris", Role.COUNSEL, soon.sides["A"]).expires_at == soon.now + week
    assert soon_due + 86_400_000 < soon.now + week
    none, _ = _waiting(None, None)
    assert none.invite("Chris", Role.COUNSEL, none.sides["A"]).expires_at == none.now + week
    # What the mediator asks for holds, schedule or not.
    asked = far.do("med", InviteParticipant(name="Dee", role=Role.PARTY, side=far.sides["A"],
                                            expires_in_s=3600))
    [issued] = [e.value for e in asked if isinstance(e, Reply)]
    assert isinstance(issued, InvitationIssued) and issued.expires_at == far.now + 3_600_000


def test_a_start_in_the_past_is_refused_with_its_reason_beyond_a_short_grace() -> None:
    now = DUE
    grace = schedule.PAST_GRACE_MS

    def make(at: int | None) -> None:
        create(MEDIATOR, CreateHearing(title="Matter", scheduled_at=at, time_zone="UTC"), now,
               det_env())

    for late in (grace + 1, 86_400_000, 365 * 86_400_000):
        with pytest.raises(Invalid) as refused:
            make(now - late)
        assert refused.value.reason == "scheduled_in_past"
    for fine in (now - grace, now - 60_000, now, now + 86_400_000, None):
        make(fine)  # "now" picked to the minute, a form sent a while later, or no date at all
