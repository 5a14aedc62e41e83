"""A headless Chromium participant in a room with aiortc participants, through the real gateway
WebSocket: the browser runs the web client (gateway/webclient) exactly as a person would, from
the invitation link and access code; media flows both ways; a caucus move then cuts the
browser off from the plenary peer it leaves, and keeps it with the mediator it goes with. The
aiortc participants are plain `MediaPeer`s: they take the browser's trickled ICE candidates."""

from __future__ import annotations

import contextlib

import pytest

from proto.ws import Admit, BoardUpdate, CaucusCreate, Move, RoomKind, Shuttle
from tests.browser import Tab, chromium_page, requires_chromium
from tests.harness import Suite, wait_until
from tests.integration.signalling.mediapeer import MediaPeer
from tests.integration.signalling.sigclient import WsClient, redeem, seat
from tests.people import staff_people

pytestmark = [pytest.mark.browser, requires_chromium]


def tile_frames(participant: str) -> str:
    return ("Number((document.querySelector('.video-grid .tile[data-kind=camera]"
            f"[data-participant=\"{participant}\"]') || {{dataset: {{}}}}).dataset.framesDecoded"
            " || 0)")


BANNER = "(document.querySelector('.room-banner') || {dataset: {}}).dataset.roomKind"


async def browser_receives(tab: Tab, participant: str, more_than: int) -> bool:
    return bool(await tab.value(f"{tile_frames(participant)} > {more_than}"))


async def test_browser_and_aiortc_participants_exchange_media(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=1, redeem_all=False)
    mediator_id = people.mediator.account_id
    a1 = cast.invitations["A1"]
    status, reply, cookie = await redeem(suite.base_url, a1["token"], a1["access_code"])
    assert status == 200, reply
    a1_headers = {"Cookie": f"parley_session={cookie}", "Parley-CSRF": reply["csrf_token"]}
    b1 = cast.invitations["B1"]
    browser_id = b1["participant"]

    m_ws = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                          mediator_id).connect()
    a_ws = await WsClient(suite.base_url, a1_headers, cast.hearing, a1["participant"]).connect()
    mediator, party_a = MediaPeer(m_ws, 200), MediaPeer(a_ws, 60)
    try:
        async with chromium_page(suite.base_url) as tab:
            await tab.page.goto(b1["link_path"])
            await tab.page.fill("form.join input[name=access_code]", b1["access_code"])
            await tab.page.click("form.join button[type=submit]")
            await tab.page.click(".join-next [data-action=skip]")
            await tab.wait_for("document.querySelector('.lobby-title')")

            await m_ws.send(Admit(participant=a1["participant"]))
            await m_ws.send(Admit(participant=browser_id))
            try:
                await tab.wait_for(f"{BANNER} === 'plenary'")

                # The aiortc side counts frames from the browser's (fake) camera ...
                async def aiortc_hears_browser() -> bool:
                    return all(p.frames.get(browser_id, 0) >= 20 for p in (mediator, party_a))

                await wait_until(aiortc_hears_browser, timeout=40, what="browser frames at aiortc")
                # ... and the browser decodes both aiortc participants' video.
                for peer in (mediator_id, a1["participant"]):
                    await tab.wait_for(f"{tile_frames(peer)} > 20", timeout=30)
                # Both decoded the browser's pictures (Chromium's fake camera animates, so the
                # two peers' latest brightness differs by moment and is not compared).
                assert browser_id in mediator.lumas and browser_id in party_a.lumas

                # --- the browser's side goes to a caucus with the mediator ------------------
                await m_ws.send(CaucusCreate(name="Side B caucus", side=cast.sides[1]))
                board = await m_ws.wait(lambda m: isinstance(m, BoardUpdate) and any(
                    r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="caucus")
                assert isinstance(board, BoardUpdate)
                caucus = next(r.id for r in board.board.rooms if r.kind is RoomKind.CAUCUS)
                await m_ws.send(Move(participant=browser_id, room=caucus))
                await m_ws.send(Shuttle(room=caucus))
                await tab.wait_for(f"{BANNER} === 'caucus'")
                # The browser dropped A1 (its tile is gone) and still receives the mediator.
                await tab.wait_for("!document.querySelector('.video-grid .tile"
                                   f"[data-participant=\"{a1['participant']}\"]')")
                seen = int(await tab.value(tile_frames(mediator_id)))
                await tab.wait_for(f"{tile_frames(mediator_id)} > {seen + 10}", timeout=30)

                # A1's inbound counter from the browser stops (polled with a deadline).
                async def a1_cut_off() -> bool:
                    return browser_id not in party_a.pcs or \
                        party_a.pcs[browser_id].connectionState in ("closed", "failed")

                await wait_until(a1_cut_off, timeout=15, what="A1 to lose the browser")
                frames = party_a.frames.get(browser_id, 0)
                before = mediator.frames.get(browser_id, 0)
                await wait_until(lambda: _more(mediator, browser_id, before + 10), timeout=20,
                                 what="browser media to keep reaching the mediator")
                assert party_a.frames.get(browser_id, 0) == frames
            except Exception:
                print(tab.dump())
                for name, peer in (("mediator", mediator), ("A1", party_a)):
                    print(name, peer.frames, {k: (pc.signalingState, pc.connectionState)
                                              for k, pc in peer.pcs.items()})
                raise
            refused = [line for line in tab.console if "Content Security Policy" in line]
            assert not refused and not tab.errors, tab.dump()
    finally:
        for peer in (mediator, party_a):
            await peer.close()
        for ws in (m_ws, a_ws):
            with contextlib.suppress(Exception):
                await ws.close()


async def _more(peer: MediaPeer, sender: str, than: int) -> bool:
    return peer.frames.get(sender, 0) > than
