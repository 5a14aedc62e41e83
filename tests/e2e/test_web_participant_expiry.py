"""A participant's sign-in that reaches its lifetime mid-hearing: the page says so and how to
come back, in the reader's language, with camera and microphone stopped; it is not told it was
removed (gateway/ws/route.py closes the socket with 4001 "session expired").

The suite runs with a session lifetime of seconds (and the idle timeout and touch below it, as
the gateway requires); an open socket keeps the session from idling out until then.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from proto.ws import Admit
from tests.browser import chromium, fake_camera, open_tab, requires_chromium
from tests.e2e.participant_steps import (
    KEEP_TRACKS,
    TRACKS_ENDED,
    banner_kind,
    join_in_browser,
    latin_words_left,
    mediator_socket,
    one_party_each,
    switch_language,
)
from tests.harness import Suite

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.slow]  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes

LIFETIME_S = 25  # the staff set-up, the join and the admission all happen well inside it


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("expiry") / "data", extra_env={
        "PARLEY_SESSION_ABSOLUTE_S": str(LIFETIME_S), "PARLEY_SESSION_IDLE_S": "6",
        "PARLEY_SESSION_TOUCH_S": "1"})
    running.start()
    yield running
    running.stop()


@pytest.mark.timeout(180)
async def test_a_sign_in_that_ends_mid_hearing_says_so(suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    med = await mediator_socket(suite, people, cast)
    async with chromium(fake_camera(tmp_path / "a1.y4m", (30, 90, 200))) as browser:
        tab = await open_tab(browser, suite.base_url)
        try:
            await join_in_browser(tab, invitation)
            await med.send(Admit(participant=invitation["participant"]))
            await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=30)
            assert await tab.value(KEEP_TRACKS) >= 1
            await tab.wait_for("document.querySelector('[data-final]') !== null",
                               timeout=LIFETIME_S + 20)
            assert await tab.value("document.querySelector('[data-final]').dataset.final") \
                == "expired"
            await tab.wait_for(TRACKS_ENDED, timeout=5)
            text = await tab.page.text_content("[data-final]") or ""
            assert "Your sign-in has ended" in text and "new invitation" in text, text
            await tab.check_accessible("final-expired")
            await tab.screenshot("final-expired")
            await switch_language(tab, "zh-Hans")
            assert await latin_words_left(tab, []) == []
            tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise
        finally:
            await med.close()
