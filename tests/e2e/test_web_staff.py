"""Staff screens in a real Chromium through the real gateway: a new mediator signs in with only a
password, is sent to enrol (QR code drawn by the gateway), confirms a code, keeps the recovery
codes, lands on an empty hearings list; signs out; a wrong code is refused with a sentence; the
right one works; a recovery code works once. Every screen: axe-core, CSP, screenshots."""

from __future__ import annotations

import pytest

from tests.browser import chromium_page, requires_chromium
from tests.e2e.staff_steps import Authenticator, enrol, sign_in, t
from tests.harness import Suite
from tests.people import PASSWORD, staff_people

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"


async def test_sign_in_enrol_sign_out_and_back(suite: Suite) -> None:
    await suite.ready(timeout=60)
    people = await staff_people(suite)
    status, _ = await people.admin.call("POST", "/api/v1/accounts", {
        "username": "newmediator", "role": "mediator", "password": PASSWORD})
    assert status == 201
    app = Authenticator()
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        # A staff page while signed out: sign-in, remembering where to come back.
        await page.goto("/hearings")
        await page.get_by_role("heading", name=t(EN, "staff.signin.title")).wait_for()
        assert page.url.endswith("/signin?next=%2Fhearings")
        await tab.check_accessible("signin")
        await tab.screenshot("signin", "tablet")
        await tab.screenshot("signin", "laptop")

        await sign_in(tab, EN, "newmediator", "wrong password 123")
        await page.get_by_text(t(EN, "staff.error.signin.unauthenticated")).wait_for()

        # First sign-in: password only → enrolment with the QR code, then back to /hearings.
        await sign_in(tab, EN, "newmediator", PASSWORD)
        try:
            await page.get_by_role("heading", name=t(EN, "staff.enroll.title")).wait_for(timeout=5000)
        except Exception:
            print(page.url, await page.locator("main").inner_text(), tab.dump())
            raise
        assert await tab.value("document.querySelector('img.qr').naturalWidth > 0")
        await tab.check_accessible("enroll")
        await tab.screenshot("enroll", "laptop")
        await page.get_by_label(t(EN, "staff.enroll.code")).fill("000000")
        await page.get_by_role("button", name=t(EN, "staff.enroll.confirm")).click()
        await page.get_by_text(t(EN, "staff.error.enroll.invalid")).wait_for()
        codes = await enrol(tab, EN, app)
        assert len(codes) >= 8
        await tab.screenshot("recovery-codes", "laptop")
        await page.get_by_role("button", name=t(EN, "staff.enroll.saved")).click()
        try:
            await page.get_by_role("heading", name=t(EN, "mediator.hearings.empty_title")).wait_for(timeout=5000)
        except Exception:
            print(page.url, await page.locator("main").inner_text(), tab.dump())
            raise
        assert page.url.endswith("/hearings")
        await tab.check_accessible("hearings-empty")
        await tab.screenshot("hearings-empty", "laptop")

        # Sign out; a wrong code is refused; the right one signs in.
        await page.get_by_role("button", name=t(EN, "common.signout")).click()
        await page.get_by_text(t(EN, "staff.signin.signed_out")).wait_for()
        await sign_in(tab, EN, "newmediator", PASSWORD, code="123456")
        await page.get_by_text(t(EN, "staff.error.signin.unauthenticated")).wait_for()
        await sign_in(tab, EN, "newmediator", PASSWORD, code=app.code())
        await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"), exact=True).wait_for()

        # The recovery-code path.
        await page.get_by_role("button", name=t(EN, "common.signout")).click()
        await page.get_by_text(t(EN, "staff.signin.signed_out")).wait_for()
        await sign_in(tab, EN, "newmediator", PASSWORD, recovery=codes[0])
        await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"), exact=True).wait_for()
        tab.assert_clean(secrets=[app.secret, *codes, PASSWORD])
