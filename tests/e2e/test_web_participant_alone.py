"""A party's page while the mediator works elsewhere, in the browser on the real suite.

- Admitted straight into its side's caucus (not plenary first), the party's chat says where it
  is now, as after any move ("You are now in Side A caucus…").
- Left in plenary while the mediator meets another room, the room banner says so calmly ("The
  mediator is meeting privately in another room and will come back to this room."), and only
  that: never which room or which side (the party sees the mediator missing from its room's
  people, nothing more). The same in a caucus the mediator is not in; not while the mediator
  is in the party's room; gone once the mediator is back; in the reader's language.

The mediator's commands come from the test's own WebSocket for the mediator (the console's
board is tested elsewhere). axe-core and screenshots of the new state.
"""

from __future__ import annotations

import pytest

from proto.ws import Admit, Move, Shuttle
from tests.browser import chromium_page, requires_chromium
from tests.e2e.participant_steps import (
    banner_kind,
    in_room,
    join_in_browser,
    mediator_caucus,
    mediator_socket,
    one_party_each,
    shots,
    switch_language,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]
EN, ZH = "en", "zh-Hant"

AWAY = "(document.querySelector('.room-banner .room-away')?.textContent ?? null)"
MARKERS = "[...document.querySelectorAll('.chat-marker')].map((x) => x.textContent)"




@pytest.mark.timeout(240)
async def test_admitted_into_a_caucus_and_left_alone_in_plenary(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        try:
            await join_in_browser(tab, invitation)
            side_a = await mediator_caucus(med, cast.sides[0])
            side_b = await mediator_caucus(med, cast.sides[1])

            # --- admitted straight into side A's caucus: the chat says where A1 is now --------
            await med.send(Admit(participant=a1, room=side_a))
            await in_room(tab, side_a)
            assert await tab.value(banner_kind()) == "caucus"
            moved = t(EN, "participant.chat.moved", room="Side A caucus")
            await tab.wait_for(f"{MARKERS}.length === 1", timeout=30)
            assert await tab.value(MARKERS) == [moved]
            # The mediator is not in this caucus either: the same line as in plenary (a party
            # alone in its caucus once read only "Nobody else is in this room").
            await tab.wait_for(f"{AWAY} === {t(EN, 'participant.room.mediator_away')!r}",
                               timeout=30)

            # --- plenary with the mediator: no line; then the mediator meets side B -----------
            await med.send(Move(participant=a1, room="plenary"))
            await in_room(tab, "plenary")
            assert await tab.value(AWAY) is None
            assert await tab.value(MARKERS) == [t(EN, "participant.chat.moved", room="Plenary")]
            await med.send(Shuttle(room=side_b))
            away = t(EN, "participant.room.mediator_away")
            await tab.wait_for(f"{AWAY} === {away!r}", timeout=30)
            banner = await page.inner_text(".room-banner")
            # Only what A1 may know: not which caucus, not which side, not who.
            for secret in ("Side B", "caucus", "B1", side_b):
                assert secret not in banner, (secret, banner)
            assert await page.locator(".room-banner .room-away").is_visible()
            await tab.check_accessible("hearing-mediator-away")
            await shots(tab, "hearing-mediator-away")
            await switch_language(tab, ZH)
            await tab.wait_for(f"{AWAY} === {t(ZH, 'participant.room.mediator_away')!r}")
            await switch_language(tab, EN)

            # --- the mediator is back: the line goes -------------------------------------------
            await med.send(Shuttle(room="plenary"))
            await tab.wait_for(f"{AWAY} === null", timeout=30)
            tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise
        finally:
            await med.close()
