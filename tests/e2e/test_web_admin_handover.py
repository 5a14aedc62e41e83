"""A mediator's account and hearings, in a real Chromium through the real suite.

- An administrator disabling a mediator who still holds a hearing is warned first ("… is the
  mediator of 1 hearing that has not ended. Hand it over first, or disable anyway."), with a
  link to it; the link opens the hand-over dialog on the hearings list, where the admin picks
  another enabled mediator; the list then names the new mediator and, for the admin, offers
  "Hand over…" and never "Open console" (the console's address shows the admin no controls,
  only the way to hand over). The old mediator's open console says the hearing was handed
  over, to whom and when, and offers only the way back to her list (never the set-up, which is
  not hers any more); her list, and the console's and the set-up's addresses, say so too
  (the set-up once said "does not exist, or it is not yours"). The hand-over dialog
  says that the new mediator will read her notes and what the parties shared with the mediator
  in confidence, and the new mediator's documents credit her notes to her by name ("Mei Ling
  Chan (former mediator)"), never to "The mediator". Come from the Disable dialog, the list
  then offers "Back to disable Mei Ling Chan" (saying what she still holds), which reopens that
  dialog with one hearing fewer (it once left the admin on the list with no way back); the way
  back is only ever the accounts page (tests/js/mediator_pages.test.mjs). Once she holds no
  hearing, disabling asks nothing more than usual.
- A party in plenary reads a joint document the mediator uploaded before an administrator
  handed the hearing over as "Mei Ling Chan (former mediator)", at once and after a reload (its
  page learns the former mediators' names from its own view: it once read "The mediator"), and
  learns nothing else of the hand-over (tests/unit/signalling). Parties are told who mediates
  now, in the room and in the waiting room alike ("Peter Wong is now the mediator of this
  hearing (in place of Mei Ling Chan)."; the old mediator's tile once just vanished), once: a
  reload says nothing again (the page derives it from its view's mediator, not from an event).
  The new mediator, not yet connected, is offline in plenary: the banner says to wait and how
  to come back. Mei Ling's set-up page, still open, turns into the
  "handed over" card at her next change (adding a side), never "not yours".
- A mediator disabled while the console is open is sent to sign-in with "Your account was
  disabled by an administrator."; the right password and code then say the account is
  disabled, a wrong password only that something is not right.
"""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import pytest

from proto.ws import Admit
from tests.browser import Tab, chromium_page, open_tab, requires_chromium
from tests.e2e.participant_steps import banner_kind, join_in_browser
from tests.e2e.staff_steps import catalogue, sign_in, t
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import PASSWORD, SESSION_COOKIE, Staff, create_staff, staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"
#: The notices saying another mediator holds the hearing now (components/notices.js).
CHANGED_NOTICE = ("[...document.querySelectorAll('.notice-mediator .notice-text')]"
                  ".map((x) => x.textContent)")



async def _open_hearing(med: Staff, title: str) -> str:
    status, made = await med.call("POST", "/api/v1/hearings", {"title": title})
    assert status == 201, made
    assert (await med.call("POST", f"/api/v1/hearings/{made['id']}/open", {}))[0] == 200
    hearing: str = made["id"]
    return hearing


async def _note(med: Staff, hearing: str, name: str, compartment: str = "mediator") -> None:
    """The mediator's own note (compartment `mediator`: "My notes"), or a `joint` document."""
    async with med.session() as http, http.post(
            f"/api/v1/hearings/{hearing}/documents", data=io.BytesIO(b"my private view"),
            headers={"Parley-Filename": name, "Parley-Compartment": compartment,
                     "Content-Type": "text/plain"}) as r:
        assert r.status == 201, await r.text()


async def _as(tab: Tab, suite: Suite, staff: Staff) -> None:
    await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": staff.cookie,
                                    "url": suite.base_url}])


# Slow: a disable, a hand-over and the new mediator's console in three browsers (about 30 s);
# `make slow` runs it (the default run's 15 minutes on two cores).
@pytest.mark.slow
async def test_disabling_a_mediator_who_holds_a_hearing_warns_and_hands_it_over(
        suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    admin = people.admin
    mei = await create_staff(suite, admin, "mediator", "mei.ling.chan", "Mei Ling Chan")
    peter = await create_staff(suite, admin, "mediator", "peter.wong", "Peter Wong")
    hearing = await _open_hearing(mei, "Ho v. Ng")
    other = await _open_hearing(mei, "Lau v. Yip")  # still hers after the first hand-over
    await _note(mei, hearing, "mei-notes.txt")
    texts: Any = catalogue(EN)["admin.confirm.disable_mediator_text"]
    warning = texts["other"].replace("{name}", "Mei Ling Chan").replace("{count}", "2")
    warning_one = texts["one"].replace("{name}", "Mei Ling Chan").replace("{count}", "1")
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        # Mei Ling has the hearing's console open in her own browser.
        browser = tab.context.browser
        assert browser is not None
        hers = await open_tab(browser, suite.base_url)
        await _as(hers, suite, mei)
        await hers.page.goto(f"/hearings/{hearing}")
        await hers.page.locator(".board .room-column[data-room-kind=lobby]").wait_for()
        await _as(tab, suite, admin)
        await page.goto("/admin")
        row = page.locator("tr[data-account='mei.ling.chan']")
        await row.get_by_role("button", name=t(EN, "admin.accounts.disable_named",
                                               name="mei.ling.chan")).click()
        dialog = page.locator("dialog[open]")
        await dialog.get_by_text(warning).wait_for()
        assert warning_one == ("Mei Ling Chan is the mediator of 1 hearing that has not ended. "
                               "Hand it over first, or disable anyway.")
        await dialog.get_by_role("button", name=t(EN, "admin.confirm.disable_anyway")).wait_for()
        await tab.check_accessible("admin-disable-mediator-warning")
        await tab.screenshot("admin-disable-mediator-warning", "laptop")
        # The link to the hearing opens its hand-over (the account stays enabled meanwhile).
        await dialog.get_by_role("link", name="Ho v. Ng").click()
        handover = page.locator("dialog[open]")
        await handover.get_by_role("heading", name=t(EN, "mediator.handover.title",
                                                     title="Ho v. Ng")).wait_for()
        assert "Mei Ling Chan" in await handover.inner_text()
        # What the new mediator will read, said before the admin confirms.
        notes = t(EN, "mediator.handover.notes", name="Mei Ling Chan")
        await handover.get_by_text(notes).wait_for()
        assert "in confidence" in notes and "notes" in notes
        await handover.get_by_label(t(EN, "mediator.handover.to")).select_option(
            peter.account_id)
        await tab.check_accessible("admin-hand-over")
        await tab.screenshot("admin-hand-over", "laptop")
        await handover.get_by_role("button", name=t(EN, "mediator.handover.confirm")).click()
        await page.locator(".toast", has_text=t(EN, "mediator.handover.done", title="Ho v. Ng",
                                                name="Peter Wong")).wait_for()
        listed = page.locator(f"tr[data-hearing='{hearing}']")
        await listed.get_by_text(t(EN, "mediator.hearings.mediator", name="Peter Wong")).wait_for()
        # Come from the Disable dialog, the list offers the way back to it (it once left the
        # admin here with no way back), saying what Mei Ling still holds; focus is on it.
        back = page.locator(".disable-return")
        held: Any = catalogue(EN)["mediator.hearings.then_disable_held"]["one"]
        await back.get_by_text(held.replace("{name}", "Mei Ling Chan").replace("{count}", "1"))\
            .wait_for()
        back_link = back.get_by_role("link", name=t(EN, "mediator.hearings.then_disable",
                                                    name="Mei Ling Chan"), exact=True)
        assert await back_link.evaluate("(el) => el === document.activeElement")
        await tab.check_accessible("admin-after-handover")
        await tab.screenshot("admin-after-handover", "laptop")
        await back_link.click()
        # The Disable dialog again, for her, with one hearing fewer (its link still comes back).
        again = page.locator("dialog[open]")
        await again.get_by_text(warning_one).wait_for()
        assert await again.get_by_role("heading").inner_text() == t(
            EN, "admin.confirm.disable_title", name="mei.ling.chan")
        links = again.get_by_role("link")
        assert await links.all_inner_texts() == ["Lau v. Yip"]
        assert await links.get_attribute("href") == (
            f"/hearings?hand_over={other}&then=disable%3A{mei.account_id}")
        assert page.url.endswith("/admin")  # asked once: a reload asks nothing
        await tab.screenshot("admin-disable-after-handover", "laptop")
        await page.keyboard.press("Escape")
        await page.goto("/hearings")
        await listed.wait_for()
        # An administrator holds no mediator controls: no console offered, a hand-over instead.
        assert await page.get_by_role("link", name=t(EN, "mediator.hearings.console")).count() == 0
        assert await listed.get_by_role("button", name=t(
            EN, "mediator.hearings.hand_over_named", title="Ho v. Ng")).count() == 1
        status, detail = await admin.call("GET", f"/api/v1/hearings/{hearing}")
        assert status == 200 and detail["mediator"] == peter.account_id
        status, mine = await peter.call("GET", "/api/v1/hearings")
        assert hearing in [x["id"] for x in mine["hearings"]]
        # Mei Ling's console says the hearing was handed over, not that it ended: to whom and
        # when, and the only way on is back to her list.
        card = hers.page.locator(".handed-over")
        await card.get_by_role("heading", name=t(EN, "mediator.console.handed_over_title")).wait_for()
        await card.get_by_text("to Peter Wong").wait_for()
        assert "On " in await card.inner_text()
        assert await hers.page.get_by_text(t(EN, "mediator.console.ended_title")).count() == 0
        assert await card.get_by_role("link", name=t(EN, "mediator.hearings.setup")).count() == 0
        assert await card.get_by_role("link").all_inner_texts() == [t(EN, "mediator.setup.back")]
        await hers.check_accessible("console-handed-over")
        await hers.screenshot("console-handed-over", "laptop")
        # Her list says where it went (it is no longer among her hearings).
        await card.get_by_role("link", name=t(EN, "mediator.setup.back")).click()
        gone = hers.page.locator(".handed-away")
        await gone.get_by_role("heading", name=t(EN, "mediator.hearings.handed_away_title")).wait_for()
        line = gone.locator(f"li[data-hearing='{hearing}']")
        assert "“Ho v. Ng”" in await line.inner_text() and "Peter Wong" in await line.inner_text()
        assert await hers.page.locator(f"tr[data-hearing='{hearing}']").count() == 0
        await hers.check_accessible("hearings-handed-away")
        await hers.screenshot("hearings-handed-away", "laptop")
        # The console's address, later: the same card, never "not yours"; the set-up's too.
        await hers.page.goto(f"/hearings/{hearing}")
        await hers.page.locator(".handed-over").get_by_text("to Peter Wong").wait_for()
        await hers.page.goto(f"/hearings/{hearing}/setup")
        await hers.page.locator(".handed-over").get_by_text("to Peter Wong").wait_for()
        assert await hers.page.get_by_text(t(EN, "mediator.error.setup.not_found")).count() == 0
        assert await hers.page.locator(".handed-over").get_by_role("link").all_inner_texts() == [
            t(EN, "mediator.setup.back")]
        await hers.check_accessible("setup-handed-over")
        await hers.screenshot("setup-handed-over", "laptop")
        hers.assert_clean(secrets=[mei.cookie])
        await hers.context.close()
        # Peter's console: Mei Ling's notes are his to read now, credited to her by name.
        his = await open_tab(browser, suite.base_url)
        await _as(his, suite, peter)
        await his.page.goto(f"/hearings/{hearing}")
        await his.page.locator(".board .room-column[data-room-kind=lobby]").wait_for()
        await his.page.get_by_role("tab", name=t(EN, "participant.docs.tab_notes")).click()
        row = his.page.locator(".documents tr", has_text="mei-notes.txt")
        credited = t(EN, "participant.docs.owner_former_mediator", name="Mei Ling Chan")
        await row.locator("td[data-label]", has_text=credited).wait_for()
        assert credited == "Mei Ling Chan (former mediator)"
        assert t(EN, "participant.docs.owner_mediator") not in await row.inner_text()
        await his.screenshot("console-former-mediator-notes", "laptop")
        his.assert_clean(secrets=[peter.cookie])
        await his.context.close()
        # The console's address, asked by the admin: no controls, the way to hand it over.
        await page.goto(f"/hearings/{hearing}")
        await page.get_by_role("heading", name=t(EN, "mediator.console.admin_title")).wait_for()
        assert await page.locator(".board").count() == 0
        await page.get_by_role("link", name=t(EN, "mediator.hearings.hand_over")).wait_for()

        # Mei Ling holds nothing now: disabling her asks only the usual question.
        assert (await mei.call("POST", f"/api/v1/hearings/{other}/close", {}))[0] == 200
        await page.goto("/admin")
        await page.locator("tr[data-account='mei.ling.chan']").get_by_role(
            "button", name=t(EN, "admin.accounts.disable_named", name="mei.ling.chan")).click()
        await page.locator("dialog[open]").get_by_text(t(EN, "admin.confirm.disable_text")).wait_for()
        await page.locator("dialog[open] button.danger").click()
        await page.locator(".toast", has_text=t(EN, "admin.done.disable",
                                                name="mei.ling.chan")).wait_for()
        tab.assert_clean(secrets=[admin.cookie])


async def test_a_party_reads_the_former_mediators_documents_under_her_name(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    mei = await create_staff(suite, people.admin, "mediator", "mei.ling.docs", "Mei Ling Chan")
    peter = await create_staff(suite, people.admin, "mediator", "peter.wong.docs", "Peter Wong")
    cast = await seat(suite, dataclasses.replace(people, mediator=mei), per_side=1,
                      redeem_all=False)
    hearing, invitation = cast.hearing, cast.invitations["A1"]
    a1 = invitation["participant"]
    await _note(mei, hearing, "terms-draft.txt", "joint")
    med = await WsClient(suite.base_url, mei.headers(), hearing, mei.account_id).connect()
    credited = t(EN, "participant.docs.owner_former_mediator", name="Mei Ling Chan")
    row = "document.querySelector('.stage-documents .docs-table tbody tr')"
    cell = json.dumps(f'td[data-label="{t(EN, "participant.docs.col_uploader")}"]')
    uploader = f"({row}?.querySelector({cell})?.textContent ?? null)"
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        browser = tab.context.browser
        assert browser is not None
        hers = await open_tab(browser, suite.base_url)
        waiting = await open_tab(browser, suite.base_url)
        try:
            await _as(hers, suite, mei)
            await hers.page.goto(f"/hearings/{hearing}/setup")
            await hers.page.locator("#add-side").wait_for()
            await join_in_browser(tab, invitation)
            await join_in_browser(waiting, cast.invitations["B1"])  # stays in the waiting room
            await med.send(Admit(participant=a1))
            await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
            await tab.wait_for(f"{uploader} === 'Mei Ling Chan'", timeout=20)
            assert await tab.value(f"{CHANGED_NOTICE}.length") == 0

            status, _ = await people.admin.call("POST", f"/api/v1/hearings/{hearing}/mediator",
                                                {"account": peter.account_id})
            assert status == 200
            # At once, and after a reload (the page knows only what its view says).
            await tab.wait_for(f"{uploader} === {json.dumps(credited)}", timeout=20)
            # Both parties are told who mediates now, in place of whom: in plenary and waiting.
            changed = t(EN, "participant.notice.mediator_changed", name="Peter Wong",
                        former="Mei Ling Chan")
            assert changed == ("Peter Wong is now the mediator of this hearing "
                               "(in place of Mei Ling Chan).")
            for party in (tab, waiting):
                await party.wait_for(f"JSON.stringify({CHANGED_NOTICE}) === "
                                     f"JSON.stringify([{changed!r}])", timeout=20)
            await waiting.page.locator(".lobby-waiting", has_text="Peter Wong").wait_for()
            await waiting.check_accessible("lobby-mediator-changed")
            await waiting.screenshot("lobby-mediator-changed", "laptop")
            # Peter has not opened the console yet: offline in plenary, and the banner says
            # what to do meanwhile.
            offline = t(EN, "participant.room.mediator_offline")
            assert offline.startswith("Please wait: the hearing continues when the mediator is back.")
            await page.locator(".room-banner [data-away=offline]", has_text=offline).wait_for()
            await tab.check_accessible("hearing-mediator-changed")
            await tab.screenshot("hearing-mediator-changed", "laptop")
            # A reload names the same mediator: nothing said again.
            await page.reload()
            await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
            await tab.wait_for(f"{uploader} === {json.dumps(credited)}", timeout=20)
            assert await tab.value(f"{CHANGED_NOTICE}.length") == 0
            assert t(EN, "participant.docs.owner_mediator") not in await page.inner_text(
                ".stage-documents")
            await tab.check_accessible("hearing-former-mediator-document")
            await tab.screenshot("hearing-former-mediator-document", "laptop")
            tab.assert_clean(secrets=[invitation["access_code"]])

            # Her set-up page, still open: her next change meets the hand-over, said as such.
            await hers.page.get_by_label(t(EN, "mediator.setup.side_name")).fill("Side C")
            await hers.page.get_by_role("button", name=t(EN, "mediator.setup.add_side")).click()
            card = hers.page.locator(".handed-over")
            await card.get_by_text("to Peter Wong").wait_for()
            assert await hers.page.locator("#add-side").count() == 0
            hers.assert_clean(secrets=[mei.cookie])
        finally:
            await hers.context.close()
            await waiting.context.close()
            await med.close()


async def test_a_mediator_disabled_at_the_console_is_told_so(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    med = await create_staff(suite, people.admin, "mediator", "anna.lee", "Anna Lee")
    hearing = await _open_hearing(med, "Chan v. Lam")
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        await _as(tab, suite, med)
        await page.goto(f"/hearings/{hearing}")
        await page.locator(".board .room-column[data-room-kind=lobby]").wait_for()
        status, _ = await people.admin.call("PATCH", f"/api/v1/accounts/{med.account_id}",
                                            {"disabled": True})
        assert status == 200
        await page.get_by_text(t(EN, "staff.signin.disabled")).wait_for(timeout=10_000)
        assert page.url.endswith("ended=disabled")
        await tab.check_accessible("signin-account-disabled")
        await tab.screenshot("signin-account-disabled", "laptop")
        # A wrong password: the one sentence every failure gets.
        await sign_in(tab, EN, med.username, "not the password at all", await med.next_totp())
        await page.locator(".form-error", has_text=t(EN, "staff.error.signin.unauthenticated")).wait_for()
        # The right password and code: the account is disabled, and who to ask.
        await sign_in(tab, EN, med.username, PASSWORD, await med.next_totp())
        refusal = page.locator(".form-error", has_text=t(EN, "staff.error.signin.account_disabled"))
        await refusal.wait_for()
        assert await refusal.inner_text() == "This account has been disabled. Contact your administrator."

        async def still_here() -> bool:
            return "/signin" in page.url

        await wait_until(still_here, what="no way in")
        tab.assert_clean(secrets=[med.cookie, PASSWORD])
