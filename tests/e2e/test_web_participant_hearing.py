"""The participant's hearing in four real browsers (the mediator and two sides), each with its own
fake camera: joining, the lobby, the room banner, every control by click and by key, chat for the
room only, "who can hear you" after every move of a seeded sequence, the room verification code,
notices, removal and the end (camera and microphone stopped), axe-core and screenshots.

The mediator's commands come from the test's own WebSocket for the mediator; the mediator's
console does the mediator's media, as in a real hearing (its board is not what is tested here:
tests/e2e/test_web_mediator_flow.py drives it), so its room, "who can hear you", verification
code and chat are checked beside the parties' pages.

Longer than 300 lines because it is one hearing walked from joining to the end in four browsers
(started once: the page-test half of the suite is at its time limit), each screen it reaches
checked where it is reached.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest

from proto.ws import (
    Admit,
    BoardUpdate,
    Broadcast,
    CaucusCreate,
    CaucusTimer,
    End,
    KnocksUpdate,
    Move,
    Recall,
    Remove,
    RoomKind,
    RoomUpdate,
    Shuttle,
)
from tests.browser import ARTIFACTS, VIEWPORTS, Tab, chromiums, fake_camera, open_tab, requires_chromium
from tests.e2e.participant_steps import (
    COUNT_CONNECTIONS,
    KEEP_TRACKS,
    SENDING_LIMITS,
    TRACKS_ENDED,
    banner_kind,
    chat_texts,
    code,
    code_members,
    console_room,
    hearers,
    join_in_browser,
    latin_words_left,
    lobby_in_view,
    mediator_page,
    mediator_socket,
    seat_people,
    shots,
    switch_language,
    tile,
)
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient
from tests.people import staff_people

#: What stays at the top of a scrolled page with a broadcast: whether the point at the centre of
#: the room's banner shows the banner (not a notice over it), where the banner and the notice
#: are, and how far down the stuck block reaches.
STUCK_TOP = """(() => {
  const b = document.querySelector('.room-banner').getBoundingClientRect();
  const at = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return {scrolled: window.scrollY, banner: Boolean(at && at.closest('.room-banner')),
    bannerTop: b.top, bannerBottom: b.bottom,
    noticeTop: document.querySelector('.notice-broadcast').getBoundingClientRect().top,
    bottom: document.querySelector('.room-top').getBoundingClientRect().bottom,
    screen: window.innerHeight};
})()"""

pytestmark = [pytest.mark.browser, requires_chromium]

T0 = [0.0]


def step(what: str) -> None:
    """Progress with elapsed seconds (shown with -s, and in the log of a failure)."""
    now = time.monotonic()
    if not T0[0]:
        T0[0] = now
    print(f"[{now - T0[0]:6.1f}s] {what}")


#: The display name the admin gives the mediator: every page names the mediator by it.
MEDIATOR_NAME = "Ms Anna Lee"
COLOURS = {"M": (200, 200, 200), "A1": (30, 90, 200), "B1": (200, 70, 30), "B2": (40, 160, 60)}


@contextlib.asynccontextmanager
async def four_browsers(tmp: Path, base_url: str) -> AsyncIterator[dict[str, Tab]]:
    cameras = [fake_camera(tmp / f"{name}.y4m", rgb) for name, rgb in COLOURS.items()]
    async with chromiums(cameras) as browsers:
        opened = await asyncio.gather(*(open_tab(b, base_url) for b in browsers))
        for tab in opened:  # four browsers in a mesh on two shared cores: screenshots wait
            tab.page.set_default_timeout(90_000)
        yield dict(zip(COLOURS, opened, strict=True))


def others(ids: dict[str, str], me: str, among: Iterable[str],
           where: dict[str, str] | None = None) -> str:
    return ",".join(sorted(ids[o] for o in among
                           if o != me and (where is None or where[o] == where[me])))


async def hear_each_other(tabs: dict[str, Tab], ids: dict[str, str],
                          where: dict[str, str], timeout: float = 90.0,
                          med: WsClient | None = None) -> None:
    """Every page's "who can hear you" is exactly the others in its room (polled together)."""
    try:
        await asyncio.gather(*(tab.wait_for(
            f"{hearers()} === '{others(ids, n, tabs, where)}'", timeout=timeout)
            for n, tab in tabs.items()))
    except TimeoutError:
        seen = {n: await tab.value(hearers()) for n, tab in tabs.items()}
        links = {n: await tab.value(TILE_STATES) for n, tab in tabs.items()}
        # The server's own latest view of the mediator's room (the mediator's test socket).
        views = [m.room for m in (med.inbox if med else []) if isinstance(m, RoomUpdate)]
        server = {m.id: m.links for m in views[-1].members} if views else None
        raise AssertionError(f"who can hear whom: expected rooms {where}, pages show {seen}, "
                             f"ids {ids}, connections by page {links}, "
                             f"the server's last room view to the mediator {server}") from None


# Each remote tile's connection state as the page's own peer connection has it (a party's
# page, or the mediator's console).
TILE_STATES = ("Object.fromEntries([...document.querySelectorAll("
               "'.video-grid .tile:not(.self), .console-videos .tile.remote')]"
               ".map((x) => [x.dataset.participant, x.dataset.state]))")


def hand_on_board(participant: str) -> str:
    """Whether the console's board shows this participant's hand raised."""
    return (f"(document.querySelector('.board li.person[data-participant=\"{participant}\"]"
            f" .fact-hand') !== null)")


async def no_english(tab: Tab, screen: str, content: list[str]) -> None:
    left = await latin_words_left(tab, content)
    assert left == [], f"{screen} in zh-Hant still shows {left}"


async def all_pages(tabs: dict[str, Tab], expression: str, names: list[str] | None = None,
                    timeout: float = 90.0) -> None:
    names = names or list(tabs)
    try:
        await asyncio.gather(*(tabs[n].wait_for(expression, timeout=timeout) for n in names))
    except TimeoutError:
        seen = {n: await tabs[n].value(f"[{banner_kind()}, {hearers()}]") for n in names}
        raise AssertionError(f"{expression}: pages show (room, hearers) {seen}") from None


@pytest.mark.slow  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes
@pytest.mark.timeout(600)  # four browsers in a mesh: 4½ min at load 40 on two cores
async def test_four_people_in_a_hearing(suite: Suite, tmp_path: Path) -> None:
    await suite.ready()
    people = await staff_people(suite)
    status, _ = await people.admin.call("PATCH", f"/api/v1/accounts/{people.mediator.account_id}",
                                        {"display_name": MEDIATOR_NAME})
    assert status == 200
    cast = await seat_people(suite, people)  # sides A (A1, A2) and B (B1, B2)
    inv = cast.invitations
    ids = {n: inv[n]["participant"] for n in ("A1", "B1", "B2")}
    ids["M"] = people.mediator.account_id
    med = await mediator_socket(suite, people, cast)
    async with four_browsers(tmp_path, suite.base_url) as tabs:
        frames_a: list[str] = []
        tabs["A1"].page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda data: frames_a.append(
                data if isinstance(data, str) else data.decode(errors="replace"))))
        await tabs["A1"].context.add_init_script(COUNT_CONNECTIONS)
        try:
            # --- joining: link → access code (a wrong one first) → skip tech check → lobby
            step("joining")
            await asyncio.gather(
                join_in_browser(tabs["A1"], inv["A1"], wrong_code=True, screens=True),
                join_in_browser(tabs["B1"], inv["B1"]), join_in_browser(tabs["B2"], inv["B2"]),
                mediator_page(tabs["M"], people, cast.hearing, suite.base_url))
            lobby = tabs["A1"]
            assert "Matter" in (await lobby.page.text_content(".lobby-title") or "")
            waiting = await lobby.page.text_content(".lobby-waiting") or ""
            assert waiting.startswith(f"{MEDIATOR_NAME} will admit you shortly"), waiting
            await lobby.check_accessible("lobby")
            # A tablet shows the preview beside the pickers, a laptop under it: all in view.
            await lobby.wait_for("document.querySelector('.lobby-devices select option') !== null")
            for width in ("tablet", "laptop"):
                await lobby_in_view(lobby, width)
            await shots(lobby, "lobby")
            # The mediator's console is in plenary before anyone is admitted: each side then
            # opens one connection to it (a page arriving later would be a fresh client, and
            # every connection to the mediator would be made twice).
            await tabs["M"].wait_for(f"{console_room()} === 'plenary'", timeout=60)
            # B2 reads Traditional Chinese from the lobby on: every word of each screen it sees.
            await switch_language(tabs["B2"], "zh-Hant")
            devices = await tabs["B2"].value(
                "[...document.querySelectorAll('main select option')].map((o) => o.textContent)")
            await tabs["B2"].wait_for("document.querySelector('.lobby-waiting').textContent"
                                      f".startsWith('{MEDIATOR_NAME} 稍後')")
            await no_english(tabs["B2"], "lobby", ["Matter", MEDIATOR_NAME, *devices])

            # --- admitted to plenary: banner, who can hear you, one verification code
            step("admit")
            for n in ("A1", "B1", "B2"):
                await med.send(Admit(participant=ids[n]))
            await all_pages(tabs, f"{banner_kind()} === 'plenary'")
            step("admitted: everyone's banner says plenary")
            await hear_each_other(tabs, ids, {n: "plenary" for n in tabs}, med=med)
            step("everyone hears everyone")
            await asyncio.gather(*(tab.wait_for(f"{code_members()} === '{others(ids, n, tabs)}'",
                                                timeout=30) for n, tab in tabs.items()))
            plenary_codes = {n: await t.value(code()) for n, t in tabs.items()}
            assert len(set(plenary_codes.values())) == 1 and "" not in plenary_codes.values()
            step("one verification code")
            # Three copies of A1's camera share one upstream: 2.5 Mbit/s / 3, at 24 frames a
            # second (media/send-budget.js), where a copy alone would take 1.2 Mbit/s at 30.
            await tabs["A1"].wait_for(f"(() => {{ const l = {SENDING_LIMITS}; return l.length === 3"
                                      " && l.every((c) => JSON.stringify(c.camera) === '[[833333,24]]'); })()",
                                      timeout=30)
            # "Who can hear you" and the mediator's tile name the mediator (text, not markup).
            shown = await tabs["A1"].value(
                f"[document.querySelector('.hearers li[data-participant=\"{ids['M']}\"]')"
                ".textContent, document.querySelector('.video-grid .tile[data-participant="
                f"\"{ids['M']}\"]').textContent]")
            assert all(MEDIATOR_NAME in text for text in shown), shown
            # Each tile and "who can hear you" entry says whose side the person is on, and as
            # what (a party tells a caucus of only their side by it, not by recognising names).
            sides = {n: await tabs[n].value(
                "Object.fromEntries([...document.querySelectorAll('.video-grid .tile')].map((t) =>"
                " [t.dataset.participant, t.querySelector('.tile-role').textContent]))") for n in ("A1", "B1", "B2")}
            assert sides["A1"][ids["B1"]] == "Other side · Party", sides
            assert sides["A1"][ids["B2"]] == "Other side · Counsel", sides
            assert sides["A1"][ids["M"]] == "" and sides["A1"][ids["A1"]] == "", sides
            assert sides["B1"][ids["B2"]] == "Our side · Counsel", sides
            assert sides["B2"][ids["B1"]] == "我方 · 當事人" and sides["B2"][ids["A1"]] == "對方 · 當事人", sides
            heard = await tabs["A1"].value(
                f"document.querySelector('.hearers li[data-participant=\"{ids['B2']}\"]').textContent")
            assert heard.startswith("B2 · Other side · Counsel"), heard
            await tabs["A1"].check_accessible("hearing-plenary")
            await shots(tabs["A1"], "hearing-plenary")

            # --- controls: by click (microphone) and by key (camera, hand) ------------------
            step("controls")
            a1 = tabs["A1"].page
            await a1.click("[data-control=mic]")
            await tabs["B1"].wait_for(f"{tile(ids['A1'], 'muted')} === 'true'")
            await a1.keyboard.press("v")
            await tabs["B1"].wait_for(f"{tile(ids['A1'], 'cameraOff')} === 'true'")
            # Without a picture, the tile shows the name's initial and says the camera is off.
            off = await tabs["B1"].value(
                f"[{tile(ids['A1'], 'initial')}, document.querySelector('.video-grid .tile[data-participant="
                f"\"{ids['A1']}\"] .tile-state').textContent]")
            assert off[0] == "A" and "camera off" in off[1], off
            # The console shows the same: the initial on a grey ground, "camera off" said.
            console_tile = ("document.querySelector('.console-videos figure.remote"
                            f"[data-participant=\"{ids['A1']}\"][data-kind=camera]')")
            await tabs["M"].wait_for(f"{console_tile}.dataset.cameraOff === 'true'")
            on_console = await tabs["M"].value(
                f"[{console_tile}.dataset.initial, {console_tile}.textContent,"
                f" getComputedStyle({console_tile}, '::after').content,"
                f" getComputedStyle({console_tile}.querySelector('video')).visibility,"
                f" getComputedStyle({console_tile}, '::after').height]")  # small, clear of the caption
            assert on_console == ["A", "A1 · camera off", '"A"', "hidden", "44px"], on_console
            await tabs["M"].page.screenshot(path=str(ARTIFACTS / "console-camera-off.png"))
            await a1.focus("[data-control=hand]")
            await a1.keyboard.press("Enter")
            await tabs["M"].wait_for(f"{hand_on_board(ids['A1'])} === true")
            await a1.keyboard.press("h")
            await tabs["M"].wait_for(f"{hand_on_board(ids['A1'])} === false")
            await tabs["B1"].page.keyboard.press("k")  # knock: shown until answered
            knocks = await med.wait(lambda m: isinstance(m, KnocksUpdate) and any(
                k.participant == ids["B1"] for k in m.knocks), what="knock")
            assert knocks is not None
            await tabs["B1"].wait_for(
                "document.querySelector('[data-control=knock]').getAttribute('aria-pressed')"
                " === 'true'")
            # The mediator is in plenary with B1: the knock stays (a word asked for), and the
            # page says they are here rather than leaving B1 "waiting" for them.
            await tabs["B1"].wait_for("!document.querySelector('.knock-hint-here').hidden && document"
                                      ".querySelector('.knock-hint-here').textContent.startsWith('The mediator is here')")

            # --- chat in plenary: seen by all ------------------------------------------------
            step("chat")
            await a1.fill(".chat-input", "Good morning, everyone")
            await a1.keyboard.press("Enter")
            await all_pages(tabs, f"{chat_texts()}.includes('Good morning, everyone')")
            # Too long a paste is kept whole, said to be over the limit, and not sent.
            long_text = ("Our offer stands. " * 130).strip() + "!"  # 2,340 characters
            await a1.fill(".chat-input", long_text)
            kept, counted = await tabs["A1"].value(
                "[document.querySelector('.chat-input').value.length,"
                " document.querySelector('.chat-count').textContent]")
            assert kept == len(long_text) == 2340 and counted == "340 characters over the limit", (kept, counted)
            await a1.keyboard.press("Enter")
            await tabs["A1"].wait_for("document.querySelector('.chat-error').textContent !== ''")
            said = await tabs["A1"].value("document.querySelector('.chat-error').textContent")
            assert said == ("Your message is 2,340 characters; the limit is 2,000. "
                            "Shorten it or send it in parts."), said
            assert await tabs["A1"].value("document.querySelector('.chat-input').value.length") == 2340
            await a1.fill(".chat-input", "")  # shortened: the sentence goes with what it said
            assert await tabs["A1"].value("document.querySelector('.chat-error').textContent") == ""
            await shots(tabs["A1"], "chat", ("laptop",))
            # On a laptop, unscrolled, the chat takes the right column down to the bottom of
            # the screen: a log of many lines and its box in view (not 3 lines and space below).
            # (Each "who can hear you" entry names the person's side, one entry a row above it.)
            log_px, box_bottom, screen_px, chat_bottom, column_bottom = await tabs["A1"].value(
                "[document.querySelector('.chat-log').getBoundingClientRect().height,"
                " document.querySelector('.chat-input').getBoundingClientRect().bottom,"
                " window.innerHeight,"
                " document.querySelector('.side-panel > .chat-panel').getBoundingClientRect().bottom,"
                " document.querySelector('.side-panel').getBoundingClientRect().bottom]")
            assert log_px >= 200 and box_bottom <= screen_px and abs(chat_bottom - column_bottom) < 2, (
                log_px, box_bottom, screen_px, chat_bottom, column_bottom)
            await a1.screenshot(path=str(ARTIFACTS / "chat-screen-laptop.png"))

            # --- side B's caucus: a move notice, the mediator comes (knock answered) ---------
            step("caucus")
            await med.send(CaucusCreate(name="Claimant caucus", side=cast.sides[1]))
            board = await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
                r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="caucus")
            assert isinstance(board, BoardUpdate)
            caucus = next(r.id for r in board.board.rooms if r.kind is RoomKind.CAUCUS)
            await med.send(Move(participant=ids["B1"], room=caucus))
            await med.send(Move(participant=ids["B2"], room=caucus))
            b1 = tabs["B1"]
            await b1.wait_for("document.querySelector('.notice-move') !== null", timeout=30)
            notice = await b1.page.text_content(".notice-move")
            assert notice is not None and "moved you to Claimant caucus" in notice
            await med.send(Shuttle(room=caucus))
            await med.send(CaucusTimer(room=caucus, seconds=600))
            await all_pages(tabs, f"{banner_kind()} === 'caucus'", ["M", "B1", "B2"])
            # The mediator came (as if answering a knock): the move is old news, and goes.
            await b1.wait_for("document.querySelector('.notice-move') === null", timeout=30)
            await b1.wait_for("document.querySelector('[data-control=knock]')"
                              ".getAttribute('aria-pressed') === 'false'")
            await b1.wait_for("document.querySelector('.room-countdown').textContent"
                              ".includes('left')")
            await b1.wait_for(f"{chat_texts()}.length === 0")  # plenary chat stayed behind
            await b1.page.fill(".chat-input", "Our bottom line is 40")
            await b1.page.click(".chat-form button[type=submit]")
            await all_pages(tabs, f"{chat_texts()}.includes('Our bottom line is 40')",
                            ["M", "B1", "B2"])
            caucus_codes = {n: await tabs[n].wait_for(
                f"{code_members()}.split(',').length === 2 && {code()}", timeout=30)
                for n in ("M", "B1", "B2")}
            assert len(set(caucus_codes.values())) == 1
            assert set(caucus_codes.values()).isdisjoint(plenary_codes.values())
            await b1.check_accessible("hearing-caucus")
            await shots(b1, "hearing-caucus")
            # The chat's box and Send are in view.
            assert await b1.value(
                "(window.scrollTo(0, 0), document.querySelector('.chat-form button[type=submit]')"
                ".getBoundingClientRect().bottom <= window.innerHeight)")
            await b1.page.screenshot(path=str(ARTIFACTS / "caucus-screen-laptop.png"))
            await no_english(tabs["B2"], "caucus", [MEDIATOR_NAME, "Claimant caucus", "Our bottom line is 40",
                                                    "A1", "B1", "B2", people.mediator.username])

            # --- broadcast: a banner to dismiss, everywhere but the lobby -----------------
            step("broadcast")
            # B1 on a tablet, scrolled down to the documents: the banner comes to it there.
            await b1.page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["tablet"],
                                                     strict=True)))
            await b1.page.evaluate("document.querySelector('.stage-documents')"
                                   ".scrollIntoView({block: 'end'})")
            assert await b1.value("window.scrollY") > 0
            await med.send(Broadcast(text="Ten minutes to lunch"))
            await all_pages(tabs, "document.querySelector('.notice-broadcast') !== null",
                            ["A1", "B1", "B2"])
            seen = await b1.value("(() => { const r = document.querySelector('.notice-broadcast')"
                                  ".getBoundingClientRect(); return [r.top, r.bottom, window.scrollY,"
                                  " window.innerHeight]; })()")
            assert seen[2] > 0 and seen[0] >= 0 and seen[1] <= seen[3] / 3, seen  # in view, on top
            await b1.wait_for("document.getElementById('live-assertive').textContent"
                              ".includes('Ten minutes to lunch')")
            await b1.page.screenshot(path=str(ARTIFACTS / "broadcast-scrolled-tablet.png"))
            # B1 on a phone, scrolled a little and down to the documents: the broadcast stays in
            # view under the room's banner, which stays uncovered (the notice once stuck over
            # it), the two no taller than about a quarter of the screen.
            await b1.page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["phone"],
                                                     strict=True)))
            for scroll in ("window.scrollTo(0, 80)", "document.querySelector('.stage-documents')"
                           ".scrollIntoView({block: 'end'})"):
                await b1.page.evaluate(scroll)
                top = await b1.value(STUCK_TOP)
                assert top["scrolled"] > 0 and top["banner"] and top["bannerTop"] >= 0, top
                assert top["bannerBottom"] <= top["noticeTop"] < top["screen"] / 4, top
                assert top["bottom"] <= top["screen"] * 0.26, top
            await b1.page.screenshot(path=str(ARTIFACTS / "hearing-broadcast-phone.png"))
            await b1.page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["laptop"],
                                                     strict=True)))
            # The console says it went out (a toast, and the screen reader's live region).
            await tabs["M"].wait_for("['toasts', 'live-polite'].some((id) => document"
                                     ".getElementById(id).textContent.includes('Ten minutes'))")
            await a1.click(".notice-broadcast .notice-dismiss")
            await tabs["A1"].wait_for("document.querySelector('.notice-broadcast') === null")

            # --- "who can hear you" after every move of a seeded sequence -------------------
            step("moves")
            rng = random.Random(13)
            where = {"A1": "plenary", "B1": caucus, "B2": caucus, "M": caucus}
            for _ in range(3):
                who = rng.choice(["B2", "M"])
                to = "plenary" if where[who] == caucus else caucus
                await med.send(Shuttle(room=to) if who == "M"
                               else Move(participant=ids[who], room=to))
                where[who] = to
                await hear_each_other(tabs, ids, where, med=med)

            # --- A never saw side B's caucus: not on its page, not on its socket -----------
            step("isolation")
            assert "Our bottom line is 40" not in await tabs["A1"].value(
                f"{chat_texts()}.join(' ')")
            assert not any("bottom line" in f for f in frames_a)
            assert not any(caucus in f for f in frames_a)

            # --- back in plenary: its chat from before B1 left, none said while away -------
            step("chat on return")
            await a1.fill(".chat-input", "Said while side B was away")
            await a1.keyboard.press("Enter")
            await tabs["A1"].wait_for(f"{chat_texts()}.includes('Said while side B was away')")
            # A draft written in the caucus, not sent, when the mediator calls everyone back:
            # it stays with the caucus, never in plenary's box, one click from the other side.
            draft = "Our bottom line is 500k (caucus only)"
            await tabs["B1"].page.fill(".chat-input", draft)
            await med.send(Recall())
            await tabs["B1"].wait_for(f"{banner_kind()} === 'plenary'")
            await tabs["B1"].wait_for(f"{chat_texts()}.includes('Good morning, everyone')")
            b1_lines = await tabs["B1"].value(chat_texts())
            assert "Said while side B was away" not in b1_lines, b1_lines
            assert "Our bottom line is 40" not in b1_lines, b1_lines  # the caucus stayed behind
            # the earlier lines sit above the marker of this arrival
            assert await tabs["B1"].value(
                "document.querySelector('.chat-log').lastElementChild.className") == "chat-marker"
            assert await tabs["B1"].value("document.querySelector('.chat-input').value") == ""
            # Back in the caucus, its draft is there again: in this page's memory, never stored.
            await med.send(Move(participant=ids["B1"], room=caucus))
            await tabs["B1"].wait_for(f"{banner_kind()} === 'caucus'")
            await tabs["B1"].wait_for(
                f"document.querySelector('.chat-input').value === {json.dumps(draft)}")
            assert "500k" not in await tabs["B1"].value(
                "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
            assert not any("500k" in f for f in frames_a)
            await tabs["B1"].page.screenshot(path=str(ARTIFACTS / "chat-draft-kept-laptop.png"))

            # --- removal, then the end: camera and microphone stop at once ----------------
            step("removal")
            assert await tabs["B2"].value(KEEP_TRACKS) >= 1
            await med.send(Remove(participant=ids["B2"]))
            await tabs["B2"].wait_for("document.querySelector('[data-final=removed]')")
            await tabs["B2"].wait_for(TRACKS_ENDED, timeout=5)
            await tabs["B2"].check_accessible("final-removed")
            await no_english(tabs["B2"], "removed", [])
            await shots(tabs["B2"], "final-removed", ("laptop",))
            for n in ("A1", "B1"):
                assert await tabs[n].value(KEEP_TRACKS) >= 1
            await med.send(End())
            for n in ("A1", "B1"):
                await tabs[n].wait_for("document.querySelector('[data-final=ended]')")
                await tabs[n].wait_for(TRACKS_ENDED, timeout=5)
            await shots(tabs["A1"], "final-ended", ("laptop",))
            for tab in tabs.values():
                tab.assert_clean(secrets=[inv[n]["access_code"] for n in ("A1", "B1", "B2")])
        except Exception:
            for n, tab in tabs.items():
                print(f"--- {n}\n{tab.dump()}")
            raise
        finally:
            await med.close()
