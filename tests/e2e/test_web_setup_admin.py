"""A hearing's set-up page opened by an administrator, in the browser on the real suite.

An administrator holds no mediator controls (the gateway lets only the hearing's mediator change
it), so the page offers none of them — no "End the hearing…" that could only be refused with
"You are not allowed to do that.", no details to edit, no sides to add, change or remove, no one
to invite, re-link or remove, no console — and says instead "You are viewing this hearing as an
administrator. Hand it over to a mediator to run it.", with "Hand over…", which opens the
hand-over dialog. The hearing's details stay readable. Once the hearing has ended, there is no
hand-over to offer. The mediator's own page still has every control; inviting a second person
before clicking "Done" on the first's card keeps that card (and its link and code, shown only
once) below the new one, each closed by its own "Done". axe-core and screenshots.
"""

from __future__ import annotations

import pytest

from tests.browser import Tab, chromium_page, open_tab, requires_chromium
from tests.e2e.mediator_steps import Mediator
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.people import SESSION_COOKIE, Staff, create_staff, staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"
TITLE = "Lam v. Chen"

# What only the hearing's mediator may do on set-up, by accessible name or selector.
MEDIATOR_BUTTONS = ("mediator.setup.close", "mediator.details.edit", "mediator.setup.open",
                    "mediator.setup.add_side", "mediator.setup.invite")


async def _as(tab: Tab, base_url: str, staff: Staff) -> None:
    await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": staff.cookie, "url": base_url}])


async def _controls(tab: Tab) -> dict[str, int]:
    page = tab.page
    counts = {key: await page.get_by_role("button", name=t(EN, key), exact=True).count()
              for key in MEDIATOR_BUTTONS}
    counts["console"] = await page.get_by_role("link", name=t(EN, "mediator.hearings.console"),
                                               exact=True).count()
    counts["row actions"] = await page.locator(".setup .row-actions button").count()
    counts["forms"] = await page.locator("#add-side, #invite").count()
    return counts


@pytest.mark.timeout(180)
async def test_an_administrator_on_set_up_sees_no_controls_and_the_way_to_hand_over(
        suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    await create_staff(suite, people.admin, "mediator", "peter.wong")  # someone to hand over to
    status, made = await people.mediator.call("POST", "/api/v1/hearings", {"title": TITLE})
    assert status == 201, made
    hearing = made["id"]
    base = f"/api/v1/hearings/{hearing}"
    status, side = await people.mediator.call("POST", f"{base}/sides", {"name": "Claimant"})
    assert status == 201, side
    status, _ = await people.mediator.call("POST", f"{base}/participants", {
        "name": "Mr Chan", "role": "party", "side": side["side"]["id"]})
    assert status == 201
    assert (await people.mediator.call("POST", f"{base}/open", {}))[0] == 200

    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        browser = page.context.browser
        assert browser is not None
        mediator = await open_tab(browser, suite.base_url)
        try:
            # --- the mediator's own page: every control (the same page, not another one) -------
            await _as(mediator, suite.base_url, people.mediator)
            await mediator.page.goto(f"/hearings/{hearing}/setup")
            await mediator.page.locator(".setup-grid").wait_for()
            mine = await _controls(mediator)
            assert mine["mediator.setup.close"] == 1 and mine["mediator.details.edit"] == 1, mine
            assert mine["row actions"] > 0 and mine["forms"] == 2 and mine["console"] == 1, mine
            assert await mediator.page.locator(".admin-view").count() == 0

            # --- two invitations in a row, the first's Done not clicked: its card stays -------
            # (a new card once replaced it, and its link and code, shown once, were lost)
            steps = Mediator(mediator, EN)
            first = await steps.invite("Ms Ho", "party", "Claimant")
            second = await steps.invite("Mr Ip", "counsel", "Claimant")
            cards = mediator.page.locator(".invite-once")
            assert await cards.count() == 2  # the newest first, each with its own secrets
            assert [await c.get_attribute("data-participant") for c in await cards.all()] == [
                second.participant, first.participant]
            assert await cards.nth(1).locator("[data-secret=link]").inner_text() == first.link
            assert await cards.nth(1).locator("[data-secret=code]").inner_text() == first.code
            assert first.code != second.code and first.link != second.link
            await mediator.check_accessible("setup-two-invitations")
            await mediator.screenshot("setup-two-invitations", "laptop")
            # Done closes its own card; focus goes to the other's Done, still there.
            done = t(EN, "mediator.invite.done")
            await cards.first.get_by_role("button", name=done, exact=True).click()
            await mediator.page.locator(f".invite-once[data-participant='{second.participant}']") \
                .wait_for(state="detached")
            assert await cards.count() == 1
            assert await cards.first.get_attribute("data-participant") == first.participant
            assert await cards.first.locator("[data-secret=code]").inner_text() == first.code
            assert await mediator.page.evaluate(
                "document.activeElement.closest('.invite-once')?.dataset.participant") \
                == first.participant
            await cards.first.get_by_role("button", name=done, exact=True).click()
            await cards.first.wait_for(state="detached")

            # --- the administrator's: the details, no controls, the way to hand over -----------
            await _as(tab, suite.base_url, people.admin)
            await page.goto(f"/hearings/{hearing}/setup")
            view = page.locator(".admin-view")
            await view.wait_for()
            assert await view.locator("p").inner_text() == t(EN, "mediator.setup.admin_text")
            assert await page.get_by_role("heading", name=TITLE, exact=True).count() == 1
            assert await page.locator(".side-list li", has_text="Claimant").count() == 1
            assert await page.locator("table.roster th[scope=row]", has_text="Mr Chan").count() == 1
            assert await _controls(tab) == {**{key: 0 for key in MEDIATOR_BUTTONS},
                                            "console": 0, "row actions": 0, "forms": 0}
            hand_over = view.get_by_role("link", name=t(EN, "mediator.hearings.hand_over_named",
                                                        title=TITLE), exact=True)
            assert await hand_over.inner_text() == t(EN, "mediator.hearings.hand_over")
            await tab.check_accessible("setup-admin")
            await tab.screenshot("setup-admin", "laptop")
            await tab.screenshot("setup-admin", "phone")
            await page.set_viewport_size({"width": 1366, "height": 768})
            await hand_over.click()
            dialog = page.locator("dialog[open]")
            await dialog.get_by_role("heading", name=t(EN, "mediator.handover.title",
                                                       title=TITLE)).wait_for()
            await page.keyboard.press("Escape")

            # --- ended: nothing to hand over any more ------------------------------------------
            status, _ = await people.mediator.call("POST", f"{base}/close", {})
            assert status == 200
            await page.goto(f"/hearings/{hearing}/setup")
            await view.wait_for()
            assert await view.locator("p").inner_text() == t(EN, "mediator.setup.admin_closed")
            assert await view.get_by_role("link").count() == 0
            tab.assert_clean(secrets=[people.admin.cookie])
        except Exception:
            print(tab.dump())
            print(mediator.dump())
            raise
        finally:
            await mediator.context.close()
