"""A hearing rescheduled and renamed from its set-up page, in the browser (Chromium, the real
suite): "Edit details" opens the hearing's title, date and time and zone, filled in as they are;
a date already past is said in the dialog and the server's refusal is said there too, with what
was typed still there; saved, the page says so and, since people were already invited, that their
letters carry the old time. The invitation card still open writes its letter (what Copy and
Print take) with the new title and time, and the calendar file has them. A party waiting in the
lobby sees the new title and time on their page at once, without reloading, told that they
changed (every part named; the start no longer, once the hearing has opened); so does the
mediator's console of the hearing under way. A hearing under way moved to another zone keeps its
start, and the dialog says what it is in both zones; an ended hearing's set-up offers no calendar
file and says what its links came to, and lists the documents kept at the end, read-only, to download. axe-core on each screen; screenshots of the dialog, the
saved page, the lobby, the zone change and the ended set-up. Before it opens, documents are
added on the set-up page itself (Joint, "My notes"), and a party who joins later reads the joint
one.
"""

from __future__ import annotations

import io
import re
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from icalendar import Calendar

from tests.browser import ARTIFACTS, chromium_page, open_tab, requires_chromium
from tests.e2e.mediator_steps import Mediator
from tests.e2e.participant_steps import TRACKS_ENDED, join_in_browser
from tests.e2e.staff_steps import sign_in, t
from tests.e2e.web_people import audit_actions
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient, redeem
from tests.netcut import NetCut
from tests.people import CSRF_HEADER, SESSION_COOKIE, staff_people

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.timeout(240)]
EN = "en"
ZONE = "Asia/Hong_Kong"


def wall_clock(when: datetime, zone: str = ZONE) -> str:
    """A `datetime-local` value: the wall-clock time in `zone`, to the minute."""
    return when.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def hong_kong(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.astimezone(ZoneInfo(ZONE)).replace(hour=hour, minute=minute, second=0,
                                                  microsecond=0)


def changed_words(*parts: str) -> str:
    """The lobby's sentence naming what changed ("the title and the start time")."""
    names = [t(EN, f"participant.lobby.part_{p}") for p in parts]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return t(EN, "participant.lobby.changed", parts=listed)


async def scheduled_with_a_party(people: Any, title: str, due: datetime, side: str,
                                 name: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A hearing due at `due` (Hong Kong's zone) with one side and one party invited to it:
    (the hearing, its API path, the party's invitation)."""
    status, hearing = await people.mediator.call("POST", "/api/v1/hearings", {
        "title": title, "scheduled_at": int(due.timestamp() * 1000), "time_zone": ZONE})
    assert status == 201, hearing
    base = f"/api/v1/hearings/{hearing['id']}"
    status, made = await people.mediator.call("POST", f"{base}/sides", {"name": side})
    assert status == 201, made
    status, invited = await people.mediator.call("POST", f"{base}/participants", {
        "name": name, "role": "party", "side": made["side"]["id"]})
    assert status == 201, invited
    return hearing, base, invited


async def test_the_mediator_reschedules_and_the_lobby_sees_it(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    due = hong_kong(datetime.now(UTC) + timedelta(days=10), 10)
    later = hong_kong(due + timedelta(days=7), 14, 30)
    hearing, base, ronald = await scheduled_with_a_party(people, "Wong v. Ho", due, "Respondent",
                                                         "Ronald Ho")

    async with chromium_page(suite.base_url) as tab:
        med = Mediator(tab, EN)
        page = tab.page
        browser = page.context.browser
        assert browser is not None
        party = await open_tab(browser, suite.base_url)
        try:
            # --- Ronald waits in the lobby for the hearing as first planned -----------------
            await join_in_browser(party, ronald)
            lobby = party.page
            assert await lobby.locator(".lobby-title").inner_text() == "Wong v. Ho"
            first_line = await lobby.locator(".lobby-waiting").inner_text()
            assert await lobby.locator(".lobby-changed").is_hidden()

            # --- the mediator invites someone else: the card is open with its letter ---------
            await page.goto("/signin")
            await sign_in(tab, EN, people.mediator.username, people.mediator.password,
                          code=await people.mediator.next_totp())
            await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"),
                                   exact=True).wait_for()
            await page.goto(f"/hearings/{hearing['id']}/setup")
            await page.get_by_role("heading", name="Wong v. Ho", exact=True).wait_for()
            await med.invite("Mei Chan", "party", "Respondent")
            letter = page.locator(".invite-once pre.message-text").first
            assert "Wong v. Ho" in await letter.inner_text()

            # --- Edit details: filled in as the hearing is -----------------------------------
            await med.button("mediator.details.edit")
            dialog = page.get_by_role("dialog")
            await dialog.get_by_role("heading", name=t(EN, "mediator.details.title"),
                                     exact=True).wait_for()
            title = dialog.get_by_label(t(EN, "mediator.create.name"), exact=True)
            when = dialog.get_by_label(t(EN, "mediator.create.when"), exact=True)
            zone = dialog.get_by_label(t(EN, "mediator.create.zone"), exact=True)
            assert await title.input_value() == "Wong v. Ho"
            assert await when.input_value() == wall_clock(due)
            assert await zone.input_value() == ZONE
            # A date already past: said at once, and the server's refusal said in the dialog.
            await when.fill(wall_clock(datetime.now(UTC) - timedelta(days=2)))
            await dialog.locator("#details-past").wait_for()
            await med.button("mediator.details.save")
            await dialog.locator(".form-error", has_text=t(
                EN, "mediator.error.details.scheduled_in_past")).wait_for()
            assert await page.evaluate("document.activeElement.name") == "scheduled"
            # The new title and the new day: the warning goes, and so does the refusal.
            await title.fill("Wong v. Ho (adjourned)")
            await when.fill(wall_clock(later))
            await dialog.locator("#details-past").wait_for(state="hidden")
            assert await dialog.locator(".form-error").inner_text() == ""
            await tab.check_accessible("setup-edit-details")
            # The dialog as the mediator sees it: the screen it covers, not the page below it.
            await page.evaluate("() => document.activeElement?.blur()")
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "setup-edit-details-laptop.png"))
            await med.button("mediator.details.save")
            await dialog.wait_for(state="detached")

            # --- saved: said so, and what it means for those already invited ----------------
            await page.get_by_role("heading", name="Wong v. Ho (adjourned)", exact=True).wait_for()
            note = page.locator(".details-note")
            assert await note.locator(".details-saved").inner_text() == t(EN, "mediator.details.saved")
            # Both changed: both said, in one sentence (never only "the old time").
            assert await note.locator(".details-resend").all_inner_texts() == [t(
                EN, "mediator.details.resend_title_time")]
            assert await tab.value("document.activeElement.classList.contains('details-note')")
            # The open card's letter is written with the new title and time now.
            text = await letter.inner_text()
            assert '"Wong v. Ho (adjourned)"' in text and '"Wong v. Ho"' not in text, text
            assert later.strftime("%-d %b %Y") in text and due.strftime("%-d %b %Y") not in text, text
            await tab.check_accessible("setup-edit-details-saved")
            await page.evaluate("() => window.scrollTo(0, 0)")
            await tab.screenshot("setup-edit-details-saved", "laptop")
            status, detail = await people.mediator.call("GET", base)
            assert (detail["title"], detail["scheduled_at"], detail["time_zone"]) == (
                "Wong v. Ho (adjourned)", int(later.timestamp() * 1000), ZONE)
            # The calendar file the card offers is the hearing's as it is now, an update of the
            # one sent before (same UID, a higher SEQUENCE).
            card = page.locator(".invite-once")
            async with page.expect_download() as downloading:
                await card.get_by_role("button", name=t(EN, "mediator.setup.calendar"),
                                       exact=True).click()
            download = await downloading.value
            # Saved under the name the server gives it (Content-Disposition, RFC 8187).
            served = await page.request.get(f"{base}/calendar.ics")
            named = re.search(r"filename\*=UTF-8''([^;\s]+)", served.headers["content-disposition"])
            assert named and urllib.parse.unquote(named[1]) == download.suggested_filename
            assert download.suggested_filename == "Wong v. Ho (adjourned).ics"
            event = next(iter(Calendar.from_ical(
                Path(await download.path()).read_bytes()).walk("VEVENT")))
            assert str(event["summary"]) == "Wong v. Ho (adjourned)"
            assert int(event.decoded("dtstart").timestamp()) == int(later.timestamp())
            assert (str(event["uid"]), int(event["sequence"])) == (f"{hearing['id']}@parley", 1)

            # --- Ronald's lobby: the new title and time, live, and a word that they changed --
            await lobby.locator(".lobby-title", has_text="Wong v. Ho (adjourned)").wait_for()
            changed = lobby.locator(".lobby-changed")
            await changed.wait_for()
            # One change of both: both named, in one sentence.
            assert await changed.inner_text() == changed_words("title", "start")
            line = await lobby.locator(".lobby-waiting").inner_text()
            assert line != first_line and later.strftime("%-d %b %Y") in line, line
            await party.check_accessible("lobby-rescheduled")
            await party.screenshot("lobby-rescheduled", "laptop")

            # --- dismissed: the note goes, focus back on Edit details ------------------------
            await med.button("mediator.details.dismiss")
            await note.wait_for(state="detached")
            assert await tab.value("document.activeElement.id") == "edit-details"

            # --- the hearing under way: renamed again, the console follows without a reload --
            await med.button("mediator.setup.open")
            console = await page.context.new_page()
            await console.goto(f"/hearings/{hearing['id']}")
            heading = console.locator(".console .page-head h1")
            await heading.filter(has_text="Wong v. Ho (adjourned)").wait_for()
            status, reply = await people.mediator.call("PATCH", base, {"title": "Wong v. Ho, day 2"})
            assert status == 200, reply
            await heading.filter(has_text="Wong v. Ho, day 2").wait_for()
            await console.locator(".header-hearing", has_text="Wong v. Ho, day 2").wait_for()
            await lobby.locator(".lobby-title", has_text="Wong v. Ho, day 2").wait_for()
            # Open now: the start is no news any more, the title still is.
            assert await changed.inner_text() == changed_words("title")
            await console.close()
            tab.assert_clean()
            party.assert_clean(secrets=[ronald["access_code"]])
        except Exception:
            print(tab.dump())
            print(party.dump())
            raise
        finally:
            await party.context.close()

    entries = await audit_actions(people.auditor, hearing["id"], {"hearing.details_change"})
    change = next(e for e in entries if e["action"] == "hearing.details_change")  # the page's
    details: dict[str, Any] = change["details"]
    assert (details["previous_title"], details["title"]) == ("Wong v. Ho", "Wong v. Ho (adjourned)")
    assert (details["previous_scheduled_at"], details["scheduled_at"]) == (
        int(due.timestamp() * 1000), int(later.timestamp() * 1000))


async def _setup_page(tab: Any, people: Any, hearing: str, title: str) -> None:
    page = tab.page
    await page.goto("/signin")
    await sign_in(tab, EN, people.mediator.username, people.mediator.password,
                  code=await people.mediator.next_totp())
    await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"), exact=True).wait_for()
    await page.goto(f"/hearings/{hearing}/setup")
    await page.get_by_role("heading", name=title, exact=True).wait_for()


async def test_a_hearing_under_way_moves_to_another_zone_keeping_its_start(suite: Suite) -> None:
    """Opened ten minutes ago in Hong Kong, now held from Tokyo: the date and time are kept
    (shown as Tokyo reads them), the dialog says the start in both zones, and saving is not
    refused as "in the past" (only the zone is sent; the start stays to the second). Then
    adjourned to next week: a start typed anew moves it."""
    await suite.ready()
    people = await staff_people(suite)
    began = int((datetime.now(UTC) - timedelta(minutes=10)).timestamp() * 1000) + 123
    status, hearing = await people.mediator.call("POST", "/api/v1/hearings", {
        "title": "Lam v. Tse", "scheduled_at": began, "time_zone": ZONE})
    assert status == 201, hearing
    base = f"/api/v1/hearings/{hearing['id']}"
    status, _ = await people.mediator.call("POST", f"{base}/open", {})
    assert status == 200
    status, side = await people.mediator.call("POST", f"{base}/sides", {"name": "Claimant"})
    assert status == 201, side
    status, _ = await people.mediator.call("POST", f"{base}/participants", {
        "name": "Lam Ka Yan", "role": "party", "side": side["side"]["id"]})
    assert status == 201
    start = datetime.fromtimestamp(began / 1000, UTC)
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        med = Mediator(tab, EN)
        try:
            await _setup_page(tab, people, hearing["id"], "Lam v. Tse")
            await med.button("mediator.details.edit")
            dialog = page.get_by_role("dialog")
            when = dialog.get_by_label(t(EN, "mediator.create.when"), exact=True)
            zone = dialog.get_by_label(t(EN, "mediator.create.zone"), exact=True)
            # Open: the start is kept unless a new one is typed (an adjournment; said why).
            assert await when.is_enabled()
            await dialog.get_by_text(t(EN, "mediator.details.started_hint"), exact=True).wait_for()
            preview = dialog.locator(".start-preview")
            assert "Hong Kong Standard Time" in await preview.inner_text()
            await zone.select_option("Asia/Tokyo")
            # The same moment, as Tokyo reads it; said in Tokyo's time and the reader's own.
            assert await when.input_value() == wall_clock(start, "Asia/Tokyo")
            said = await preview.inner_text()
            tokyo = start.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
            assert "Japan Standard Time" in said and tokyo in said, said
            if await tab.value("Intl.DateTimeFormat().resolvedOptions().timeZone") != "Asia/Tokyo":
                assert said.rstrip(".").endswith("your time"), said
            assert await dialog.locator("#details-past").is_hidden()
            await tab.check_accessible("details-change-zone")
            await page.evaluate("() => document.activeElement?.blur()")
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "details-change-zone-laptop.png"))
            await med.button("mediator.details.save")
            await dialog.wait_for(state="detached")
            await page.locator(".details-note").wait_for()
            # Only the zone changed, the same moment: the time already sent is still right
            # (it once said "People you already invited were sent the old time").
            assert await page.locator(".details-note .details-resend").all_inner_texts() == [
                t(EN, "mediator.details.zone_kept")]
            await tab.screenshot("setup-zone-kept", "laptop")
            status, detail = await people.mediator.call("GET", base)
            assert (detail["scheduled_at"], detail["time_zone"]) == (began, "Asia/Tokyo")
            # The header says it in the hearing's zone now, and the reader's.
            meta = await page.locator(".page-head .meta").inner_text()
            assert "Japan Standard Time" in meta, meta
            # Adjourned to the same time next week: a new start, typed, is sent and kept.
            await med.button("mediator.details.edit")
            week = start + timedelta(days=7)
            await dialog.get_by_label(t(EN, "mediator.create.when"), exact=True).fill(
                wall_clock(week, "Asia/Tokyo"))
            assert "was scheduled" not in await dialog.locator(".start-preview").inner_text()
            await med.button("mediator.details.save")
            await dialog.wait_for(state="detached")
            status, detail = await people.mediator.call("GET", base)
            assert detail["scheduled_at"] == (began // 60_000 + 7 * 24 * 60) * 60_000, detail
            tab.assert_clean()
        except Exception:
            print(tab.dump())
            raise


async def test_an_ended_hearing_offers_no_calendar_and_says_what_its_links_came_to(
        suite: Suite) -> None:
    """After the end: no calendar file; a link never used is "not used, the hearing has ended"
    (not "Revoked"); someone who joined, was sent a new link and was then removed is "Removed
    by the mediator" (not "Withdrawn": the roster knows they had joined). Ended with its
    documents kept, they are listed read-only (no upload, no release) and download."""
    await suite.ready()
    people = await staff_people(suite)
    due = hong_kong(datetime.now(UTC) + timedelta(days=3), 10)
    status, hearing = await people.mediator.call("POST", "/api/v1/hearings", {
        "title": "Ng v. Yip", "scheduled_at": int(due.timestamp() * 1000), "time_zone": ZONE})
    assert status == 201, hearing
    base = f"/api/v1/hearings/{hearing['id']}"
    status, side = await people.mediator.call("POST", f"{base}/sides", {"name": "Claimant"})
    assert status == 201, side
    invited = {}
    for name in ("Amy Ng", "Ben Yip"):
        status, invited[name] = await people.mediator.call("POST", f"{base}/participants", {
            "name": name, "role": "party", "side": side["side"]["id"]})
        assert status == 201, invited[name]
    ben = invited["Ben Yip"]
    status, _, _ = await redeem(suite.base_url, ben["token"], ben["access_code"])
    assert status == 200
    status, _ = await people.mediator.call(
        "POST", f"{base}/participants/{ben['participant']}/invitations", {})
    assert status == 201
    status, _ = await people.mediator.call("DELETE", f"{base}/participants/{ben['participant']}")
    assert status in (200, 204)
    for name, compartment in (("offer.txt", "joint"), ("my-notes.txt", "mediator")):
        async with people.mediator.session() as http, http.post(
                f"{base}/documents", data=io.BytesIO(f"kept: {name}".encode()),
                headers={"Parley-Filename": name, "Parley-Compartment": compartment,
                         "Content-Type": "text/plain"}) as r:
            assert r.status == 201, await r.text()
    status, _ = await people.mediator.call("POST", f"{base}/close", {})
    assert status == 200
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            await _setup_page(tab, people, hearing["id"], "Ng v. Yip")
            rows = page.locator("tr[data-participant]")
            await rows.filter(has_text="Amy Ng").filter(
                has_text=t(EN, "mediator.setup.status_unused_ended")).wait_for()
            await rows.filter(has_text="Ben Yip").filter(
                has_text=t(EN, "mediator.setup.status_removed")).wait_for()
            for word in ("status_revoked", "status_withdrawn"):
                assert await rows.filter(has_text=t(EN, f"mediator.setup.{word}")).count() == 0
            assert await page.get_by_role("button", name=t(EN, "mediator.setup.calendar"),
                                          exact=True).count() == 0
            # Its documents, kept at the end: listed to read and download, nothing to add or share.
            docs = page.locator(".setup-documents")
            await docs.get_by_text(t(EN, "mediator.setup.documents_ended")).wait_for()
            await docs.locator("tr[data-document]", has_text="offer.txt").wait_for()
            assert await docs.locator(".file-drop, [data-release]").count() == 0
            await docs.get_by_role("tab", name=t(EN, "participant.docs.tab_notes")).click()
            note = docs.locator("tr[data-document]", has_text="my-notes.txt")
            async with page.expect_download() as saved:
                await note.get_by_role("button", name=t(EN, "participant.docs.download")).click()
            path = await (await saved.value).path()
            assert Path(path).read_bytes() == b"kept: my-notes.txt"
            assert await docs.locator(".file-drop, [data-release]").count() == 0
            await tab.check_accessible("setup-ended")
            await tab.screenshot("setup-ended-documents", "laptop")
            await tab.screenshot("setup-ended", "laptop")
            tab.assert_clean()
        except Exception:
            print(tab.dump())
            raise


async def test_after_a_dropped_connection_the_lobby_says_only_what_differs_now(
        suite: Suite) -> None:
    """The waiting room's word about a change is derived from the details now against those it
    first showed, never kept from an event: renamed, then renamed back while the party's
    connection was down, the page back says nothing changed; moved and renamed, it names both."""
    await suite.ready()
    people = await staff_people(suite)
    due = hong_kong(datetime.now(UTC) + timedelta(days=5), 9, 30)
    status, hearing = await people.mediator.call("POST", "/api/v1/hearings", {
        "title": "Ho v. Lau", "scheduled_at": int(due.timestamp() * 1000), "time_zone": ZONE})
    assert status == 201, hearing
    base = f"/api/v1/hearings/{hearing['id']}"
    status, side = await people.mediator.call("POST", f"{base}/sides", {"name": "Claimant"})
    assert status == 201, side
    status, kit = await people.mediator.call("POST", f"{base}/participants", {
        "name": "Kit Ho", "role": "party", "side": side["side"]["id"]})
    assert status == 201, kit
    proxy = NetCut("127.0.0.1", suite.http_port)
    via_proxy = await proxy.start()
    async with chromium_page(via_proxy) as party:
        lobby = party.page
        changed = lobby.locator(".lobby-changed")
        connection = "document.querySelector('.connection-status').dataset.state"
        try:
            await join_in_browser(party, kit)
            status, _ = await people.mediator.call("PATCH", base, {"title": "Ho v. Lau (renamed)"})
            assert status == 200
            await lobby.locator(".lobby-title", has_text="Ho v. Lau (renamed)").wait_for()
            assert await changed.inner_text() == changed_words("title")
            # Down; meanwhile renamed back. Back up: the page shows what it first showed.
            proxy.cut()
            await party.wait_for(f"{connection} === 'reconnecting'", timeout=30)
            status, _ = await people.mediator.call("PATCH", base, {"title": "Ho v. Lau"})
            assert status == 200
            proxy.restore()
            await party.wait_for(f"{connection} === 'connected'", timeout=60)
            await lobby.locator(".lobby-title", has_text="Ho v. Lau").wait_for()
            await changed.wait_for(state="hidden")
            # Renamed and moved in one change: both named.
            later = int((due + timedelta(days=1)).timestamp() * 1000)
            status, _ = await people.mediator.call("PATCH", base, {
                "title": "Ho v. Lau (day 2)", "scheduled_at": later})
            assert status == 200
            await changed.filter(has_text=changed_words("title", "start")).wait_for()
            await party.check_accessible("lobby-details-changed")
            await party.screenshot("lobby-details-changed", "laptop")
            party.assert_clean(secrets=[kit["access_code"]])
        except Exception:
            print(party.dump())
            raise
        finally:
            await proxy.stop()


async def test_a_new_link_keeps_a_waiting_person_present_and_an_ended_hearing_says_when_it_ran(
        suite: Suite) -> None:
    """A party who joined and waits in the lobby is sent a new link: the People table says
    first that she joined and is connected, then that the new link is not yet used (it once
    read only "Not yet used · valid until …", as if she had never come). A side's dot stays
    beside its name ("Respondent" once wrapped under its dot). Once the hearing ran and ended,
    the set-up says when it was scheduled, when it opened and when it ended (it once said
    "Ended" beside the day it was only due), and that the invitation links no longer work."""
    await suite.ready()
    people = await staff_people(suite)
    due = hong_kong(datetime.now(UTC) + timedelta(days=3), 15)
    status, hearing = await people.mediator.call("POST", "/api/v1/hearings", {
        "title": "Chan v. Wong", "scheduled_at": int(due.timestamp() * 1000), "time_zone": ZONE})
    assert status == 201, hearing
    base = f"/api/v1/hearings/{hearing['id']}"
    sides = {}
    for name in ("Claimant", "Respondent"):
        status, made = await people.mediator.call("POST", f"{base}/sides", {"name": name})
        assert status == 201, made
        sides[name] = made["side"]["id"]
    status, wong = await people.mediator.call("POST", f"{base}/participants", {
        "name": "王小明 Wong Siu Ming", "role": "party", "side": sides["Respondent"]})
    assert status == 201, wong
    status, _ = await people.mediator.call("POST", f"{base}/open", {})
    assert status == 200
    status, reply, cookie = await redeem(suite.base_url, wong["token"], wong["access_code"])
    assert status == 200, reply
    waiting = await WsClient(suite.base_url, {"Cookie": f"{SESSION_COOKIE}={cookie}",
                                              CSRF_HEADER: reply["csrf_token"]},
                             hearing["id"], wong["participant"]).connect()
    status, _ = await people.mediator.call(
        "POST", f"{base}/participants/{wong['participant']}/invitations", {})
    assert status == 201
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            await _setup_page(tab, people, hearing["id"], "Chan v. Wong")
            row = page.locator(f"tr[data-participant='{wong['participant']}']")
            lines = row.locator(".status-line")
            await lines.first.wait_for()
            said = await lines.all_inner_texts()
            assert len(said) == 2 and said[0].startswith("Joined "), said
            assert said[0].endswith(", connected now"), said
            assert said[1].startswith("New link not yet used · valid until "), said
            # The side's dot and its name on one line, at a phone's width too.
            for width in ("laptop", "phone"):
                await tab.screenshot("setup-new-link-while-waiting", width)
                dot, name = await tab.value(f"""(() => {{
                  const tag = document.querySelector("tr[data-participant='{wong['participant']}'] .side-tag");
                  const dot = tag.querySelector('.swatch').getBoundingClientRect();
                  const range = document.createRange(); range.selectNodeContents(tag.lastChild);
                  return [[dot.top, dot.bottom], [range.getClientRects()[0].top, range.getClientRects()[0].bottom]];
                }})()""")
                assert dot[0] >= name[0] and dot[1] <= name[1], (width, dot, name)
            await page.set_viewport_size({"width": 1366, "height": 768})
            await tab.check_accessible("setup-new-link-while-waiting")

            # --- it ran and ended: when, and that the links no longer work -------------------
            status, _ = await people.mediator.call("POST", f"{base}/close", {})
            assert status == 200
            await waiting.closed.wait()
            status, detail = await people.mediator.call("GET", base)
            assert detail["opened_at"] <= detail["ended_at"], detail
            await page.reload()
            head = page.locator(".setup .page-head .meta")
            await head.locator(".setup-ended").wait_for()
            when = await head.locator(".setup-when").inner_text()
            assert when.startswith("Scheduled for ") and due.strftime("%-d %b %Y") in when, when
            assert (await head.locator(".setup-opened").inner_text()).startswith("Opened ")
            assert (await head.locator(".setup-ended").inner_text()).startswith("Ended ")
            await page.get_by_text(t(EN, "mediator.setup.links_ended"), exact=True).wait_for()
            # What happened, no more: joined (never "connected" now), no word of the new link.
            assert await row.locator(".status-line").all_inner_texts() == [
                said[0].removesuffix(", connected now")]
            await tab.check_accessible("setup-ended-times")
            await tab.screenshot("setup-ended-times", "laptop")
            tab.assert_clean()
        except Exception:
            print(tab.dump())
            raise
        finally:
            await waiting.close()


async def test_documents_are_added_on_the_set_up_page_before_the_hearing_opens(
        suite: Suite) -> None:
    """A scheduled hearing's set-up page holds its documents, writable, as the console's panel:
    each tab says what it means before the hearing; a file picked under Joint and another
    under "My notes" upload with their rows, and the hearing is still scheduled (nothing was
    opened to add them). A party who joins later reads the joint one, never the notes."""
    await suite.ready()
    people = await staff_people(suite)
    due = hong_kong(datetime.now(UTC) + timedelta(days=5), 10)
    hearing, base, fung = await scheduled_with_a_party(people, "Fung v. Kwok", due, "Claimant",
                                                       "Fung Wai")
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            await _setup_page(tab, people, hearing["id"], "Fung v. Kwok")
            docs = page.locator(".setup-documents")
            line = docs.locator(".setup-docs-tab")
            await line.get_by_text(t(EN, "mediator.setup.docs_tab_joint"), exact=True).wait_for()
            # The side's own tab, named and explained (what it shares with the mediator).
            await docs.get_by_role("tab", name=t(EN, "participant.docs.tab_confidential_from",
                                                  side="Claimant")).click()
            await line.get_by_text(t(EN, "mediator.setup.docs_tab_confidential_from",
                                     side="Claimant"), exact=True).wait_for()
            assert await docs.locator(".file-drop").is_hidden()  # the side uploads there
            for tab_key, name in (("tab_joint", "opening-statement.txt"),
                                  ("tab_notes", "my-plan.txt")):
                await docs.get_by_role("tab", name=t(EN, f"participant.docs.{tab_key}"),
                                       exact=True).click()
                await docs.locator("input[type=file]").set_input_files(files=[{
                    "name": name, "mimeType": "text/plain",
                    "buffer": f"before the hearing: {name}".encode()}])
                await docs.locator("tr[data-document]", has_text=name).wait_for()
            await line.get_by_text(t(EN, "mediator.setup.docs_tab_notes"), exact=True).wait_for()
            await docs.get_by_role("tab", name=t(EN, "participant.docs.tab_joint"),
                                   exact=True).click()
            row = docs.locator("tr[data-document]", has_text="opening-statement.txt")
            await row.get_by_text(t(EN, "participant.docs.you"), exact=True).wait_for()
            await tab.check_accessible("setup-documents")
            await page.evaluate("() => document.activeElement?.blur()")
            await tab.screenshot("setup-documents", "laptop")
            tab.assert_clean()
        except Exception:
            print(tab.dump())
            raise
    status, detail = await people.mediator.call("GET", base)
    assert status == 200 and detail["state"] == "scheduled", detail
    # Later the hearing opens and the party joins: the joint document is theirs to read, the
    # mediator's notes are not.
    status, _ = await people.mediator.call("POST", f"{base}/open", {})
    assert status == 200
    status, _, cookie = await redeem(suite.base_url, fung["token"], fung["access_code"])
    assert status == 200 and cookie
    async with aiohttp.ClientSession(base_url=suite.base_url) as http, http.get(
            f"{base}/documents", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}) as r:
        assert r.status == 200, await r.text()
        listed = await r.json()
    seen = {(d["filename"], d["compartment"]) for d in listed["documents"]}
    assert seen == {("opening-statement.txt", "joint")}, seen


async def test_a_hearing_not_yet_started_is_cancelled_not_ended(suite: Suite) -> None:
    """Before it opens, the set-up page offers to cancel the hearing, never to end it (nobody is
    there to disconnect). The dialog says what cancelling means, and its way out is "Keep the
    hearing" (a "Cancel" beside "Cancel the hearing" reads both ways): taken, nothing changes.
    Confirmed, the page says the hearing was cancelled; the party already waiting in the lobby
    is told it was cancelled before it began (never thanked for taking part), the camera off at
    once, and a reload says the same. (A hearing under way still offers to end it:
    test_web_setup_admin.py.)"""
    await suite.ready()
    people = await staff_people(suite)
    due = hong_kong(datetime.now(UTC) + timedelta(days=4), 11)
    hearing, base, tse = await scheduled_with_a_party(people, "Tse v. Lau", due, "Claimant",
                                                      "Tse Ka Yan")

    async with chromium_page(suite.base_url) as tab:
        med = Mediator(tab, EN)
        page = tab.page
        browser = page.context.browser
        assert browser is not None
        party = await open_tab(browser, suite.base_url)
        try:
            await join_in_browser(party, tse)
            lobby = party.page
            await lobby.locator(".lobby-title", has_text="Tse v. Lau").wait_for()
            assert await party.value("""(() => { window.__testTracks =
                document.querySelector('.lobby-preview').srcObject.getTracks();
                return window.__testTracks.length; })()""") > 0

            await _setup_page(tab, people, hearing["id"], "Tse v. Lau")
            assert await page.get_by_role("button", name=t(EN, "mediator.setup.close"),
                                          exact=True).count() == 0
            # --- the way out keeps the hearing --------------------------------------------
            await med.button("mediator.setup.cancel")
            dialog = page.get_by_role("dialog")
            await dialog.get_by_role("heading", name=t(EN, "mediator.cancel.title"),
                                     exact=True).wait_for()
            assert t(EN, "mediator.cancel.body") in await dialog.inner_text()
            assert await dialog.get_by_role("button", name=t(EN, "common.cancel"),
                                            exact=True).count() == 0
            await tab.check_accessible("setup-cancel-dialog")
            await page.evaluate("() => document.activeElement?.blur()")
            await page.screenshot(path=str(ARTIFACTS / "setup-cancel-dialog-laptop.png"))
            await med.confirm("mediator.cancel.keep")
            await dialog.wait_for(state="detached")
            status, detail = await people.mediator.call("GET", base)
            assert status == 200 and detail["state"] == "scheduled", detail

            # --- cancelled: said on the page, and in the lobby ------------------------------
            await med.button("mediator.setup.cancel")
            await med.confirm("mediator.cancel.confirm")
            await page.locator("#toasts").get_by_text(t(EN, "mediator.cancel.done"),
                                                      exact=True).wait_for()
            await page.locator(".setup .badge.state-closed").wait_for()
            final = lobby.locator("[data-final=cancelled]")
            await final.get_by_role("heading", name=t(EN, "participant.final.cancelled_title"),
                                    exact=True).wait_for()
            said = await final.inner_text()
            assert t(EN, "participant.final.cancelled") in said, said
            assert t(EN, "participant.final.ended") not in said, said
            await party.wait_for(TRACKS_ENDED, timeout=5)
            await party.check_accessible("final-cancelled")
            await party.screenshot("final-cancelled", "laptop")
            await lobby.reload()
            await lobby.locator("[data-final=cancelled]").wait_for()
            tab.assert_clean()
            party.assert_clean(secrets=[tse["access_code"]])
        except Exception:
            print(tab.dump())
            print(party.dump())
            raise
        finally:
            await party.context.close()
    status, detail = await people.mediator.call("GET", base)
    assert status == 200 and detail["state"] == "closed" and detail["opened_at"] is None, detail
