"""`parley up --cluster` on loopback: the production NATS config (3 nodes, routes with mutual TLS,
JetStream domain, TLS to every client), two gateways, two signalling, two evidence processes.

No sticky sessions: a participant on gateway 1 and the mediator on gateway 2 share a hearing; a
document uploaded through one gateway downloads through the other; signing out on one ends the
session on the other at once. Evidence's internal byte port is TLS here (the gateway checks it
against the suite's CA), so every upload and download below crossed it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import aiohttp
import pytest
import pytest_asyncio

from proto.ws import Admit, ChatMessage, ChatSend, PeerPlan
from tests.harness import wait_until
from tests.integration.cluster.clusterkit import Cluster, all_ready, start_cluster
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import create_staff, staff_people

# About 35 s here (ten processes start on two shared cores): behind `-m slow`; the default run
# keeps test_cluster_nats.py (the same NATS config, TLS and R3, in about 10 s).
#: The resumable upload below appends this much at a time (whole 64 KiB segments).
APPEND = 256 * 1024

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    running = start_cluster(tmp_path_factory.mktemp("cluster") / "data")
    yield running
    running.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ready(cluster: Cluster) -> AsyncIterator[Cluster]:
    await all_ready(cluster)
    yield cluster


async def test_cluster_runs_every_process_twice_on_replicated_jetstream(ready: Cluster) -> None:
    names = set(ready.processes())
    assert {"nats-1", "nats-2", "nats-3", "gateway-1", "gateway-2", "signalling-1",
            "signalling-2", "evidence-1", "evidence-2", "audit-1", "audit-2"} <= names
    nc = await ready.nats_as("supervisor")
    try:
        js = nc.jetstream()
        info = await js.stream_info("AUDIT")
        assert info.config.num_replicas == 3
        assert info.cluster is not None and len(info.cluster.replicas or []) == 2
        for bucket in ("parley_accounts", "parley_sessions", "parley_hearings"):
            assert (await js.stream_info(f"KV_{bucket}")).config.num_replicas == 3
    finally:
        await nc.close()
    # (that NATS refuses plain text and foreign CAs: test_cluster_nats.py)


async def test_no_sticky_sessions(ready: Cluster) -> None:
    one, two = ready.urls
    people = await staff_people(ready)  # signed in through gateway 1
    cast = await seat(ready, people, sides=1, per_side=1)
    mediator = people.mediator
    party = cast.members["A1"]

    # The mediator's socket on gateway 2, the party's on gateway 1: one hearing.
    med = await WsClient(two, mediator.headers(), cast.hearing, mediator.account_id).connect()
    a1 = await WsClient(one, party.headers(), cast.hearing, party.id).connect()
    await med.send(Admit(participant=party.id))
    await a1.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="admitted via gw2")
    await a1.send(ChatSend(text="across gateways"))
    await med.wait(lambda m: isinstance(m, ChatMessage) and m.text == "across gateways",
                   what="chat from gateway 1 at gateway 2")

    # A document uploaded through gateway 1 downloads, intact, through gateway 2.
    data = os.urandom(200_000)
    async with aiohttp.ClientSession(base_url=one, headers=party.headers()) as http, http.post(
            f"/api/v1/hearings/{cast.hearing}/documents", data=data,
            headers={"Parley-Filename": "brief.pdf", "Parley-Compartment": "joint",
                     "Content-Type": "application/pdf"}) as r:
        assert r.status == 201, await r.text()
        document = (await r.json())["document"]
    async with aiohttp.ClientSession(base_url=two, headers=mediator.headers()) as http, http.get(
            f"/api/v1/hearings/{cast.hearing}/documents/{document}/content") as r:
        assert r.status == 200
        assert hashlib.sha256(await r.read()).digest() == hashlib.sha256(data).digest()

    # Signed out on gateway 1: dead on gateway 2 at once, and its socket there is closed.
    assert (await mediator.call("POST", "/api/v1/auth/signout"))[0] == 204
    async with aiohttp.ClientSession(base_url=two, headers=mediator.headers()) as http, \
            http.get("/api/v1/me") as r:
        assert r.status == 401
    await wait_until(lambda: _true(med.closed.is_set()), timeout=10, what="gw2 socket closed")
    await a1.close()
    await med.close()


async def test_a_resumable_upload_goes_on_through_either_gateway(ready: Cluster) -> None:
    """Appends through gateway 1 and gateway 2 in turn, each staged by whichever evidence
    process answered for it (both write the one local store): the document commits with the
    digest of its bytes and downloads intact through the other gateway."""
    one, two = ready.urls
    people = await staff_people(ready)  # a mediator of its own: the one above signed out
    people = replace(people, mediator=await create_staff(ready, people.admin, "mediator",
                                                         "resuming-mediator"))
    cast = await seat(ready, people, sides=1, per_side=1)
    party = cast.members["A1"]
    data = os.urandom(8 * APPEND + 77)
    docs = f"/api/v1/hearings/{cast.hearing}/documents"
    async with aiohttp.ClientSession(base_url=one, headers=party.headers()) as http, http.post(
            docs, headers={"Parley-Filename": "long.pdf", "Parley-Compartment": "joint",
                           "Content-Type": "application/pdf", "Upload-Complete": "?0",
                           "Upload-Length": str(len(data)), "Content-Length": "0"}) as r:
        assert r.status == 201, await r.text()
        upload = r.headers["Location"]
    offset, turn, view = 0, 0, None
    while view is None:
        piece = data[offset:offset + APPEND]
        last = offset + len(piece) == len(data)
        async with aiohttp.ClientSession(base_url=(one, two)[turn % 2],
                                         headers=party.headers()) as http, http.patch(
                upload, data=piece, headers={
                    "Upload-Offset": str(offset), "Upload-Complete": "?1" if last else "?0",
                    "Content-Type": "application/partial-upload"}) as r:
            assert r.status == (201 if last else 204), await r.text()
            if last:
                view = await r.json()
            offset += len(piece)
        turn += 1
    assert view["sha256"] == hashlib.sha256(data).hexdigest()
    async with aiohttp.ClientSession(base_url=two, headers=people.mediator.headers()) as http, \
            http.get(f"{docs}/{view['document']}/content") as r:
        assert r.status == 200 and await r.read() == data


async def _true(value: bool) -> bool:
    return value
