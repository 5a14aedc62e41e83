"""Steps shared by the participant's browser tests (tests/e2e/test_web_participant_*.py).

- `await seat_people(suite, people, names)`: an open hearing with sides A and B, an invitation
  per name (`A1` party A, `B1` party B, `B2` counsel B …); nothing redeemed yet.
- `await one_party_each(suite)`: the suite ready, its staff, such a hearing with one party per
  side, and A1's invitation.
- `await join_in_browser(tab, invitation, ...)`: the invitation link, the access code typed in
  the page, "skip the tech check", and the lobby's waiting screen.
- `await mediator_page(tab, people, hearing, base_url)`: the mediator's console for the hearing (its
  staff cookie): the mediator's media client (a mediator sent to `/hearing` lands there too).
- Page probes (`banner_kind`, `hearers`, `code`, `tracks_ended` …): JavaScript expressions the
  tests poll with `tab.wait_for`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from proto.ws import BoardUpdate, CaucusCreate, RoomKind
from tests.browser import VIEWPORTS, Tab, chromiums, fake_camera, open_tab
from tests.harness import Suite
from tests.integration.signalling.sigclient import Cast, WsClient, seat
from tests.netcut import NetCut
from tests.people import SESSION_COOKIE, People, staff_people


async def seat_people(suite: Suite, people: People, per_side: int = 2) -> Cast:
    return await seat(suite, people, sides=2, per_side=per_side, redeem_all=False)


async def one_party_each(suite: Suite) -> tuple[People, Cast, dict[str, Any]]:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat_people(suite, people, per_side=1)
    return people, cast, cast.invitations["A1"]


async def mediator_socket(suite: Suite, people: People, cast: Cast) -> WsClient:
    """The mediator's commands, from the test (its page is another client of the same person)."""
    return await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                          people.mediator.account_id).connect()


async def mediator_caucus(med: WsClient, side: str) -> str:
    """A caucus for `side` (named by default), created by the mediator; its id."""
    known = {r.id for m in med.inbox if isinstance(m, BoardUpdate) for r in m.board.rooms}
    await med.send(CaucusCreate(name="", side=side))
    board = await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
        r.kind is RoomKind.CAUCUS and r.side == side and r.id not in known
        for r in m.board.rooms), what="caucus")
    assert isinstance(board, BoardUpdate)
    return next(r.id for r in board.board.rooms
                if r.kind is RoomKind.CAUCUS and r.side == side and r.id not in known)


@contextlib.asynccontextmanager
async def console_and_party_behind_a_proxy(
        suite: Suite, tmp_path: Path) -> AsyncIterator[tuple[Tab, Tab, NetCut]]:
    """A mediator's tab and a party's, each in a browser of its own with its own camera (grey,
    blue); the party's reaches the gateway through a NetCut proxy, so a test can cut its network.
    Yields (console, party, proxy); the proxy and both tabs are closed after."""
    proxy = NetCut("127.0.0.1", suite.http_port)
    via_proxy = await proxy.start()
    cameras = [fake_camera(tmp_path / f"{n}.y4m", rgb) for n, rgb in
               (("m", (200, 200, 200)), ("a", (30, 90, 200)))]
    try:
        async with chromiums(cameras) as (m_browser, a_browser):
            console = await open_tab(m_browser, suite.base_url)
            party = await open_tab(a_browser, via_proxy)
            try:
                yield console, party, proxy
            finally:
                for tab in (console, party):
                    await tab.context.close()
    finally:
        await proxy.stop()


async def in_room(tab: Tab, room: str) -> None:
    """The banner names `room`: drawn from the room's view, its people as the server said."""
    await tab.wait_for("(document.querySelector('.room-banner')?.dataset.room ?? '')"
                       f" === {room!r}", timeout=30)


async def join_in_browser(tab: Tab, invitation: dict[str, Any], *, wrong_code: bool = False,
                          screens: bool = False) -> None:
    page = tab.page
    await page.goto(invitation["link_path"])
    await page.wait_for_selector("form.join input[name=access_code]")
    # The token left the address bar at once; the code will travel in a POST body only.
    assert "#t=" not in page.url and invitation["token"] not in page.url
    if screens:
        await tab.check_accessible("join")
        await shots(tab, "join")
    if wrong_code:
        await page.fill("input[name=access_code]", "WRONG-CODE0")
        await page.press("input[name=access_code]", "Enter")
        await page.wait_for_selector("form.join .error:not(:empty)")
        text = await page.text_content("form.join .error")
        assert text is not None and "access code is not right" in text, text
        # Warned before the lock, not after: how many tries are left, and for how long.
        assert "4 tries left before this link is locked for 5 minutes" in text, text
        if screens:
            await tab.screenshot("join-wrong-code")
    await page.fill("input[name=access_code]", invitation["access_code"])
    await page.click("form.join button[type=submit]")
    await page.wait_for_selector(".join-next")
    assert await page.query_selector("input[name=access_code]") is None  # the form left
    if screens:
        await tab.check_accessible("join-next")
        await shots(tab, "join-next", ("laptop",))
    await page.click(".join-next [data-action=skip]")
    await tab.wait_for("document.querySelector('.lobby-title') && "
                       "document.querySelector('.lobby-title').textContent.length > 0")


async def mediator_page(tab: Tab, people: People, hearing: str, base_url: str, *,
                        via: str | None = None) -> None:
    """The mediator's console, opened directly or by following `via` (another address)."""
    await tab.context.add_cookies([{"name": SESSION_COOKIE, "value": people.mediator.cookie,
                                    "url": base_url}])
    await tab.page.goto(via or f"/hearings/{hearing}")


async def shots(tab: Tab, screen: str, widths: tuple[str, ...] = ("laptop", "tablet")) -> None:
    """Screenshots at each width from the top of the page, then back to the laptop viewport."""
    for width in widths:
        await tab.page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        await tab.screenshot(screen, width)
    await tab.page.set_viewport_size({"width": 1366, "height": 768})


async def lobby_in_view(tab: Tab, width: str) -> dict[str, Any]:
    """At this width, from the top of the page: the camera preview is a 16:9 box at most 45% of
    the screen tall, and the explanation and both device pickers are on screen, unscrolled."""
    w, h = VIEWPORTS[width]
    await tab.page.set_viewport_size({"width": w, "height": h})
    await tab.page.evaluate("() => window.scrollTo(0, 0)")
    boxes: dict[str, Any] = await tab.value(
        "Object.fromEntries(['.lobby-preview', '.lobby-steps', '.lobby-devices select:first-of-type',"
        " '.lobby-devices .field:last-of-type select'].map((s) => {"
        " const b = document.querySelector(s).getBoundingClientRect();"
        " return [s, {top: b.top, bottom: b.bottom, width: b.width, height: b.height}]; }))")
    preview = boxes[".lobby-preview"]
    assert abs(preview["width"] / preview["height"] - 16 / 9) < 0.02, (width, boxes)
    assert preview["height"] <= 0.45 * h + 1, (width, boxes)
    for selector, box in boxes.items():
        assert box["height"] > 0 and box["bottom"] <= h, (width, selector, boxes)
    return boxes


#: Symbols every language writes the same way (units, zone names), not English words.
SYMBOLS = frozenset({"B", "kB", "MB", "GB", "TB", "ms", "UTC", "GMT"})


async def switch_language(tab: Tab, lang: str) -> None:
    """Pick a language in the header's switcher, as a person would, and wait for it."""
    await tab.page.select_option("#language", lang)
    await tab.wait_for(f"document.documentElement.lang === '{lang}'")


async def latin_words_left(tab: Tab, content: list[str]) -> list[str]:
    """Latin-script words in the screen's visible text once `content` (names, file names,
    people's messages: words nobody translates) is taken out, symbols aside."""
    text: str = await tab.value("document.querySelector('main').innerText")
    for words in sorted(content, key=len, reverse=True):
        text = text.replace(words, " ")
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if w not in SYMBOLS]


def console_room() -> str:
    """The room the mediator's console says the mediator is in ('' until the server said)."""
    return "((document.querySelector('.my-room .room-banner') || {dataset: {}}).dataset.room || '')"


def banner_kind() -> str:
    return "((document.querySelector('.room-banner') || {dataset: {}}).dataset.roomKind || '')"


def hearers() -> str:
    return "((document.querySelector('.hearers') || {dataset: {}}).dataset.hearers)"


def code() -> str:
    return "((document.querySelector('.verify-code') || {dataset: {}}).dataset.code || '')"


def code_members() -> str:
    return "((document.querySelector('.verify-code') || {dataset: {}}).dataset.members || '')"


def tile(participant: str, attr: str) -> str:
    return (f"((document.querySelector('.video-grid .tile[data-participant=\"{participant}\"]"
            f"[data-kind=camera]') || {{dataset: {{}}}}).dataset.{attr})")


def chat_texts() -> str:
    return "[...document.querySelectorAll('.chat-line .chat-text')].map((x) => x.textContent)"


KEEP_TRACKS = ("() => { window.__testTracks = document.querySelector('.tile.self video')"
               ".srcObject.getTracks(); return window.__testTracks.length; }")
TRACKS_ENDED = ("window.__testTracks && window.__testTracks.length > 0 && "
                "window.__testTracks.every((t) => t.readyState === 'ended')")


# An init script that keeps every RTCPeerConnection the page makes (`window.__connections`), to
# count those still open and read their states.
COUNT_CONNECTIONS = """(() => {
  const Real = window.RTCPeerConnection;
  window.__connections = [];
  window.RTCPeerConnection = class extends Real {
    constructor(...args) { super(...args); window.__connections.push(this); }
  };
})();"""

# With COUNT_CONNECTIONS: per connection not closed, what each video sender may send, as
# {camera: [[maxBitrate, maxFramerate] per encoding], other: [the same, for a screen]}; null
# where the page set nothing (media/send-budget.js).
SENDING_LIMITS = """(() => {
  const camera = document.querySelector('.tile.self video').srcObject.getVideoTracks()[0];
  const limits = (s) => s.getParameters().encodings.map((e) => [e.maxBitrate ?? null, e.maxFramerate ?? null]);
  return window.__connections.filter((pc) => pc.signalingState !== 'closed').map((pc) => {
    const video = pc.getSenders().filter((s) => s.track && s.track.kind === 'video');
    return { camera: video.filter((s) => s.track === camera).flatMap(limits),
             other: video.filter((s) => s.track !== camera).flatMap(limits) };
  });
})()"""
