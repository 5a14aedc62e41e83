"""Steps a staff member takes in the browser (sign-in, choosing their own password, enrolment),
shared by the web tests.

Everything here goes through the page as a person would: fields by their labels, buttons by
their accessible names from the catalogue (`t(lang, key)`), so the same steps run in every
language.
"""

from __future__ import annotations

import json
import time
from functools import cache
from typing import Any

import pyotp

from gateway.webclient.routes import WEBCLIENT
from tests.browser import Tab

AREAS = ("common", "staff", "mediator", "participant", "audit", "admin")


@cache
def catalogue(lang: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for area in AREAS:
        merged.update(json.loads((WEBCLIENT / "i18n" / lang / f"{area}.json").read_text()))
    return merged


def t(lang: str, key: str, **params: Any) -> str:
    message = catalogue(lang)[key]
    if isinstance(message, dict):
        message = message.get("other", "")
    text = str(message)
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text


class Authenticator:
    """A person's authenticator app: codes that never reuse a step (the server refuses that)."""

    def __init__(self) -> None:
        self.secret = ""
        self.last_step = -1

    def code(self) -> str:
        now = int(time.time() // 30)
        step = max(self.last_step + 1, now - 1)
        assert step <= now + 1, "no fresh TOTP step left in the window; wait 30 s"
        self.last_step = step
        return str(pyotp.TOTP(self.secret).generate_otp(step))


async def sign_in(tab: Tab, lang: str, username: str, password: str, code: str = "",
                  recovery: str = "") -> None:
    page = tab.page
    await page.get_by_label(t(lang, "staff.signin.username")).fill(username)
    await page.get_by_label(t(lang, "staff.signin.password")).fill(password)
    if recovery:
        await page.get_by_role("button", name=t(lang, "staff.signin.use_recovery")).click()
        await page.get_by_label(t(lang, "staff.signin.recovery")).fill(recovery)
    elif code:
        await page.get_by_label(t(lang, "staff.signin.code")).fill(code)
    await page.get_by_role("button", name=t(lang, "staff.signin.submit"), exact=True).click()


async def choose_password(tab: Tab, lang: str, current: str, new: str) -> None:
    """On the step that comes first after signing in with a password an administrator set."""
    page = tab.page
    await page.get_by_role("heading", name=t(lang, "staff.password.forced_title")).wait_for()
    await page.get_by_label(t(lang, "staff.password.current_temporary")).fill(current)
    await page.get_by_label(t(lang, "staff.password.new"), exact=True).fill(new)
    await page.get_by_label(t(lang, "staff.password.again")).fill(new)
    await page.get_by_role("button", name=t(lang, "staff.password.choose")).click()


async def enrol(tab: Tab, lang: str, app: Authenticator) -> list[str]:
    """On the enrolment screen: read the key as a person would type it, confirm, keep codes."""
    page = tab.page
    await tab.wait_for("document.getElementById('totp-secret')")
    app.secret = (await page.locator("#totp-secret").inner_text()).replace(" ", "")
    await page.get_by_label(t(lang, "staff.enroll.code")).fill(app.code())
    await page.get_by_role("button", name=t(lang, "staff.enroll.confirm")).click()
    await page.get_by_role("heading", name=t(lang, "staff.enroll.recovery_title")).wait_for()
    codes = await page.locator(".recovery-codes code").all_inner_texts()
    return codes
