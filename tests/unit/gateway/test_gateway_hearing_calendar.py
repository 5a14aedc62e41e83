"""A hearing's calendar file (gateway/api/hearing_calendar.py): its VTIMEZONE covers the
hearing's own year, whatever the year (icalendar's default stops at 2038 and says so in an
English COMMENT RFC 5545 does not allow there), and the name it is saved under is its title cut
at a word."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from gateway.api.hearing_calendar import calendar_file_name, hearing_ics
from proto.signalling import HearingSchedule
from proto.ws import HearingState


def _parsed(at: datetime, zone: str) -> Calendar:
    schedule = HearingSchedule(id="h1", title="Chan v. Lee", state=HearingState.SCHEDULED,
                               scheduled_at=int(at.timestamp() * 1000), time_zone=zone)
    return Calendar.from_ical(hearing_ics(schedule, 0))


@pytest.mark.parametrize(("at", "zone", "offset"), [
    (datetime(2040, 7, 2, 9, 0, tzinfo=UTC), "Europe/London", timedelta(hours=1)),  # BST
    (datetime(2040, 12, 31, 22, 0, tzinfo=UTC), "Europe/London", timedelta(0)),  # ends in 2041
    (datetime(2040, 7, 2, 2, 0, tzinfo=UTC), "Asia/Hong_Kong", timedelta(hours=8)),
])
def test_a_hearing_after_2038_reads_right_by_its_own_vtimezone(
        at: datetime, zone: str, offset: timedelta) -> None:
    calendar = _parsed(at, zone)
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert "COMMENT" not in vtimezone
    # The offset as a calendar that knows only the file reads it (not the zone's name).
    by_file = vtimezone.to_tz(lookup_tzid=False)
    event = next(iter(calendar.walk("VEVENT")))
    for field in ("dtstart", "dtend"):
        local = event.decoded(field).replace(tzinfo=None)
        assert by_file.utcoffset(local) == offset
    start = event.decoded("dtstart").replace(tzinfo=None)
    assert start.replace(tzinfo=by_file).astimezone(UTC) == at


def test_a_zone_without_daylight_saving_has_no_daylight_part() -> None:
    [vtimezone] = _parsed(datetime(2040, 7, 2, 2, 0, tzinfo=UTC), "Asia/Hong_Kong").walk("VTIMEZONE")
    assert not vtimezone.walk("DAYLIGHT") and vtimezone.walk("STANDARD")


def test_the_vtimezone_spans_the_hearings_year_and_the_next() -> None:
    [vtimezone] = _parsed(datetime(2040, 7, 2, 9, 0, tzinfo=UTC), "Europe/London").walk("VTIMEZONE")
    by_file = vtimezone.to_tz(lookup_tzid=False)
    for summer in (datetime(2040, 7, 1, 12), datetime(2041, 7, 1, 12)):
        assert by_file.utcoffset(summer) == timedelta(hours=1)
    assert by_file.utcoffset(datetime(2041, 12, 1, 12)) == timedelta(0)


LONG = ("Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 "
        "(first session, with a deliberately long title)")


@pytest.mark.parametrize(("title", "name"), [
    ("Chan v. Lee", "Chan v. Lee.ics"),
    (LONG, "Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 (first session, with a….ics"),
    ('a/b:c*d?"e"<f>|g\th\x00', "a b c d e f g h.ics"),
    ("  /  ", "hearing.ics"),
    ("陳" * 100, "陳" * 79 + "….ics"),
    ("x" * 80, "x" * 80 + ".ics"),
])
def test_the_file_is_named_after_the_title_cut_at_a_word(title: str, name: str) -> None:
    assert calendar_file_name(title) == name
    assert len(name) <= 80 + len(".ics")
