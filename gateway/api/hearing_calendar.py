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
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone

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
    half a character) and ended with "…"; "hearing.ics" for a title with nothing left. The web
    client names its download the same way (components/calendar-file.js calendarFileName)."""
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


def vtimezone(zone: ZoneInfo, year: int) -> Timezone:
    """`zone`'s VTIMEZONE over `year` and the next: the offset in force as `year` begins, then
    each change in those two years, so the hearing's start and end (a few hours later, perhaps
    in the next year) read right whatever the year. icalendar's default spans 1970 to 2038 only
    (a hearing after 2037 would read as in winter all year) and says so in a COMMENT in English,
    which RFC 5545 allows only in STANDARD/DAYLIGHT: the span is ours, the comment dropped."""
    component = Timezone.from_tzinfo(zone, zone.key, first_date=date(year, 1, 1),
                                     last_date=date(year + 2, 1, 1))
    component.pop("COMMENT", None)
    return component
