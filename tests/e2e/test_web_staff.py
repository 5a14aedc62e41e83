"""Staff screens in a real Chromium through the real gateway: a new mediator signs in with only the
password the administrator typed, chooses their own first (the same one again is refused), is sent
to enrol (QR code drawn by the gateway), confirms a code, keeps the recovery
codes, lands on an empty hearings list; signs out; a wrong code is refused with a sentence, the
password kept and the code asked for again, and the right code alone then works (refused twice
with the same password, the password is asked for again too); a recovery code works once. An administrator's own row in the accounts list
offers no Disable (and says why); should the server refuse anyway, the page says the true reason,
not "someone changed this". Creating an account under a user name already taken says so (in each
language), and a token whose revocation is refused says why instead of failing silently. Every
screen: axe-core, CSP, screenshots."""

from __future__ import annotations

import pytest
from playwright.async_api import Locator, Route

from tests.browser import Tab, chromium_page, open_tab, requires_chromium
from tests.e2e.staff_steps import Authenticator, choose_password, enrol, sign_in, t
from tests.harness import Suite
from tests.people import (
    INITIAL_PASSWORD,
    PASSWORD,
    SESSION_COOKIE,
    Staff,
    create_staff,
    staff_people,
)

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"


async def open_accounts(tab: Tab, suite: Suite, admin: Staff) -> Locator:
    """The accounts screen in `admin`'s session; returns their own row, once drawn."""
    await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": admin.cookie,
                                    "url": suite.base_url}])
    await tab.page.goto("/admin")
    own = tab.page.locator(f"tr[data-account='{admin.username}']")
    await own.wait_for()
    return own


async def test_sign_in_enrol_sign_out_and_back(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    status, _ = await people.admin.call("POST", "/api/v1/accounts", {
        "username": "newmediator", "role": "mediator", "password": INITIAL_PASSWORD})
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

        # First sign-in: the administrator's password only → their own password first (keeping
        # the administrator's is refused), then enrolment with the QR code, then /hearings.
        await sign_in(tab, EN, "newmediator", INITIAL_PASSWORD)
        await choose_password(tab, EN, INITIAL_PASSWORD, INITIAL_PASSWORD)
        await page.get_by_text(t(EN, "staff.error.password.password_unchanged")).wait_for()
        assert "/signin/password" in page.url
        await choose_password(tab, EN, INITIAL_PASSWORD, PASSWORD)
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
        # The form open: one "New hearing" button (the page's), not the empty list's as well.
        new = page.get_by_role("button", name=t(EN, "mediator.hearings.new"), exact=True)
        assert await new.count() == 2
        await page.locator("#new-hearing").click()
        await page.get_by_role("heading", name=t(EN, "mediator.create.title"), exact=True).wait_for()
        assert await new.count() == 1 and await new.get_attribute("aria-expanded") == "true"

        # Sign out; a wrong code is refused, the password staying filled in and the code asked
        # for again (both were once cleared: one typo cost two attempts); the right code alone
        # then signs in.
        await page.get_by_role("button", name=t(EN, "common.signout")).click()
        await page.get_by_text(t(EN, "staff.signin.signed_out")).wait_for()
        await sign_in(tab, EN, "newmediator", PASSWORD, code="123456")
        await page.get_by_text(t(EN, "staff.error.signin.unauthenticated")).wait_for()
        password = page.get_by_label(t(EN, "staff.signin.password"))
        code = page.get_by_label(t(EN, "staff.signin.code"))
        submit = page.get_by_role("button", name=t(EN, "staff.signin.submit"), exact=True)
        assert await password.input_value() == PASSWORD and await code.input_value() == ""
        assert await code.evaluate("(el) => el === document.activeElement")
        await tab.screenshot("signin-wrong-code", "laptop")
        await code.fill(app.code())
        await submit.click()
        await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"), exact=True).wait_for()

        # Refused twice with the same password: the password is asked for again too.
        await page.get_by_role("button", name=t(EN, "common.signout")).click()
        await page.get_by_text(t(EN, "staff.signin.signed_out")).wait_for()
        await sign_in(tab, EN, "newmediator", PASSWORD, code="123456")
        await page.get_by_text(t(EN, "staff.error.signin.unauthenticated")).wait_for()
        await code.fill("654321")
        await submit.click()
        await tab.wait_for("document.querySelector('input[name=password]').value === ''")
        assert await password.evaluate("(el) => el === document.activeElement")

        # The recovery-code path.
        await sign_in(tab, EN, "newmediator", PASSWORD, recovery=codes[0])
        await page.get_by_role("heading", name=t(EN, "mediator.hearings.title"), exact=True).wait_for()
        tab.assert_clean(secrets=[app.secret, *codes, PASSWORD, INITIAL_PASSWORD])


async def test_an_administrator_resets_a_password_and_a_new_one_comes_first(
        suite: Suite) -> None:
    """"Reset password" says what happens (signed out everywhere at once, a password of their
    own at the next sign-in) and shows the temporary password once, with what to tell the
    person. Their open page is signed out and told why; they sign in with it and their
    authenticator, must choose their own before anything else (even /hearings brings them back
    to it), then land on /hearings; the header's menu changes it again."""
    await suite.ready()
    people = await staff_people(suite)
    admin = people.admin
    person = await create_staff(suite, admin, "mediator", "forgetful")
    own = "my very own passphrase"
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        assert page.context.browser is not None
        theirs = await open_tab(page.context.browser, suite.base_url)
        try:
            await theirs.context.add_cookies([{"name": SESSION_COOKIE, "value": person.cookie,
                                               "url": suite.base_url}])
            await theirs.page.goto("/hearings")
            await theirs.page.locator("#profile").wait_for()

            await open_accounts(tab, suite, admin)
            row = page.locator("tr[data-account='forgetful']")
            await row.get_by_role("button", name=t(EN, "admin.accounts.password_reset_named",
                                                   name="forgetful")).click()
            dialog = page.locator("dialog[open]")
            await dialog.get_by_text(t(EN, "admin.confirm.password_text")).wait_for()
            await dialog.locator("button.danger").click()
            handoff = page.locator("#handoff .handoff")
            await handoff.wait_for()
            temporary = await handoff.locator("[data-secret=password]").inner_text()
            assert await handoff.locator("[data-secret=username]").inner_text() == "forgetful"
            assert await handoff.locator("[data-secret=address]").inner_text() \
                == f"{suite.base_url}/signin"
            assert await handoff.get_by_text(t(EN, "admin.handoff.next_enrolled")).count() == 1
            await row.get_by_text(t(EN, "admin.accounts.must_change")).wait_for()
            await tab.check_accessible("admin-password-handoff")
            await tab.screenshot("admin-password-handoff", "laptop")

            # Their page: signed out, told why; the temporary password and the authenticator.
            await theirs.page.reload()
            await theirs.page.get_by_text(t(EN, "staff.signin.password_reset")).wait_for()
            await sign_in(theirs, EN, "forgetful", temporary, code=await person.next_totp())
            forced = theirs.page.get_by_role("heading", name=t(EN, "staff.password.forced_title"))
            await forced.wait_for()
            await theirs.page.goto("/hearings")  # nothing else first
            await forced.wait_for()
            assert "/signin/password" in theirs.page.url
            await theirs.check_accessible("password-change")
            await theirs.screenshot("password-change", "laptop")
            await choose_password(theirs, EN, temporary, own)
            await theirs.page.get_by_role("heading", name=t(EN, "mediator.hearings.title"),
                                          exact=True).wait_for()
            assert theirs.page.url.endswith("/hearings")

            # Again, from the header's menu: a dialog; this page stays signed in.
            await theirs.page.locator("#profile").click()
            await theirs.page.get_by_role("menuitem", name=t(EN, "staff.password.open")).click()
            box = theirs.page.locator("dialog[open]")
            await box.get_by_label(t(EN, "staff.password.current")).fill(own)
            await box.get_by_label(t(EN, "staff.password.new"), exact=True).fill(PASSWORD)
            await box.get_by_label(t(EN, "staff.password.again")).fill(PASSWORD)
            await theirs.check_accessible("password-dialog")
            await theirs.screenshot("password-dialog", "laptop")
            await box.get_by_role("button", name=t(EN, "staff.password.save")).click()
            await theirs.page.locator(".toast", has_text=t(EN, "staff.password.saved")).wait_for()
            assert theirs.page.url.endswith("/hearings")
            tab.assert_clean(secrets=[admin.cookie])
            theirs.assert_clean(secrets=[temporary, own, PASSWORD])
        except Exception:
            print(tab.dump())
            print(theirs.dump())
            raise
        finally:
            await theirs.context.close()


async def test_an_admin_is_not_offered_to_disable_their_own_account(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    admin, mediator = people.admin, people.mediator
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        own = await open_accounts(tab, suite, admin)
        # Your own row: marked as you, no Disable button, and a sentence saying why.
        assert await own.get_attribute("data-self") == "true"
        assert t(EN, "admin.accounts.you") in await own.locator("th").inner_text()
        assert await own.get_by_role("button", name=t(
            EN, "admin.accounts.disable_named", name=admin.username)).count() == 0
        assert await own.get_by_text(t(EN, "admin.accounts.self_note")).is_visible()
        # Everyone else's row keeps its Disable button.
        other = page.locator(f"tr[data-account='{mediator.username}']")
        assert await other.get_attribute("data-self") is None
        disable_other = other.get_by_role("button", name=t(
            EN, "admin.accounts.disable_named", name=mediator.username))
        assert await disable_other.count() == 1
        await tab.check_accessible("admin-accounts-own-row")
        await tab.screenshot("admin-accounts-own-row", "laptop")

        # A page that asks anyway (here: its request is sent to the admin's own account on
        # the way out) hears the server's refusal and says its true reason.
        async def to_own_account(route: Route) -> None:
            own_url = route.request.url.replace(mediator.account_id, admin.account_id)
            await route.continue_(url=own_url)

        await page.route(f"**/api/v1/accounts/{mediator.account_id}", to_own_account)
        await disable_other.click()
        await page.locator("dialog button.danger").click()
        await page.locator(".toast-error", has_text=t(EN, "admin.error.self_disable")).wait_for()
        assert await page.get_by_text(t(EN, "common.error.conflict")).count() == 0
        await page.unroute(f"**/api/v1/accounts/{mediator.account_id}")
        # Nothing changed: both accounts are active, and the admin is still signed in.
        assert (await admin.call("GET", "/api/v1/me"))[0] == 200
        status, listed = await admin.call("GET", "/api/v1/accounts")
        assert status == 200
        assert not any(a.get("disabled") for a in listed["accounts"]
                       if a["username"] in (admin.username, mediator.username))
        tab.assert_clean(secrets=[admin.cookie])


@pytest.mark.parametrize(("locale", "lang"), [("en-GB", EN), ("zh-TW", "zh-Hant"),
                                              ("zh-CN", "zh-Hans")])
async def test_a_user_name_already_taken_is_said_as_such(suite: Suite, locale: str,
                                                         lang: str) -> None:
    await suite.ready()
    people = await staff_people(suite)
    admin, mediator = people.admin, people.mediator
    async with chromium_page(suite.base_url, locale=locale) as tab:
        page = tab.page
        await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": admin.cookie,
                                        "url": suite.base_url}])
        await page.goto("/admin")
        await page.locator(f"tr[data-account='{mediator.username}']").wait_for()
        await page.get_by_label(t(lang, "admin.accounts.username")).fill(mediator.username)
        await page.get_by_label(t(lang, "admin.accounts.password")).fill(PASSWORD)
        await page.get_by_role("button", name=t(lang, "admin.accounts.create")).click()
        await page.locator(".form-error", has_text=t(lang, "admin.error.create.conflict")).wait_for()
        assert await page.get_by_text(t(lang, "common.error.conflict")).count() == 0
        if lang == EN:
            await tab.check_accessible("admin-accounts-name-taken")
            await tab.screenshot("admin-accounts-name-taken", "laptop")
        tab.assert_clean(secrets=[admin.cookie, PASSWORD])
    # Nothing was created or changed: one account of that name, still the mediator.
    status, listed = await admin.call("GET", "/api/v1/accounts")
    assert status == 200
    named = [a for a in listed["accounts"] if a["username"] == mediator.username]
    assert [a["id"] for a in named] == [mediator.account_id]


async def test_a_refused_token_revocation_is_said(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    admin = people.admin
    status, made = await admin.call("POST", "/api/v1/tokens", {"name": "nightly export"})
    assert status == 201
    token_id = made["info"]["id"]
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": admin.cookie,
                                        "url": suite.base_url}])

        # The server's answer when another revocation won the race (gateway/api/tokens.py).
        async def lost_race(route: Route) -> None:
            if route.request.method != "DELETE":
                await route.continue_()
                return
            await route.fulfill(status=409, json={"error": {
                "code": "conflict", "message": "token changed concurrently; try again"}})

        await page.route(f"**/api/v1/tokens/{token_id}", lost_race)
        await page.goto("/admin/tokens")
        revoke = page.get_by_role("button", name=t(EN, "admin.tokens.revoke_named",
                                                    name="nightly export"))
        await revoke.click()
        await page.locator(".toast-error", has_text=t(EN, "admin.error.revoke.conflict")).wait_for()
        # Then the list is reloaded; the token is still active, and revoking it again works.
        await page.unroute(f"**/api/v1/tokens/{token_id}")
        await revoke.click()
        await page.locator("#toasts").get_by_text(t(EN, "admin.tokens.revoked_done")).wait_for()
        tab.assert_clean(secrets=[admin.cookie, made["token"]])
    status, listed = await admin.call("GET", "/api/v1/tokens")
    assert status == 200 and {tk["id"]: tk.get("revoked") for tk in listed["tokens"]}[token_id] is True


#: The page's controls a toast overlaps (the toasts' own close buttons aside).
TOAST_COVERS = """() => {
  const box = document.getElementById("toasts");
  const r = box.getBoundingClientRect();
  return [...document.querySelectorAll("a[href], button, input, select, textarea")]
    .filter((el) => !box.contains(el))
    .filter((el) => { const c = el.getBoundingClientRect();
      return c.width > 1 && c.height > 1 && c.left < r.right && c.right > r.left
        && c.top < r.bottom && c.bottom > r.top; })
    .map((el) => el.textContent.trim() || el.name || el.tagName);
}"""


async def test_the_accounts_screen_in_chinese_toasts_cover_nothing_and_follow_the_language(
        suite: Suite) -> None:
    """In Traditional Chinese the note on your own row sits on a line of its own, under the
    buttons; the toast saying an account was made covers no control ("Create the account"
    included) and, when the language changes while it is shown, says it in the new one, as does
    the panel of what to tell the person, which stays (with a second account's) until its Done."""
    await suite.ready()
    people = await staff_people(suite)
    admin = people.admin
    zh = "zh-Hant"
    async with chromium_page(suite.base_url, locale="zh-HK") as tab:
        page = tab.page
        own = await open_accounts(tab, suite, admin)
        note = own.get_by_text(t(zh, "admin.accounts.self_note"))
        buttons = own.locator(".row-actions button")
        note_box = await note.bounding_box()
        assert note_box is not None
        for i in range(await buttons.count()):
            button_box = await buttons.nth(i).bounding_box()
            assert button_box is not None
            assert note_box["y"] >= button_box["y"] + button_box["height"], "note beside a button"

        await page.get_by_label(t(zh, "admin.accounts.username")).fill("mediator3")
        await page.get_by_label(t(zh, "admin.accounts.password")).fill(PASSWORD)
        create = page.get_by_role("button", name=t(zh, "admin.accounts.create"))
        await create.click()
        made = page.locator(".toast", has_text=t(zh, "admin.done.create", name="mediator3"))
        await made.wait_for()
        await tab.wait_for(f"({TOAST_COVERS})().length === 0", timeout=5)
        await tab.screenshot("admin-created-zh-Hant", "laptop")
        # The language changes while the toast is shown: it says the same in English.
        await page.select_option("#language", EN)
        await page.locator(".toast", has_text=t(EN, "admin.done.create", name="mediator3")).wait_for()
        # The screen is drawn again in English under it: the toast moves off its controls.
        await page.get_by_role("button", name=t(EN, "admin.accounts.create")).wait_for()
        # What to tell mediator3 is still there, now in English (it was lost with the redraw).
        await page.locator("#handoff .handoff[data-account=mediator3] h2",
                           has_text=t(EN, "admin.handoff.title_create", name="mediator3")).wait_for()
        await tab.wait_for(f"({TOAST_COVERS})().length === 0", timeout=5)
        await tab.screenshot("admin-created-en", "laptop")
        # A second account before the first's details were passed on: both stay, each until
        # its own Done (a reset's password is shown once; a walkthrough saw the first replaced).
        form = page.locator("form.create-account")
        await form.get_by_label(t(EN, "admin.accounts.username")).fill("mediator4")
        await form.get_by_label(t(EN, "admin.accounts.password")).fill(PASSWORD)
        await page.get_by_role("button", name=t(EN, "admin.accounts.create")).click()
        panels = page.locator("#handoff .handoff")
        await page.locator("#handoff .handoff[data-account=mediator4]").wait_for()
        assert [await panels.nth(i).get_attribute("data-account") for i in range(await panels.count())] \
            == ["mediator4", "mediator3"]
        await panels.nth(0).get_by_role("button", name=t(EN, "admin.handoff.done")).click()
        await page.locator("#handoff .handoff[data-account=mediator4]").wait_for(state="detached")
        assert await panels.count() == 1
        tab.assert_clean(secrets=[admin.cookie, PASSWORD])


async def test_admin_forms_say_what_is_wrong_in_the_page_language(suite: Suite) -> None:
    """In 简体中文, a password too short and a token without a name are said in the page's
    words beside the form (the field focused and marked invalid), never in Chromium's own
    English bubble ("Please lengthen this text…"); nothing is sent."""
    await suite.ready()
    people = await staff_people(suite)
    admin = people.admin
    zh = "zh-Hans"
    _, before = await admin.call("GET", "/api/v1/tokens")
    async with chromium_page(suite.base_url, locale="zh-CN") as tab:
        page = tab.page
        await open_accounts(tab, suite, admin)
        await page.get_by_label(t(zh, "admin.accounts.username")).fill("mediator5")
        password = page.get_by_label(t(zh, "admin.accounts.password"))
        await password.fill("short123")
        await page.get_by_role("button", name=t(zh, "admin.accounts.create")).click()
        said = t(zh, "common.form.too_short", field=t(zh, "admin.accounts.password"),
                 min=12, count=8)
        await page.locator("form.create-account .form-error", has_text=said).wait_for()
        assert await password.get_attribute("aria-invalid") == "true"
        assert await tab.value("document.activeElement.name") == "password"
        await tab.check_accessible("admin-password-short-zh-Hans")
        await tab.screenshot("admin-password-short-zh-Hans", "laptop")
        # Typing again takes the sentence away; a long enough password is accepted.
        await password.fill(PASSWORD)
        await page.locator("form.create-account .form-error").filter(has_text=said) \
            .wait_for(state="detached")
        await page.goto("/admin/tokens")
        create = page.get_by_role("button", name=t(zh, "admin.tokens.create"))
        await create.click()
        await page.get_by_text(t(zh, "common.form.required",
                                 field=t(zh, "admin.tokens.name"))).wait_for()
        tab.assert_clean(secrets=[admin.cookie])
    _, listed = await admin.call("GET", "/api/v1/accounts")
    assert "mediator5" not in {a["username"] for a in listed["accounts"]}
    _, after = await admin.call("GET", "/api/v1/tokens")
    assert len(after["tokens"]) == len(before["tokens"])
