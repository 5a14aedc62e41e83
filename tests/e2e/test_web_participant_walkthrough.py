"""What a walkthrough of the participant's join flow and hearing page found, in the browser on
the real suite.

- A used invitation opened on the person's second device: the page says what that person needs
  (carry on on the other device, or ask the mediator or the institution for a new link for this
  one) and keeps the warning for "it was not you"; the form is gone.
- Camera and microphone both blocked by the browser: the tech check's "Run again" and the
  waiting room's "Try again", "Ask for the mediator" and "Leave hearing" are on screen without
  scrolling at 1366x768 and at tablet width (the element's bounding box inside the viewport);
  the waiting room lists no devices the browser names nothing true of ("fake_device_0"), and
  the tech check's opening line says only the connection is measured, never "say a few words".
- The move notice and "the mediator is away" never stand side by side saying different things:
  moved into plenary while the mediator is in a caucus, the notice says both (the banner holds
  its line back); the mediator arriving makes it old news, so it goes, and the mediator leaving
  later makes a move notice stale, so it goes and the banner says what is true now. The same in a caucus: a party whose caucus the
  mediator leaves for the other side's is told (it once read only "Nobody else is in this
  room", beside a stale "The mediator moved you to …"), and a Latin room name in a Chinese
  sentence is set apart by a space on each side ("移至 Side A 單方會談").
- "Turn on sound" shows exactly while the browser's autoplay policy holds some remote sound back:
  in a page the person has not touched yet it shows (the mediator's video plays muted); after a
  click elsewhere on the page and a lost connection, the new streams play with sound and the
  button goes by itself (it used to stay, stale, until clicked).
- A tab that stepped aside for a newer tab of the same person: when that live tab closes, it
  says so and offers "Continue here" (focused; it does not take over by itself), which takes the
  seat back.
Screenshots in tests/artifacts; axe-core on the new states.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from proto.ws import Admit, Move, Shuttle
from tests.browser import (
    AUTOPLAY_POLICY,
    VIEWPORTS,
    Tab,
    chromium_page,
    chromiums,
    dumped_on_failure,
    fake_camera,
    open_tab,
    requires_chromium,
)
from tests.e2e.participant_steps import (
    banner_kind,
    console_room,
    in_room,
    join_in_browser,
    mediator_caucus,
    mediator_page,
    mediator_socket,
    one_party_each,
    switch_language,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.integration.signalling.sigclient import redeem
from tests.netcut import NetCut

pytestmark = [pytest.mark.browser, requires_chromium]
EN, ZH = "en", "zh-Hant"

# The browser refuses the camera and microphone, as when the person blocked them.
BLOCK_MEDIA = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
"""


async def in_view(tab: Tab, selector: str, width: str) -> dict[str, Any]:
    """`selector`'s box at this width, from the top of the page: visible, and wholly on screen."""
    w, h = VIEWPORTS[width]
    await tab.page.set_viewport_size({"width": w, "height": h})
    await tab.page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    box: dict[str, Any] = await tab.value(
        "(s) => { const b = document.querySelector(s).getBoundingClientRect();"
        " return {top: b.top, bottom: b.bottom, left: b.left, right: b.right, height: b.height}; }",
        selector)
    assert box["height"] > 0 and box["top"] >= 0, (width, selector, box)
    assert box["bottom"] <= h and box["right"] <= w, (width, selector, box)
    return box


@pytest.mark.timeout(180)
async def test_a_used_invitation_on_a_second_device_says_what_to_do(suite: Suite) -> None:
    _, _, invitation = await one_party_each(suite)
    # Joined on the first device (a laptop) already.
    status, _, _ = await redeem(suite.base_url, invitation["token"], invitation["access_code"])
    assert status == 200, status
    async with chromium_page(suite.base_url) as tab:  # the second device: no session
        page = tab.page
        try:
            await page.goto(invitation["link_path"])
            await page.wait_for_selector("form.join input[name=access_code]")
            await page.fill("input[name=access_code]", invitation["access_code"])
            await page.click("form.join button[type=submit]")
            card = page.locator(".join-used")
            await card.wait_for()
            assert await page.locator("input[name=access_code]").count() == 0  # the form left
            heading = await card.locator("h1").text_content()
            assert heading == t(EN, "participant.join.used_title"), heading
            said = await card.inner_text()
            # It was me, on another device: carry on there, or a new link for this one …
            for key in ("participant.join.used_elsewhere", "participant.join.used_new_link",
                        "participant.join.used_not_you"):  # … and it was not me: the warning
                assert t(EN, key) in said, (key, said)
            assert "another device" in said and "new link for this device" in said, said
            assert "If it was not you" in said, said
            assert await page.evaluate("() => document.activeElement.tagName") == "H1"
            await tab.check_accessible("join-used-elsewhere")
            await tab.screenshot("join-used-elsewhere", "laptop")
            await tab.screenshot("join-used-elsewhere", "phone")
            await switch_language(tab, ZH)
            await card.filter(has_text=t(ZH, "participant.join.used_new_link")).wait_for()
            await tab.screenshot("join-used-elsewhere-zh-Hant", "laptop")
            tab.assert_clean(secrets=[invitation["access_code"],
                                      invitation["token"].split(".")[2]])
        except Exception:
            print(tab.dump())
            raise


@pytest.mark.timeout(240)
async def test_blocked_camera_and_microphone_keep_the_way_to_try_again_in_view(
        suite: Suite) -> None:
    _, _, invitation = await one_party_each(suite)
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        await tab.context.add_init_script(BLOCK_MEDIA)
        try:
            await join_in_browser(tab, invitation)
            # The waiting room: blocked, and Try again in view.
            await page.locator(".lobby-device-status",
                               has_text=t(EN, "participant.lobby.blocked")).wait_for()
            # No picker of devices the browser names nothing true of (here "fake_device_0"):
            # the sentence stands in their place.
            await tab.wait_for("document.querySelectorAll('.lobby-devices .field').length === 2"
                               " && [...document.querySelectorAll('.lobby-devices .field')]"
                               ".every((f) => f.hidden && f.offsetHeight === 0)", timeout=10)
            said = await page.inner_text(".lobby")
            assert "fake_device" not in said and "Fake Default" not in said, said
            for width in ("laptop", "tablet"):
                await tab.screenshot("lobby-blocked-both", width)
                await in_view(tab, "[data-action=retry-devices]", width)
                # The way on, unscrolled: ask for the mediator, or leave.
                await in_view(tab, ".lobby-actions [data-control=knock]", width)
                await in_view(tab, ".lobby-actions [data-action=leave]", width)

            # The tech check: blocked is said as blocked at once, with Run again in view.
            await page.goto("/techcheck?next=lobby")
            again = page.get_by_role("button", name=t(EN, "participant.techcheck.again"),
                                     exact=True)
            await again.wait_for(timeout=10_000)
            assert await page.get_attribute("#verdict-camera", "data-outcome") == "blocked"
            assert await page.get_attribute("#verdict-microphone", "data-outcome") == "blocked"
            # The opening line says what the check can do now, never "say a few words".
            lede = await page.text_content("#lede")
            assert lede == t(EN, "participant.techcheck.lede_blocked"), lede
            assert "Say a few words" not in (await page.inner_text("#techcheck"))
            for width in ("laptop", "tablet"):
                await in_view(tab, "#again", width)
                await in_view(tab, "[data-action=continue]", width)
                await tab.screenshot("techcheck-blocked", width)
            await tab.check_accessible("techcheck-blocked")
            # The verdict, once the connection is measured, keeps both in view too.
            await tab.wait_for("document.querySelector('#verdict').dataset.level !== ''",
                               timeout=60)
            verdict = await page.text_content("#verdict")
            assert verdict == t(EN, "participant.techcheck.verdict_blocked"), verdict
            for width in ("laptop", "tablet"):
                await in_view(tab, "#again", width)
                await in_view(tab, "#verdict", width)
            await tab.screenshot("techcheck-blocked-verdict", "laptop")
            tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise


AWAY = "(document.querySelector('.room-banner .room-away')?.textContent ?? null)"
MOVE_NOTICES = ("[...document.querySelectorAll('.notice-move')].map((x) => "
                "[x.dataset.variant, x.querySelector('.notice-text').textContent])")




@pytest.mark.timeout(240)
async def test_the_move_notice_and_the_mediator_away_line_never_contradict(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        try:
            await join_in_browser(tab, invitation)
            side_a = await mediator_caucus(med, cast.sides[0])
            side_b = await mediator_caucus(med, cast.sides[1])
            await med.send(Admit(participant=a1, room=side_a))
            await in_room(tab, side_a)

            # --- moved to plenary with the mediator there; then the mediator leaves ----------
            await med.send(Move(participant=a1, room="plenary"))
            await in_room(tab, "plenary")
            moved = t(EN, "participant.notice.moved", room="Plenary")
            await tab.wait_for(f"JSON.stringify({MOVE_NOTICES}) === "
                               f"JSON.stringify([['moved', {moved!r}]])")
            await med.send(Shuttle(room=side_b))
            away = t(EN, "participant.room.mediator_away")
            await tab.wait_for(f"{AWAY} === {away!r}", timeout=30)
            # The newer, true state wins: "moved you" no longer stands beside "is away".
            assert await tab.value(MOVE_NOTICES) == []

            # --- moved (back) into plenary while the mediator stays in a caucus ---------------
            await med.send(Move(participant=a1, room=side_a))
            await in_room(tab, side_a)
            await med.send(Move(participant=a1, room="plenary"))
            await in_room(tab, "plenary")
            both = t(EN, "participant.notice.moved_away", room="Plenary")
            await tab.wait_for(f"JSON.stringify({MOVE_NOTICES}) === "
                               f"JSON.stringify([['moved_away', {both!r}]])")
            # One place says where the mediator is: the notice; the banner holds its line back.
            assert await tab.value(AWAY) is None
            await tab.check_accessible("hearing-moved-mediator-away")
            await tab.screenshot("hearing-moved-mediator-away", "laptop")

            # --- the mediator arrives: the move notice is old news and goes, and no line ----
            await med.send(Shuttle(room="plenary"))
            await tab.wait_for(f"JSON.stringify({MOVE_NOTICES}) === '[]'", timeout=30)
            assert await tab.value(AWAY) is None
            # --- and leaves again: the banner says it (nothing else is left to say it) --------
            await med.send(Shuttle(room=side_b))
            await tab.wait_for(f"{AWAY} === {away!r}", timeout=30)
            assert await tab.value(MOVE_NOTICES) == []
            await tab.screenshot("hearing-mediator-away-after-move", "laptop")
            tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise
        finally:
            await med.close()


@pytest.mark.timeout(240)
async def test_a_caucus_the_mediator_leaves_says_so(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        try:
            await join_in_browser(tab, invitation)
            side_a = await mediator_caucus(med, cast.sides[0])
            side_b = await mediator_caucus(med, cast.sides[1])
            await med.send(Admit(participant=a1))
            await in_room(tab, "plenary")
            await switch_language(tab, ZH)
            # --- the mediator takes Side A aside: moved with the mediator there --------------
            await med.send(Shuttle(room=side_a))
            await med.send(Move(participant=a1, room=side_a))
            await in_room(tab, side_a)
            moved = "調解員已將您移至 Side A 單方會談。"
            await tab.wait_for(f"JSON.stringify({MOVE_NOTICES}) === "
                               f"JSON.stringify([['moved', {moved!r}]])")
            assert await tab.value(AWAY) is None
            # The chat's heading and its marker follow the same spacing rule.
            await tab.wait_for("document.querySelector('.chat-marker')?.textContent"
                               ".startsWith('您現在身處 Side A 單方會談。')")
            assert await tab.value("document.querySelector('.chat-room').textContent") == \
                "Side A 單方會談的聊天"
            await tab.screenshot("hearing-moved-caucus-zh-Hant", "laptop")
            # --- the mediator goes to Side B's caucus: the caucus says so, the notice goes ----
            await med.send(Shuttle(room=side_b))
            away = t(ZH, "participant.room.mediator_away")
            await tab.wait_for(f"{AWAY} === {away!r}", timeout=30)
            assert await tab.value(MOVE_NOTICES) == []
            await tab.check_accessible("hearing-caucus-mediator-away")
            await tab.screenshot("hearing-caucus-mediator-away-zh-Hant", "laptop")
            # --- and comes back: nothing said of the mediator any more ------------------------
            await med.send(Shuttle(room=side_a))
            await tab.wait_for(f"{AWAY} === null", timeout=30)
            tab.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(tab.dump())
            raise
        finally:
            await med.close()


@pytest.mark.timeout(240)
async def test_a_tab_that_stepped_aside_offers_to_continue_when_the_live_tab_closes(
        suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as first:
        second: Tab | None = None
        try:
            await join_in_browser(first, invitation)
            await med.send(Admit(participant=a1))
            await first.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)

            # The same person opens the hearing in a second tab: the first steps aside.
            page = await first.context.new_page()
            second = Tab(page=page, context=first.context)
            page.on("pageerror", lambda error: second.errors.append(str(error)) if second else None)
            await page.goto("/hearing")
            await first.wait_for("document.querySelector('.final[data-final=elsewhere]') !== null",
                                 timeout=30)
            await second.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)

            # The live tab is closed: the first says so at once and offers to continue, focused.
            await page.close(run_before_unload=True)
            second = None
            await first.wait_for(
                "document.querySelector('.final[data-final=elsewhere_free]') !== null", timeout=10)
            heading = await first.page.text_content(".final h1")
            assert heading == t(EN, "participant.final.elsewhere_free_title"), heading
            focused = await first.value("document.activeElement?.textContent")
            assert focused == t(EN, "participant.final.continue_here"), focused
            # It did not take the seat by itself: its camera stays off until the person says so.
            assert await first.value("document.querySelector('.tile.self') === null")
            await first.check_accessible("participant-elsewhere-free")
            await first.screenshot("participant-elsewhere-free", "laptop")
            await first.page.keyboard.press("Enter")
            await first.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
            first.assert_clean(secrets=[invitation["access_code"]])
        except Exception:
            print(first.dump())
            raise
        finally:
            await med.close()


SOUND_BUTTON = "document.querySelector('[data-action=sound]')"


def _mediator_tile(med_id: str) -> str:
    return f"document.querySelector('.video-grid .tile[data-participant=\"{med_id}\"] video')"


@pytest.mark.timeout(300)
async def test_turn_on_sound_shows_exactly_while_sound_is_held_back(
        suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1, med_id = invitation["participant"], people.mediator.account_id
    med = await mediator_socket(suite, people, cast)
    proxy = NetCut("127.0.0.1", suite.http_port)
    via_proxy = await proxy.start()
    tile = _mediator_tile(med_id)
    cameras = [fake_camera(tmp_path / f"{n}.y4m", rgb) for n, rgb in
               (("m", (200, 200, 200)), ("a", (30, 90, 200)))]
    async with chromiums(cameras) as (m_browser, a_browser):
        console = await open_tab(m_browser, suite.base_url)
        party = await open_tab(a_browser, via_proxy)
        await party.context.add_init_script(AUTOPLAY_POLICY)
        tabs = {"M": console, "A1": party}
        try:
            with dumped_on_failure(tabs):
                await mediator_page(console, people, cast.hearing, suite.base_url)
                await console.wait_for(f"{console_room()} === 'plenary'", timeout=60)
                await join_in_browser(party, invitation)
                await med.send(Admit(participant=a1))
                await party.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                # A page nobody has touched yet (opened anew): the mediator's sound is held back.
                await party.page.reload()
                await party.wait_for(f"{tile}?.srcObject && !{tile}.paused", timeout=60)
                await party.wait_for(f"{SOUND_BUTTON} && !{SOUND_BUTTON}.hidden", timeout=20)
                assert await party.value(f"{tile}.muted") is True
                await party.screenshot("hearing-sound-held", "laptop")

                # The person clicks elsewhere on the page (the banner), then the connection drops
                # and comes back: the new streams play with sound, and the button goes by itself.
                await party.page.click(".room-banner")
                proxy.cut()
                await party.wait_for("document.querySelector('.connection-status')"
                                     ".dataset.state === 'reconnecting'", timeout=30)
                proxy.restore()
                await party.wait_for("document.querySelector('.connection-status')"
                                     ".dataset.state === 'connected'", timeout=60)
                await party.wait_for(f"{tile}?.srcObject && !{tile}.paused && !{tile}.muted",
                                     timeout=60)
                await party.wait_for(f"{SOUND_BUTTON}.hidden", timeout=10)
                for tab in tabs.values():
                    tab.assert_clean(secrets=[invitation["access_code"]])
        finally:
            await med.close()
            await proxy.stop()
