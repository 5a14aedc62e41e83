"""One live page per participant on a real suite: a second socket of the same party takes over,
the earlier one is closed ("taken_over", 4000) and the new one stays (the gateway closes only the
sockets signalling names: both heard the close); the earlier page takes it back the same way."""

from __future__ import annotations

import pytest

from proto.ws import Admit, Hand, PeerPlan, YouUpdate
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import staff_people

CLOSE_ENDED = 4000


@pytest.mark.timeout(120)
async def test_the_newest_socket_of_a_party_takes_over_and_the_earlier_takes_it_back(
        suite: Suite) -> None:
    await suite.ready(timeout=60)
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
