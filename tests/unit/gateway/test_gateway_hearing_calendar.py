"""A hearing's calendar file (gateway/api/hearing_calendar.py): its VTIMEZONE covers the
hearing's own year, whatever the year (icalendar's default stops at 2038 and says so in an
English COMMENT RFC 5545 does not allow there), each change of offset in it starts at the local
time of the offset before the change (RFC 5545 §3.6.5, §3.8.3.3), read back alike by an
independent reader (python-dateutil's `tzical`), and the name it is saved under is its title cut
at a word."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import tzical
from icalendar import Calendar

from gateway.api.hearing_calendar import calendar_file_name, hearing_ics
from parley.zones import zone_info
from proto.signalling import HearingSchedule
from proto.ws import HearingState


def _ics(at: datetime, zone: str) -> bytes:
    schedule = HearingSchedule(id="h1", title="Chan v. Lee", state=HearingState.SCHEDULED,
                               scheduled_at=int(at.timestamp() * 1000), time_zone=zone)
    return hearing_ics(schedule, 0)


def _parsed(at: datetime, zone: str) -> Calendar:
    return Calendar.from_ical(_ics(at, zone))


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


def _changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, timedelta, timedelta]]:
    """The instants (UTC) `zone`'s offset changes at from `start` to `end`, with the offsets
    before and after: found hour by hour and then to the second, the test's own way."""
    def offset(at: datetime) -> timedelta:
        return at.astimezone(zone).utcoffset() or timedelta(0)
    at, changes = start.astimezone(UTC), []
    while at < end:
        step = at + timedelta(hours=1)
        if offset(step) != offset(at):
            before, after = at, step
            while after - before > timedelta(seconds=1):
                middle = before + (after - before) / 2
                before, after = (middle, after) if offset(middle) == offset(at) else (before, middle)
            changes.append((after, offset(before), offset(after)))
        at = step
    return changes


def _span(zone: str, year: int) -> tuple[ZoneInfo, datetime, datetime]:
    by_zone = zone_info(zone)
    return by_zone, datetime(year, 1, 1, tzinfo=by_zone), datetime(year + 2, 1, 1, tzinfo=by_zone)


#: (zone, a hearing's year): two hemispheres' daylight saving, Dublin's "negative" one (its
#: winter is the saving in tzdata), none, and a change of standard offset (Kazakhstan went from
#: +06 to +05 on 1 March 2024).
ZONES = [("Europe/London", 2026), ("Europe/London", 2040), ("America/New_York", 2040),
         ("Australia/Sydney", 2040), ("Europe/Dublin", 2030), ("Asia/Hong_Kong", 2040),
         ("Asia/Almaty", 2024)]


@pytest.mark.parametrize(("zone", "year"), ZONES)
def test_each_change_starts_at_the_local_time_of_the_offset_before_it(zone: str, year: int) -> None:
    # RFC 5545 §3.8.3.3: TZOFFSETFROM "is used to calculate the absolute time at which the
    # transition to a given observance takes place": DTSTART - TZOFFSETFROM is that instant.
    [vtimezone] = _parsed(datetime(year, 7, 2, 9, 0, tzinfo=UTC), zone).walk("VTIMEZONE")
    starts = [(part.DTSTART - part.TZOFFSETFROM, part.TZOFFSETFROM, part.TZOFFSETTO)
              for part in vtimezone.subcomponents]
    by_zone, begins, ends = _span(zone, year)
    # The first is the last change within the year before the span, else the offset it begins in.
    held = [(begins.astimezone(UTC), begins.utcoffset(), begins.utcoffset())]
    changes = (_changes(by_zone, begins - timedelta(days=366), begins)[-1:] or held) + _changes(by_zone, begins, ends)
    assert starts == [(at.replace(tzinfo=None), before, after) for at, before, after in changes]
    assert all("RDATE" not in part and "RRULE" not in part for part in vtimezone.subcomponents)


@pytest.mark.parametrize(("zone", "year", "parts"), [
    ("Europe/London", 2026, [("STANDARD", "20251026T020000", "+0100", "+0000"),
                             ("DAYLIGHT", "20260329T010000", "+0000", "+0100"),
                             ("STANDARD", "20261025T020000", "+0100", "+0000"),
                             ("DAYLIGHT", "20270328T010000", "+0000", "+0100"),
                             ("STANDARD", "20271031T020000", "+0100", "+0000")]),
    ("America/New_York", 2040, [("STANDARD", "20391106T020000", "-0400", "-0500"),
                                ("DAYLIGHT", "20400311T020000", "-0500", "-0400"),
                                ("STANDARD", "20401104T020000", "-0400", "-0500"),
                                ("DAYLIGHT", "20410310T020000", "-0500", "-0400"),
                                ("STANDARD", "20411103T020000", "-0400", "-0500")]),
    ("Australia/Sydney", 2040, [("DAYLIGHT", "20391002T020000", "+1000", "+1100"),
                                ("STANDARD", "20400401T030000", "+1100", "+1000"),
                                ("DAYLIGHT", "20401007T020000", "+1000", "+1100"),
                                ("STANDARD", "20410407T030000", "+1100", "+1000"),
                                ("DAYLIGHT", "20411006T020000", "+1000", "+1100")]),
    # tzdata counts Dublin's winter as a -1 h saving; written as readers expect (its rearguard
    # form): summer is the DAYLIGHT one.
    ("Europe/Dublin", 2030, [("STANDARD", "20291028T020000", "+0100", "+0000"),
                             ("DAYLIGHT", "20300331T010000", "+0000", "+0100"),
                             ("STANDARD", "20301027T020000", "+0100", "+0000"),
                             ("DAYLIGHT", "20310330T010000", "+0000", "+0100"),
                             ("STANDARD", "20311026T020000", "+0100", "+0000")]),
    ("Asia/Hong_Kong", 2040, [("STANDARD", "20400101T000000", "+0800", "+0800")]),
    ("Asia/Almaty", 2024, [("STANDARD", "20240101T000000", "+0600", "+0600"),
                           ("STANDARD", "20240301T000000", "+0600", "+0500")]),
])
def test_the_observances_as_written(zone: str, year: int,
                                    parts: list[tuple[str, str, str, str]]) -> None:
    text = _ics(datetime(year, 7, 2, 9, 0, tzinfo=UTC), zone).decode()
    vtimezone = text[text.index("BEGIN:VTIMEZONE"):text.index("END:VTIMEZONE")]
    written = [(block.split("\r\n", 1)[0],
                *(line.split(":", 1)[1] for line in block.split("\r\n")
                  if line.startswith(("DTSTART:", "TZOFFSETFROM:", "TZOFFSETTO:"))))
               for block in vtimezone.split("BEGIN:")[2:]]
    assert written == parts


@pytest.mark.parametrize(("zone", "year"), ZONES)
def test_an_independent_reader_reads_each_change_as_zoneinfo_does(zone: str, year: int) -> None:
    # python-dateutil's RFC 5545 reader: both ways, an instant to the local time and back.
    by_file = tzical(io.StringIO(_ics(datetime(year, 7, 2, 9, 0, tzinfo=UTC), zone).decode())).get(zone)
    by_zone, begins, ends = _span(zone, year)
    changes = _changes(by_zone, begins, ends)
    assert by_file is not None and len(changes) == {"Asia/Hong_Kong": 0, "Asia/Almaty": 1}.get(zone, 4)
    moments = [datetime(year + years, month, 15, 12, tzinfo=UTC) for years in (0, 1) for month in (1, 7)]
    moments += [at + timedelta(seconds=delta) for at, _, _ in changes for delta in (-3600, -1, 0, 1, 3599, 3600)]
    # dateutil's `fromutc` finds the local time by `dst()`, assuming one standard offset: not
    # near a change between two standard offsets (Almaty's), read there the other way only.
    standard_only = [at for at, _, _ in changes
                     if not (at - timedelta(seconds=1)).astimezone(by_zone).dst() and not at.astimezone(by_zone).dst()]
    for moment in moments:
        real = moment.astimezone(by_zone)
        wall = real.replace(tzinfo=by_file)  # the same local time and fold, read by the file
        assert wall.astimezone(UTC) == moment and wall.tzname() == real.tzname(), moment
        if any(abs(moment - at) < timedelta(days=1) for at in standard_only):
            continue
        read = moment.astimezone(by_file)
        assert (read.replace(tzinfo=None), read.utcoffset()) == (real.replace(tzinfo=None), real.utcoffset()), moment


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
