"""A mediator disabled mid-hearing, and the hearing handed over to another (the real suite).

- Disabling the mediator closes its console's socket at once, and the parties see the mediator
  gone within a second or two: offline, hearing nobody (a socket that closed used to leave the
  mediator listed under "who can hear you" for good). Its cookie is then told "disabled" (its
  session ended with a tombstone saying so, which outlives a later re-enable), and signing in
  again with the right password and code says the account is disabled (403
  `account_disabled`), while a wrong password still gets the one 401 every failure gets.
- An administrator hands the hearing to another enabled mediator: the new one lists it, opens
  its socket and ends it; the old one (connected, not disabled) is closed out with the reason
  `handed_over` and holds nothing; the parties' pages name the new mediator; the audit trail
  says who handed what to whom.
"""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp

from proto.ws import (
    Admit,
    End,
    Notice,
    PeerConnState,
    PeerStateReport,
    RoomUpdate,
    ServerMessage,
    Snapshot,
    YouUpdate,
)
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import Cast, WsClient, _invite, api
from tests.people import PASSWORD, Staff, create_staff, staff_people


async def _hearing(suite: Suite, med: Staff, title: str) -> Cast:
    """An open hearing of `med` with one side and one redeemed party ("Mr Ho")."""
    status, h = await api(med, "POST", "/api/v1/hearings", {"title": title})
    assert status == 201, (status, h)
    assert (await api(med, "POST", f"/api/v1/hearings/{h['id']}/open", {}))[0] == 200
    status, side = await api(med, "POST", f"/api/v1/hearings/{h['id']}/sides",
                             {"name": "Claimant"})
    assert status == 201, (status, side)
    cast = Cast(hearing=h["id"], mediator=med, sides=[side["side"]["id"]])
    await _invite(suite, cast, "Mr Ho", "party", side["side"]["id"], True)
    return cast


async def _in_plenary(suite: Suite, cast: Cast) -> tuple[WsClient, WsClient]:
    """The mediator's and the party's sockets, both in plenary, each reporting a connected
    peer connection to the other (what two browsers in a call report)."""
    med, party = cast.mediator, cast.members["Mr Ho"]
    m = await WsClient(suite.base_url, med.headers(), cast.hearing, med.account_id).connect()
    p = await WsClient(suite.base_url, party.headers(), cast.hearing, party.id).connect()
    await m.send(Admit(participant=party.id))
    await p.wait(lambda x: isinstance(x, RoomUpdate) and _member(x, med.account_id) is not None
                 and _member(x, med.account_id).connected, what="the mediator in plenary")
    await m.send(PeerStateReport(peer=party.id, state=PeerConnState.CONNECTED))
    await p.send(PeerStateReport(peer=med.account_id, state=PeerConnState.CONNECTED))
    await p.wait(lambda x: isinstance(x, RoomUpdate) and party.id in (
        _member(x, med.account_id).links if _member(x, med.account_id) else []),
        what="the mediator hearing the party")
    return m, p


def _member(update: ServerMessage, pid: str) -> Any:
    assert isinstance(update, RoomUpdate)
    return next((m for m in update.room.members if m.id == pid), None)


async def _me(base_url: str, headers: dict[str, str]) -> tuple[int, Any]:
    async with aiohttp.ClientSession(base_url=base_url, headers=headers) as http, \
            http.get("/api/v1/me") as r:
        return r.status, await r.json()


async def _sign_in(base_url: str, body: dict[str, str]) -> tuple[int, Any]:
    async with aiohttp.ClientSession(base_url=base_url) as http, \
            http.post("/api/v1/auth/signin", json=body) as r:
        return r.status, await r.json()


async def test_a_disabled_mediator_leaves_at_once_and_is_told_why(suite: Suite) -> None:
    people = await staff_people(suite)
    med = await create_staff(suite, people.admin, "mediator", "mei.ling.chan")
    cast = await _hearing(suite, med, "Ho v. Ng")
    party = cast.members["Mr Ho"]
    m, p = await _in_plenary(suite, cast)
    since = len(p.inbox)
    disabled_at = time.monotonic()
    status, _ = await api(people.admin, "PATCH", f"/api/v1/accounts/{med.account_id}",
                          {"disabled": True})
    assert status == 200
    await m.closed.wait()
    assert m.close_code == 4001

    def gone(x: ServerMessage) -> bool:
        if not isinstance(x, RoomUpdate):
            return False
        me = _member(x, med.account_id)
        return me is not None and not me.connected and party.id not in me.links

    await p.wait(gone, timeout=2.0, since=since, what="the mediator gone from the party's room")
    assert time.monotonic() - disabled_at < 2.5
    # Nothing later puts the mediator back among those who hear the party.
    last = [x for x in p.inbox if isinstance(x, RoomUpdate)][-1]
    assert gone(last)

    # The mediator's page learns why its session ended.
    status, body = await _me(suite.base_url, med.headers())
    assert status == 401 and body["error"]["reason"] == "disabled", body
    # Signing in again: the right password and code say "disabled"; a wrong password does not.
    status, body = await _sign_in(suite.base_url, {"username": med.username,
                                                   "password": "not the password at all",
                                                   "totp": await med.next_totp()})
    assert status == 401 and "reason" not in body["error"], body
    unknown = await _sign_in(suite.base_url, {"username": "nobody.here", "password": PASSWORD})
    assert unknown[0] == 401 and unknown[1]["error"] == body["error"], unknown
    status, body = await _sign_in(suite.base_url, {"username": med.username, "password": PASSWORD,
                                                   "totp": await med.next_totp()})
    assert status == 403 and body["error"]["reason"] == "account_disabled", body
    # The disable ended the stored session and left its tombstone: enabled again, the old
    # cookie still says why it ended (it does not come back to life: the epoch moved on).
    assert (await api(people.admin, "PATCH", f"/api/v1/accounts/{med.account_id}",
                      {"disabled": False}))[0] == 200
    status, body = await _me(suite.base_url, med.headers())
    assert status == 401 and body["error"]["reason"] == "disabled", body
    await m.close()
    await p.close()


async def _audited(people: Any, hearing: str) -> list[dict[str, Any]]:
    status, page = await people.auditor.call(
        "GET", f"/api/v1/audit/events?hearing={hearing}&action=hearing.mediator_handover"
        "&limit=10", bearer=True)
    assert status == 200, page
    return [json.loads(row["entry"]) for row in page["events"]]


async def test_an_admin_hands_the_hearing_over_to_another_mediator(suite: Suite) -> None:
    people = await staff_people(suite)
    old = await create_staff(suite, people.admin, "mediator", "anna.lee")
    new = await create_staff(suite, people.admin, "mediator", "peter.wong")
    assert (await api(people.admin, "PATCH", f"/api/v1/accounts/{new.account_id}",
                      {"display_name": "Mr Peter Wong"}))[0] == 200
    cast = await _hearing(suite, old, "Chan v. Lam")
    party = cast.members["Mr Ho"]
    m, p = await _in_plenary(suite, cast)
    path = f"/api/v1/hearings/{cast.hearing}/mediator"

    # Only an administrator hands over, and only to an enabled mediator account.
    assert (await api(old, "POST", path, {"account": new.account_id}))[0] == 403
    assert (await api(new, "POST", path, {"account": new.account_id}))[0] == 403
    status, body = await api(people.admin, "POST", path, {"account": people.auditor.account_id})
    assert status == 404, body
    since = len(p.inbox)
    status, body = await api(people.admin, "POST", path, {"account": new.account_id})
    assert status == 200 and body["mediator"] == new.account_id, body

    # The old mediator's console is closed out, and it holds nothing any more.
    await m.closed.wait()
    assert m.close_code == 4000
    assert (await api(old, "POST", f"/api/v1/hearings/{cast.hearing}/close", {}))[0] == 403
    status, listed = await api(old, "GET", "/api/v1/hearings")
    assert status == 200 and cast.hearing not in [x["id"] for x in listed["hearings"]]
    # ... but its list says where the hearing went, and when (its console and list say so).
    (gone,) = [x for x in listed["handed_away"] if x["id"] == cast.hearing]
    assert (gone["title"], gone["to_name"]) == ("Chan v. Lam", "Mr Peter Wong")
    assert abs(gone["at"] - time.time() * 1000) < 60_000
    status, theirs = await api(new, "GET", "/api/v1/hearings")
    assert status == 200 and theirs["handed_away"] == []
    status, everything = await api(people.admin, "GET", "/api/v1/hearings")
    assert status == 200 and everything["handed_away"] == []
    # The party's page names the new mediator.
    await p.wait(lambda x: isinstance(x, YouUpdate) and x.you.mediator_name == "Mr Peter Wong",
                 since=since, what="the new mediator's name")
    await p.wait(lambda x: isinstance(x, RoomUpdate) and _member(x, new.account_id) is not None
                 and _member(x, new.account_id).name == "Mr Peter Wong"
                 and _member(x, old.account_id) is None, since=since, what="the new mediator")

    # The new mediator lists it, opens its console and ends it.
    status, listed = await api(new, "GET", "/api/v1/hearings")
    assert status == 200 and cast.hearing in [x["id"] for x in listed["hearings"]]
    status, detail = await api(new, "GET", f"/api/v1/hearings/{cast.hearing}")
    assert status == 200 and detail["mediator"] == new.account_id
    # Its former mediator is named, for the notes it left (credited to it, not to "the mediator").
    assert detail["former_mediators"] == [{"id": old.account_id, "name": ""}]
    n = await WsClient(suite.base_url, new.headers(), cast.hearing, new.account_id).connect()
    snap = n.inbox[0]
    assert isinstance(snap, Snapshot) and snap.view.board is not None
    assert snap.view.you.id == new.account_id
    await n.send(End())
    await p.wait(lambda x: isinstance(x, Notice) and x.kind == "ended", what="the end")

    # Ended from the console's socket, the party's sign-in ends once the gateway has the
    # command's result, which can be a moment after the party's page was told (signalling
    # tells the room as it ends the hearing): polled, not read once.
    async def signed_out() -> Any:
        status, body = await _me(suite.base_url, party.headers())
        return status == 401 and body["error"].get("reason") == "hearing_ended"

    await wait_until(signed_out, timeout=10, what="the party's sign-in ended with the hearing")

    async def audited() -> list[dict[str, Any]] | None:
        found = await _audited(people, cast.hearing)
        return found or None

    (entry,) = await wait_until(audited, timeout=15, what="the handover in the audit trail")
    assert entry["actor"]["id"] == people.admin.account_id
    assert entry["details"]["from"] == old.account_id
    assert entry["details"]["to"] == new.account_id
    assert entry["details"]["mediator_name"] == "Mr Peter Wong"
    await n.close()
    await m.close()
    await p.close()
