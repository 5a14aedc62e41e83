"""One live page per participant on a real suite: a second socket of the same party takes over,
the earlier one is closed ("taken_over", 4000) and the new one stays (the gateway closes only the
sockets signalling names: both heard the close); the earlier page takes it back the same way.
Until its close arrives, the earlier page acts for nobody (services/signalling/connections.py)."""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
import pytest

from parley.errors import ServiceFailure
from parley.rpc import call
from proto.common import Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    SERVICE,
    STALE_CONNECTION,
    CommandResult,
    Connected,
    Scoped,
    SessionConnected,
    SessionDisconnected,
    WsCommand,
)
from proto.ws import (
    Admit,
    ChatMessage,
    ChatRecall,
    ChatSend,
    ClientMessage,
    ErrorMessage,
    Hand,
    Lock,
    MediaClaim,
    Notice,
    NoticeKind,
    PeerPlan,
    YouUpdate,
)
from services.signalling.store import HearingStore
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import People, staff_people

CLOSE_ENDED = 4000
#: The test stands in for a second gateway (its NATS user, its own socket ids), so the earlier
#: page's commands surely reach signalling after the takeover and before any close.
OTHER_GATEWAY = "0ddba11c0ffee0"


@pytest.mark.timeout(120)
async def test_the_newest_socket_of_a_party_takes_over_and_the_earlier_takes_it_back(
        suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    a1 = cast.members["A1"]
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    clients: list[WsClient] = [med]
    try:
        first = await WsClient(suite.base_url, a1.headers(), cast.hearing, a1.id).connect()
        clients.append(first)
        await med.send(Admit(participant=a1.id))
        await first.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="admit")
        seen = len(med.inbox)

        second = await WsClient(suite.base_url, a1.headers(), cast.hearing, a1.id).connect()
        clients.append(second)
        await first.closed.wait()
        assert first.close_code == CLOSE_ENDED
        # The new page holds the seat, in its room, and is the one everybody connects to.
        plan = await second.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary",
                                 what="the new page's plan")
        assert isinstance(plan, PeerPlan)
        assert [link.peer for link in plan.connect] == [people.mediator.account_id]
        renew = await med.wait(lambda m: isinstance(m, PeerPlan) and a1.id in m.drop,
                               what="the mediator renegotiating", since=seen)
        assert isinstance(renew, PeerPlan) and a1.id in {link.peer for link in renew.connect}
        # The earlier socket's close (the gateway tells signalling) does not end the new one.
        mark = len(second.inbox)
        await second.send(Hand(raised=True))
        you = await second.wait(lambda m: isinstance(m, YouUpdate) and m.you.hand,
                                what="the hand, from the new page", since=mark)
        assert isinstance(you, YouUpdate) and you.you.room == "plenary"
        assert not second.closed.is_set()

        # "Use it here" on the earlier page: a new socket of it takes over from the second.
        again = await WsClient(suite.base_url, a1.headers(), cast.hearing, a1.id).connect()
        clients.append(again)
        await second.closed.wait()
        assert second.close_code == CLOSE_ENDED
        await again.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary",
                         what="plenary again")
        assert not again.closed.is_set()
    finally:
        for client in clients:
            await client.close()


@pytest.mark.timeout(120)
async def test_a_page_taken_over_acts_for_nobody_before_its_close_arrives(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    a1 = cast.members["A1"]
    who = Principal(kind=PrincipalKind.PARTICIPANT, id=a1.id, role=Role.PARTY,
                    hearing=cast.hearing, side=a1.side)
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    nc = await suite.connect("gateway")
    page: WsClient | None = None

    async def as_gateway(verb: str, body: object, reply: type[Any]) -> Any:
        return await call(nc, SERVICE, verb, body, reply, principal=who)

    async def command(conn: str, message: ClientMessage) -> CommandResult:
        result: CommandResult = await as_gateway(
            "command", WsCommand(hearing=cast.hearing, conn=conn, message=message),
            CommandResult)
        return result

    try:
        first, second = f"{OTHER_GATEWAY}-1", f"{OTHER_GATEWAY}-2"
        await as_gateway("connect", Scoped(hearing=cast.hearing,
                                           body=SessionConnected(conn=first)), Connected)
        await med.send(Admit(participant=a1.id))
        await med.wait(lambda m: isinstance(m, PeerPlan)
                       and a1.id in {link.peer for link in m.connect}, what="a1 admitted")
        await as_gateway("connect", Scoped(hearing=cast.hearing,
                                           body=SessionConnected(conn=second)), Connected)
        await command(second, ChatSend(text="said before the earlier page asks"))
        await med.wait(lambda m: isinstance(m, ChatMessage)
                       and m.text == "said before the earlier page asks", what="a chat line")
        # The earlier page's chat, hand and chat history: refused, with the reason the gateway
        # drops it by (the room's history is not read to a page that acts for nobody).
        for message in (ChatSend(text="from the earlier page"), Hand(raised=True), ChatRecall()):
            with pytest.raises(ServiceFailure) as refused:
                await command(first, message)
            assert (refused.value.code, refused.value.reason) == (ErrorCode.CONFLICT,
                                                                  STALE_CONNECTION)
        recalled = await command(second, ChatRecall())
        assert recalled.history is not None and [line.text for line in recalled.history.lines] \
            == ["said before the earlier page asks"]
        await command(second, ChatSend(text="from the new page"))
        await med.wait(lambda m: isinstance(m, ChatMessage) and m.text == "from the new page",
                       what="the new page's chat")
        assert not any("from the earlier page" in raw for raw in med.raw)
        assert not any('"hand":true' in raw for raw in med.raw)

        # A real socket through the gateway whose seat is gone before its close arrives: the
        # gateway tells its page nothing, and counts it.
        page = await WsClient(suite.base_url, a1.headers(), cast.hearing, a1.id).connect()
        await page.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="seat")
        sig = await suite.connect("signalling")  # which socket id the gateway gave the page
        try:
            store = await HearingStore.open(sig.jetstream())
            (conn,) = (await store.load(cast.hearing))[0].participants[a1.id].conns
        finally:
            await sig.close()
        await as_gateway("disconnect", Scoped(hearing=cast.hearing,
                                              body=SessionDisconnected(conn=conn)), CommandResult)
        before = await _stale_pages_counted(suite)
        mark = len(page.inbox)
        await page.send(Hand(raised=True))
        await wait_until(lambda: _more(suite, before), timeout=10, what="the refusal counted")
        assert not [m for m in page.inbox[mark:] if isinstance(m, ErrorMessage)
                    or (isinstance(m, YouUpdate) and m.you.hand)]
        assert not any('"hand":true' in raw for raw in med.raw)

        # Nothing of it in the audit log as a denial (a stale page must not flood it).
        await med.send(Lock(locked=True))
        events = await wait_until(lambda: _audited_until(people, cast.hearing, "hearing.lock"),
                                  timeout=20, what="the lock audited")
        assert [e for e in events if e["outcome"] != "allowed"] == []
    finally:
        await nc.close()
        for client in (med, page):
            if client is not None:
                await client.close()


async def _stale_pages_counted(suite: Suite) -> float:
    async with aiohttp.ClientSession() as http, http.get(suite.metrics_url) as r:
        text = await r.text()
    found = re.search(r'parley_handled_failures_total\{[^}]*where="ws\.stale_page"[^}]*\} (\S+)',
                      text)
    return float(found.group(1)) if found else 0.0


async def _more(suite: Suite, than: float) -> bool:
    return await _stale_pages_counted(suite) > than


async def _audited_until(people: People, hearing: str, action: str) -> list[dict[str, Any]] | None:
    status, page = await people.auditor.call(
        "GET", f"/api/v1/audit/events?hearing={hearing}&limit=1000")
    assert status == 200, (status, page)
    events = [json.loads(e["entry"]) for e in page["events"]]
    return events if any(e["action"] == action for e in events) else None


def _told(kind: NoticeKind) -> Any:
    return lambda m: isinstance(m, Notice) and m.kind is kind


@pytest.mark.timeout(120)
async def test_the_mediators_other_consoles_hear_when_the_media_console_closes_and_claims(
        suite: Suite) -> None:
    """Through the gateway: the laptop holds the media, the phone shows the board. The laptop
    closes: the phone is told the media is free (and a socket opening meanwhile too); a console
    claiming it tells the others, and the move from one open console to another is audited."""
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    me = people.mediator.account_id

    async def console() -> WsClient:
        client = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing, me).connect()
        clients.append(client)
        return client

    clients: list[WsClient] = []
    try:
        laptop, phone = await console(), await console()
        await laptop.send(MediaClaim())
        await phone.wait(_told(NoticeKind.MEDIA_CLAIMED), what="the laptop's claim, told")
        await laptop.close()
        await phone.wait(_told(NoticeKind.MEDIA_FREE), what="the media free")
        tablet = await console()  # opened while nobody holds it: told after its snapshot
        await tablet.wait(_told(NoticeKind.MEDIA_FREE), what="the media free, to a new socket")
        seen = len(phone.inbox)
        await tablet.send(MediaClaim())  # "Use them here"
        await phone.wait(_told(NoticeKind.MEDIA_CLAIMED), since=seen, what="the tablet's claim")
        await phone.send(MediaClaim())  # moved from the open tablet to the phone
        await tablet.wait(_told(NoticeKind.MEDIA_ELSEWHERE), what="the tablet told to stop")
        assert not [m for m in phone.inbox[seen:] if isinstance(m, Notice)
                    and m.kind in (NoticeKind.MEDIA_ELSEWHERE, NoticeKind.MEDIA_FREE)]

        async def audited() -> list[bool]:
            status, page = await people.auditor.call(
                "GET", f"/api/v1/audit/events?hearing={cast.hearing}&action=participant.media_claim")
            assert status == 200, (status, page)
            entries = [json.loads(e["entry"]) for e in page["events"]]
            return sorted(e["details"]["moved"] for e in entries) if len(entries) == 3 else []

        # The laptop's and the tablet's claims took up a free media; the phone's moved it.
        assert await wait_until(audited, timeout=20, what="the claims audited") == [
            False, False, True]
        # The laptop's close left the media with nobody: that is in the log too, once.
        status, page = await people.auditor.call(
            "GET", f"/api/v1/audit/events?hearing={cast.hearing}&action=participant.media_free")
        assert status == 200, (status, page)
        assert [json.loads(e["entry"])["details"] for e in page["events"]] == [{"room": "plenary"}]
    finally:
        for client in clients:
            await client.close()
