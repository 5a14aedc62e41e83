"""Relay-only ICE end to end: the suite configured with coturn and the institution's relay-only
setting; headless Chromium gets time-limited TURN credentials from the real
`GET /api/v1/ice-servers`, and its tech check reaches the server's echo peer only through coturn."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium_page, requires_chromium
from tests.harness import Suite, running_suite
from tests.integration.signalling.sigclient import seat
from tests.integration.signalling.test_signalling_turn import TURNSERVER, TurnServer
from tests.integration.signalling.test_signalling_turn import turn_server as turn_server
from tests.people import staff_people

pytestmark = [
    pytest.mark.browser, requires_chromium,
    pytest.mark.skipif(TURNSERVER is None, reason="coturn's turnserver is not installed "
                       "(scripts/ensure-test-tools.sh installs it)"),
]


@pytest.fixture
def relay_suite(tmp_path: Path, turn_server: TurnServer) -> Iterator[Suite]:
    with running_suite(tmp_path / "data", PARLEY_TURN_URLS=turn_server.url,
                       PARLEY_TURN_SECRET=turn_server.secret, PARLEY_TURN_TTL_S="600",
                       PARLEY_ICE_RELAY_ONLY="true") as suite:
        yield suite


async def test_browser_tech_check_through_turn_only(relay_suite: Suite,
                                                    turn_server: TurnServer) -> None:
    suite = relay_suite
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1, redeem_all=False)
    invitation = cast.invitations["A1"]
    async with chromium_page(suite.base_url) as tab:
        await tab.page.goto(invitation["link_path"])
        await tab.page.fill("form.join input[name=access_code]", invitation["access_code"])
        await tab.page.click("form.join button[type=submit]")
        await tab.page.wait_for_selector(".join-next")  # accepted: the tech check is offered

        # What the browser is told: relay only, this TURN server, credentials for this participant.
        ice = await tab.value(f"""async () => {{
            const r = await fetch('/api/v1/ice-servers?hearing={cast.hearing}',
                                  {{credentials: 'same-origin'}});
            return await r.json(); }}""")
        assert ice["iceTransportPolicy"] == "relay"
        assert [s["urls"] for s in ice["iceServers"]] == [[turn_server.url]]
        expiry, who = ice["iceServers"][0]["username"].split(":")
        assert who == invitation["participant"]
        assert time.time() < int(expiry) <= time.time() + 600 + 5

        await tab.page.goto("/techcheck")
        try:
            await tab.wait_for("Number(document.getElementById('frames').dataset.value) >= 30",
                               timeout=40)
            await tab.wait_for("document.getElementById('route').dataset.value !== ''")
        except Exception:
            print(tab.dump())
            raise
        # The selected candidate pair's local candidate is the browser's TURN allocation.
        assert await tab.value("document.getElementById('route').dataset.value") == "relay"
        assert not tab.errors, tab.dump()
