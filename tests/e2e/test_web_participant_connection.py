"""A participant's live connection in real browsers: one live page per person, and a lost
connection said plainly.

- Two tabs of one party (one browser context, so one session) with the mediator's console and
  party B: the newer tab takes over. B and the mediator see exactly one tile for A, never a
  "screen" (before, both tabs answered every offer on the one connection each peer holds for A:
  the second tab's tracks showed as a phantom screen share), the earlier tab's camera and
  microphone stop at once (MediaStreamTrack.readyState "ended") and it says the hearing is open
  in another tab or window, the room verification code is one code on every live page; "Use it
  here" takes it back, and the other tab steps aside the same way.
- Then A is cut off (tests/netcut.py) for longer than the grace while the mediator's console
  is cut off too, and only the console comes back: it missed A's drop, and the plan it gets
  back (a new client's) only says whom to connect, yet it holds no connection to A any more (A's
  page still sent it frames, peer to peer), shows no tile of A, and its verification code
  covers the same people as B's (it covered A too, "Nobody else is in this room" beside it).
- A party's connection cut (tests/netcut.py between its browser and the gateway): a status
  banner says so at phone width and clears when the page is back; cut for longer than the
  reconnection grace, the party is back in the waiting room, which says why, the stale "moved
  you to …" notice is gone, and the mediator's lobby queue says they are back after a lost
  connection. While cut, "who can hear you" says nobody (not the mediator the last view
  listed) and the verification code shows no code; a message sent while cut is never sent
  from the waiting room: it says so, with the text, which is back in the caucus's box once
  the party is.

The suite runs with a short reconnection grace (PARLEY_RECONNECT_GRACE_S), so the second case
takes seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from proto.ws import Admit, BoardUpdate, CaucusCreate, Move, RoomKind, Shuttle
from tests.browser import (
    ARTIFACTS,
    Tab,
    chromiums,
    dumped_on_failure,
    fake_camera,
    open_tab,
    requires_chromium,
)
from tests.e2e.participant_steps import (
    COUNT_CONNECTIONS,
    KEEP_TRACKS,
    TRACKS_ENDED,
    banner_kind,
    code,
    code_members,
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
from tests.netcut import NetCut

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.slow]  # a long browser test: `make slow` (in CI), not `make test`'s 15 minutes

EN = "en"
GRACE_S = 6.0
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    data_dir: Path = tmp_path_factory.mktemp("connsuite") / "data"
    running = Suite(data_dir=data_dir, extra_env={
        "PARLEY_RECONNECT_GRACE_S": str(GRACE_S), "PARLEY_SWEEP_INTERVAL_S": "0.2"})
    running.start()
    yield running
    running.stop()


def tiles_of(participant: str) -> str:
    """Every remote tile of this person on a party's page or the console, by kind."""
    return (f"[...document.querySelectorAll('.video-grid .tile:not(.self), .console-videos "
            f".tile.remote')].filter((x) => x.dataset.participant === '{participant}')"
            ".map((x) => x.dataset.kind)")


# The page's RTCPeerConnections not closed (an init script counts every one made).
OPEN_CONNECTIONS = "window.__connections.filter((pc) => pc.signalingState !== 'closed').length"
CONNECTION_STATES = "window.__connections.map((pc) => pc.connectionState)"
ALL_CLOSED = f"{CONNECTION_STATES}.every((state) => state === 'closed')"

SCREEN_TILES = ("document.querySelectorAll('.video-grid .tile[data-kind=screen], "
                ".console-videos .tile[data-kind=screen]').length")


async def second_page(tab: Tab) -> Tab:
    """Another page (tab) of the same browser context: the same person, the same session."""
    page = await tab.context.new_page()
    other = Tab(page=page, context=tab.context)
    page.on("console", lambda m: other.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda error: other.errors.append(str(error)))
    return other


async def one_live_page_for(a1: str, live: Tab, others: dict[str, str],
                            room_of: dict[str, Tab]) -> None:
    """`live` is the party's one page in the room: the others hear it, see one camera tile of
    it and no screen, and every page in the room reads one verification code."""
    ids = sorted([a1, *others.values()])
    pages = {a1: live, **{pid: room_of[name] for name, pid in others.items()}}
    for pid, tab in pages.items():
        want = ",".join(x for x in ids if x != pid)
        await tab.wait_for(f"{hearers()} === '{want}' && {code_members()} === '{want}'",
                           timeout=60)
    for name in others:
        tab = room_of[name]
        await tab.wait_for(f"JSON.stringify({tiles_of(a1)}) === '[\"camera\"]'", timeout=30)
        await tab.wait_for(f"document.querySelector('.tile[data-participant=\"{a1}\"]"
                           "[data-kind=camera]').dataset.framesDecoded > 0", timeout=30)
        assert await tab.value(SCREEN_TILES) == 0, name
    codes = {pid: await tab.value(code()) for pid, tab in pages.items()}
    assert len(set(codes.values())) == 1 and "" not in codes.values(), codes


async def stepped_aside(tab: Tab) -> None:
    await tab.wait_for("document.querySelector('.final[data-final=elsewhere]') !== null")
    await tab.wait_for(TRACKS_ENDED, timeout=5)
    heading = await tab.page.text_content(".final h1")
    assert heading == t(EN, "participant.final.elsewhere_title"), heading


@pytest.mark.timeout(420)
async def test_a_second_tab_takes_over_and_use_it_here_takes_it_back(
        suite: Suite, tmp_path: Path) -> None:
    people, cast, inv_a = await one_party_each(suite)
    inv_b = cast.invitations["B1"]
    a1, b1, med_id = inv_a["participant"], inv_b["participant"], people.mediator.account_id
    med = await mediator_socket(suite, people, cast)
    cameras = [fake_camera(tmp_path / f"{n}.y4m", rgb) for n, rgb in
               (("m", (200, 200, 200)), ("a", (30, 90, 200)), ("b", (200, 70, 30)))]
    # The console and A reach the gateway through proxies the test can cut (their media flows
    # between the browsers, not through them).
    m_proxy, a_proxy = NetCut("127.0.0.1", suite.http_port), NetCut("127.0.0.1", suite.http_port)
    async with chromiums(cameras) as (m_browser, a_browser, b_browser):
        console = await open_tab(m_browser, await m_proxy.start())
        first = await open_tab(a_browser, await a_proxy.start())
        b = await open_tab(b_browser, suite.base_url)
        for tab in (console, first):
            await tab.context.add_init_script(COUNT_CONNECTIONS)
        tabs = {"M": console, "A1": first, "B1": b}
        try:
            with dumped_on_failure(tabs):
                await mediator_page(console, people, cast.hearing, suite.base_url)
                await console.wait_for(f"{console_room()} === 'plenary'", timeout=60)
                await asyncio.gather(join_in_browser(first, inv_a), join_in_browser(b, inv_b))
                for pid in (a1, b1):
                    await med.send(Admit(participant=pid))
                room = {"M": console, "B1": b}
                others = {"M": med_id, "B1": b1}
                await one_live_page_for(a1, first, others, room)
                assert await first.value(KEEP_TRACKS) >= 1

                # --- the same party opens the hearing in a second tab: it takes over -------------
                second = await second_page(first)
                tabs["A1 tab 2"] = second
                await second.page.goto("/hearing")
                await stepped_aside(first)
                await second.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                await one_live_page_for(a1, second, others, room)
                await first.check_accessible("participant-elsewhere")
                await first.screenshot("participant-elsewhere", "laptop")
                assert await second.value(KEEP_TRACKS) >= 1

                # --- "Use it here" in the first tab takes it back; the second steps aside -------
                await first.page.get_by_role("button", name=t(EN, "participant.final.use_here"),
                                             exact=True).click()
                await stepped_aside(second)
                await first.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                await one_live_page_for(a1, first, others, room)

                # The tab that stepped aside is closed: the party stays, heard by everyone.
                await second.page.close()
                del tabs["A1 tab 2"]
                await one_live_page_for(a1, first, others, room)

                # --- A cut off past the grace while the console is cut off too ------------------
                # Their media goes browser to browser, not through the proxies, and neither page
                # can get the plan dropping the other: past the grace each closes every
                # connection itself (A is in the waiting room by then), and says so.
                since = len(med.inbox)
                m_proxy.cut()
                a_proxy.cut()
                await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
                    r.kind is RoomKind.LOBBY and a1 in {p.id for p in r.members}
                    for r in m.board.rooms), timeout=GRACE_S + 30, what="A in the waiting room",
                    since=since)
                for tab in (console, first):
                    await tab.wait_for(f"{OPEN_CONNECTIONS} === 0", timeout=10)
                    assert await tab.value(ALL_CLOSED), await tab.value(CONNECTION_STATES)
                assert await console.value(f"{tiles_of(a1)}.length") == 0
                # A's page still shows the room it last heard of (M, B), its tiles without a picture.
                shown = await first.value(
                    "[...document.querySelectorAll('.video-grid .tile:not(.self)')].map((x) =>"
                    " [x.dataset.state, x.dataset.receiving, Boolean(x.querySelector('video')"
                    "?.srcObject)])")
                assert shown == [["closed", "no", False]] * 2, shown
                assert await console.value("document.querySelector('.console-banner').textContent") \
                    == t(EN, "mediator.console.reconnecting_closed")
                said = await first.value(f"[{CONNECTION}.textContent, {CONNECTION}.dataset.state]")
                assert said == [t(EN, "participant.room.reconnecting_closed"), "reconnecting"], said
                await first.screenshot("participant-cut-off-closed", "laptop")
                m_proxy.restore()
                for tab, other in ((console, b1), (b, med_id)):
                    await tab.wait_for(f"{hearers()} === '{other}' && {code_members()} === "
                                       f"'{other}'", timeout=60)
                assert await console.value(code()) == await b.value(code()) != ""
                assert await console.value(f"{tiles_of(a1)}.length") == 0
                assert await console.value(OPEN_CONNECTIONS) == 1  # B's, none to A
                a_proxy.restore()  # A's page comes back to the waiting room, connected to nobody
                await first.wait_for("document.querySelector('.lobby-waiting') !== null", timeout=30)
                await first.wait_for(f"{OPEN_CONNECTIONS} === 0", timeout=10)
                # Admitted again: the server's plan rebuilds every connection.
                await med.send(Admit(participant=a1))
                await one_live_page_for(a1, first, others, room)
                for tab in tabs.values():
                    tab.assert_clean(secrets=[inv_a["access_code"], inv_b["access_code"]])
        finally:
            await med.close()
            for proxy in (m_proxy, a_proxy):
                await proxy.stop()


def lobby_card(participant: str) -> str:
    return (f"document.querySelector('.board .room-column[data-room-kind=lobby] "
            f"li.person[data-participant=\"{participant}\"]')")


CONNECTION = "document.querySelector('.connection-status')"


@pytest.mark.timeout(300)
async def test_a_lost_connection_is_said_and_a_long_one_ends_in_the_waiting_room(
        suite: Suite, tmp_path: Path) -> None:
    people, cast, inv_a = await one_party_each(suite)
    a1 = inv_a["participant"]
    med = await mediator_socket(suite, people, cast)
    # The party's browser reaches the gateway through a proxy the test can cut.
    async with console_and_party_behind_a_proxy(suite, tmp_path) as (console, party, proxy):
        tabs = {"M": console, "A1": party}
        try:
            with dumped_on_failure(tabs):
                await mediator_page(console, people, cast.hearing, suite.base_url)
                await console.wait_for(f"{console_room()} === 'plenary'", timeout=60)
                await join_in_browser(party, inv_a)
                await med.send(CaucusCreate(name="Claimant caucus", side=cast.sides[0]))
                board = await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
                    r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="the caucus")
                assert isinstance(board, BoardUpdate)
                caucus = next(r.id for r in board.board.rooms if r.kind is RoomKind.CAUCUS)
                await med.send(Admit(participant=a1))
                await party.wait_for(f"{banner_kind()} === 'plenary'", timeout=60)
                await med.send(Move(participant=a1, room=caucus))
                await party.wait_for("document.querySelector('.notice-move') !== null")
                await med.send(Shuttle(room=caucus))  # someone to hear the party
                page = party.page
                await page.set_viewport_size(PHONE)
                await party.wait_for(f"{CONNECTION}.dataset.state === 'connected'")
                await party.wait_for(f"{hearers()} === {people.mediator.account_id!r}", timeout=60)

                # --- a short cut: a banner says so, at phone width, scrolled or not; then it goes
                proxy.cut()
                await party.wait_for(f"{CONNECTION}.dataset.state === 'reconnecting'", timeout=20)
                banner = await party.value(
                    f"(() => {{ const el = {CONNECTION}; const r = el.getBoundingClientRect();"
                    " const css = getComputedStyle(el); return {role: el.getAttribute('role'),"
                    " text: el.textContent, hidden: el.classList.contains('visually-hidden'),"
                    " top: r.top, bottom: r.bottom, width: r.width, background: css.backgroundColor,"
                    " border: css.borderLeftWidth}; })()")
                assert banner["role"] == "status" and not banner["hidden"], banner
                assert banner["text"] == t(EN, "participant.room.reconnecting"), banner
                assert banner["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), banner
                assert banner["border"] == "4px" and banner["width"] > 300, banner
                assert banner["top"] >= 0 and banner["bottom"] <= PHONE["height"], banner
                await page.screenshot(path=str(ARTIFACTS / "connection-lost-phone.png"))
                # Nobody hears a page that is cut off, whatever the last view of the room said.
                await party.wait_for("document.querySelector('.hearers').dataset.offline === 'true'")
                said = await party.value(
                    "(() => { const el = document.querySelector('.hearers'); return {"
                    " listed: el.querySelectorAll('.hearers-list li').length, hearers: el.dataset.hearers,"
                    " note: el.querySelector('.hearers-note').textContent,"
                    " code: el.querySelector('.verify-code').dataset.code,"
                    " shown: el.querySelector('.verify-code').textContent,"
                    " codeNote: el.querySelector('.verify-note').textContent}; })()")
                assert said == {"listed": 0, "hearers": "", "note": t(EN, "participant.hearers.offline"),
                                "code": "", "shown": "—",
                                "codeNote": t(EN, "participant.verify.offline")}, said
                await page.evaluate("document.querySelector('.hearers').scrollIntoView({block: 'center'})")
                await page.screenshot(path=str(ARTIFACTS / "hearing-disconnected-hearers-phone.png"))
                # Scrolled down to the documents, it is still in view (it stays at the top).
                await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                top, bottom = await party.value(
                    f"[{CONNECTION}.getBoundingClientRect().top,"
                    f" {CONNECTION}.getBoundingClientRect().bottom]")
                assert await party.value("window.scrollY") > 0
                assert top >= 0 and bottom <= PHONE["height"] / 3, (top, bottom)
                await page.set_viewport_size(LAPTOP)
                await page.evaluate("window.scrollTo(0, 0)")
                await page.screenshot(path=str(ARTIFACTS / "connection-lost-laptop.png"))
                proxy.restore()
                await party.wait_for(f"{CONNECTION}.dataset.state === 'connected' && "
                                     f"{CONNECTION}.classList.contains('visually-hidden')", timeout=30)
                await party.wait_for(f"{banner_kind()} === 'caucus'")  # within the grace
                await party.wait_for(f"{hearers()} === {people.mediator.account_id!r}", timeout=60)
                await party.wait_for(f"{code()} !== ''", timeout=30)

                # --- cut for longer than the grace: back in the waiting room, told why -----------
                proxy.cut()
                await party.wait_for(f"{CONNECTION}.dataset.state === 'reconnecting'", timeout=20)
                # Sent while cut: it stays in the box, not sent.
                cut_off = "Sent while cut off"
                await page.fill(".chat-input", cut_off)
                await page.click(".chat-form button[type=submit]")
                await party.wait_for(f"document.querySelector('.chat-error').textContent === "
                                     f"{t(EN, 'participant.chat.offline')!r}")
                await console.wait_for(f"{lobby_card(a1)} !== null", timeout=GRACE_S + 20)
                proxy.restore()
                await party.wait_for("document.querySelector('.lobby-waiting') !== null", timeout=30)
                # Back in the waiting room: told it was not sent, with the text to copy.
                unsent = await party.value(
                    "[...document.querySelectorAll('.hearing-view .chat-unsent')].map((n) =>"
                    " [n.querySelector('.chat-unsent-words').textContent,"
                    " n.querySelector('textarea').value])")
                assert unsent == [[t(EN, "participant.chat.unsent", room="Claimant caucus"), cut_off]], unsent
                waiting = await page.text_content(".lobby-waiting") or ""
                said, told = t(EN, "participant.lobby.returned").split("{name}")
                assert waiting.startswith(said) and waiting.endswith(told), waiting
                # The move notice no longer holds, and the connection is back.
                assert await party.value("document.querySelectorAll('.notice-move').length") == 0
                await party.wait_for(f"{CONNECTION}.classList.contains('visually-hidden')")
                await page.set_viewport_size(PHONE)
                await page.screenshot(path=str(ARTIFACTS / "lobby-returned-phone.png"))
                await party.check_accessible("lobby-returned")
                # The mediator's queue says it is someone coming back, not someone new.
                returned = t(EN, "mediator.board.returned")
                await console.wait_for(f"{lobby_card(a1)}.querySelector('.fact-returned')"
                                       f".textContent === {returned!r}", timeout=30)
                await console.screenshot("console-lobby-returned", "laptop")
                await med.send(Admit(participant=a1, room=caucus))
                await party.wait_for(f"{banner_kind()} === 'caucus'", timeout=60)
                # Back in its room, the message is in the box again (never sent on its own).
                assert await party.value("document.querySelector('.chat-input').value") == cut_off
                assert await party.value("document.querySelectorAll('.chat-unsent').length") == 0
                await console.wait_for(f"document.querySelector('.board li.person[data-participant="
                                       f"\"{a1}\"] .fact-returned') === null")
                for tab in tabs.values():
                    tab.assert_clean(secrets=[inv_a["access_code"]])

                # --- the hearing ends while the page is cut off: back, it is refused before its
                # socket opens (a 1006 to the browser, like a blip), asks why, and shows the end
                # instead of retrying forever; what became of the documents it cannot know.
                proxy.cut()
                await party.wait_for(f"{CONNECTION}.dataset.state === 'reconnecting'", timeout=20)
                status, _ = await people.mediator.call(
                    "POST", f"/api/v1/hearings/{cast.hearing}/close", {"destroy_documents": False})
                assert status == 200, status
                proxy.restore()
                await party.wait_for("document.querySelector('[data-final=ended]') !== null",
                                     timeout=30)
                fate = await page.text_content("[data-final=ended] .final-documents")
                assert fate == t(EN, "participant.final.documents_unknown"), fate
        finally:
            await med.close()
