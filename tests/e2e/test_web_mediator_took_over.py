"""A hearing an administrator handed from one mediator to another, as each of them reads it, in
a real Chromium through the real suite; and the header on a phone.

- The mediator it was handed to is told so wherever she meets it: her list marks it "Took over
  from David Lam on …", and its set-up page and console say under the title that she took it
  over from him, and when (the hearing's `took_over`: she once had to guess why a hearing she
  never created was hers).
- The mediator it was taken from, left with no hearing, is not greeted with "No hearings yet —
  create your first hearing" right above "Handed to another mediator": the empty list says that
  his hearings were handed on, and how to run a new one.
- On a phone (390 px) the header is two rows at most: the brand with the tools on the first,
  the hearing's name on the second (it once stacked brand, a right-aligned title and the
  language menu on three), for the mediator's console and the party's waiting room alike.
"""

from __future__ import annotations

import pytest

from tests.browser import Tab, chromium_page, open_tab, requires_chromium
from tests.e2e.participant_steps import join_in_browser
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.people import SESSION_COOKIE, Staff, create_staff, staff_people

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.timeout(240)]
EN = "en"

#: How many rows the header's visible parts take (parts whose boxes overlap vertically share
#: a row), and whether anything in it is wider than the screen.
HEADER_ROWS = """(() => {
  const header = document.getElementById('shell-header');
  const boxes = [...header.children].map((e) => e.getBoundingClientRect())
    .filter((r) => r.width > 0 && r.height > 0).sort((a, b) => a.top - b.top);
  let rows = 0, bottom = -Infinity;
  for (const r of boxes) { if (r.top >= bottom - 1) { rows += 1; bottom = r.bottom; } else bottom = Math.max(bottom, r.bottom); }
  return { rows, overflow: header.scrollWidth > header.clientWidth + 1 };
})()"""



async def _as(tab: Tab, suite: Suite, staff: Staff) -> None:
    await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": staff.cookie,
                                    "url": suite.base_url}])


async def _two_rows_on_a_phone(tab: Tab, screen: str) -> None:
    await tab.page.set_viewport_size({"width": 390, "height": 844})
    await tab.screenshot(screen, "phone")
    shape = await tab.value(HEADER_ROWS)
    assert shape == {"rows": 2, "overflow": False}, (screen, shape)


async def test_the_new_mediator_is_told_she_took_over_and_the_old_one_why_his_list_is_empty(
        suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    admin = people.admin
    david = await create_staff(suite, admin, "mediator", "david.lam", "David Lam")
    mei = await create_staff(suite, admin, "mediator", "mei.chan", "Mei Chan")
    title = "Chan v. Wong (Mong Kok shop lease), day 1"
    status, made = await david.call("POST", "/api/v1/hearings", {"title": title})
    assert status == 201, made
    hearing = made["id"]
    base = f"/api/v1/hearings/{hearing}"
    status, side = await david.call("POST", f"{base}/sides", {"name": "Claimant"})
    assert status == 201, side
    status, invited = await david.call("POST", f"{base}/participants", {
        "name": "陳大文 Chan Tai Man", "role": "party", "side": side["side"]["id"]})
    assert status == 201, invited
    assert (await david.call("POST", f"{base}/open", {}))[0] == 200
    status, _ = await admin.call("POST", f"{base}/mediator", {"account": mei.account_id})
    assert status == 200
    status, detail = await mei.call("GET", base)
    assert status == 200 and detail["took_over"]["from_name"] == "David Lam", detail
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        browser = tab.context.browser
        assert browser is not None
        try:
            # --- David: nothing of his is left, and his empty list says why -----------------
            await _as(tab, suite, david)
            await page.goto("/hearings")
            empty = page.locator(".hearings-list .empty")
            await empty.get_by_role("heading", name=t(EN, "mediator.hearings.empty_handed_title"),
                                    exact=True).wait_for()
            assert await empty.locator("p").inner_text() == t(
                EN, "mediator.hearings.empty_handed_text")
            assert await page.get_by_text(t(EN, "mediator.hearings.empty_title"),
                                          exact=True).count() == 0
            gone = page.locator(f".handed-away li[data-hearing='{hearing}']")
            assert "Mei Chan" in await gone.inner_text()
            await tab.check_accessible("hearings-all-handed-away")
            await tab.screenshot("hearings-all-handed-away", "laptop")
            tab.assert_clean(secrets=[david.cookie])

            # --- Mei: her list, the set-up and the console say she took it over -------------
            hers = await open_tab(browser, suite.base_url)
            await _as(hers, suite, mei)
            took = "Took over from David Lam on "
            assert t(EN, "mediator.hearings.took_over_named", name="David Lam",
                     when="").startswith(took)
            await hers.page.goto("/hearings")
            mark = hers.page.locator(f"tr[data-hearing='{hearing}'] .took-over-mark")
            await mark.wait_for()
            assert (await mark.inner_text()).startswith(took)
            await hers.check_accessible("hearings-took-over")
            await hers.screenshot("hearings-took-over", "laptop")
            said = t(EN, "mediator.setup.took_over_named", name="David Lam", when="{when}")
            before, after = said.split("{when}")
            await hers.page.goto(f"/hearings/{hearing}/setup")
            line = hers.page.locator(".setup .page-head .took-over")
            await line.wait_for()
            text = await line.inner_text()
            assert text.startswith(before) and text.endswith(after), text
            await hers.check_accessible("setup-took-over")
            await hers.screenshot("setup-took-over", "laptop")
            # The party waits in the lobby, on a phone, and asks for the mediator.
            party = await open_tab(browser, suite.base_url, width="phone")
            await join_in_browser(party, invited)
            await party.page.locator(".control-knock").click()
            await hers.page.goto(f"/hearings/{hearing}")
            await hers.page.locator(".board .room-column[data-room-kind=lobby]").wait_for()
            line = hers.page.locator(".console .page-head .took-over")
            assert await line.inner_text() == text
            await hers.screenshot("console-took-over", "laptop")
            # The knock: the name on its line, where and since when under it; no separator
            # dangling after the name ("陳大文 Chan Tai Man ·").
            knock = hers.page.locator(f".knock[data-participant='{invited['participant']}']")
            where = knock.locator(".knock-where")
            await where.wait_for()
            name_box = await knock.locator(".knock-name").bounding_box()
            where_box = await where.bounding_box()
            assert name_box and where_box and where_box["y"] >= name_box["y"] + name_box["height"]
            assert await knock.locator(".knock-name").inner_text() == "陳大文 Chan Tai Man"
            assert not (await where.inner_text()).startswith("·")
            await hers.screenshot("console-knock", "laptop")
            # Said again in the language she switches to.
            await hers.page.select_option("#language", "zh-Hant")
            await hers.page.locator(".console .page-head .took-over",
                                    has_text="從 David Lam 接手").wait_for()
            await hers.page.select_option("#language", "en")
            await line.filter(has_text=before).wait_for()
            # Her console on a phone: brand and tools, then the hearing's name.
            await _two_rows_on_a_phone(hers, "console-took-over")
            hers.assert_clean(secrets=[mei.cookie])
            await hers.context.close()

            # --- the party's waiting room on a phone: the same two rows ---------------------
            await party.page.locator(".header-hearing", has_text="Mong Kok").wait_for()
            await _two_rows_on_a_phone(party, "lobby-header")
            await party.page.select_option("#language", "zh-Hans")
            await _two_rows_on_a_phone(party, "lobby-header-zh-Hans")
            party.assert_clean(secrets=[invited["access_code"]])
            await party.context.close()
        except Exception:
            print(tab.dump())
            raise
