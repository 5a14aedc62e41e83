"""Instants written for people and other servers are right on a host whose zone counts leap
seconds (parley/instants.py), where the C library's `gmtime` reads the clock 27 s off: the
calendar file's start, the logs' times, the verifier's printed times and the address pseudonyms'
periods."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from gateway.api.hearing_calendar import hearing_ics
from gateway.identity.pseudonym import AddressPseudonyms
from parley.instants import instant, instant_of_seconds, ms_of, now_ms
from parley.logs import JsonFormatter
from proto.signalling import HearingDetail, HearingState

#: 09:30 in Hong Kong on 15 January 2027, and the last millisecond of that month in UTC.
NINE_THIRTY = datetime(2027, 1, 15, 1, 30, tzinfo=UTC)
MONTH_END_MS = ms_of(datetime(2027, 2, 1, tzinfo=UTC)) - 1


def test_the_zone_really_is_27_seconds_off(leap_second_zone: None) -> None:
    """What the rest of this module guards against (without it they prove nothing)."""
    seconds = NINE_THIRTY.timestamp()
    assert datetime.fromtimestamp(seconds, UTC) != NINE_THIRTY
    assert instant_of_seconds(seconds) == NINE_THIRTY


def test_instants_round_trip_by_arithmetic(leap_second_zone: None) -> None:
    ms = ms_of(NINE_THIRTY) + 7
    assert instant(ms) - NINE_THIRTY == instant(7) - instant(0)
    assert ms_of(instant(ms)) == ms
    assert abs(now_ms() - ms_of(datetime.now(UTC))) > 20_000  # the C library's "now" is off


def test_a_calendar_file_starts_on_the_minute(leap_second_zone: None) -> None:
    detail = HearingDetail(id="h1", title="Chan v. Lee", state=HearingState.OPEN, locked=False,
                           mediator="m1", created_at=0, sides=[], roster=[], rooms=[],
                           scheduled_at=ms_of(NINE_THIRTY), time_zone="Asia/Hong_Kong")
    ics = hearing_ics(detail, ms_of(NINE_THIRTY)).decode().replace("\r\n ", "")
    assert "DTSTART;TZID=Asia/Hong_Kong:20270115T093000" in ics
    assert "DTSTAMP:20270115T013000Z" in ics


def test_a_log_line_carries_the_true_time(leap_second_zone: None) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("gateway"))
    record = logging.LogRecord("parley.test", logging.INFO, __file__, 1, "hello", None, None)
    record.created, record.msecs = NINE_THIRTY.timestamp() + 0.25, 250.0
    handler.emit(record)
    assert json.loads(stream.getvalue())["time"] == "2027-01-15T01:30:00.250Z"


def test_a_pseudonym_period_ends_with_its_month(leap_second_zone: None, tmp_path: Path) -> None:
    """The last seconds of January are January's (27 s off, they were read as February's)."""
    pseudonyms = AddressPseudonyms(tmp_path, "month", clock=lambda: MONTH_END_MS / 1000)
    assert pseudonyms.label() == "2027-01"
