"""The waiting room while the mediator is offline, in the browser on the real suite: it once said
"<mediator> will admit you shortly" with nobody there to admit anyone. It says the mediator is
not connected, then "will admit you shortly" the moment the mediator connects, and the truth
again when they drop, without a reload. Screenshots in tests/artifacts; axe-core on the new
state.
"""

from __future__ import annotations

import pytest

from tests.browser import chromium_page, dumped_on_failure, requires_chromium
from tests.e2e.participant_steps import join_in_browser, mediator_socket, one_party_each
from tests.e2e.staff_steps import t
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"
WAITING = "document.querySelector('.lobby-waiting')?.textContent || ''"


@pytest.mark.timeout(240)
async def test_the_waiting_room_says_when_the_mediator_is_not_connected(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    # The sentence after the mediator's name: "… is not connected right now. Please wait here …"
    said = t(EN, "participant.lobby.mediator_offline", name="\0").split("\0", 1)[1]
    assert said.startswith(" is not connected right now. Please wait here: "), said
    async with chromium_page(suite.base_url) as tab:
        with dumped_on_failure({"A1": tab}):
            await join_in_browser(tab, invitation)
            await tab.wait_for(f"({WAITING}).includes({said!r})", timeout=30)
            assert "shortly" not in await tab.value(WAITING)
            await tab.check_accessible("lobby-mediator-offline")
            await tab.screenshot("lobby-mediator-offline", "laptop")
            await tab.screenshot("lobby-mediator-offline", "tablet")

            med = await mediator_socket(suite, people, cast)
            try:
                await tab.wait_for(f"({WAITING}).includes('will admit you shortly')", timeout=30)
                await tab.screenshot("lobby-mediator-online", "laptop")
            finally:
                await med.close()
            await tab.wait_for(f"({WAITING}).includes({said!r})", timeout=30)
            tab.assert_clean(secrets=[invitation["access_code"]])
