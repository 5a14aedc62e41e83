"""A hearing's scheduled time as an iCalendar file (RFC 5545), made with `icalendar`.

The event is written in the hearing's own time zone (with its VTIMEZONE, so every calendar shows
the right local time on both sides of a border). It carries no secret: the invitation link and
the access code travel in their own messages, never in a calendar entry that may be forwarded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

from proto.signalling import HearingDetail

#: Hearings have no end time in Parley; calendars get a half-day block the mediator can change.
DEFAULT_LENGTH = timedelta(hours=3)
PRODID = "-//Parley//Hearings//EN"


class NotScheduled(ValueError):
    """The hearing has no scheduled time: there is nothing to put in a calendar."""


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The IANA zone named `name`; None for no name or a name the zone database lacks."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def hearing_ics(detail: HearingDetail, now_ms: int) -> bytes:
    if detail.scheduled_at is None:
        raise NotScheduled("the hearing has no scheduled time")
    zone = zone_or_none(detail.time_zone) or ZoneInfo("UTC")
    start = datetime.fromtimestamp(detail.scheduled_at / 1000, tz=UTC).astimezone(zone)
    event = Event()
    event.add("uid", f"{detail.id}@parley")
    event.add("dtstamp", datetime.fromtimestamp(now_ms / 1000, tz=UTC))
    event.add("dtstart", start)
    event.add("dtend", start + DEFAULT_LENGTH)
    event.add("summary", detail.title)
    event.add("description", "Mediation hearing on Parley. Open your invitation link at this "
              "time; your access code comes in a separate message.")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
