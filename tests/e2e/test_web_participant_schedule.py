"""When the hearing is scheduled, in the party's waiting room, in the browser on the real suite.

A party who opens their link early waited with "The mediator is not connected right now" and no
date or time. Once past the access code, the waiting room says when the hearing is scheduled, in
its zone and the reader's, and offers its calendar file (the participant's own read of it, saved
under the name the server gives it: the title cut at a word); before the code, the join page shows neither the title nor the
time (a link alone reveals nothing). In English on a laptop and in 繁體中文 on a phone;
screenshots in tests/artifacts, axe-core on each.
"""

from __future__ import annotations

import re
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.browser import chromium, dumped_on_failure, open_tab, requires_chromium
from tests.e2e.participant_steps import join_in_browser, one_party_each, switch_language
from tests.e2e.staff_steps import t
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"
# Its emoji count once each in the server's cut (code points), twice in UTF-16 units: a page
# naming the file itself by JavaScript's lengths would cut it at "(first session,…".
TITLE = ("Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 🏬🏬 "
         "(first session, with a deliberately long title)")
FILE = "Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 🏬🏬 (first session, with….ics"
ZONE = "Asia/Hong_Kong"
SCHEDULE = "document.querySelector('.lobby-schedule:not([hidden])')?.textContent || ''"


@pytest.mark.timeout(240)
async def test_the_waiting_room_says_when_the_hearing_is_scheduled(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    # Opened early (seat opens it); due in two days at 10:00 in Hong Kong (02:00 UTC).
    day = (datetime.now(UTC) + timedelta(days=2)).astimezone(ZoneInfo(ZONE)).date()
    due = datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo(ZONE))
    status, _ = await people.mediator.call("PATCH", f"/api/v1/hearings/{cast.hearing}", {
        "title": TITLE, "scheduled_at": int(due.timestamp() * 1000), "time_zone": ZONE})
    assert status == 200
    offline = t(EN, "participant.lobby.mediator_offline", name="\0").split("\0", 1)[1]
    async with chromium() as browser:
        tab = await open_tab(browser, suite.base_url)
        with dumped_on_failure({"A1": tab}):
            page = tab.page
            # The link alone: neither the title nor the time before the code is accepted.
            await page.goto(invitation["link_path"])
            await page.wait_for_selector("form.join input[name=access_code]")
            shown = await tab.value("document.body.innerText")
            assert "Chan v. Wong" not in shown and "10:00" not in shown, shown

            await join_in_browser(tab, invitation)
            await tab.wait_for(f"({SCHEDULE}).length > 0", timeout=30)
            line = await tab.value(SCHEDULE)
            # "The hearing is scheduled for 3 Dec 2026, 10:00 Hong Kong Standard Time (GMT+8)
            # — 02:00 your time." (the page's zone is UTC here).
            assert line.startswith("The hearing is scheduled for "), line
            assert due.strftime("%-d %b %Y") in line and "10:00" in line, line
            assert "Hong Kong" in line and "02:00 your time" in line, line
            assert offline in await tab.value("document.querySelector('.lobby-waiting').textContent")
            await tab.check_accessible("lobby-scheduled")
            await page.evaluate("() => window.scrollTo(0, 0)")
            await tab.screenshot("lobby-scheduled", "laptop")

            # The calendar file: the party's own, under the name the server gives it (its
            # Content-Disposition, RFC 8187): the title cut at a word.
            served = await page.request.get(f"/api/v1/hearings/{cast.hearing}/calendar.ics")
            named = re.search(r"filename\*=UTF-8''([^;\s]+)", served.headers["content-disposition"])
            assert named and urllib.parse.unquote(named[1]) == FILE, served.headers
            async with page.expect_download() as downloading:
                await page.get_by_role("button", name=t(EN, "participant.lobby.calendar"),
                                       exact=True).click()
            download = await downloading.value
            assert download.suggested_filename == FILE
            event = next(iter(Calendar.from_ical(
                Path(await download.path()).read_bytes()).walk("VEVENT")))
            assert str(event["summary"]) == TITLE
            assert int(event.decoded("dtstart").timestamp()) == int(due.timestamp())

            # In 繁體中文 on a phone: the same moment, in the reader's words.
            await switch_language(tab, "zh-Hant")
            await tab.wait_for(f"({SCHEDULE}).startsWith('調解會議預定於')", timeout=10)
            line = await tab.value(SCHEDULE)
            assert "10:00" in line and "您的時間" in line, line
            assert await page.get_by_role("button", name=t("zh-Hant", "participant.lobby.calendar"),
                                          exact=True).is_visible()
            await tab.check_accessible("lobby-scheduled-zh-Hant")
            await page.evaluate("() => window.scrollTo(0, 0)")
            await tab.screenshot("lobby-scheduled-zh-Hant", "phone")
            tab.assert_clean(secrets=[invitation["access_code"]])
        await tab.context.close()
