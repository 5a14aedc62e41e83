"""A socket joining while NATS cannot confirm its hearing's subscription is told so, not cut.

A real suite; its nats-server is frozen (SIGSTOP) just before the mediator's socket joins, so the
gateway's subscription barrier (parley.natsconn.server_has_seen) times out. The socket must get
an `unavailable` error and the RFC 6455 "Try Again Later" close (1013), which the web client
retries with its back-off (gateway/webclient/js/core/socket.js), never the policy close (1008)
it takes as final; once NATS is back, the same person joins and gets the hearing's snapshot.
"""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from gateway.ws.outbound import CLOSE_TRY_AGAIN
from proto.errors import ErrorCode
from proto.ws import ErrorMessage, Join, Snapshot
from tests.harness import Suite, freeze
from tests.integration.signalling.sigclient import WsClient
from tests.people import staff_people

pytestmark = pytest.mark.slow


@pytest.fixture
def suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:  # type: ignore[misc]
    running = Suite(data_dir=tmp_path_factory.mktemp("unreachable") / "data")
    running.start()
    yield running
    running.stop()


async def test_a_join_nats_cannot_confirm_is_told_to_try_again(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    status, reply = await people.mediator.call("POST", "/api/v1/hearings", {"title": "frozen"})
    assert status == 201, reply
    hearing = reply["id"]
    nats_pid = suite.processes()["nats"]
    client = await WsClient(suite.base_url, people.mediator.headers(), hearing,
                            "mediator").connect(join=False)
    freeze(nats_pid)
    try:
        await client.send(Join(hearing=hearing))
        await asyncio.wait_for(client.closed.wait(), timeout=20)
    finally:
        os.kill(nats_pid, signal.SIGCONT)
    errors = [m for m in client.inbox if isinstance(m, ErrorMessage)]
    assert [e.code for e in errors] == [ErrorCode.UNAVAILABLE], client.raw
    assert client.close_code == CLOSE_TRY_AGAIN
    assert not any(isinstance(m, Snapshot) for m in client.inbox)
    await client.close()

    # As the web client does: come back with a back-off until seated. Signalling, frozen out
    # as long, may still be catching up: every attempt until then must be a try-again too.
    for attempt in range(8):
        again = WsClient(suite.base_url, people.mediator.headers(), hearing, "mediator")
        await again.connect(join=False)
        await again.send(Join(hearing=hearing))
        await again.wait(lambda m: isinstance(m, Snapshot | ErrorMessage), what="an answer")
        if any(isinstance(m, Snapshot) for m in again.inbox):
            break
        try:
            await asyncio.wait_for(again.closed.wait(), timeout=10)
        except TimeoutError:
            raise AssertionError(again.raw) from None
        assert again.close_code == CLOSE_TRY_AGAIN, (again.raw, again.close_code)
        await again.close()
        await asyncio.sleep(0.25 * 2 ** attempt)
    assert again.room is not None, again.raw
    await again.close()
