"""The server's zones come from the `tzdata` package, whatever zone database the host has
(parley/zones.py): a host with an older, newer or no database writes a hearing's time the same.

The host's database is stood in for by `zoneinfo.reset_tzpath`: a directory where
"Asia/Hong_Kong" holds Tokyo's rules (UTC+9), or nothing at all."""

from __future__ import annotations

import importlib.resources
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from gateway.api.hearing_calendar import hearing_ics, zone_or_none
from parley.zones import zone_info
from proto.signalling import HearingDetail
from proto.ws import HearingState

MOMENT = datetime(2027, 1, 15, 4, 0, tzinfo=UTC)


def _forget() -> None:
    zone_info.cache_clear()
    ZoneInfo.clear_cache()


@pytest.fixture
def host_database(tmp_path: Path) -> Iterator[Path]:
    """The host's zone database, as zoneinfo searches it: `tmp_path`, empty until written."""
    _forget()
    zoneinfo.reset_tzpath([str(tmp_path)])
    try:
        yield tmp_path
    finally:
        zoneinfo.reset_tzpath()
        _forget()


def _hong_kong_is_tokyo(database: Path) -> None:
    tokyo = importlib.resources.files("tzdata").joinpath("zoneinfo", "Asia", "Tokyo").read_bytes()
    (database / "Asia").mkdir()
    (database / "Asia" / "Hong_Kong").write_bytes(tokyo)


def test_a_host_database_that_differs_is_not_read(host_database: Path) -> None:
    _hong_kong_is_tokyo(host_database)
    # The stand-in is what zoneinfo itself now reads…
    assert MOMENT.astimezone(ZoneInfo("Asia/Hong_Kong")).utcoffset() == timedelta(hours=9)
    # …and not what the server reads.
    for zone in (zone_info("Asia/Hong_Kong"), zone_or_none("Asia/Hong_Kong")):
        assert zone is not None and zone.key == "Asia/Hong_Kong"
        assert MOMENT.astimezone(zone).utcoffset() == timedelta(hours=8)


def test_a_hearings_calendar_entry_is_written_from_tzdata_too(host_database: Path) -> None:
    """The event's time and its VTIMEZONE both: a calendar reads the time by the VTIMEZONE."""
    _hong_kong_is_tokyo(host_database)
    detail = HearingDetail(id="h1", title="Chan v. Lee", state=HearingState.OPEN, locked=False,
                           mediator="m1", created_at=0, sides=[], roster=[], rooms=[],
                           scheduled_at=int(MOMENT.timestamp() * 1000), time_zone="Asia/Hong_Kong")
    ics = hearing_ics(detail, 0).decode().replace("\r\n ", "")
    assert "DTSTART;TZID=Asia/Hong_Kong:20270115T120000" in ics
    assert "TZID:Asia/Hong_Kong" in ics
    assert "TZOFFSETTO:+0800" in ics and "+0900\r\nEND:STANDARD" not in ics
    assert "TZNAME:JST" not in ics


def test_a_host_without_a_database_still_has_every_zone(host_database: Path) -> None:
    assert list(host_database.iterdir()) == []
    hong_kong = zone_info("Asia/Hong_Kong")
    assert MOMENT.astimezone(hong_kong).utcoffset() == timedelta(hours=8)
    assert zone_info("UTC").utcoffset(MOMENT) == timedelta(0)


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../zoneinfo/UTC", "Asia/Hong_Kong/Central",
                                  "Asia/", "/Asia/Hong_Kong", "zone.tab", "tzdata.zi", "leapseconds",
                                  "Asia", "__init__.py", "Asia\\Hong_Kong", "Asia/Hong_Kong\x00"])
def test_a_name_that_is_no_zone_is_not_found(name: str) -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        zone_info(name)
    assert zone_or_none(name) is None


def test_a_zone_is_read_once() -> None:
    assert zone_info("Europe/London") is zone_info("Europe/London")
