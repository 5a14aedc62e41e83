"""Hearings over the real REST API and WebSocket of a running suite (`parley up`).

Lifecycle, invitations (single use, wrong codes rate-limited), removal ending sessions and
sockets, leaving on purpose (sockets closed, the session kept), authorization of WebSocket commands, bad WebSocket input, ICE servers, and a seeded
random sequence of moves with the isolation invariant checked on the wire after every step.
"""

from __future__ import annotations

import asyncio
import json
import random

import aiohttp
import pytest

from proto.ws import (
    Admit,
    BoardUpdate,
    Broadcast,
    CaucusCreate,
    ChatMessage,
    ChatSend,
    Deny,
    End,
    ErrorMessage,
    Hand,
    Knock,
    KnockDismiss,
    KnocksUpdate,
    Leave,
    Lock,
    Move,
    Notice,
    NoticeKind,
    PeerPlan,
    Recall,
    Remove,
    RoomUpdate,
    Shuttle,
    Snapshot,
    YouUpdate,
)
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import Cast, WsClient, api, redeem, seat
from tests.people import People, create_staff, staff_people


def _ws(suite: Suite, cast: Cast, name: str, people: People | None = None) -> WsClient:
    if name == "M":
        assert people is not None
        return WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                        people.mediator.account_id)
    m = cast.members[name]
    return WsClient(suite.base_url, m.headers(), cast.hearing, m.id)


async def test_hearing_lifecycle_and_join(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=1)
    status, detail = await api(people.mediator, "GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 200 and detail["state"] == "open"
    assert {r["name"] for r in detail["roster"]} >= {"A1", "B1"}
    status, listed = await api(people.mediator, "GET", "/api/v1/hearings")
    assert status == 200 and cast.hearing in {h["id"] for h in listed["hearings"]}
    status, _ = await people.admin.call("GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 200
    status, _ = await people.auditor.call("GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 403
    a1 = cast.members["A1"]
    med, party = _ws(suite, cast, "M", people), _ws(suite, cast, "A1")
    await med.connect()
    await party.connect()
    snap = party.inbox[0]
    assert isinstance(snap, Snapshot) and snap.seq == 1 and snap.view.room is None
    assert snap.view.you.room == "lobby" and snap.view.board is None
    assert snap.view.you.sides == 2  # how many sides, for "every other side" (not which)
    await med.send(Admit(participant=a1.id))
    await party.wait(lambda m: isinstance(m, PeerPlan) and med.me in
                     [link.peer for link in m.connect], what="plan to connect the mediator")
    assert party.room == "plenary" and party.peers[med.me] is True  # later arrival offers
    assert [m.seq for m in party.inbox] == list(range(1, len(party.inbox) + 1))
    # ICE servers for a participant (no TURN configured: an empty list, policy "all").
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=a1.headers()) as http, \
            http.get(f"/api/v1/ice-servers?hearing={cast.hearing}") as r:
        assert r.status == 200
        assert (await r.json())["iceTransportPolicy"] == "all"
    await med.close()
    await party.close()


async def test_invitation_single_use_and_wrong_codes(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1, redeem_all=False)
    inv = cast.invitations["A1"]
    for attempt in range(5):
        status, body, _ = await redeem(suite.base_url, inv["token"], "WRONG-CODES")
        if attempt < 4:  # each refusal names its true reason for the page to show, and
            # how many tries are left before the block and how long it lasts (5 minutes)
            assert (status, body["error"]["reason"]) == (401, "access_code_wrong"), body
            assert (body["error"]["tries_left"], body["error"]["lock_s"]) == (4 - attempt, 300)
        else:  # the fifth blocks the invitation, and says so with the wait
            assert (status, body["error"]["reason"]) == (429, "too_many_attempts"), body
            assert body["error"]["retry_after_s"] > 0
            assert "tries_left" not in body["error"]
    status, body, _ = await redeem(suite.base_url, inv["token"], inv["access_code"])
    assert status == 429, (status, body)  # blocked after five wrong codes, even the right one
    status, body, _ = await redeem(suite.base_url, "x.y.zzzzzzzzzzzzzzzzzzzz", "ABCDE")
    assert status in (401, 429)


@pytest.mark.parametrize("bad", ["", "x.y.z", "a" * 20])
async def test_redeem_refuses_malformed_tokens(suite: Suite, bad: str) -> None:
    status, body, _ = await redeem(suite.base_url, bad, "ABCDE")
    assert status in (400, 401, 429), (status, body)


async def test_removal_ends_session_and_socket(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    a1 = cast.members["A1"]
    party = await _ws(suite, cast, "A1").connect()
    status, body = await api(people.mediator, "DELETE",
                             f"/api/v1/hearings/{cast.hearing}/participants/{a1.id}")
    assert status == 200 and body["end_sessions"] == [a1.id], (status, body)
    await asyncio.wait_for(party.closed.wait(), 10)
    assert any(isinstance(m, Notice) and m.kind == "removed" for m in party.inbox)
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=a1.headers()) as http, \
            http.get(f"/api/v1/ice-servers?hearing={cast.hearing}") as r:
        assert r.status == 401  # the session is gone
    await party.close()


async def test_a_locked_hearing_turns_a_newcomer_away_and_tells_the_mediator(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1, redeem_all=False)
    inv = cast.invitations["A1"]
    med = _ws(suite, cast, "M", people)
    await med.connect()
    await med.send(Lock(locked=True))
    await med.wait(lambda m: isinstance(m, YouUpdate) and m.you.locked, what="locked")
    status, body, _ = await redeem(suite.base_url, inv["token"], inv["access_code"])
    assert (status, body["error"]["reason"]) == (409, "hearing_locked"), body
    await med.wait(lambda m: isinstance(m, Notice) and m.kind is NoticeKind.LOCKED_OUT
                   and m.text == "A1", what="told who was turned away")
    await med.send(Lock(locked=False))  # unlocked, the same invitation and code work
    await med.wait(lambda m: isinstance(m, YouUpdate) and not m.you.locked, what="unlocked")
    status, body, _ = await redeem(suite.base_url, inv["token"], inv["access_code"])
    assert status == 200, body
    await med.close()


async def test_leaving_closes_every_socket_and_keeps_the_session(suite: Suite) -> None:
    """A party leaves: its socket closes ("left"; an earlier page of it had already stepped
    aside for it: one live page per person), the room sees it go at once, the audit says so,
    and it comes back on the same session to wait in the lobby."""
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    a1 = cast.members["A1"]
    med, earlier, party = (_ws(suite, cast, n, people) for n in ("M", "A1", "A1"))
    for c in (med, earlier, party):
        await c.connect()
    await asyncio.wait_for(earlier.closed.wait(), 10)  # taken over by `party`
    await med.send(Admit(participant=a1.id))
    await party.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="admitted")
    mark = len(med.inbox)
    await party.send(Leave())
    for c in (earlier, party):
        await asyncio.wait_for(c.closed.wait(), 10)
        assert c.close_code == 4000 and c.ws is not None
    gone = await med.wait(lambda m: isinstance(m, RoomUpdate) and m.room.id == "plenary"
                          and a1.id not in {x.id for x in m.room.members}, since=mark,
                          what="the room without A1")
    assert isinstance(gone, RoomUpdate)
    again = await _ws(suite, cast, "A1").connect()  # the same cookie: still signed in
    snap = next(m for m in again.inbox if isinstance(m, Snapshot))
    assert snap.view.you.room == "lobby" and snap.view.room is None

    async def audited() -> list[dict[str, object]]:
        status, page = await people.auditor.call(
            "GET", f"/api/v1/audit/events?hearing={cast.hearing}&limit=1000")
        assert status == 200, (status, page)
        return [e for e in map(lambda x: json.loads(x["entry"]), page["events"])
                if e["action"] == "participant.leave"]

    [event] = await wait_until(audited, timeout=20, what="the leave audited")
    assert event["details"] == {"from": "plenary", "to": "lobby"}
    for c in (again, party, earlier, med):
        await c.close()


async def test_ws_command_authorization(suite: Suite) -> None:
    """A party cannot admit, move, lock or end; a lobby participant sees only its own state."""
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=1)
    med, a1, b1 = (_ws(suite, cast, n, people) for n in ("M", "A1", "B1"))
    for c in (med, a1, b1):
        await c.connect()
    await med.send(Admit(participant=cast.members["A1"].id))
    await a1.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="admitted")
    b1_id = cast.members["B1"].id
    for cmd in (Admit(participant=b1_id), Deny(participant=b1_id),
                Move(participant=b1_id, room="plenary"), Shuttle(room="plenary"),
                Lock(locked=True), End(), CaucusCreate(name="mine"), Recall(),
                Broadcast(text="hello"), Remove(participant=b1_id),
                KnockDismiss(participant=b1_id)):
        since = len(a1.inbox)
        await a1.send(cmd)
        err = await a1.error_after(since)
        assert err.code == "forbidden", (cmd, err)
    assert b1.room == "lobby"  # nothing a party sent moved anyone
    # B1 waits in the lobby while plenary talks and moves: it receives only its own state.
    await a1.send(ChatSend(text="plenary words"))
    await med.wait(lambda m: isinstance(m, ChatMessage), what="chat at the mediator")
    await a1.send(Hand(raised=True))
    await b1.send(Knock())
    await med.wait(lambda m: isinstance(m, KnocksUpdate) and m.knocks, what="knock")
    since = len(b1.inbox)
    await b1.send(ChatSend(text="lobby words"))
    assert (await b1.error_after(since)).code == "forbidden"
    for m in b1.inbox:
        assert isinstance(m, Snapshot | YouUpdate | PeerPlan | ErrorMessage), m
        if isinstance(m, Snapshot):
            assert m.view.room is None and m.view.board is None and m.view.knocks is None
        if isinstance(m, PeerPlan):
            assert m.room in (None, "lobby") and not m.connect and not m.keep
    for c in (med, a1, b1):
        await c.close()


async def test_ws_bad_input(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    c = await _ws(suite, cast, "A1").connect()
    cases = [
        ("{not json", "invalid"),
        (json.dumps({"type": "nonsense"}), "invalid"),
        (json.dumps({"type": "move", "participant": "../../etc", "room": "x"}), "invalid"),
        (json.dumps({"type": "chat", "text": "x" * 9000}), "invalid"),  # over the frame bound
        (json.dumps({"type": "signal", "to": "p", "epoch": 1, "kind": "offer",
                     "sdp": "v" * 70_000})[:68_000], "invalid"),
        (json.dumps({"type": "join", "hearing": cast.hearing}), "invalid"),
        (json.dumps([1, 2, 3]), "invalid"),
    ]
    for raw, code in cases:
        since = len(c.inbox)
        await c.send_raw(raw)
        assert (await c.error_after(since)).code == code, raw[:60]
    # A flood is refused (rate_limited), then the socket is closed; the gateway survives.
    for _ in range(400):
        if c.closed.is_set():
            break
        await c.send_raw(json.dumps({"type": "hand", "raised": True}))
    await asyncio.wait_for(c.closed.wait(), 15)
    assert any(isinstance(m, ErrorMessage) and m.code == "rate_limited" for m in c.inbox)
    assert c.close_code == 1008
    await c.close()
    # An oversized frame closes the socket (1009); the gateway still serves the next one.
    big = await _ws(suite, cast, "A1").connect()
    await big.send_raw("x" * 200_000)
    await asyncio.wait_for(big.closed.wait(), 15)
    assert big.close_code == 1009
    await big.close()
    again = await _ws(suite, cast, "A1").connect()
    assert isinstance(again.inbox[0], Snapshot)
    await again.close()


async def test_random_moves_keep_rooms_isolated(suite: Suite) -> None:
    """A seeded random sequence of moves; after every step the wire obeys the invariant."""
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=2, observers=1)
    names = ["A1", "A2", "B1", "B2", "O1"]
    ids = {n: cast.members[n].id for n in names} | {"M": people.mediator.account_id}
    clients = {n: _ws(suite, cast, n, people) for n in ["M", *names]}
    for c in clients.values():
        await c.connect()
    med = clients["M"]
    caucus: dict[str, str] = {}
    for side, label in zip(cast.sides, "AB", strict=True):
        await med.send(CaucusCreate(name=f"caucus {label}", side=side))
        board = await med.wait(lambda m, lbl=label: isinstance(m, BoardUpdate) and any(
            r.name == f"caucus {lbl}" for r in m.board.rooms), what="caucus")
        assert isinstance(board, BoardUpdate)
        caucus[label] = next(r.id for r in board.board.rooms if r.name == f"caucus {label}")
    where = {n: "lobby" for n in names} | {"M": "plenary"}
    for n in names:
        await med.send(Admit(participant=ids[n]))
        where[n] = "plenary"
    await _settled(clients, where, ids)
    rng = random.Random(7)
    for _step in range(25):
        who = rng.choice([*names, "M"])
        if who == "M":
            room = rng.choice(["plenary", caucus["A"], caucus["B"]])
            await med.send(Shuttle(room=room))
        else:
            own = caucus["A"] if who.startswith("A") else caucus["B"]
            room = rng.choice(["plenary", "lobby", own] +
                              ([caucus["A"], caucus["B"]] if who == "O1" else []))
            await med.send(Move(participant=ids[who], room=room))
        where[who] = room
        talker = rng.choice([*names, "M"])
        if where[talker] != "lobby":
            await clients[talker].send(ChatSend(text=f"step {_step}"))
        await _settled(clients, where, ids)
    for c in clients.values():
        _check_wire(c, ids)
        await c.close()


async def _settled(clients: dict[str, WsClient], where: dict[str, str],
                   ids: dict[str, str]) -> None:
    """Wait until every client is where the test put it and holds exactly its room's peers."""
    def expected(n: str) -> set[str]:
        if where[n] == "lobby":
            return set()
        return {ids[q] for q in where if q != n and where[q] == where[n]}

    deadline = asyncio.get_running_loop().time() + 10
    while True:
        if all(c.room == where[n] and set(c.peers) == expected(n) for n, c in clients.items()):
            return
        if asyncio.get_running_loop().time() > deadline:
            state = {n: (c.room, sorted(c.peers), where[n]) for n, c in clients.items()}
            raise AssertionError(f"not settled: {state}")
        await asyncio.sleep(0.02)


def _check_wire(c: WsClient, ids: dict[str, str]) -> None:
    """Replaying a client's inbox: everything room-bound concerns the room it was in then."""
    room: str | None = None
    members: set[str] = set()
    for m in c.inbox:
        if isinstance(m, Snapshot):
            room = m.view.you.room
        elif isinstance(m, YouUpdate):
            room = m.you.room
        elif isinstance(m, RoomUpdate):
            assert m.room.id == room, (c.me, room, m)
            members = {x.id for x in m.room.members}
        elif isinstance(m, PeerPlan):
            assert m.room == room or (m.room is None and room == "lobby"), (c.me, room, m)
        elif isinstance(m, ChatMessage):
            assert m.room == room and (m.sender in members or m.sender == c.me), (c.me, m)
        elif isinstance(m, BoardUpdate | KnocksUpdate):
            assert c.me == ids["M"], m
        elif isinstance(m, ErrorMessage):
            assert m.code == "conflict", m  # e.g. a move into the other side's caucus


async def test_techcheck_through_the_gateway(suite: Suite) -> None:
    """POST /api/v1/techcheck: the server peer echoes this client's own frames back."""
    from aiortc import RTCSessionDescription

    from tests.integration.signalling.mediapeer import IdentityTrack, mean_luma
    from tests.loopback_peer import loopback_peer

    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    pc = loopback_peer()
    pc.addTrack(IdentityTrack(170))
    lumas: list[float] = []
    readers: list[asyncio.Task[None]] = []

    async def drain(track: object) -> None:
        while True:
            lumas.append(mean_luma(await track.recv()))  # type: ignore[attr-defined]

    pc.on("track", lambda track: readers.append(asyncio.create_task(drain(track))))
    try:
        await pc.setLocalDescription(await pc.createOffer())
        async with aiohttp.ClientSession(base_url=suite.base_url,
                                         headers=cast.members["A1"].headers()) as http, \
                http.post("/api/v1/techcheck", json={"sdp": pc.localDescription.sdp}) as r:
            assert r.status == 200, await r.text()
            answer = await r.json()
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
        deadline = asyncio.get_running_loop().time() + 20
        while len(lumas) < 5:
            assert asyncio.get_running_loop().time() < deadline, "no echo"
            await asyncio.sleep(0.05)
        assert abs(lumas[-1] - 170) < 25  # our own frames came back
    finally:
        for task in readers:
            task.cancel()
        await pc.close()
        await asyncio.gather(*readers, return_exceptions=True)


async def test_signing_out_closes_the_socket(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    a1 = cast.members["A1"]
    party = await _ws(suite, cast, "A1").connect()
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=a1.headers()) as http, \
            http.post("/api/v1/auth/signout", json={}) as r:
        assert r.status in (200, 204), await r.text()
    await asyncio.wait_for(party.closed.wait(), 10)
    assert party.close_code == 4001
    await party.close()


async def test_disabling_an_account_closes_its_token_socket(suite: Suite) -> None:
    """Credentials are re-checked while a socket is open, bearer tokens included."""
    people = await staff_people(suite)
    mediator = await create_staff(suite, people.admin, "mediator", "medsocket")
    status, h = await mediator.call("POST", "/api/v1/hearings", {"title": "Matter"}, bearer=True)
    assert status == 201, (status, h)
    client = await WsClient(suite.base_url, mediator.headers(bearer=True), h["id"],
                            mediator.account_id).connect()
    try:
        await client.wait(lambda m: isinstance(m, Snapshot), what="the snapshot")
        status, body = await people.admin.call("PATCH", f"/api/v1/accounts/{mediator.account_id}",
                                               {"disabled": True})
        assert status == 200, body
        await asyncio.wait_for(client.closed.wait(), 10)
        assert client.close_code == 4001
    finally:
        await client.close()
