"""Room chat over the real WebSocket of a running suite: who reads what, history after a
reconnect and on coming back to a room for those who were there (and only what was said in
their presence), purge when the caucus closes, flood refused with a reason."""

from __future__ import annotations

import aiohttp

from proto.ws import (
    Admit,
    BoardUpdate,
    CaucusClose,
    CaucusCreate,
    ChatHistory,
    ChatMessage,
    ChatRecall,
    ChatSend,
    ErrorMessage,
    Move,
    PeerPlan,
    Shuttle,
)
from services.signalling.chatlog import FLOOD_MAX
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import staff_people


async def test_room_chat_isolation_history_and_purge(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=1)
    a, b = cast.members["A1"], cast.members["B1"]

    def client(name: str) -> WsClient:
        if name == "M":
            return WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                            people.mediator.account_id)
        m = cast.members[name]
        return WsClient(suite.base_url, m.headers(), cast.hearing, m.id)

    med, ca, cb = await client("M").connect(), await client("A1").connect(), \
        await client("B1").connect()
    for who, c in ((a, ca), (b, cb)):
        await med.send(Admit(participant=who.id))
        await c.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="admitted")

    def said(text: str) -> object:
        return lambda m: isinstance(m, ChatMessage) and m.text == text

    await ca.send(ChatSend(text="hello plenary"))
    for c in (med, ca, cb):
        await c.wait(said("hello plenary"), what="plenary chat")

    await med.send(CaucusCreate(name="B caucus", side=cast.sides[1]))
    board = await med.wait(lambda m: isinstance(m, BoardUpdate) and any(
        r.name == "B caucus" for r in m.board.rooms), what="caucus")
    assert isinstance(board, BoardUpdate)
    caucus = next(r.id for r in board.board.rooms if r.name == "B caucus")
    await med.send(Move(participant=b.id, room=caucus))
    await cb.wait(lambda m: isinstance(m, PeerPlan) and m.room == caucus, what="moved")
    await med.send(Shuttle(room=caucus))
    await cb.wait(lambda m: isinstance(m, PeerPlan) and m.room == caucus
                  and med.me in [x.peer for x in m.connect], what="mediator came")
    await cb.send(ChatSend(text="secret of side B"))
    for c in (med, cb):
        await c.wait(said("secret of side B"), what="caucus chat")
    await ca.send(ChatSend(text="while B was away"))
    await ca.wait(said("while B was away"), what="plenary chat without B")

    # B reconnects: the caucus's history since B entered comes after the snapshot.
    await cb.close()
    cb = await client("B1").connect()
    history = await cb.wait(lambda m: isinstance(m, ChatHistory), what="history")
    assert isinstance(history, ChatHistory) and history.room == caucus
    assert [x.text for x in history.lines] == ["secret of side B"]

    # A flood is refused with its reason and the wait; nothing refused reaches anyone.
    for i in range(FLOOD_MAX):
        await cb.send(ChatSend(text=f"line {i}"))
    since = len(cb.inbox)
    await cb.send(ChatSend(text="one too many"))
    refused = await cb.error_after(since)
    assert (refused.code, refused.reason, refused.about) == ("rate_limited", "chat_flood", "chat")
    assert refused.retry_after_s is not None and refused.retry_after_s >= 1

    # The caucus closes: B is back in plenary, and the caucus's history is gone for good.
    # Asked on arrival, plenary's history holds what was said there before B left, and nothing
    # said while B was away.
    await med.send(CaucusClose(room=caucus))
    await cb.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="back")
    # A line written in the caucus that reaches the server after the move is refused for what
    # it is, never posted in plenary where A would read it.
    since = len(cb.inbox)
    await cb.send(ChatSend(text="typed in the caucus", room=caucus))
    crossed = await cb.error_after(since)
    assert (crossed.code, crossed.reason, crossed.about) == ("conflict", "room_changed", "chat")
    await cb.send(ChatRecall())
    back = await cb.wait(lambda m: isinstance(m, ChatHistory) and m.room == "plenary",
                         what="plenary history on return")
    assert isinstance(back, ChatHistory)
    assert [x.text for x in back.lines] == ["hello plenary"]
    assert all(x.at <= back.entered_at for x in back.lines)
    await cb.close()
    cb = await client("B1").connect()
    await med.send(ChatSend(text="after the caucus"))
    await cb.wait(said("after the caucus"), what="plenary chat after")
    again = [m for m in cb.inbox if isinstance(m, ChatHistory)]
    assert [[x.text for x in m.lines] for m in again] == [["hello plenary"]]
    # A, in the lobby, asks too: nothing (no room, no history), and no error.
    await med.send(Move(participant=a.id, room="lobby"))
    await ca.wait(lambda m: isinstance(m, PeerPlan) and m.room == "lobby", what="to the lobby")
    before = len(ca.inbox)
    await ca.send(ChatRecall())
    await med.send(ChatSend(text="to plenary only"))
    await cb.wait(said("to plenary only"), what="plenary chat")
    assert not any(isinstance(m, ChatHistory | ErrorMessage) for m in ca.inbox[before:])

    # A never saw a word of it: not on its socket's raw frames, not as an error.
    assert not any("secret of side B" in raw or "line 0" in raw or "typed in the caucus" in raw
                   for raw in ca.raw)
    assert not any(isinstance(m, ErrorMessage) for m in ca.inbox)
    for c in (med, ca, cb):
        await c.close()


async def test_websocket_compression_is_refused(suite: Suite) -> None:
    """Browsers ask for permessage-deflate; the gateway declines it (about 125 KiB of deflate
    state per socket for small messages, and compression next to secrets invites guessing)."""
    people = await staff_people(suite)
    async with aiohttp.ClientSession(base_url=suite.base_url,
                                     headers=people.mediator.headers()) as http, \
            http.ws_connect("/api/v1/ws", compress=15) as ws:
        assert ws.compress == 0
        assert "Sec-WebSocket-Extensions" not in ws._response.headers
