"""The mediator's flow, trimmed, in Traditional Chinese: a browser whose language is zh-TW gets
the zh-Hant catalogue, and the test finds every control by its role and its zh-Hant name (from
the catalogue), so an untranslated or unlabelled control fails it. The caucus created with its
default name reads in each reader's language (a party switching to 简体中文 reads it so)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium_page, requires_chromium
from tests.e2e.mediator_steps import Mediator, banner_kind, join
from tests.e2e.participant_steps import switch_language
from tests.e2e.staff_steps import sign_in, t
from tests.e2e.web_people import BLUE, RED, Cast, near, remote_colours
from tests.harness import Suite
from tests.people import create_staff, staff_people

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.timeout(240)]
ZH = "zh-Hant"
HANS = "zh-Hans"
EN = "en"
RETENTION_DAYS = 30


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    """The institution destroys kept documents 30 days after a hearing's end: the end dialog
    and the parties' final screens say the day."""
    running = Suite(data_dir=tmp_path_factory.mktemp("suite") / "data",
                    extra_env={"PARLEY_DOCUMENT_RETENTION_DAYS": str(RETENTION_DAYS)})
    running.start()
    yield running
    running.stop()


def date_in(sentence: str, lang: str, key: str, **params: object) -> str:
    """The `{date}` of a sentence made from `key` (the rest of it must be exactly the key's)."""
    before, after = t(lang, key, **params).split("{date}")
    assert sentence.startswith(before) and sentence.endswith(after), (sentence, before, after)
    return sentence[len(before):len(sentence) - len(after)]


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
async def test_the_console_in_traditional_chinese(suite: Suite, tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    async with chromium_page(suite.base_url, locale="zh-TW") as tab, \
            Cast.start(suite.base_url, tmp_path, {"A1": RED, "B1": BLUE}, locale="zh-TW") as cast:
        med = Mediator(tab, ZH)
        page = tab.page
        await page.goto("/signin")
        await page.get_by_role("heading", name=t(ZH, "staff.signin.title"), exact=True).wait_for()
        assert await tab.value("document.documentElement.lang") == "zh-Hant"
        await tab.check_accessible("signin zh-Hant")
        await tab.screenshot("signin-zh-Hant", "laptop")
        await sign_in(tab, ZH, people.mediator.username, people.mediator.password,
                      code=await people.mediator.next_totp())
        await page.get_by_role("heading", name=t(ZH, "mediator.hearings.title"), exact=True).wait_for()

        await med.create_hearing("陳對李調解")
        await med.add_side("申索人")
        await med.add_side("答辯人")
        await med.invite("A1", "party", "申索人")
        await med.done_inviting()
        await med.invite("B1", "party", "答辯人")
        await tab.check_accessible("setup zh-Hant")
        await tab.screenshot("setup-zh-Hant", "laptop")
        await med.done_inviting()
        ids = {name: person.participant for name, person in med.invited.items()}
        await med.open_console()

        await asyncio.gather(*(join(cast.tabs[n], ZH, med.invited[n]) for n in ("A1", "B1")))
        for name in ("A1", "B1"):
            await med.menu("mediator.board.admit_named", "mediator.board.admit_to", name=name,
                           room=t(ZH, "mediator.room.plenary"))
            await med.in_room(name, "plenary")
        await asyncio.gather(*(banner_kind(cast.tabs[n], "plenary") for n in ("A1", "B1")))

        deadline = time.monotonic() + 45
        while not near((await remote_colours(cast.tabs["A1"])).get(ids["B1"]), BLUE):
            assert time.monotonic() < deadline, await remote_colours(cast.tabs["A1"])
            await asyncio.sleep(0.2)

        # A caucus for the respondent, with the side moved in as it is created.
        await med.new_caucus("答辯人", move_side=True)
        moved = time.monotonic()
        while True:
            seen = await remote_colours(cast.tabs["A1"])
            if ids["B1"] not in seen and not any(near(c, BLUE) for c in seen.values()):
                break
            assert time.monotonic() < moved + 1.0, seen
            await asyncio.sleep(0.05)
        await banner_kind(cast.tabs["B1"], "caucus")
        banner = await cast.tabs["B1"].page.locator(".room-banner").inner_text()
        assert t(ZH, "common.room.caucus_default", side="答辯人") in banner
        # The caucus kept its default name, so it is named in each reader's language: B1 picks
        # 简体中文 and reads it so, while the mediator's board still says it in 繁體中文.
        await switch_language(cast.tabs["B1"], HANS)
        await cast.tabs["B1"].page.locator(".room-banner", has_text=t(
            HANS, "common.room.caucus_default", side="答辯人")).wait_for()
        heading = await page.locator(".room-column[data-room-kind=caucus] h3").inner_text()
        assert heading.startswith(t(ZH, "common.room.caucus_default", side="答辯人")), heading
        await switch_language(cast.tabs["B1"], ZH)
        await tab.check_accessible("console zh-Hant")
        await tab.screenshot("console-zh-Hant", "laptop")
        await cast.tabs["B1"].check_accessible("participant zh-Hant")

        await med.broadcast("十一時正返回全體會議。")
        for name in ("A1", "B1"):
            notice = cast.tabs[name].page.locator(".notice-broadcast").filter(has_text="十一時正")
            await notice.wait_for()
            await notice.get_by_role("button", name=t(ZH, "participant.notice.dismiss")).click()

        # The end dialog says when kept documents go; each party's final screen says the same
        # day (from the ended notice), and that the mediator keeps them until then.
        await med.button("mediator.console.end")
        retention = page.get_by_role("dialog").locator(".end-retention")
        said = date_in(await retention.inner_text(), ZH, "mediator.end.retention",
                       count=RETENTION_DAYS)
        assert str(time.gmtime(time.time() + RETENTION_DAYS * 86400).tm_year) in said, said
        await med.confirm("mediator.end.confirm")
        await page.get_by_role("heading", name=t(ZH, "mediator.console.ended_title")).wait_for()
        # The console's own ended card says the day as well (the same notice).
        kept = page.locator(".ended .closed-retention")
        assert date_in(await kept.inner_text(), ZH, "mediator.setup.documents_kept_until") == said
        for name in ("A1", "B1"):
            fate = cast.tabs[name].page.locator("[data-final=ended] .final-documents")
            assert date_in(await fate.inner_text(), ZH,
                           "participant.final.documents_kept_until") == said
        await cast.tabs["A1"].check_accessible("ended with a retention period")
        await cast.tabs["A1"].screenshot("ended-retention", "laptop")
        # The ended hearing's set-up page says the day too (its detail's documents_kept_until).
        await page.locator(".ended").get_by_role("link", name=t(ZH, "mediator.hearings.setup")).click()
        note = page.locator(".setup-documents .setup-docs-retention")
        assert date_in(await note.inner_text(), ZH, "mediator.setup.documents_kept_until") == said
        tab.assert_clean(secrets=[p.code for p in med.invited.values()])


async def test_expired_session_ended_hearing_two_tabs_and_reload(suite: Suite) -> None:
    """Bad moments through the UI: two console tabs stay consistent and a reload restores the
    board; a session that ends mid-hearing leads to sign-in and back to the console; a tab
    acting on a hearing another tab just ended is told so in a sentence."""
    await suite.ready()
    people = await staff_people(suite)
    staff = await create_staff(suite, people.admin, "mediator", "mediator-two")
    status, hearing = await staff.call("POST", "/api/v1/hearings", {"title": "Two tabs"})
    assert status == 201
    status, _ = await staff.call("POST", f"/api/v1/hearings/{hearing['id']}/open", {})
    assert status == 200
    console = f"/hearings/{hearing['id']}"
    async with chromium_page(suite.base_url) as tab:
        page = tab.page
        med = Mediator(tab, EN)
        await page.goto(console)
        await page.get_by_role("heading", name=t(EN, "staff.signin.title")).wait_for()
        await sign_in(tab, EN, staff.username, staff.password, code=await staff.next_totp())
        await page.locator(".board").wait_for()
        assert page.url.endswith(console)

        # A second tab of the same console: the same board, live.
        other = await tab.context.new_page()
        other.on("console", lambda m: tab.console.append(f"{m.type}: {m.text}"))
        await other.goto(console)
        await other.locator(".board").wait_for()
        await med.new_caucus_unbound("Private room")
        await other.locator(".room-column[data-room-kind=caucus]", has_text="Private room").wait_for()

        # A reload restores the console as it is.
        await page.reload()
        await page.locator(".room-column[data-room-kind=caucus]", has_text="Private room").wait_for()

        # The session ends (signed out elsewhere): sign in again, back to the console.
        await other.goto("/hearings")
        await other.get_by_role("button", name=t(EN, "common.signout")).click()
        await page.get_by_text(t(EN, "staff.signin.expired")).wait_for(timeout=20_000)
        await sign_in(tab, EN, staff.username, staff.password, code=await staff.next_totp())
        await page.locator(".room-column[data-room-kind=caucus]", has_text="Private room").wait_for()
        assert page.url.endswith(console)

        # One tab ends the hearing while the other is writing a broadcast.
        await other.goto(console)
        await other.locator(".board").wait_for()
        await other.get_by_role("button", name=t(EN, "mediator.console.broadcast"), exact=True).click()
        await other.get_by_role("dialog").get_by_label(t(EN, "mediator.broadcast.text")).fill("Hello")
        # Ended from the console with the same choice as from set-up: destroy the documents
        # now, confirmed by typing the title.
        await med.button("mediator.console.end")
        dialog = page.get_by_role("dialog")
        # Kept documents stay readable after the end: the dialog says where.
        await dialog.get_by_text(t(EN, "mediator.end.documents")).wait_for()
        await dialog.get_by_label(t(EN, "mediator.close.destroy")).check()
        await dialog.get_by_label(t(EN, "mediator.close.type", word="Two tabs")).fill("Two tabs")
        await med.confirm("mediator.end.confirm")
        await page.locator("#toasts").get_by_text(t(EN, "mediator.close.done_destroyed")).wait_for()
        await page.get_by_role("heading", name=t(EN, "mediator.console.ended_title")).wait_for()
        # Destroyed with the end: the card says so once it has read the ended detail (not the
        # "unless they were destroyed" sentence of a card that does not know).
        await page.get_by_text(t(EN, "mediator.setup.documents_destroyed")).wait_for()
        assert await page.get_by_text(t(EN, "mediator.console.ended_documents")).count() == 0
        # The end locks the hearing as well: that is said as the end, not as a lock.
        await page.locator("#ended-badge", has_text=t(EN, "mediator.state.closed")).wait_for()
        assert await page.locator("#lock-badge").count() == 0
        assert await page.locator("#toasts").get_by_text(t(EN, "mediator.lock.lock_hint")).count() == 0
        await tab.screenshot("console-ended", "laptop")
        await other.get_by_role("dialog").get_by_role(
            "button", name=t(EN, "mediator.broadcast.send")).click()
        await other.get_by_text(t(EN, "mediator.console.ended_already")).first.wait_for()
        await other.get_by_role("heading", name=t(EN, "mediator.console.ended_title")).wait_for()
        assert await other.locator("#toasts").get_by_text(t(EN, "mediator.lock.lock_hint")).count() == 0
        # The console opened again says it ended and that its documents were destroyed.
        await other.reload()
        await other.get_by_text(t(EN, "mediator.console.closed"), exact=True).wait_for()
        await other.get_by_text(t(EN, "mediator.setup.documents_destroyed"), exact=True).wait_for()
        # Its set-up says the documents were destroyed at the end (no list of nothing).
        await page.locator(".ended").get_by_role("link", name=t(EN, "mediator.hearings.setup")).click()
        await page.locator(".setup-documents[data-destroyed=true]",
                           has_text=t(EN, "mediator.setup.documents_destroyed")).wait_for()
        assert await page.locator(".setup-documents .docs-table, .setup-documents [role=tab]").count() == 0
        tab.assert_clean()
