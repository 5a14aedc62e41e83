"""Isolation end to end: aiortc peers through the real gateway WebSocket (DESIGN §5).

A mediator and two sides of two people each meet in plenary, where every pair exchanges video
(each camera is a solid frame of its owner's luma, so a receiver can tell whose frames arrive).
Side B then goes to a caucus with the mediator. Side A — one of whose clients is TAMPERED and
ignores the order to drop its connections — must receive no frame from B or the mediator after
the move, and no chat, signalling or presence from the caucus on the wire.
"""

from __future__ import annotations

import asyncio
import json
import time

from proto.ws import (
    Admit,
    BoardUpdate,
    CaucusCreate,
    ChatMessage,
    ChatSend,
    Move,
    PeerPlan,
    RoomKind,
    RoomUpdate,
    ServerMessage,
    Shuttle,
    SignalKind,
    SignalRelay,
    SignalSend,
)
from tests.harness import Suite, wait_until
from tests.integration.signalling.mediapeer import MediaPeer
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import staff_people

LUMA = {"M": 40, "A1": 80, "A2": 120, "B1": 160, "B2": 200}
SECRET = "caucus-only-words"


async def test_caucus_isolation_with_media(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=2)
    ids = {name: m.id for name, m in cast.members.items()}
    ids["M"] = people.mediator.account_id
    clients = {"M": WsClient(suite.base_url, people.mediator.headers(), cast.hearing, ids["M"])}
    for name, member in cast.members.items():
        clients[name] = WsClient(suite.base_url, member.headers(), cast.hearing, member.id)
    for c in clients.values():
        await c.connect()
    peers = {n: MediaPeer(c, LUMA[n], tampered=(n == "A2")) for n, c in clients.items()}
    try:
        for name in ("A1", "A2", "B1", "B2"):
            await clients["M"].send(Admit(participant=ids[name]))

        async def everyone_hears_everyone() -> bool:
            return all(peers[x].receiving(ids[y], LUMA[y])
                       for x in LUMA for y in LUMA if x != y)

        try:
            await wait_until(everyone_hears_everyone, timeout=40, what="media between every pair")
        except TimeoutError:
            for x in LUMA:
                print(x, {y: (peers[x].frames.get(ids[y], 0), round(peers[x].lumas.get(ids[y], -1)))
                          for y in LUMA if y != x},
                      {k[:4]: (pc.signalingState, pc.connectionState)
                       for k, pc in peers[x].pcs.items()})
                print("  ", [type(m).__name__ + ":" + str(getattr(m, "code", "")) + str(getattr(m, "message", ""))[:80]
                             for m in clients[x].inbox][:40])
            raise

        # --- side B goes to a caucus with the mediator ---------------------------------------
        mark = {n: len(c.inbox) for n, c in clients.items()}
        await clients["M"].send(CaucusCreate(name="Side B caucus", side=cast.sides[1]))
        board = await clients["M"].wait(lambda m: isinstance(m, BoardUpdate) and any(
            r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="the caucus on the board")
        assert isinstance(board, BoardUpdate)
        caucus = next(r.id for r in board.board.rooms if r.kind is RoomKind.CAUCUS)
        t_move = time.monotonic()
        await clients["M"].send(Move(participant=ids["B1"], room=caucus))
        await clients["M"].send(Move(participant=ids["B2"], room=caucus))
        await clients["M"].send(Shuttle(room=caucus))
        await clients["M"].wait(lambda m: isinstance(m, PeerPlan) and m.room == caucus,
                                what="the mediator's caucus plan", since=mark["M"])
        for name in ("A1", "A2"):
            await clients[name].wait(lambda m: isinstance(m, PeerPlan) and ids["M"] in m.drop,
                                     what=f"{name} told to drop the mediator", since=mark[name])
        t_done = time.monotonic()

        caucus_side = [ids["B1"], ids["B2"], ids["M"]]

        # The tampered A2 kept its connections: its inbound counters from B and M must stop.
        async def stopped() -> bool:
            before = [peers["A2"].frames.get(p, 0) for p in caucus_side]
            await asyncio.sleep(1.0)
            return before == [peers["A2"].frames.get(p, 0) for p in caucus_side]

        await wait_until(stopped, timeout=15, interval=0.0, what="caucus frames to stop at A2")
        last = max(peers["A2"].last_at.get(p, 0.0) for p in caucus_side)
        stop_after = max(0.0, last - t_done)
        print(f"move took {t_done - t_move:.3f}s; tampered A2's last caucus frame "
              f"{stop_after * 1000:.0f} ms after the move completed")
        assert stop_after < 2.0
        assert not any(p in peers["A1"].pcs for p in caucus_side)  # the honest client dropped
        assert all(p in peers["A2"].pcs for p in caucus_side)  # the tampered one did not

        # Caucus media flows among its members; plenary media still flows within side A.
        counts = {x: {y: peers[x].frames.get(ids[y], 0) for y in LUMA} for x in LUMA}

        async def flowing() -> bool:
            pairs = [("B1", "B2"), ("B2", "M"), ("M", "B1"), ("A1", "A2"), ("A2", "A1")]
            return all(peers[x].frames.get(ids[y], 0) > counts[x][y] + 5
                       and peers[x].receiving(ids[y], LUMA[y]) for x, y in pairs)

        await wait_until(flowing, timeout=30, what="media in both rooms after the move")
        a2_frames_from_caucus = [peers["A2"].frames.get(p, 0) for p in caucus_side]

        # --- chat and signalling in the caucus; a tampered client's probes ------------------
        await clients["B1"].send(ChatSend(text=SECRET))
        await clients["M"].send(ChatSend(text=SECRET + " (mediator)"))
        await clients["B2"].wait(lambda m: isinstance(m, ChatMessage) and m.text == SECRET,
                                 what="caucus chat at B2")
        await clients["B2"].wait(lambda m: isinstance(m, ChatMessage)
                                 and m.sender == ids["M"], what="mediator chat at B2")
        a_epoch = clients["A2"].epoch
        probes = [
            SignalSend(to=ids["B1"], epoch=a_epoch, kind=SignalKind.CANDIDATE,
                       candidate="probe-other-room", sdp_mid="0", sdp_mline_index=0),
            SignalSend(to=ids["M"], epoch=a_epoch, kind=SignalKind.CANDIDATE,
                       candidate="probe-mediator", sdp_mid="0", sdp_mline_index=0),
            SignalSend(to=ids["A1"], epoch=max(0, a_epoch - 1), kind=SignalKind.CANDIDATE,
                       candidate="probe-old-epoch", sdp_mid="0", sdp_mline_index=0),
            SignalSend(to=ids["A1"], epoch=a_epoch, kind=SignalKind.CANDIDATE,
                       candidate="probe-good", sdp_mid="0", sdp_mline_index=0),
        ]
        for probe in probes:
            await clients["A2"].send(probe)
        await clients["A1"].wait(lambda m: isinstance(m, SignalRelay)
                                 and m.candidate == "probe-good", what="the valid probe")
        # A later chat in the caucus, to be sure earlier deliveries had their chance to arrive.
        await clients["B1"].send(ChatSend(text="end of caucus probe"))
        await clients["B2"].wait(lambda m: isinstance(m, ChatMessage)
                                 and m.text == "end of caucus probe", what="the last chat")
        for name in ("B1", "M"):
            got = [m for m in clients[name].inbox[mark[name]:] if isinstance(m, SignalRelay)
                   and (m.candidate or "").startswith("probe")]
            assert got == [], (name, got)
        assert not any(isinstance(m, SignalRelay) and m.candidate == "probe-old-epoch"
                       for m in clients["A1"].inbox)
        # ... and every refusal was counted, where operators can see it ($SRV.STATS).
        nc = await suite.connect("gateway")
        try:
            stats = json.loads((await nc.request("$SRV.STATS.signalling", b"", timeout=2)).data)
        finally:
            await nc.close()
        counters = next(e["data"] for e in stats["endpoints"] if e["name"] == "signal")
        assert counters["dropped_other_room"] >= 2 and counters["dropped_stale_epoch"] >= 1
        assert counters["relayed"] >= 1

        # --- nothing from the caucus reached side A on the wire ------------------------------
        for name in ("A1", "A2"):
            after = clients[name].inbox[mark[name]:]
            raw = clients[name].raw[mark[name]:]
            assert not any(caucus in text or SECRET in text for text in raw), name
            _check_outsider(after, ids, caucus_side, name)
        assert [peers["A2"].frames.get(p, 0) for p in caucus_side] == a2_frames_from_caucus

        # --- the audit log holds the story: admissions, moves, who could hear whom -----------
        wanted = {"hearing.create", "hearing.open", "participant.invite", "participant.redeem",
                  "participant.admit", "room.caucus_create", "room.move", "room.shuttle",
                  "room.peer_state"}

        async def audited() -> set[str]:
            status, page = await people.auditor.call(
                "GET", f"/api/v1/audit/events?hearing={cast.hearing}&limit=1000")
            assert status == 200, (status, page)
            actions = {json.loads(e["entry"])["action"] for e in page["events"]}
            return actions if wanted <= actions else set()

        await wait_until(audited, timeout=20, what="the hearing's audit events")
    finally:
        for p in peers.values():
            await p.close()
        for c in clients.values():
            await c.close()


def _check_outsider(after: list[ServerMessage], ids: dict[str, str], caucus_side: list[str],
                    name: str) -> None:
    """After its drop plan, an outsider hears nothing of the caucus members."""
    dropped = False
    for m in after:
        if isinstance(m, PeerPlan) and ids["M"] in m.drop:
            dropped = True
            assert not any(link.peer in caucus_side for link in [*m.connect, *m.keep])
            continue
        if not dropped:
            continue
        if isinstance(m, SignalRelay | ChatMessage):
            assert m.sender not in caucus_side, (name, m)
        if isinstance(m, RoomUpdate):
            assert not {x.id for x in m.room.members} & set(caucus_side), (name, m)
        if isinstance(m, PeerPlan):
            assert not any(link.peer in caucus_side for link in [*m.connect, *m.keep])
