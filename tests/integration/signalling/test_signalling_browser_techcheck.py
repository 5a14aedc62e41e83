"""The tech check from a real browser: headless Chromium opens /techcheck on the real gateway,
offers its (fake) camera and microphone to signalling's aiortc echo peer through
`POST /api/v1/techcheck`, gets its own frames back and shows RTT, jitter and loss."""

from __future__ import annotations

import pytest

from tests.browser import chromium_page, requires_chromium
from tests.harness import Suite
from tests.integration.signalling.sigclient import seat
from tests.people import staff_people

pytestmark = [pytest.mark.browser, requires_chromium]


async def test_browser_tech_check_echoes_and_reports(suite: Suite) -> None:
    await suite.ready(timeout=60)
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1, redeem_all=False)
    invitation = cast.invitations["A1"]
    async with chromium_page(suite.base_url) as tab:
        # The participant's own way in: the invitation link, then the access code.
        await tab.page.goto(invitation["link_path"])
        await tab.page.fill("form.join input[name=access_code]", invitation["access_code"])
        await tab.page.click("form.join button[type=submit]")
        await tab.page.wait_for_selector(".join-next")  # accepted: the tech check is offered

        await tab.page.goto("/techcheck")
        try:
            # Our own frames come back from the echo peer (requestVideoFrameCallback count) ...
            await tab.wait_for("Number(document.getElementById('frames').dataset.value) >= 30",
                               timeout=40)
            # ... and the echo peer's report reaches the page (jitter and loss come only from it).
            await tab.wait_for("['rtt', 'jitter', 'loss'].every("
                               "(id) => document.getElementById(id).dataset.value !== '')",
                               timeout=30)
            await tab.check_accessible("techcheck")
            await tab.screenshot("techcheck", "laptop")
            await tab.screenshot("techcheck", "tablet")
            shown = await tab.value("['rtt', 'jitter', 'loss'].map("
                                    "(id) => Number(document.getElementById(id).dataset.value))")
        except Exception:
            print(tab.dump())
            raise
        rtt, jitter, loss = shown
        print(f"tech check in Chromium: rtt {rtt} ms, jitter {jitter} ms, loss {loss}")
        assert 0.0 <= rtt < 1000.0
        assert 0.0 <= jitter < 1000.0
        assert 0.0 <= loss <= 0.05  # loopback: nothing should be lost
        decoded = await tab.value("""async () => {
            const v = document.getElementById('echo');
            return v.srcObject && v.videoWidth > 0 ? v.videoWidth : 0; }""")
        assert decoded > 0  # a real decoded picture, not an empty element
        # No TURN configured: the media went directly (the relay-only case is in *_turn.py).
        await tab.wait_for("document.getElementById('route').dataset.value !== ''")
        assert await tab.value("document.getElementById('route').dataset.value") in (
            "host", "srflx", "prflx")
        # The check is a help, never a gate: the way on to the waiting room is there.
        await tab.page.click("[data-action=continue]")
        await tab.wait_for("document.querySelector('.lobby-title')")
        assert not tab.errors, tab.dump()
