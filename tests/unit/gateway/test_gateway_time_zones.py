"""The zones the web client offers for a hearing are zones the server accepts.

"New hearing" (gateway/webclient/js/core/zones.js) offers the common zones first and sends every
zone under its current IANA name ("Asia/Kolkata", not CLDR's "Asia/Calcutta"). Hearings made
before, or by API clients, may carry the old names: the contract's pattern (proto/common.py
TimeZone) and the gateway's check against the zone database (hearing_calendar.zone_or_none)
take both."""

from __future__ import annotations

import importlib.resources
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest

from gateway.api.hearing_calendar import zone_or_none
from gateway.webclient.routes import WEBCLIENT
from proto.signalling import CreateHearing

SOURCE = (WEBCLIENT / "js" / "core" / "zones.js").read_text()
ROOT = Path(__file__).resolve().parents[3]


def _legacy() -> list[tuple[str, str]]:
    block = re.search(r"LEGACY_ZONES = \{(.*?)\};", SOURCE, re.S)
    assert block, "LEGACY_ZONES not found in zones.js"
    return re.findall(r'"([^"]+)":\s*"([^"]+)"', block.group(1))


def _common() -> list[str]:
    block = re.search(r"COMMON_ZONES = \[(.*?)\];", SOURCE, re.S)
    assert block, "COMMON_ZONES not found in zones.js"
    return re.findall(r'"([^"]+)"', block.group(1))


LEGACY = _legacy()
COMMON = _common()


def test_the_lists_were_read() -> None:
    assert ("Asia/Calcutta", "Asia/Kolkata") in LEGACY
    assert ("Europe/Kiev", "Europe/Kyiv") in LEGACY
    assert ("Asia/Saigon", "Asia/Ho_Chi_Minh") in LEGACY
    assert COMMON[0] == "Asia/Hong_Kong" and "UTC" in COMMON


@pytest.mark.parametrize("zone", sorted({z for pair in LEGACY for z in pair} | set(COMMON)))
def test_old_and_current_names_are_both_accepted(zone: str) -> None:
    body = msgspec.json.encode({"title": "Chan v. Lee", "time_zone": zone})
    assert msgspec.json.decode(body, type=CreateHearing).time_zone == zone
    assert zone_or_none(zone) is not None, f"the gateway refuses {zone}"


@pytest.mark.parametrize(("old", "current"), LEGACY)
def test_an_old_name_and_its_current_one_keep_the_same_time(old: str, current: str) -> None:
    moment = datetime(2027, 1, 15, 4, 0, tzinfo=UTC)
    before, after = zone_or_none(old), zone_or_none(current)
    assert before is not None and after is not None
    assert moment.astimezone(before).utcoffset() == moment.astimezone(after).utcoffset()


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Asia/Hong_Kong/Central", "../zoneinfo/UTC"])
def test_a_name_the_zone_database_lacks_is_refused(zone: str) -> None:
    assert zone_or_none(zone) is None


def test_the_zone_database_is_declared_and_holds_every_offered_zone() -> None:
    """`tzdata` is a dependency of its own (pyproject.toml), not only icalendar's: the server
    reads its zones from this one only (parley/zones.py, tests/unit/parley/test_parley_zones.py)."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(re.match(r"tzdata\b", requirement) for requirement in declared)
    database = importlib.resources.files("tzdata").joinpath("zoneinfo")
    assert [z for z in COMMON if not database.joinpath(*z.split("/")).is_file()] == []
