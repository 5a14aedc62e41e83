"""Headless Chromium (Debian's /usr/bin/chromium) driven by playwright, for browser tests.

    from tests.browser import chromium_page, requires_chromium

    pytestmark = [pytest.mark.browser, requires_chromium]

    async def test_page(suite: Suite) -> None:
        async with chromium_page(suite.base_url) as tab:
            await tab.page.goto(suite.base_url + "/techcheck")
            await tab.wait_for("document.querySelector('#rtt').dataset.value !== ''")
            assert not tab.errors

`playwright install` is never run: the system browser is used with fake camera and microphone
(`--use-fake-device-for-media-stream`, a moving test pattern and a beep) and permission prompts
auto-accepted. Every console message and page error is collected, so a test can show the
browser's side of a failure (`tab.dump()`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

CHROMIUM: str | None = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)

CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    # Remote videos may play with sound without a click (the page still handles a refusal).
    "--autoplay-policy=no-user-gesture-required",
)

requires_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (scripts/ensure-test-tools.sh installs it)")


@dataclass
class Tab:
    """One page in its own browser context, with everything the page said."""

    page: Page
    context: BrowserContext
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def wait_for(self, expression: str, timeout: float = 20.0, arg: Any = None) -> Any:
        """Poll a JavaScript expression in the page until it is truthy; returns its value.

        Polled from here rather than with `wait_for_function`, whose in-page poller evaluates
        strings with `eval`, which the gateway's CSP (rightly) forbids.
        """
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(PlaywrightError):
                result = await self.value(expression, arg)
                if result:
                    return result
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out after {timeout}s waiting for {expression}")
            await asyncio.sleep(0.1)

    async def value(self, expression: str, arg: Any = None) -> Any:
        """Evaluate an expression (wrapped as a function: CDP calls it, no `eval` needed)."""
        body = expression if expression.lstrip().startswith(("(", "async")) \
            else f"(arg) => ({expression})"
        return await self.page.evaluate(body, arg)

    def dump(self) -> str:
        return "\n".join(["console:", *self.console[-50:], "errors:", *self.errors[-20:]])


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    assert CHROMIUM is not None, "no chromium; mark the test with requires_chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                   args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            await browser.close()


@contextlib.asynccontextmanager
async def chromium_page(base_url: str, browser: Browser | None = None) -> AsyncIterator[Tab]:
    """A fresh context (its own cookies) and page, camera and microphone granted for `base_url`."""
    async with contextlib.AsyncExitStack() as stack:
        if browser is None:
            browser = await stack.enter_async_context(chromium())
        context = await browser.new_context(base_url=base_url)
        await context.grant_permissions(["camera", "microphone"], origin=base_url)
        stack.push_async_callback(context.close)
        page = await context.new_page()
        tab = Tab(page=page, context=context)

        def on_console(message: ConsoleMessage) -> None:
            tab.console.append(f"{message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        yield tab
