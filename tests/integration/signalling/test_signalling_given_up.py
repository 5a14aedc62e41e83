"""A gateway cut off from signalling for longer than the gateway timeout, its sockets open all the
while (here: the gateway process stopped with SIGSTOP, then resumed). Signalling takes them for
closed meanwhile, so their people are in no room. On the gateway's next heartbeat it is told so
(`HeartbeatReply.given_up`) and closes them with 1013; the clients reconnect and are back in their
room (within the reconnection grace). Before, the sockets stayed open and their chat was refused
("chat is for people in a room") until the person reloaded the page.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from proto.ws import Admit, ChatMessage, ChatSend, PeerPlan
from tests.harness import Suite, freeze
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import staff_people

TIMEOUT_S = 3.0
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    data_dir: Path = tmp_path_factory.mktemp("givenup") / "data"
    running = Suite(data_dir=data_dir, extra_env={
        "PARLEY_RECONNECT_GRACE_S": "20", "PARLEY_GATEWAY_TIMEOUT_S": str(TIMEOUT_S),
        "PARLEY_WS_HEARTBEAT_S": "1", "PARLEY_SWEEP_INTERVAL_S": "0.2"})
    running.start()
    yield running
    running.stop()


async def test_sockets_signalling_gave_up_on_reconnect_into_their_room(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    mediator, member = people.mediator, cast.members["A1"]
    med = await WsClient(suite.base_url, mediator.headers(), cast.hearing,
                         mediator.account_id).connect()
    a1 = await WsClient(suite.base_url, member.headers(), cast.hearing, member.id).connect()
    await med.send(Admit(participant=member.id))
    await a1.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="admitted")

    gateway = suite.processes()["gateway"]
    freeze(gateway)
    try:
        await asyncio.sleep(TIMEOUT_S + 2)  # signalling sweeps its sockets meanwhile
    finally:
        os.kill(gateway, signal.SIGCONT)

    for client in (a1, med):
        await asyncio.wait_for(client.closed.wait(), 15)
        assert client.close_code == 1013, client.close_code  # "try again later": reconnect
        await client.close()
    med = await WsClient(suite.base_url, mediator.headers(), cast.hearing,
                         mediator.account_id).connect()
    a1 = await WsClient(suite.base_url, member.headers(), cast.hearing, member.id).connect()
    assert a1.room == "plenary"
    await a1.send(ChatSend(text="back"))
    await med.wait(lambda m: isinstance(m, ChatMessage) and m.text == "back", what="chat")
    for client in (a1, med):
        await client.close()
