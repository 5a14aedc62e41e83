"""Why a participant's session ended, told to its cookie afterwards (on the real suite).

The gateway keeps a tombstone for each session it ends (gateway/identity/session_revoke.py): a
fresh client presenting the same cookie (another tab, the next day) gets 401 with `reason`
hearing_ended / removed / denied; a session signed out (or expired) gets no reason.

A page told that its place is over (notice ended / denied) finds its cookie dead at once: the
gateway holding its socket ends its sessions before it relays the notice (gateway/ws/session.py),
so `/me`, asked once the moment the notice arrives, is refused; no polling.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from proto.ws import Deny, End, Notice, ServerMessage
from tests.harness import Suite
from tests.integration.signalling.sigclient import Member, WsClient, api, seat
from tests.people import staff_people


async def _me(suite: Suite, member: Member) -> tuple[int, Any]:
    """`GET /api/v1/me` from a new client holding only the member's cookie."""
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=member.headers()) as http, \
            http.get("/api/v1/me") as r:
        return r.status, await r.json()


def _me_when_told(suite: Suite, party: WsClient, member: Member,
                  kind: str) -> asyncio.Future[tuple[int, Any]]:
    """`/me` with the member's cookie, asked the moment its socket receives notice `kind`."""
    answer: asyncio.Future[tuple[int, Any]] = asyncio.get_running_loop().create_future()

    def told(message: ServerMessage) -> None:
        if isinstance(message, Notice) and message.kind == kind and not answer.done():
            task = asyncio.create_task(_me(suite, member))
            task.add_done_callback(lambda t: answer.set_result(t.result()))

    party.listeners.append(told)
    return answer


async def _ws_refusal(suite: Suite, member: Member, hearing: str) -> tuple[int, Any]:
    """The WebSocket upgrade's refusal for the member's cookie (a plain GET would not do: the
    route is the upgrade)."""
    headers = {**member.headers(), "Connection": "Upgrade", "Upgrade": "websocket",
               "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    async with aiohttp.ClientSession(base_url=suite.base_url) as http, \
            http.get(f"/api/v1/ws?hearing={hearing}", headers=headers) as r:
        return r.status, await r.json()


async def test_a_closed_hearing_and_a_removal_are_told_to_the_cookie(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=1)
    a1, b1 = cast.members["A1"], cast.members["B1"]
    assert (await _me(suite, a1))[0] == 200
    status, body = await api(people.mediator, "DELETE",
                             f"/api/v1/hearings/{cast.hearing}/participants/{b1.id}")
    assert status == 200 and body["end_sessions"] == [b1.id], (status, body)
    status, body = await api(people.mediator, "POST", f"/api/v1/hearings/{cast.hearing}/close",
                             {})
    assert status == 200 and body["end_sessions"] == [a1.id], (status, body)

    status, body = await _me(suite, a1)
    assert status == 401 and body["error"]["reason"] == "hearing_ended", body
    assert set(body["error"]) == {"code", "message", "reason"}  # nothing else, nothing secret
    status, body = await _ws_refusal(suite, a1, cast.hearing)
    assert status == 401 and body["error"]["reason"] == "hearing_ended", body
    status, body = await _me(suite, b1)
    assert status == 401 and body["error"]["reason"] == "removed", body


async def test_a_denied_participant_is_told_and_a_signed_out_one_is_not(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=2)
    a1, a2 = cast.members["A1"], cast.members["A2"]
    # Denied over the mediator's WebSocket (the reason comes from the command, not REST).
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    party = await WsClient(suite.base_url, a1.headers(), cast.hearing, a1.id).connect()
    told = _me_when_told(suite, party, a1, "denied")
    await med.send(Deny(participant=a1.id))
    await asyncio.wait_for(party.closed.wait(), 10)
    assert party.close_code == 4000, party.close_code  # signalling's close, not "signed out"
    status, body = await asyncio.wait_for(told, 10)
    assert status == 401 and body["error"]["reason"] == "denied", body
    await party.close()
    await med.close()

    async with aiohttp.ClientSession(base_url=suite.base_url, headers=a2.headers()) as http, \
            http.post("/api/v1/auth/signout") as r:
        assert r.status == 204
    status, body = await _me(suite, a2)
    assert status == 401 and "reason" not in body["error"], body


async def test_every_party_told_the_hearing_ended_is_already_signed_out(suite: Suite) -> None:
    """Ended over the mediator's WebSocket with eight parties connected to this gateway: each
    party's `/me`, asked as its socket receives `ended`, is refused with the reason (the eight
    ends share passes over the sessions bucket: session_revoke.py), and each socket is closed by
    signalling's close. A party of another hearing, connected meanwhile, keeps its session."""
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=4)
    other = await seat(suite, people, sides=1, per_side=1)
    bystander = other.members["A1"]
    elsewhere = await WsClient(suite.base_url, bystander.headers(), other.hearing,
                               bystander.id).connect()
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    parties = {name: await WsClient(suite.base_url, member.headers(), cast.hearing,
                                    member.id).connect()
               for name, member in cast.members.items()}
    assert len(parties) == 8
    told = {name: _me_when_told(suite, party, cast.members[name], "ended")
            for name, party in parties.items()}
    await med.send(End())
    for name, answer in told.items():
        status, body = await asyncio.wait_for(answer, 20)
        assert status == 401 and body["error"]["reason"] == "hearing_ended", (name, body)
    for party in parties.values():
        await asyncio.wait_for(party.closed.wait(), 10)
        assert party.close_code == 4000, party.close_code
    # The console is told too; its own staff session goes on, and so does the bystander's.
    await med.wait(lambda m: isinstance(m, Notice) and m.kind == "ended", what="ended")
    assert (await people.mediator.call("GET", "/api/v1/me"))[0] == 200
    assert (await _me(suite, bystander))[0] == 200
    assert not elsewhere.closed.is_set()
    await med.close()
    await elsewhere.close()
    for party in parties.values():
        await party.close()
