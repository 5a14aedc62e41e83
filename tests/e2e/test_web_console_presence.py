"""The mediator's console while a party's connection comes and goes, in real browsers on the
real suite (the mirror of test_web_participant_returns.py, where the mediator drops):

- A party whose connection drops (tests/netcut.py cuts it between their browser and the
  gateway) and is back within a few seconds is never said offline anywhere on the console: the
  console once marked their board card offline, and "who can hear you" said they were offline,
  at every short reconnect. Meanwhile their card says "reconnecting…", "who can hear you"
  never lists them as hearing the mediator, and their tile stays, saying "connecting…" (it
  vanished).
- Cut for longer than the grace (components/presence.js), the card and "who can hear you" say
  offline, as before, once the grace has run out, and the tile goes.
Screenshots: tests/artifacts/console-party-reconnecting-laptop.png, console-party-offline-laptop.png.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from proto.ws import Admit
from tests.browser import dumped_on_failure, requires_chromium
from tests.e2e.participant_steps import (
    banner_kind,
    console_and_party_behind_a_proxy,
    console_room,
    hearers,
    join_in_browser,
    mediator_page,
    mediator_socket,
    one_party_each,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"

# On the console, each change of what it says of the party (`id`): their card's status, and
# whatever says them offline ("board", "hearers", "tiles"), or as hearing the mediator while
# their card does not say them connected ("hears"), with the page's time of it.
WATCH = """(id) => {
  window.__presence = [];
  const check = () => {
    const card = document.querySelector(`.board li.person[data-participant="${id}"]`);
    const status = card ? card.dataset.status : '';
    const said = [];
    if (status === 'offline' || card?.querySelector('.offline-text')
        || (card?.getAttribute('aria-label') || '').includes('offline')) said.push('board');
    if ((document.querySelector('.my-room .hearers-note')?.textContent || '').includes('offline')) {
      said.push('hearers');
    }
    if ((document.querySelector('.console-videos')?.textContent || '').includes('offline')) said.push('tiles');
    const hears = (document.querySelector('.my-room .hearers')?.dataset.hearers || '').split(',');
    if (status !== 'online' && hears.includes(id)) said.push('hears');
    const entry = { status, said: said.join('+') };
    const last = window.__presence.at(-1);
    if (!last || last.status !== entry.status || last.said !== entry.said) {
      window.__presence.push({ ...entry, at: performance.now() });
    }
  };
  new MutationObserver(check).observe(document.body,
    { subtree: true, childList: true, characterData: true, attributes: true });
  check();
}"""
SEEN = "window.__presence"


def card(participant: str) -> str:
    return f"document.querySelector('.board li.person[data-participant=\"{participant}\"]')"


def tile(participant: str) -> str:
    return ("document.querySelector('.console-videos figure.remote"
            f"[data-participant=\"{participant}\"][data-kind=camera]')")


@pytest.mark.timeout(300)
async def test_a_party_back_within_seconds_is_never_said_offline_on_the_console(
        suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    # The party's browser reaches the gateway through a proxy the test can cut.
    async with console_and_party_behind_a_proxy(suite, tmp_path) as (console, party, proxy):
        tabs = {"M": console, "A1": party}
        try:
            with dumped_on_failure(tabs):
                await join_in_browser(party, invitation)
                await med.send(Admit(participant=a1))
                await party.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                await mediator_page(console, people, cast.hearing, suite.base_url)
                await console.wait_for(f"{console_room()} === 'plenary'", timeout=60)
                await console.wait_for(f"{hearers()} === '{a1}'", timeout=60)
                assert await console.value(f"{card(a1)}.dataset.status") == "online"

                # --- cut, and back within the grace: never said offline ----------------------
                await console.page.evaluate(WATCH, a1)
                proxy.cut()
                await console.wait_for(f"{card(a1)}.dataset.status === 'reconnecting'", timeout=20)
                label = await console.value(f"{card(a1)}.getAttribute('aria-label')")
                assert label.endswith(t(EN, "mediator.board.reconnecting")), label
                assert await console.value(
                    f"{card(a1)}.querySelector('.fact-reconnecting').textContent") \
                    == t(EN, "mediator.board.reconnecting")
                assert a1 not in (await console.value(hearers()) or "").split(",")
                proxy.restore()
                await console.wait_for(f"{card(a1)}.dataset.status === 'online'", timeout=20)
                await asyncio.sleep(5.0)  # past the grace: nothing comes late either
                seen: list[dict[str, Any]] = await console.value(SEEN)
                assert [s for s in seen if s["said"]] == [], seen
                assert {s["status"] for s in seen} == {"online", "reconnecting"}, seen
                await console.wait_for(f"{hearers()} === '{a1}'", timeout=60)  # hears again

                # --- cut for longer: offline, but only once the grace has run out -------------
                await console.page.evaluate(WATCH, a1)
                proxy.cut()
                await console.wait_for(f"{card(a1)}.dataset.status === 'reconnecting'", timeout=20)
                await console.wait_for(f"{tile(a1)}?.dataset.picture === 'waiting'", timeout=10)
                caption = await console.value(f"{tile(a1)}.querySelector('figcaption').textContent")
                assert caption == f"A1 · {t(EN, 'participant.grid.connecting')}", caption
                await console.screenshot("console-party-reconnecting", "laptop")
                await console.wait_for(f"{card(a1)}.dataset.status === 'offline'", timeout=20)
                seen = await console.value(SEEN)
                dropped = next(s["at"] for s in seen if s["status"] == "reconnecting")
                said = next(s for s in seen if s["said"])
                assert said["status"] == "offline", seen  # nothing said before the card says it
                assert said["at"] - dropped >= 3500, seen
                assert "hears" not in said["said"], seen
                note = "document.querySelector('.my-room .hearers-note').textContent"
                await console.wait_for(f"{note}.includes('A1 is offline and cannot hear you.')",
                                       timeout=5)
                assert a1 not in (await console.value(hearers()) or "").split(",")
                await console.wait_for(f"{tile(a1)} === null", timeout=5)
                await console.check_accessible("console-party-offline")
                await console.screenshot("console-party-offline", "laptop")
                proxy.restore()
                await console.wait_for(f"{card(a1)}.dataset.status === 'online'", timeout=30)
                await console.wait_for(f"{tile(a1)}?.querySelector('video').videoWidth > 0",
                                       timeout=60)  # the picture is back
                for tab in tabs.values():
                    tab.assert_clean(secrets=[invitation["access_code"]])
        finally:
            await med.close()
