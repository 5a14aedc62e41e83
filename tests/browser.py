"""Headless Chromium (Debian's /usr/bin/chromium) driven by playwright, for browser tests.

    from tests.browser import chromium_page, requires_chromium

    pytestmark = [pytest.mark.browser, requires_chromium]

    async def test_page(suite: Suite) -> None:
        async with chromium_page(suite.base_url) as tab:
            await tab.page.goto(suite.base_url + "/techcheck")
            await tab.wait_for("document.querySelector('#rtt').dataset.value !== ''")
            await tab.check_accessible("techcheck")      # axe-core: 0 serious/critical
            await tab.screenshot("techcheck", "laptop")  # tests/artifacts/techcheck-laptop.png
            tab.assert_clean(secrets=[access_code])     # no CSP refusal, error, secret in a URL

`playwright install` is never run: the system browser is used with fake camera and microphone
(`--use-fake-device-for-media-stream`: a beep, and a camera playing a Y4M file) and permission
prompts auto-accepted. The camera is a small grey still unless the browser is started with
`camera=fake_camera(path, colour)`, a solid colour, so a test can tell from sampled pixels whose
video a page shows (the flag is per browser process, so each such person gets a browser of their
own). Never Chromium's own moving 640x480 pattern: encoded once per peer and decoded by every
other page, five of them in one hearing starve a 2-core machine until a page leaves clicks
unanswered for 30 s (the mediator's whole hearing failed so in CI).

Every console message, page error and requested URL is collected: CSP refusals show up in the
console ("Refused to …"), and the request log is scanned for secrets (access codes, invitation
tokens, session ids must never ride in a URL). axe-core comes from the `axe-playwright-python`
wheel (its bundled `axe.min.js`) and is evaluated through the DevTools protocol, so the product
never ships or loads it and the page's CSP is untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError

CHROMIUM: str | None = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)

CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    # Remote videos may play with sound without a click (the page still handles a refusal).
    "--autoplay-policy=no-user-gesture-required",
)

#: Screenshot widths (CSS pixels) by name.
VIEWPORTS = {"laptop": (1366, 768), "tablet": (820, 1180), "phone": (390, 844)}
ARTIFACTS = Path(__file__).parent / "artifacts"

requires_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (scripts/ensure-test-tools.sh installs it)")


def _axe_source() -> str:
    spec = find_spec("axe_playwright_python")
    assert spec is not None and spec.origin, "axe-playwright-python is a dev dependency"
    return (Path(spec.origin).parent / "axe.min.js").read_text()


_AXE: list[str] = []


# The browser refuses the camera and microphone (as when the person blocked them for the site)
# until the test allows them (`window.__allowMedia = true`, set in the page: Try again does not
# reload); then the real (fake-device) media opens. An init script of the page's context.
MEDIA_BLOCKED_UNTIL_ALLOWED = """
(() => {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) => window.__allowMedia ? real(c)
    : Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
})();
"""

# The browser's autoplay policy, as a real browser applies it to a site the person has not used
# before: a video with sound plays only once the person has touched the document (a trusted
# click or key); a muted one always plays. Headless Chromium cannot be made to apply it here:
# every `page.evaluate` of a test counts as a user gesture (CDP userGesture), so the real policy
# would let everything play. This holds sound back exactly as the real refusal does.
AUTOPLAY_POLICY = """
(() => {
  let touched = false;
  const touch = (event) => { if (event.isTrusted) touched = true; };
  addEventListener("pointerdown", touch, true);
  addEventListener("keydown", touch, true);
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!this.muted && !touched) {
      this.pause();
      return Promise.reject(new DOMException("play() failed because the user didn't interact "
        + "with the document first.", "NotAllowedError"));
    }
    return play.call(this);
  };
})();
"""


def fake_camera(path: Path, rgb: tuple[int, int, int], size: tuple[int, int] = (160, 120),
                frames: int = 2, rate: int = 15) -> Path:
    """A Y4M file of one solid colour for `--use-file-for-fake-video-capture` (looped), played
    at `rate` frames a second."""
    r, g, b = rgb
    y = round(0.299 * r + 0.587 * g + 0.114 * b)
    u = round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)
    v = round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
    width, height = size
    plane = bytes([y]) * (width * height)
    chroma = (width // 2) * (height // 2)
    frame = b"FRAME\n" + plane + bytes([u]) * chroma + bytes([v]) * chroma
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F{rate}:1 Ip A1:1 C420jpeg\n".encode()
                     + frame * frames)
    return path


@dataclass
class Tab:
    """One page in its own browser context, with everything the page said and asked for."""

    page: Page
    context: BrowserContext
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

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
                raise TimeoutError(f"timed out after {timeout}s waiting for {expression}\n"
                                   + self.dump())
            await asyncio.sleep(0.1)

    async def value(self, expression: str, arg: Any = None) -> Any:
        """Evaluate an expression (wrapped as a function: CDP calls it, no `eval` needed)."""
        body = expression if expression.lstrip().startswith(("(", "async")) \
            else f"(arg) => ({expression})"
        return await self.page.evaluate(body, arg)

    def dump(self) -> str:
        return "\n".join(["console:", *self.console[-50:], "errors:", *self.errors[-20:]])

    # ------------------------------------------------------------ checks every screen gets

    def csp_refusals(self) -> list[str]:
        return [line for line in self.console
                if "Content Security Policy" in line or "Refused to" in line]

    def assert_clean(self, secrets: Iterable[str] = ()) -> None:
        """No CSP refusal, no uncaught error, and no secret in any URL the browser requested."""
        assert not self.csp_refusals(), self.dump()
        assert not self.errors, self.dump()
        assert_no_secret_in_urls(self.requests, secrets)

    async def axe(self) -> list[dict[str, Any]]:
        """axe-core's serious and critical violations on the page as it is now."""
        if not _AXE:
            _AXE.append(_axe_source())
        if not await self.page.evaluate("() => typeof window.axe === 'object'"):
            await self.page.evaluate(f"() => {{ {_AXE[0]}\n }}")
        result: list[dict[str, Any]] = await self.page.evaluate("""async () => {
            const report = await window.axe.run(document, { resultTypes: ["violations"] });
            return report.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
        }""")
        return result

    async def check_accessible(self, screen: str) -> None:
        violations = await self.axe()
        assert violations == [], f"{screen}: axe-core found {violations}"

    async def screenshot(self, screen: str, width: str = "laptop") -> Path:
        """Save `tests/artifacts/<screen>-<width>.png` at that width (the viewport stays)."""
        w, h = VIEWPORTS[width]
        await self.page.set_viewport_size({"width": w, "height": h})
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{screen}-{width}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path


@contextlib.contextmanager
def dumped_on_failure(tabs: Mapping[str, Tab]) -> Iterator[None]:
    """On a failure inside the block, print each tab's console and requests (read when the
    failure happens: `tabs` may gain or lose tabs inside the block), then re-raise."""
    try:
        yield
    except BaseException:
        for name, tab in tabs.items():
            print(f"--- {name}\n{tab.dump()}")
        raise


def assert_no_secret_in_urls(urls: Iterable[str], secrets: Iterable[str]) -> None:
    urls = list(urls)
    for secret in secrets:
        if not secret:
            continue
        leaked = [url for url in urls if secret in url]
        assert not leaked, f"a secret rode in a requested URL: {leaked}"


def still_camera() -> Path:
    """The camera of a browser started without one: a small grey still, written once per process."""
    path = Path(tempfile.gettempdir()) / f"parley-still-camera-{os.getpid()}.y4m"
    if not path.exists():
        fake_camera(path.with_suffix(".part"), (128, 128, 128)).replace(path)
    return path


def camera_args(camera: Path | None) -> list[str]:
    """Chromium's arguments for a browser whose fake camera plays `camera` (default: `still_camera`)."""
    return [*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={camera or still_camera()}"]


@contextlib.asynccontextmanager
async def chromium(camera: Path | None = None) -> AsyncIterator[Browser]:
    """A headless Chromium whose fake camera plays `camera` (default: `still_camera`)."""
    assert CHROMIUM is not None, "no chromium; mark the test with requires_chromium"
    args = camera_args(camera)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                   args=args)
        try:
            yield browser
        finally:
            await browser.close()


@contextlib.asynccontextmanager
async def chromiums(cameras: Iterable[Path | None]) -> AsyncIterator[list[Browser]]:
    """One headless Chromium per camera (as `chromium`), launched at once from one driver."""
    assert CHROMIUM is not None, "no chromium; mark the test with requires_chromium"
    async with async_playwright() as playwright:
        async def launch(camera: Path | None) -> Browser:
            return await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                    args=camera_args(camera))

        launched = await asyncio.gather(*(launch(c) for c in cameras), return_exceptions=True)
        browsers = [b for b in launched if isinstance(b, Browser)]
        try:
            for failure in launched:
                if isinstance(failure, BaseException):
                    raise failure
            yield browsers
        finally:
            await asyncio.gather(*(b.close() for b in browsers))


async def open_tab(browser: Browser, base_url: str, *, locale: str = "en-GB",
                   width: str = "laptop") -> Tab:
    """A fresh context (its own cookies) and page, camera and microphone granted for `base_url`.

    The caller closes it with `await tab.context.close()`.
    """
    w, h = VIEWPORTS[width]
    context = await browser.new_context(base_url=base_url, locale=locale,
                                        viewport={"width": w, "height": h})
    await context.grant_permissions(["camera", "microphone"], origin=base_url)
    page = await context.new_page()
    tab = Tab(page=page, context=context)

    def on_console(message: ConsoleMessage) -> None:
        tab.console.append(f"{message.type}: {message.text}")

    def on_request(request: Request) -> None:
        tab.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    context.on("request", on_request)
    return tab


@contextlib.asynccontextmanager
async def chromium_page(base_url: str, browser: Browser | None = None, *,
                        locale: str = "en-GB", width: str = "laptop") -> AsyncIterator[Tab]:
    """A fresh context and page (and a browser of its own unless one is given)."""
    async with contextlib.AsyncExitStack() as stack:
        if browser is None:
            browser = await stack.enter_async_context(chromium())
        tab = await open_tab(browser, base_url, locale=locale, width=width)
        stack.push_async_callback(tab.context.close)
        yield tab
