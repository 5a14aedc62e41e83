"""A join refused for a reason no other access code can fix, said in the page (screens/join.js).

A party who joined and was then removed by the mediator opens the old invitation link again
(the removal ended their session, so the page asks for the code): the page says the mediator
removed them and whom to contact, not merely that the invitation was withdrawn, in every
language the reader switches to, on a final page: no code field left outlined as if the code
were wrong, no disabled button.

A link opened after the hearing ended (used before, its session ended with the hearing) gets a
final page too: "This hearing has ended", what to do if that is a surprise, and no form.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import chromium_page, requires_chromium
from tests.e2e.participant_steps import one_party_each, switch_language
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.integration.signalling.sigclient import api, redeem

pytestmark = [pytest.mark.browser, requires_chromium]

REMOVED = "participant.join.refused_removed"


async def _no_form(page: Any) -> None:
    assert await page.locator("form.join").count() == 0
    assert await page.locator("input[name=access_code]").count() == 0
    assert await page.locator("[aria-invalid=true]").count() == 0


@pytest.mark.timeout(180)
async def test_a_removed_participants_old_link_says_they_were_removed(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    # Joined earlier (another device), then removed by the mediator.
    status, _, _ = await redeem(suite.base_url, invitation["token"], invitation["access_code"])
    assert status == 200, status
    status, _ = await api(people.mediator, "DELETE", f"/api/v1/hearings/{cast.hearing}"
                          f"/participants/{invitation['participant']}")
    assert status == 200, status
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            await page.goto(invitation["link_path"])
            await page.wait_for_selector("form.join input[name=access_code]")
            await page.fill("input[name=access_code]", invitation["access_code"])
            await page.click("form.join button[type=submit]")
            error = page.locator(".join-final[data-reason=participant_removed] p")
            await error.filter(has_text=t("en", REMOVED)).wait_for()
            said = await error.text_content() or ""
            assert "removed you" in said and "contact the mediator" in said, said
            assert t("en", "participant.join.refused_revoked") not in said
            # Final: no other code would help, so the form is gone.
            await _no_form(page)
            await tab.check_accessible("join-refused-removed")
            await tab.screenshot("join-refused-removed")
            for lang in ("zh-Hant", "zh-Hans"):
                await switch_language(tab, lang)
                await error.filter(has_text=t(lang, REMOVED)).wait_for()
            tab.assert_clean(secrets=[invitation["access_code"],
                                      invitation["token"].split(".")[2]])
        except Exception:
            print(tab.dump())
            raise


@pytest.mark.timeout(180)
async def test_a_link_opened_after_the_hearing_ended_is_a_final_page(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    status, _, _ = await redeem(suite.base_url, invitation["token"], invitation["access_code"])
    assert status == 200, status
    status, _ = await api(people.mediator, "POST", f"/api/v1/hearings/{cast.hearing}/close", {})
    assert status == 200, status
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            await page.goto(invitation["link_path"])
            await page.fill("input[name=access_code]", invitation["access_code"])
            await page.click("form.join button[type=submit]")
            card = page.locator(".join-final[data-reason=hearing_ended]")
            await card.get_by_role("heading", name=t("en", "participant.join.ended_title")).wait_for()
            await card.get_by_text(t("en", "participant.join.ended")).wait_for()
            assert "contact the mediator" in t("en", "participant.join.ended")
            await _no_form(page)
            assert await page.evaluate("document.activeElement.tagName") == "H1"
            await tab.check_accessible("join-ended")
            await tab.screenshot("join-ended", "laptop")
            await switch_language(tab, "zh-Hant")
            await card.get_by_text(t("zh-Hant", "participant.join.ended")).wait_for()
            await tab.screenshot("join-ended-zh-Hant", "laptop")
            tab.assert_clean(secrets=[invitation["access_code"],
                                      invitation["token"].split(".")[2]])
        except Exception:
            print(tab.dump())
            raise
