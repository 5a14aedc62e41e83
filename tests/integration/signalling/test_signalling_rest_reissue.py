"""A new link for someone who joined, over the real REST API and WebSocket (the real suite):
`POST /api/v1/hearings/{h}/participants/{p}/invitations` gives the same participant a fresh link
and access code (a party cannot ask for one); redeeming it on a new device ends the old device's
socket and session, and the new session is the same participant, waiting in the lobby. Audited
as `participant.reissue`, with no secret in it."""

from __future__ import annotations

import json

import aiohttp

from proto.ws import Snapshot
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import WsClient, api, redeem, seat
from tests.people import SESSION_COOKIE, staff_people


async def _me(base_url: str, cookie: str) -> int:
    async with aiohttp.ClientSession(base_url=base_url) as http, \
            http.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}) as r:
        return r.status


async def test_new_link_for_a_joined_party_takes_over_from_the_old_device(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=2)
    party, counsel = cast.members["A1"], cast.members["A2"]
    base = f"/api/v1/hearings/{cast.hearing}/participants/{party.id}/invitations"
    old = WsClient(suite.base_url, party.headers(), cast.hearing, party.id)
    await old.connect()
    try:
        # A party (even of the same side) cannot ask for anyone's link, nor for its own.
        for member in (counsel, party):
            async with aiohttp.ClientSession(base_url=suite.base_url) as http, \
                    http.post(base, json={}, headers=member.headers()) as r:
                assert r.status == 403, r.status
        # The old link was used: it cannot be opened again.
        first = cast.invitations["A1"]
        status, reply, _ = await redeem(suite.base_url, first["token"], first["access_code"])
        assert status == 401 and reply["error"]["reason"] == "invitation_used", reply
        # With a wrong code it is only that: the link alone does not learn its person joined.
        status, reply, _ = await redeem(suite.base_url, first["token"], "WRONG-CODE1")
        assert status == 401 and reply["error"]["reason"] == "access_code_wrong", reply

        status, issued = await api(cast.mediator, "POST", base, {})
        assert status == 201, (status, issued)
        assert issued["participant"] == party.id
        assert issued["token"] != first["token"]
        assert issued["link_path"] == f"/join#t={issued['token']}"
        assert not old.closed.is_set()  # issuing alone changes nothing for the person

        status, signed, cookie = await redeem(suite.base_url, issued["token"],
                                              issued["access_code"])
        assert status == 200 and signed["participant"] == party.id, signed
        # The old device leaves the hearing at once, and its session no longer works.
        await wait_until(old.closed.wait, timeout=10, what="the old socket closed")
        assert old.close_code == 4000, old.close_code
        assert await _me(suite.base_url, party.cookie) == 401
        assert await _me(suite.base_url, cookie) == 200
        # The new device is the same participant, back in the lobby.
        party.cookie, party.csrf = cookie, signed["csrf_token"]
        new = WsClient(suite.base_url, party.headers(), cast.hearing, party.id)
        await new.connect()
        try:
            snap = next(m for m in new.inbox if isinstance(m, Snapshot))
            assert snap.view.you.id == party.id and snap.view.you.room == "lobby"
        finally:
            await new.close()
        _, detail = await api(cast.mediator, "GET", f"/api/v1/hearings/{cast.hearing}")
        assert [e["id"] for e in detail["roster"] if e["name"] == "A1"] == [party.id]
        # Someone removed gets no new link (409 with the reason).
        status, _ = await api(cast.mediator, "DELETE",
                              f"/api/v1/hearings/{cast.hearing}/participants/{counsel.id}")
        assert status == 200
        status, reply = await api(cast.mediator, "POST", f"/api/v1/hearings/{cast.hearing}/"
                                  f"participants/{counsel.id}/invitations", {})
        assert status == 409 and reply["error"]["reason"] == "participant_removed", reply
    finally:
        await old.close()

    async def reissued() -> list[dict[str, object]] | None:
        _, found = await api(people.auditor, "GET", f"/api/v1/audit/events?hearing="
                             f"{cast.hearing}&action=participant.reissue")
        entries = [json.loads(row["entry"]) for row in found["events"]]
        return [e for e in entries if e["outcome"] == "allowed"] or None

    [event] = await wait_until(reissued, timeout=30, what="the reissue audited")
    assert event["resource"]["id"] == party.id
    assert issued["access_code"] not in str(event) and issued["token"] not in str(event)
    assert issued["token"].split(".")[-1] not in str(event)


async def test_a_link_replaced_by_a_newer_one_says_so(suite: Suite) -> None:
    """The mediator sent a new link before the first was used: the first, opened with its
    right code, is refused as replaced (the page says to use the latest message), not as a
    bare withdrawal; a link withdrawn for good (the person removed) still says removed."""
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=2, redeem_all=False)
    first, spare = cast.invitations["A1"], cast.invitations["A2"]
    base = f"/api/v1/hearings/{cast.hearing}/participants/{first['participant']}/invitations"
    status, issued = await api(cast.mediator, "POST", base, {})
    assert status == 201, (status, issued)
    status, reply, _ = await redeem(suite.base_url, first["token"], first["access_code"])
    assert (status, reply["error"]["reason"]) == (401, "invitation_replaced"), reply
    # Without the old link's secret, nothing: the same answer as any forged token.
    forged = first["token"][:-4] + ("AAAA" if not first["token"].endswith("AAAA") else "BBBB")
    status, reply, _ = await redeem(suite.base_url, forged, first["access_code"])
    assert (status, reply["error"]["reason"]) == (401, "invitation_invalid"), reply
    # The newer link works.
    status, signed, _ = await redeem(suite.base_url, issued["token"], issued["access_code"])
    assert status == 200 and signed["participant"] == first["participant"], signed
    # Replaced, then removed: the removal is what the old link says.
    status, _ = await api(cast.mediator, "POST", f"/api/v1/hearings/{cast.hearing}/participants/"
                          f"{spare['participant']}/invitations", {})
    assert status == 201
    status, _ = await api(cast.mediator, "DELETE", f"/api/v1/hearings/{cast.hearing}/"
                          f"participants/{spare['participant']}")
    assert status == 200
    status, reply, _ = await redeem(suite.base_url, spare["token"], spare["access_code"])
    assert (status, reply["error"]["reason"]) == (401, "participant_removed"), reply
