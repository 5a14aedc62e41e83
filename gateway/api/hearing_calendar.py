"""A hearing's scheduled time as an iCalendar file (RFC 5545), made with `icalendar`.

The event is written in the hearing's own time zone (with its VTIMEZONE, so every calendar shows
the right local time on both sides of a border). It carries no secret: the invitation link and
the access code travel in their own messages, never in a calendar entry that may be forwarded.
Its description is written in the language asked for (an invitation's, sent beside its letter),
from the web client's catalogue (`CALENDAR_TEXT`), so the words live where every other word does.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from gateway.webclient.routes import WEBCLIENT
from parley.errors import ServiceFailure
from parley.instants import instant
from parley.zones import zone_info
from proto.common import Language
from proto.errors import ErrorCode
from proto.signalling import HearingDetail, HearingSchedule

#: Hearings have no end time in Parley; calendars get a half-day block the mediator can change.
DEFAULT_LENGTH = timedelta(hours=3)
PRODID = "-//Parley//Hearings//EN"
#: The catalogue key of the event's description (gateway/webclient/i18n/<lang>/mediator.json).
CALENDAR_TEXT = "mediator.invite.calendar_text"
#: `?lang=`: the description in an invitation's language (the file is sent beside its letter).
LANG_QUERY = {"name": "lang", "in": "query", "required": False,
              "description": "the language of the event's description (default en)",
              "example": "zh-Hant", "schema": {"type": "string", "enum": [lang.value for lang in Language]}}


#: The longest file name stem (before ".ics") a calendar file is saved under.
FILE_STEM_MAX = 80
#: Characters no file name may hold on some system, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')


class NotScheduled(ValueError):
    """The hearing has no scheduled time: there is nothing to put in a calendar."""


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The IANA zone named `name`; None for no name or a name the zone database lacks (the
    `tzdata` package's, whatever the host has: parley/zones.py)."""
    if not name:
        return None
    try:
        return zone_info(name)
    except ZoneInfoNotFoundError:
        return None


def calendar_language(given: list[str]) -> Language:
    """The language `?lang=` asks for (English when absent); anything else is `invalid`."""
    if not given:
        return Language.EN
    if len(given) > 1 or given[0] not in {lang.value for lang in Language}:
        raise ServiceFailure(ErrorCode.INVALID, "lang must be one of "
                             + ", ".join(lang.value for lang in Language))
    return Language(given[0])


@functools.cache
def calendar_text(language: Language) -> str:
    """The event's description in `language`, from the web client's catalogue."""
    path = WEBCLIENT / "i18n" / language.value / "mediator.json"
    return str(json.loads(path.read_text(encoding="utf-8"))[CALENDAR_TEXT])


def calendar_file_name(title: str, limit: int = FILE_STEM_MAX) -> str:
    """The file a hearing's calendar entry is saved under: its title, the characters a file name
    cannot hold made spaces, a long one cut at a space near the limit (never mid-word, nor in
    half a character) and ended with "…"; "hearing.ics" for a title with nothing left. The one
    rule: the web client saves the file under this name, read from Content-Disposition
    (core/disposition.js), never its own."""
    stem = _UNSAFE.sub(" ", title).strip()
    if len(stem) > limit:
        cut = stem[:limit - 1]
        space = cut.rfind(" ")
        if space > len(cut) - 20 and space > 0:
            cut = cut[:space]
        stem = cut.rstrip() + "…"
    return f"{stem or 'hearing'}.ics"


def hearing_ics(detail: HearingDetail | HearingSchedule, now_ms: int,
                language: Language = Language.EN) -> bytes:
    if detail.scheduled_at is None:
        raise NotScheduled("the hearing has no scheduled time")
    zone = zone_or_none(detail.time_zone) or zone_info("UTC")
    start = instant(detail.scheduled_at).astimezone(zone)
    event = Event()
    event.add("uid", f"{detail.id}@parley")
    # The same UID with a higher SEQUENCE: a calendar that holds the hearing moves it (RFC 5545
    # §3.8.7.4) rather than keeping the old time beside the new one.
    event.add("sequence", detail.details_changes)
    event.add("dtstamp", instant(now_ms))
    event.add("dtstart", start)
    event.add("dtend", start + DEFAULT_LENGTH)
    event.add("summary", detail.title)
    event.add("description", calendar_text(language), parameters={"LANGUAGE": language.value})
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    # The VTIMEZONE comes from the same pinned zone: icalendar's `add_missing_timezones` would
    # look the name up again through zoneinfo, in the host's database first.
    if calendar.get_missing_tzids():
        calendar.subcomponents.insert(0, vtimezone(zone, start.year))
    return bytes(calendar.to_ical())


class Observance(NamedTuple):
    """One STANDARD or DAYLIGHT part of a VTIMEZONE (RFC 5545 §3.6.5)."""

    daylight: bool
    #: DTSTART: the local time the observance begins, in the offset before it (`offset_from`).
    start: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str


#: How far apart a zone is probed for a change; each one found is then pinned to the second.
_PROBE = int(timedelta(hours=6).total_seconds())
#: How far back the change in force as the span begins is looked for (a zone that has daylight
#: saving changed within the year).
_LOOK_BACK = int(timedelta(days=366).total_seconds())

#: What a zone observes at an instant: its offset, its daylight saving (`dst()`), its name.
_State = tuple[timedelta, timedelta, str]


def _state(zone: ZoneInfo, at: int) -> _State:
    """What `zone` observes at the POSIX second `at`."""
    local = datetime.fromtimestamp(at, zone)
    return local.utcoffset() or timedelta(0), local.dst() or timedelta(0), local.tzname() or ""


def _changes(zone: ZoneInfo, start: int, end: int) -> list[tuple[int, _State, _State]]:
    """Each change of what `zone` observes in the seconds [start, end): its first second, what
    held before and what holds from then."""
    found = []
    at, held = start, _state(zone, start)
    while at < end:
        step = min(at + _PROBE, end)
        if (then := _state(zone, step)) != held:
            before, after = at, step
            while after - before > 1:
                middle = (before + after) // 2
                if _state(zone, middle) == held:
                    before = middle
                else:
                    after = middle
            found.append((after, held, _state(zone, after)))
        at, held = step, then
    return found


@functools.lru_cache(maxsize=256)
def observances(zone: ZoneInfo, year: int) -> tuple[Observance, ...]:
    """`zone`'s observances from local midnight on 1 January of `year` to that of `year` + 2.

    RFC 5545 §3.6.5 and §3.8.3.3: an observance's DTSTART is the local time it begins, read in
    the offset in force BEFORE it (TZOFFSETFROM), so DTSTART - TZOFFSETFROM is the instant of
    the change: London's spring change (01:00 UTC) starts 01:00 from +0000, its autumn one
    (01:00 UTC too) 02:00 from +0100. (icalendar's `Timezone.from_tzinfo` writes a
    daylight-saving onset in the new offset's time, 02:00, which readers take as an hour late.)

    - The first observance is what holds as the span begins: the last change before it when
      that was within a year (always, in a zone with daylight saving), else DTSTART that
      midnight with TZOFFSETFROM = TZOFFSETTO. (A reader such as python-dateutil takes a
      daylight observance's saving from TZOFFSETTO - TZOFFSETFROM: zero would misplace the
      repeated hour when it ends.)
    - Then one observance per change of offset, name or daylight saving in the span, each with
      its own DTSTART (no RDATE or RRULE: two years hold a handful of changes).
    - DAYLIGHT where zoneinfo counts a saving (`dst()` above zero) or where tzdata's "negative"
      one ends (Dublin's summer, after its winter's -1 h), else STANDARD: the convention of
      tzdata's rearguard format, one standard offset a reader such as python-dateutil finds
      from each DAYLIGHT's saving, TZOFFSETTO - TZOFFSETFROM. A zone without daylight saving
      is one STANDARD.
    - Changes are found by probing every six hours and bisecting to the second: no zone
      changes twice within six hours.
    """
    begins = datetime(year, 1, 1, tzinfo=zone)
    start, end = int(begins.timestamp()), int(datetime(year + 2, 1, 1, tzinfo=zone).timestamp())
    held = _state(zone, start)
    changes = _changes(zone, start - _LOOK_BACK, start)[-1:] or [(start, held, held)]
    changes += _changes(zone, start, end)
    zero = timedelta(0)
    return tuple(Observance(saving > zero or (saving == zero and before[1] < zero),
                            datetime.fromtimestamp(at, UTC).replace(tzinfo=None) + before[0],
                            before[0], offset, name)
                 for at, before, (offset, saving, name) in changes)


def vtimezone(zone: ZoneInfo, year: int) -> Timezone:
    """`zone`'s VTIMEZONE over `year` and the next (`observances`), so the hearing's start and
    end (a few hours later, perhaps in the next year) read right whatever the year: icalendar's
    own spans 1970 to 2038 only, with an English COMMENT RFC 5545 allows only in STANDARD or
    DAYLIGHT, and starts each daylight-saving onset an hour late."""
    component = Timezone()
    component.add("TZID", zone.key)
    for part in observances(zone, year):
        observance = TimezoneDaylight() if part.daylight else TimezoneStandard()
        observance.add("DTSTART", part.start)
        observance.add("TZNAME", part.name)
        observance.add("TZOFFSETFROM", part.offset_from)
        observance.add("TZOFFSETTO", part.offset_to)
        component.add_component(observance)
    return component
