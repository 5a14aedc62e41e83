"""Changing a hearing's title, start and time zone (services/signalling/hearing_details.py),
through the pure core.

Only the hearing's mediator changes them, any of them at once, until the hearing ends; a new
start follows a new hearing's rule (not in the past). Everyone connected sees the change at once
(a `you` update, the lobby too), invitations sent with the default lifetime follow a later
start, and the change is audited with what it was before.
"""

from __future__ import annotations

import msgspec
import pytest
from sighelp import ADMIN, MEDIATOR, OTHER_MEDIATOR, SYSTEM, World, audits, det_env, reply_of

from proto.common import Role
from proto.signalling import (
    ChangeHearing,
    CloseHearing,
    CreateHearing,
    HearingSummary,
    InviteParticipant,
    OpenHearing,
    RedeemInvitation,
)
from proto.ws import YouUpdate
from services.signalling import schedule
from services.signalling.core import create
from services.signalling.effects import Audit, Deliver, Reply
from services.signalling.errors import Conflict, Forbidden, Invalid
from services.signalling.hearing_details import CHANGE_RULES, HEARING_ENDED, change_refusal
from services.signalling.invitations import AFTER_START_MS
from services.signalling.view import detail

NOW = 1_700_000_000_000
DAY = 86_400_000
DUE = NOW + 30 * DAY


def _hearing(*, scheduled_at: int | None = DUE, zone: str | None = "Asia/Hong_Kong") -> World:
    env = det_env()
    h, _ = create(MEDIATOR, CreateHearing(title="Chan v. Lee", scheduled_at=scheduled_at,
                                          time_zone=zone), NOW, env)
    w = World(h=h, env=env, now=NOW, principals={"med": MEDIATOR})
    w.connect("med")
    return w


def _event(effects: list[object]) -> Audit:
    [event] = [e for e in effects if isinstance(e, Audit)]
    return event


def test_the_mediator_moves_and_renames_and_everyone_connected_sees_it_at_once() -> None:
    w = _hearing()
    a = w.side("Claimant")
    waiting = w.join("Ann Chan", Role.PARTY, a, admit=None)  # in the lobby
    w.do("med", OpenHearing())
    inside = w.join("Ben Lee", Role.COUNSEL, a)  # in plenary
    later = DUE + 7 * DAY
    effects = w.do("med", ChangeHearing(title="Chan v. Lee (adjourned)", scheduled_at=later,
                                        time_zone="Europe/London"))
    assert (w.h.title, w.h.scheduled_at, w.h.time_zone) == (
        "Chan v. Lee (adjourned)", later, "Europe/London")
    assert detail(w.h, w.now).details_changes == 1  # its calendar file's SEQUENCE
    reply = reply_of(effects)
    assert isinstance(reply, HearingSummary)
    assert (reply.title, reply.scheduled_at, reply.time_zone) == (
        "Chan v. Lee (adjourned)", later, "Europe/London")
    event = _event(effects)
    assert (event.action, event.resource_type, event.resource_id) == (
        "hearing.details_change", "hearing", w.h.id)
    assert event.details == {
        "title": "Chan v. Lee (adjourned)", "previous_title": "Chan v. Lee",
        "scheduled_at": later, "previous_scheduled_at": DUE,
        "time_zone": "Europe/London", "previous_time_zone": "Asia/Hong_Kong",
        "invitations_extended": 0}
    # The lobby's waiting screen, the room's header and the console: each its own `you`.
    for pid in (waiting, inside, "med"):
        [you] = [d.message.you for d in effects
                 if isinstance(d, Deliver) and d.to == pid and isinstance(d.message, YouUpdate)]
        assert (you.title, you.scheduled_at, you.time_zone) == (
            "Chan v. Lee (adjourned)", later, "Europe/London")
    assert {type(d.message) for d in effects if isinstance(d, Deliver)} == {YouUpdate}


def test_any_one_detail_changes_alone_and_the_same_details_change_nothing() -> None:
    w = _hearing()
    effects = w.do("med", ChangeHearing(title="Chan v. Lee: lease"))
    assert (w.h.title, w.h.scheduled_at, w.h.time_zone) == ("Chan v. Lee: lease", DUE,
                                                            "Asia/Hong_Kong")
    assert _event(effects).details == {"title": "Chan v. Lee: lease",
                                       "previous_title": "Chan v. Lee", "invitations_extended": 0}
    effects = w.do("med", ChangeHearing(time_zone="Asia/Singapore"))
    assert _event(effects).details == {  # the start beside its zone: a time is read in it
        "scheduled_at": DUE, "previous_scheduled_at": DUE, "time_zone": "Asia/Singapore",
        "previous_time_zone": "Asia/Hong_Kong", "invitations_extended": 0}
    before = w.h
    assert before.details_changes == 2
    again = w.do("med", ChangeHearing(title="Chan v. Lee: lease", scheduled_at=DUE))
    assert w.h == before and audits(again) == [] and isinstance(reply_of(again), HearingSummary)
    assert not [e for e in again if isinstance(e, Deliver)]
    assert w.do("med", ChangeHearing()) == [Reply(reply_of(again))]  # type: ignore[arg-type]


def test_taking_the_start_away_takes_its_zone_unless_one_is_named() -> None:
    w = _hearing()
    effects = w.do("med", ChangeHearing(scheduled_at=None))
    assert (w.h.scheduled_at, w.h.time_zone) == (None, None)
    assert _event(effects).details == {
        "scheduled_at": None, "previous_scheduled_at": DUE, "time_zone": None,
        "previous_time_zone": "Asia/Hong_Kong", "invitations_extended": 0}
    w.do("med", ChangeHearing(scheduled_at=DUE, time_zone="Asia/Taipei"))
    w.do("med", ChangeHearing(scheduled_at=None, time_zone="Asia/Taipei"))
    assert (w.h.scheduled_at, w.h.time_zone) == (None, "Asia/Taipei")


def test_only_the_hearings_mediator_changes_the_details() -> None:
    w = _hearing()
    w.do("med", OpenHearing())
    w.join("Ann Chan", Role.PARTY, w.side("Claimant"))
    before = w.h
    for who in ("Ann Chan", ADMIN, OTHER_MEDIATOR, SYSTEM):
        with pytest.raises(Forbidden):
            w.do(who, ChangeHearing(title="Taken over"))
    assert w.h == before


def test_an_ended_hearing_keeps_its_details() -> None:
    w = _hearing()
    w.do("med", CloseHearing())
    for change in (ChangeHearing(title="Renamed after"), ChangeHearing(scheduled_at=DUE + DAY),
                   ChangeHearing(scheduled_at=NOW - 365 * DAY)):  # ended is said first
        with pytest.raises(Conflict) as refused:
            w.do("med", change)
        assert refused.value.reason == HEARING_ENDED
    assert (w.h.title, w.h.scheduled_at) == ("Chan v. Lee", DUE)
    assert [rule.reason for rule in CHANGE_RULES] == [HEARING_ENDED, schedule.SCHEDULED_IN_PAST]


def test_a_new_start_in_the_past_is_refused_but_a_started_hearing_may_be_renamed() -> None:
    w = _hearing()
    with pytest.raises(Invalid) as refused:
        w.do("med", ChangeHearing(scheduled_at=NOW - DAY))
    assert refused.value.reason == schedule.SCHEDULED_IN_PAST and w.h.scheduled_at == DUE
    w.do("med", ChangeHearing(scheduled_at=NOW - 60_000))  # begins now: no slip
    assert w.h.scheduled_at == NOW - 60_000
    w.do("med", OpenHearing())
    w.now = NOW + 2 * DAY  # a hearing over several days: its start is long past
    w.do("med", ChangeHearing(title="Chan v. Lee, day 3", scheduled_at=NOW - 60_000))
    assert w.h.title == "Chan v. Lee, day 3"
    assert change_refusal(w.h, msgspec.structs.replace(w.h, scheduled_at=NOW), w.now) is not None


def test_invitations_sent_with_the_default_lifetime_follow_a_later_start() -> None:
    w = _hearing()
    a = w.side("Claimant")
    default = w.invite("Ann Chan", Role.PARTY, a)
    chosen_reply = reply_of(w.do("med", InviteParticipant(
        name="Ben Lee", role=Role.COUNSEL, side=a, expires_in_s=3 * 86_400)))
    used = w.invite("Cho Wai", Role.PARTY, a)
    w.do(SYSTEM, RedeemInvitation(token=used.token, access_code=used.access_code))
    assert default.expires_at == DUE + AFTER_START_MS
    later = DUE + 14 * DAY
    effects = w.do("med", ChangeHearing(scheduled_at=later))
    assert _event(effects).details["invitations_extended"] == 1
    invs = {i.participant: i for i in w.h.invitations.values()}
    assert invs[default.participant].expires_at == later + AFTER_START_MS
    chosen = invs[chosen_reply.participant]  # type: ignore[attr-defined]
    assert chosen.expires_at == NOW + 3 * DAY  # what the mediator chose stays
    assert invs[used.participant].expires_at == DUE + AFTER_START_MS  # used: nothing to follow
    # Moved earlier again, a link sent is never shortened; taken away, it stays as it is.
    w.do("med", ChangeHearing(scheduled_at=DUE))
    assert w.h.invitations[default.invitation].expires_at == later + AFTER_START_MS
    w.do("med", ChangeHearing(scheduled_at=None))
    assert w.h.invitations[default.invitation].expires_at == later + AFTER_START_MS


def test_an_invitation_from_before_the_flag_follows_when_it_ends_a_day_after_the_start() -> None:
    w = _hearing()
    issued = w.invite("Ann Chan", Role.PARTY, w.side("Claimant"))
    inv = w.h.invitations[issued.invitation]
    older = msgspec.structs.replace(inv, default_lifetime=False)  # a record of an earlier release
    w.h = msgspec.structs.replace(w.h, invitations={inv.id: older})
    w.do("med", ChangeHearing(scheduled_at=DUE + DAY))
    assert w.h.invitations[inv.id].expires_at == DUE + DAY + AFTER_START_MS


def test_an_open_hearing_moves_to_another_zone_without_its_start_moving() -> None:
    """Once open, the start is history: a hearing under way since yesterday, held from Tokyo
    now instead of Hong Kong, keeps its start (the same instant, read in the new zone), whether
    the patch names only the zone or the unchanged start with it."""
    w = _hearing(scheduled_at=NOW + 60_000)
    w.do("med", OpenHearing())
    w.now = NOW + DAY
    effects = w.do("med", ChangeHearing(time_zone="Asia/Tokyo"))
    assert (w.h.scheduled_at, w.h.time_zone) == (NOW + 60_000, "Asia/Tokyo")
    assert _event(effects).details["previous_time_zone"] == "Asia/Hong_Kong"
    w.do("med", ChangeHearing(title="Chan v. Lee (Tokyo)", scheduled_at=NOW + 60_000,
                              time_zone="Asia/Hong_Kong"))
    assert (w.h.title, w.h.scheduled_at, w.h.time_zone) == (
        "Chan v. Lee (Tokyo)", NOW + 60_000, "Asia/Hong_Kong")
    # Moving the start itself into the past is still refused.
    with pytest.raises(Invalid):
        w.do("med", ChangeHearing(scheduled_at=NOW, time_zone="Asia/Tokyo"))
