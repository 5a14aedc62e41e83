"""What the people in a hearing are told when something is wrong, in a real Chromium through the
real suite.

- The mediator's account is disabled mid-hearing (their page goes offline): a party in plenary
  reads "The mediator, Dr Chan, is offline and cannot hear you." under "Who can hear you", in
  English and both Chinese scripts, where it once read only "1 person in this room is offline".
- The mediator's camera is held by another app (the browser answers NotReadableError): the
  console says so in a sentence the mediator can act on, with "Try again", as the participant's
  page does.
- The browser's autoplay policy holds a party's sound back in a console nobody has touched yet
  (opened anew): the party's picture plays muted and "Turn on sound" shows beside the mediator's
  controls (it once muted the party silently, with nothing to turn the sound on); clicked, the
  sound plays and the button goes.
- A side whose name takes the whole 200 characters: the new caucus's default name fits the
  field, shortened with "…" (it once held 207 characters, and the counter said "the limit" for a
  name that is sent empty), the field says it will be named after the side, and the caucus made
  is named after its side on the board.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proto.ws import Admit
from tests.browser import (
    AUTOPLAY_POLICY,
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
    join_in_browser,
    mediator_page,
    mediator_socket,
    one_party_each,
    switch_language,
)
from tests.e2e.staff_steps import t
from tests.harness import Suite
from tests.integration.signalling.sigclient import Cast
from tests.people import People

pytestmark = [pytest.mark.browser, requires_chromium]
EN = "en"

#: Every camera and microphone held by another app, as Chromium on Windows reports it.
CAMERA_IN_USE = """
navigator.mediaDevices.getUserMedia = async () => {
  throw new DOMException('Could not start video source', 'NotReadableError');
};
"""


async def test_a_party_reads_that_the_mediator_by_name_is_offline(suite: Suite) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med_id = people.mediator.account_id
    status, me = await people.mediator.call("GET", "/api/v1/me")
    assert status == 200
    status, _ = await people.admin.call("PATCH", f"/api/v1/accounts/{med_id}",
                                        {"display_name": "Dr Chan"})
    assert status == 200
    try:
        await _told_offline(suite, people, cast, a1)
    finally:  # the suite's mediator, for the tests after this one: enabled, named as before
        status, _ = await people.admin.call("PATCH", f"/api/v1/accounts/{med_id}", {
            "disabled": False, "display_name": me.get("display_name") or ""})
        assert status == 200
        await people.mediator.sign_in_again()


async def _told_offline(suite: Suite, people: People, cast: Cast, a1: str) -> None:
    med_id = people.mediator.account_id
    invitation = cast.invitations["A1"]
    med = await mediator_socket(suite, people, cast)
    async with chromium_page(suite.base_url) as tab:
        await join_in_browser(tab, invitation)
        await med.send(Admit(participant=a1))
        await tab.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
        status, _ = await people.admin.call("PATCH", f"/api/v1/accounts/{med_id}",
                                            {"disabled": True})
        assert status == 200
        note = tab.page.locator(".hearers-note")
        said = t(EN, "participant.hearers.away_mediator", name="Dr Chan")
        assert said == "The mediator, Dr Chan, is offline and cannot hear you."
        await note.get_by_text(said).wait_for(timeout=20_000)
        assert "1 person" not in (await note.inner_text())
        await tab.check_accessible("hearing-mediator-offline")
        await tab.screenshot("hearing-mediator-offline", "laptop")
        for lang in ("zh-Hant", "zh-Hans"):
            await switch_language(tab, lang)
            await note.get_by_text(t(lang, "participant.hearers.away_mediator", name="Dr Chan")).wait_for()
        await tab.screenshot("hearing-mediator-offline-zh-Hans", "laptop")
        tab.assert_clean()
    await med.close()


async def test_the_console_says_the_camera_is_in_use_and_fits_a_long_sides_caucus_name(
        suite: Suite) -> None:
    people, cast, _ = await one_party_each(suite)
    long_side = ("Wong Kwok Holdings International Trading and Shipping Company Limited and its "
                 "Subsidiaries, Associated Companies, Successors and Assigns, acting by its "
                 "Liquidators appointed by the Court of First Instance")[:200]
    long_side = long_side + "x" * (200 - len(long_side))
    assert len(long_side) == 200
    status, _ = await people.mediator.call(
        "PATCH", f"/api/v1/hearings/{cast.hearing}/sides/{cast.sides[0]}", {"name": long_side})
    assert status == 200
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        await tab.context.add_init_script(CAMERA_IN_USE)
        await mediator_page(tab, people, cast.hearing, suite.base_url)
        await page.locator(".board .room-column[data-room-kind=lobby]").wait_for()
        # --- the camera held by another app: said, with the way to ask again -------------
        trouble = page.locator(".my-room .media-trouble[data-trouble=in_use]")
        await trouble.get_by_text(t(EN, "mediator.video.in_use")).wait_for(timeout=20_000)
        await trouble.get_by_role("button", name=t(EN, "mediator.video.try_again")).wait_for()
        await tab.check_accessible("console-camera-in-use")
        await tab.screenshot("console-camera-in-use", "laptop")

        # --- a side's default caucus name within the limit --------------------------------
        await page.get_by_role("button", name=t(EN, "mediator.console.new_caucus")).click()
        dialog = page.locator("dialog[open]")
        name = dialog.get_by_label(t(EN, "mediator.caucus.name"), exact=True)
        value = await name.input_value()
        assert len(value) < 200 and value.endswith("… caucus"), (len(value), value)
        assert long_side.startswith(value[:-len("… caucus")])
        counter = dialog.locator(".char-count")
        assert await counter.inner_text() == t(EN, "common.chars", count=len(value), max=200)
        assert "at-limit" not in (await counter.get_attribute("class") or "")
        await dialog.get_by_text(t(EN, "mediator.caucus.name_default_hint")).wait_for()
        await tab.check_accessible("console-new-caucus-long-side")
        await tab.screenshot("console-new-caucus-long-side", "laptop")
        # Typed over: the hint goes (the name typed is the one sent).
        await name.fill("Breakout")
        assert await dialog.get_by_text(t(EN, "mediator.caucus.name_default_hint")).is_hidden()
        await name.fill("")
        await dialog.get_by_label(t(EN, "mediator.caucus.side")).select_option(cast.sides[1])
        await dialog.get_by_label(t(EN, "mediator.caucus.side")).select_option(cast.sides[0])
        assert (await name.input_value()) == value
        await dialog.get_by_role("button", name=t(EN, "mediator.caucus.create")).click()
        column = page.locator(".board .room-column[data-room-kind=caucus]")
        await column.wait_for()
        assert "Wong Kwok Holdings" in await column.inner_text()
        status, detail = await people.mediator.call("GET", f"/api/v1/hearings/{cast.hearing}")
        caucus = next(r for r in detail["rooms"] if r["kind"] == "caucus")
        assert caucus["name"] == "" and caucus["side"] == cast.sides[0]  # named after its side
        tab.assert_clean()


@pytest.mark.timeout(240)
async def test_the_console_offers_to_turn_on_sound_exactly_while_it_is_held_back(
        suite: Suite, tmp_path: Path) -> None:
    people, cast, invitation = await one_party_each(suite)
    a1 = invitation["participant"]
    med = await mediator_socket(suite, people, cast)
    video = ("document.querySelector('.console-videos figure.remote"
             f"[data-participant=\"{a1}\"][data-kind=camera] video')")
    sound = "document.querySelector('.my-room [data-action=sound]')"
    cameras = [fake_camera(tmp_path / f"{n}.y4m", rgb) for n, rgb in
               (("m", (200, 200, 200)), ("a", (30, 90, 200)))]
    async with chromiums(cameras) as (m_browser, a_browser):
        console = await open_tab(m_browser, suite.base_url)
        party = await open_tab(a_browser, suite.base_url)
        tabs = {"M": console, "A1": party}
        try:
            with dumped_on_failure(tabs):
                await join_in_browser(party, invitation)
                await med.send(Admit(participant=a1))
                await party.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                # The console opened anew, untouched: the party's sound is held back.
                await console.context.add_init_script(AUTOPLAY_POLICY)
                await mediator_page(console, people, cast.hearing, suite.base_url)
                await console.wait_for(f"{console_room()} === 'plenary'", timeout=60)
                await console.wait_for(f"{video}?.srcObject && !{video}.paused", timeout=60)
                await console.wait_for(f"{sound} && !{sound}.hidden", timeout=20)
                assert await console.value(f"{video}.muted") is True
                button = console.page.get_by_role("button", name=t(EN, "participant.room.enable_sound"))
                assert await button.is_visible()
                await console.check_accessible("console-sound-held")
                await console.screenshot("console-sound-held", "laptop")
                # Clicked (the browser allows sound now): the party is heard, the button goes.
                await button.click()
                await console.wait_for(f"!{video}.muted && !{video}.paused", timeout=10)
                await console.wait_for(f"{sound}.hidden", timeout=10)
                for tab in tabs.values():
                    tab.assert_clean(secrets=[invitation["access_code"]])
        finally:
            await med.close()
