"""Setting up a hearing in the browser (one Chromium, the real suite): a date already past is said
in the page as soon as it is picked, and refused in a sentence when saved anyway (the server's
reason, `scheduled_in_past`); a side is renamed and recoloured from its row (a name another side
has is said in the dialog); a side added by mistake is removed after a confirmation; a side
someone is invited to is kept, with a sentence saying to revoke the invitation first, and is
removed once it is revoked: its Remove is disabled with a short reason beside it while the page
knows, and a refusal the page could not foresee (someone invited elsewhere since) is said in the
side's own row, focused. The same reason in Traditional Chinese; axe-core and screenshots.
That invitation is written in 繁體中文 for its person by the English-speaking mediator: both
messages are in it (the page around them stays English), and its link opens the person's page in
it in a browser that says English, until the person picks English themselves.
A sentence goes once what it was about changes: the refusal of a past date once another date is
picked, "already a side of that name" once the name is edited, a side's refusal once another
action starts. The zone picker offers the zones a Hong Kong centre uses first, named with their
offsets, under current names only, the browser's own zone chosen; the set-up page names the
hearing's zone the same way, never by its IANA name.
A party who joined gets a new link from their row ("New link"): the same person, a fresh link and
code in the letter's language; opening it on another device ends the first device's visit (its
page says so, after a reload too), and the new device waits in the lobby. When the hearing ends,
the participant's page says so, and says it again after a reload.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser import Tab, chromium_page, open_tab, requires_chromium
from tests.e2e.mediator_steps import Invited, Mediator
from tests.e2e.participant_steps import (
    join_in_browser,
    latin_words_left,
    shots,
    switch_language,
)
from tests.e2e.staff_steps import sign_in, t
from tests.e2e.web_people import audit_actions
from tests.harness import Suite, wait_until
from tests.people import staff_people

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.timeout(240)]
EN = "en"
ZH = "zh-Hant"
ZONE = "Asia/Hong_Kong"
SIDE = ".side-list li"
NOTE = ".side-note"


def wall_clock(when: datetime) -> str:
    """A `datetime-local` value: the wall-clock time in the hearing's zone, to the minute."""
    return when.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


async def letter_in_traditional_chinese(tab: Tab, person: Invited, base_url: str) -> None:
    """The invitation card's two messages in 繁體中文 (chosen for the person), its own words in
    the mediator's English; and the link, opened in a fresh browser that says English."""
    page = tab.page
    card = page.locator(".invite-once")
    await card.get_by_role("heading", name=t(EN, "mediator.invite.issued_title", name="Ronald Ho"),
                           exact=True).wait_for()
    assert person.link.endswith("&lang=zh-Hant"), person.link
    letters = card.locator("pre.message-text")
    assert [await pre.get_attribute("lang") for pre in await letters.all()] == [ZH, ZH]
    link_text, code_text = await letters.all_inner_texts()
    assert code_text == t(ZH, "mediator.invite.message_code", name="Ronald Ho", title="Wong v. Ho",
                          code=person.code)
    before, after = t(ZH, "mediator.invite.message_link", name="Ronald Ho", title="Wong v. Ho",
                      link=person.link).split("{when}")
    assert link_text.startswith(before) and link_text.endswith(after), link_text
    when = link_text[len(before):len(link_text) - len(after)]
    assert "年" in when and "Dec" not in when and "Jan" not in when, when  # the date in Chinese too
    # Copying a message copies that text (the copy button reads the message it sits under).
    assert await card.locator(".message-block").first.locator("pre").inner_text() == link_text

    browser = page.context.browser
    assert browser is not None
    guest = await open_tab(browser, base_url)
    try:
        await guest.page.goto(person.link)
        await guest.page.get_by_role("heading", name=t(ZH, "participant.join.title"),
                                     exact=True).wait_for()
        assert await guest.value("document.documentElement.lang") == ZH
        await guest.check_accessible("join from a 繁體中文 invitation")
        # The person picks English: theirs from then on, a reload of the page included.
        await switch_language(guest, EN)
        await guest.page.reload()
        await guest.page.get_by_role("heading", name=t(EN, "participant.join.title"),
                                     exact=True).wait_for()
        assert await guest.value("document.documentElement.lang") == EN
        guest.assert_clean(secrets=[person.code])
    finally:
        await guest.context.close()


async def new_link_for_a_joined_party(tab: Tab, med: Mediator, people: Any, hearing: str,
                                      base_url: str) -> None:
    """Mei Chan joins on one device; the mediator gives her a new link from her row; she opens
    it on another device: the first one's page says she went on there (after a reload too),
    the second waits in the lobby as the same participant. Then the hearing, which never opened,
    is cancelled: her page says so (not that it ended), and says it again when reloaded."""
    page = tab.page
    # Mei Chan was invited through the API (above); a new link from her row, in 繁體中文.
    status, detail = await people.mediator.call("GET", f"/api/v1/hearings/{hearing}")
    [mei] = [e for e in detail["roster"] if e["name"] == "Mei Chan"]
    await page.reload()
    await med.button("mediator.setup.new_link_named", name="Mei Chan")
    dialog = page.get_by_role("dialog")
    await dialog.get_by_text(t(EN, "mediator.reissue.body_invited", name="Mei Chan")).wait_for()
    await med.confirm("mediator.reissue.confirm")
    card = page.locator(".invite-once")
    await card.wait_for()
    first = {"link_path": await card.locator("[data-secret=link]").inner_text(),
             "access_code": await card.locator("[data-secret=code]").inner_text()}
    assert await card.get_attribute("data-participant") == mei["id"]
    await med.done_inviting()
    browser = page.context.browser
    assert browser is not None
    old = await open_tab(browser, base_url)
    new = await open_tab(browser, base_url)
    try:
        first["token"] = first["link_path"].split("#t=")[1].split("&")[0]
        await join_in_browser(old, first)
        # Joined: her row offers a new link, which says what it does to the device she is on.
        await page.reload()
        await page.locator(f"tr[data-participant='{mei['id']}'][data-invitation=redeemed]") \
            .wait_for()
        await med.button("mediator.setup.new_link_named", name="Mei Chan")
        await dialog.get_by_text(t(EN, "mediator.reissue.body_joined", name="Mei Chan")).wait_for()
        await tab.check_accessible("setup-new-link")
        await med.confirm("mediator.reissue.confirm")
        await card.get_by_role("heading", name=t(EN, "mediator.invite.issued_title",
                                                 name="Mei Chan"), exact=True).wait_for()
        second = {"link_path": await card.locator("[data-secret=link]").inner_text(),
                  "access_code": await card.locator("[data-secret=code]").inner_text()}
        second["token"] = second["link_path"].split("#t=")[1].split("&")[0]
        assert second["token"] != first["token"] and second["access_code"]
        assert await card.get_attribute("data-participant") == mei["id"]
        await tab.screenshot("setup-new-link", "laptop")
        await med.done_inviting()
        # The new device joins; the old one is told she went on there, and a reload says so too.
        await join_in_browser(new, second)
        replaced = old.page.get_by_role("heading", name=t(
            EN, "participant.final.replaced_title"), exact=True)
        await replaced.wait_for()
        await old.check_accessible("final-replaced")
        await old.screenshot("final-replaced", "laptop")
        await old.page.reload()
        await replaced.wait_for()
        assert await old.page.locator(".final[data-final=replaced]").count() == 1
        status, me = await people.mediator.call("GET", f"/api/v1/hearings/{hearing}")
        assert [e["id"] for e in me["roster"] if e["name"] == "Mei Chan"] == [mei["id"]]
        # Cancelled before it opened: her page says so, and again after a reload (her session
        # is gone, and the server's reason, "hearing_ended", says no more than that it is over).
        status, _ = await people.mediator.call("POST", f"/api/v1/hearings/{hearing}/close", {})
        assert status == 200
        ended = new.page.get_by_role("heading", name=t(EN, "participant.final.cancelled_title"),
                                     exact=True)
        await ended.wait_for()
        await new.page.reload()
        await ended.wait_for()
        assert await new.page.get_by_text(t(EN, "participant.hearing.no_session")).count() == 0
        await new.check_accessible("final-ended-reloaded")
    finally:
        await old.context.close()
        await new.context.close()


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
async def test_setting_up_dates_and_sides(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    async with chromium_page(suite.base_url) as tab:
        med = Mediator(tab, EN)
        page = tab.page
        try:
            # A browser in India, which (as Chromium does) calls its zone Asia/Calcutta.
            cdp = await page.context.new_cdp_session(page)
            await cdp.send("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Calcutta"})
            await page.goto("/signin")
            await sign_in(tab, EN, people.mediator.username, people.mediator.password,
                          code=await people.mediator.next_totp())
            await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"),
                                   exact=True).wait_for()

            # --- the zone picker: common zones first, current names, the browser's zone chosen
            await page.locator("#new-hearing").click()
            picker = page.get_by_label(t(EN, "mediator.create.zone"), exact=True)
            values = await picker.evaluate("(s) => [...s.options].map((o) => o.value)")
            assert values[:4] == ["Asia/Hong_Kong", "Asia/Singapore", "Asia/Shanghai",
                                  "Asia/Taipei"], values[:4]
            for old in ("Asia/Calcutta", "Asia/Saigon", "Europe/Kiev"):
                assert old not in values
            for current in ("Asia/Kolkata", "Asia/Ho_Chi_Minh", "Europe/Kyiv"):
                assert values.count(current) == 1, current
            # The browser says Asia/Calcutta; the form chooses it under its current name.
            assert await picker.input_value() == "Asia/Kolkata"
            hong_kong = await picker.locator("option[value='Asia/Hong_Kong']").inner_text()
            assert "Hong Kong" in hong_kong and hong_kong.endswith("(GMT+8)"), hong_kong
            groups = await picker.evaluate("(s) => [...s.querySelectorAll('optgroup')].map((g) => g.label)")
            assert groups == [t(EN, "mediator.create.zone_common"), t(EN, "mediator.create.zone_all")]
            await cdp.send("Emulation.setTimezoneOverride", {"timezoneId": ""})
            await cdp.detach()

            # --- a date in the past: said before saving, and refused when saved anyway -----
            await page.get_by_label(t(EN, "mediator.create.name"), exact=True).fill("Wong v. Ho")
            when = page.get_by_label(t(EN, "mediator.create.when"), exact=True)
            await page.get_by_label(t(EN, "mediator.create.zone"), exact=True).select_option(ZONE)
            warning = page.locator("#create-past")
            await when.fill(wall_clock(datetime.now(UTC) - timedelta(days=1)))
            await warning.wait_for()
            assert await warning.inner_text() == t(EN, "mediator.create.past_warning")
            await tab.check_accessible("create-past")
            await tab.screenshot("create-past", "laptop")
            await med.button("mediator.create.submit")
            error = page.locator("#create-hearing .form-error")
            await error.filter(has_text=t(EN, "mediator.create.refused_past")).wait_for()
            assert await page.evaluate("document.activeElement.name") == "scheduled"
            _, listing = await people.mediator.call("GET", "/api/v1/hearings")
            assert "Wong v. Ho" not in {h["title"] for h in listing["hearings"]}
            # A week ahead: the warning goes, and so does the refusal; the hearing is made.
            await when.fill(wall_clock(datetime.now(UTC) + timedelta(days=7)))
            await warning.wait_for(state="hidden")
            await error.wait_for(state="hidden")
            assert await error.inner_text() == ""
            await med.button("mediator.create.submit")
            await page.get_by_role("heading", name="Wong v. Ho", exact=True).wait_for()
            hearing = page.url.rstrip("/").split("/")[-2]
            # Its time in its own zone beside the browser's, the zone named as people read it.
            meta = await page.locator(".page-head .meta").inner_text()
            assert "Asia/" not in meta, meta
            # (as the waiting room says it: person.js dueWords): "… Hong Kong Standard Time
            # (GMT+8) — 02:00 your time".
            if await tab.value("Intl.DateTimeFormat().resolvedOptions().timeZone") != ZONE:
                assert "Hong Kong Standard Time (GMT+8) — " in meta, meta
                assert meta.endswith(" your time"), meta

            # --- sides: three added, one renamed and recoloured ----------------------------
            for name in ("Claimant", "Respondent", "Expert witness"):
                await med.add_side(name)
            await med.button("mediator.setup.edit_side_named", side="Claimant")
            dialog = page.get_by_role("dialog")
            await dialog.get_by_label(t(EN, "mediator.setup.side_name"), exact=True).fill(
                "Wong Holdings Ltd")
            await dialog.get_by_label(t(EN, "mediator.setup.side_colour"), exact=True) \
                .select_option(label=t(EN, "mediator.colour.e"))
            await med.confirm("mediator.side.save")
            renamed = page.locator(f"{SIDE}[data-colour=e]", has_text="Wong Holdings Ltd")
            await renamed.wait_for()
            assert await page.locator(SIDE, has_text="Claimant").count() == 0
            assert await page.locator(NOTE).inner_text() == t(
                EN, "mediator.side.saved", side="Wong Holdings Ltd")
            # Another side's name (written otherwise) is said in the dialog; nothing is sent.
            await med.button("mediator.setup.edit_side_named", side="Wong Holdings Ltd")
            await dialog.get_by_label(t(EN, "mediator.setup.side_name"), exact=True).fill(
                "  respondent ")
            await med.confirm("mediator.side.save")
            await dialog.locator(".form-error").filter(
                has_text=t(EN, "mediator.setup.side_taken")).wait_for()
            # Another name: the sentence about the old one goes.
            await dialog.get_by_label(t(EN, "mediator.setup.side_name"), exact=True).fill(
                "Wong Holdings")
            await dialog.locator(".form-error").wait_for(state="hidden")
            await dialog.get_by_role("button", name=t(EN, "common.cancel"), exact=True).click()
            await dialog.wait_for(state="detached")

            # --- a side added by mistake: removed after a confirmation ---------------------
            await med.button("mediator.setup.remove_side_named", side="Expert witness")
            await dialog.get_by_role("heading", name=t(
                EN, "mediator.side.remove_title", side="Expert witness")).wait_for()
            await med.confirm("mediator.side.remove_confirm")
            await page.locator(SIDE, has_text="Expert witness").wait_for(state="detached")
            assert await page.locator(NOTE).inner_text() == t(
                EN, "mediator.side.removed", side="Expert witness")

            # --- a side someone is invited to stays, until the invitation is revoked -------
            ronald = await med.invite("Ronald Ho", "party", "Respondent", letter=ZH)
            await letter_in_traditional_chinese(tab, ronald, suite.base_url)
            await med.done_inviting()
            # The page knows: Remove is disabled, the short reason beside it, in the side's row.
            respondent_row = page.locator(SIDE, has_text="Respondent")
            remove = respondent_row.get_by_role("button", name=t(
                EN, "mediator.setup.remove_side_named", side="Respondent"), exact=True)
            assert await remove.is_disabled()
            kept = respondent_row.locator(".side-kept")
            assert await kept.inner_text() == t(EN, "mediator.side.kept_invited")
            assert await remove.get_attribute("aria-describedby") == await kept.get_attribute("id")
            await tab.check_accessible("setup-sides")
            await shots(tab, "setup-sides")
            # The server decides, not the page: asked directly, it refuses with the reason.
            respondent = await page.locator(SIDE, has_text="Respondent").get_attribute("data-side")
            status, reply = await people.mediator.call(
                "DELETE", f"/api/v1/hearings/{hearing}/sides/{respondent}")
            assert status == 409 and reply["error"]["reason"] == "side_invited", reply
            # Switched to Traditional Chinese, the page says the same again in it, every word.
            await switch_language(tab, "zh-Hant")
            await respondent_row.locator(".side-kept", has_text=t(
                "zh-Hant", "mediator.side.kept_invited")).wait_for()
            # Names, the zone's own id and the calendar file's extension are nobody's words;
            # nor is "English" among the invitation's languages, each named in itself.
            left = await latin_words_left(tab, ["Wong v. Ho", "Wong Holdings Ltd", "Respondent",
                                                "Ronald Ho", ZONE, ".ics", "English"])
            assert left == [], left
            await switch_language(tab, EN)
            # Someone invited to the other side elsewhere (the page does not know yet): the
            # server's refusal is said in that side's row, where focus goes.
            wong = await page.locator(SIDE, has_text="Wong Holdings").get_attribute("data-side")
            status, _ = await people.mediator.call(
                "POST", f"/api/v1/hearings/{hearing}/participants",
                {"name": "Mei Chan", "role": "party", "side": wong})
            assert status == 201
            await med.button("mediator.setup.remove_side_named", side="Wong Holdings Ltd")
            await med.confirm("mediator.side.remove_confirm")
            wong_row = page.locator(SIDE, has_text="Wong Holdings Ltd")
            refusal = t(EN, "mediator.side.refused_invited", side="Wong Holdings Ltd")
            await wong_row.locator(f"{NOTE}[role=alert]", has_text=refusal).wait_for()
            assert await page.locator(NOTE).count() == 1
            assert await tab.value("document.activeElement.classList.contains('side-note')")
            assert await tab.value("document.activeElement.closest('li').dataset.side") == wong
            # ... and now the page knows: that Remove is disabled too.
            assert await wong_row.get_by_role("button", name=t(
                EN, "mediator.setup.remove_side_named", side="Wong Holdings Ltd"),
                exact=True).is_disabled()
            await tab.check_accessible("setup-side-refused")
            await tab.screenshot("setup-side-refused", "laptop")
            # Another action starts (editing a side): the refusal is not left behind its dialog.
            await med.button("mediator.setup.edit_side_named", side="Wong Holdings Ltd")
            await dialog.wait_for()
            assert await page.locator(NOTE).count() == 0
            await dialog.get_by_role("button", name=t(EN, "common.cancel"), exact=True).click()
            await dialog.wait_for(state="detached")
            await page.get_by_role("button", name=t(EN, "mediator.setup.revoke_named",
                                                     name="Ronald Ho"), exact=True).click()
            await dialog.wait_for()
            assert await page.locator(NOTE).count() == 0
            await med.confirm("mediator.revoke.confirm_invited")
            # An invitation withdrawn before it was used: "Withdrawn", not a person "Removed".
            await page.locator("tr[data-participant]", has_text=t(
                EN, "mediator.setup.status_withdrawn")).wait_for()
            assert await page.locator("tr[data-participant]", has_text=t(
                EN, "mediator.setup.status_removed")).count() == 0
            await med.button("mediator.setup.remove_side_named", side="Respondent")
            await med.confirm("mediator.side.remove_confirm")
            await page.locator(SIDE, has_text="Respondent").wait_for(state="detached")
            assert await page.locator(SIDE).count() == 1
            await new_link_for_a_joined_party(tab, med, people, hearing, suite.base_url)
            tab.assert_clean()
        except Exception:
            print(tab.dump())
            raise

    async def both_removals() -> list[dict[str, Any]] | None:
        entries = await audit_actions(people.auditor, hearing,
                                      {"hearing.side_rename", "hearing.side_remove"})
        removed = [e for e in entries if e["action"] == "hearing.side_remove"]
        return entries if len(removed) == 2 else None

    entries = await wait_until(both_removals, timeout=30, what="both removals audited")
    reissues = [e for e in await audit_actions(people.auditor, hearing, {"participant.reissue"})
                if e["action"] == "participant.reissue"]
    assert [e["details"]["status"] for e in reissues] == ["invited", "active"], reissues
    assert len({e["resource"]["id"] for e in reissues}) == 1
    [rename] = [e for e in entries if e["action"] == "hearing.side_rename"]
    assert (rename["details"]["previous_name"], rename["details"]["name"],
            rename["details"]["colour"]) == ("Claimant", "Wong Holdings Ltd", "e")
    assert sorted(e["details"]["name"] for e in entries if e["action"] == "hearing.side_remove") \
        == ["Expert witness", "Respondent"]
