"""Staff display names through the real suite: the admin names a mediator, the mediator creates
a hearing, and a party's WebSocket state names the mediator; a later rename reaches the party
live (an ended hearing keeps its name); neither a party nor the REST request can change the
name; the names are audited; a mediator without one is shown with none (screens then say the
role)."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from proto.ws import Admit, RoomUpdate, Snapshot, YouUpdate
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import Cast, Member, WsClient, api, seat
from tests.people import People, staff_people


def _party(suite: Suite, cast: Cast) -> tuple[Member, WsClient]:
    a1 = cast.members["A1"]
    return a1, WsClient(suite.base_url, a1.headers(), cast.hearing, a1.id)


async def _as_party(suite: Suite, member: Member, method: str, path: str,
                    body: Any) -> int:
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=member.headers()) as http, \
            http.request(method, path, json=body) as r:
        return r.status


async def _audited_names(people: People, hearing: str,
                         action: str = "hearing.create") -> list[Any]:
    status, page = await people.auditor.call(
        "GET", f"/api/v1/audit/events?hearing={hearing}&action={action}&limit=10", bearer=True)
    assert status == 200, page
    return [json.loads(row["entry"])["details"].get("mediator_name") for row in page["events"]]


async def test_the_mediator_named_by_the_admin_is_named_in_the_hearing(suite: Suite) -> None:
    people = await staff_people(suite)
    med = people.mediator
    # Before anyone names the mediator: the account has no name, the hearing carries none.
    unnamed = await seat(suite, people, sides=1, per_side=1)
    a1, party = _party(suite, unnamed)
    await party.connect()
    snap = party.inbox[0]
    assert isinstance(snap, Snapshot) and snap.view.you.mediator_name == ""
    await party.close()

    # The admin names the mediator (control and bidi characters are removed on the way in).
    status, account = await people.admin.call(
        "PATCH", f"/api/v1/accounts/{med.account_id}", {"display_name": " Ms Anna\u202e Lee\x00 "})
    assert status == 200 and account["display_name"] == "Ms Anna Lee", account
    status, listed = await people.admin.call("GET", "/api/v1/accounts")
    assert {a["username"]: a.get("display_name", "") for a in listed["accounts"]}[med.username] \
        == "Ms Anna Lee"
    status, me = await med.call("GET", "/api/v1/me")
    assert status == 200 and me["display_name"] == "Ms Anna Lee"
    for bad in ("x" * 101, "\u200b\u202e", 7):
        status, _ = await people.admin.call(
            "PATCH", f"/api/v1/accounts/{med.account_id}", {"display_name": bad})
        assert status == 400, bad

    # The name comes from the account only: a request that brings its own is refused.
    status, refused = await api(med, "POST", "/api/v1/hearings",
                                {"title": "T", "mediator_name": "Someone Else"})
    assert status == 400 and refused["error"]["code"] == "invalid", refused

    cast = await seat(suite, people, sides=1, per_side=1)
    a1, party = _party(suite, cast)
    mediator = WsClient(suite.base_url, med.headers(), cast.hearing, med.account_id)
    await mediator.connect()
    await party.connect()
    try:
        snap = party.inbox[0]
        assert isinstance(snap, Snapshot) and snap.view.you.mediator_name == "Ms Anna Lee"
        await mediator.send(Admit(participant=a1.id))
        update = await party.wait(lambda m: isinstance(m, RoomUpdate) and any(
            x.id == med.account_id for x in m.room.members), what="the plenary with the mediator")
        assert isinstance(update, RoomUpdate)
        assert {m.id: m.name for m in update.room.members}[med.account_id] == "Ms Anna Lee"

        # A party can change neither its own account nor the mediator's.
        for method, path in (("PATCH", "/api/v1/me"),
                             ("PATCH", f"/api/v1/accounts/{med.account_id}")):
            assert await _as_party(suite, a1, method, path, {"display_name": "Mallory"}) == 403

        # The mediator renames itself: the party sees the new name at once, in its own state
        # and in the room; a hearing that has ended keeps the name it was held under.
        status, _ = await api(med, "POST", f"/api/v1/hearings/{unnamed.hearing}/close", {})
        assert status == 200
        status, account = await med.call("PATCH", "/api/v1/me", {"display_name": "Dr Anna Lee"})
        assert status == 200 and account["display_name"] == "Dr Anna Lee", account
        await party.wait(lambda m: isinstance(m, YouUpdate)
                         and m.you.mediator_name == "Dr Anna Lee", what="the new name")
        await party.wait(lambda m: isinstance(m, RoomUpdate) and "Dr Anna Lee" in
                         [x.name for x in m.room.members], what="the room with the new name")
    finally:
        await party.close()
        await mediator.close()
    status, detail = await api(med, "GET", f"/api/v1/hearings/{cast.hearing}")
    assert {r["id"]: r["name"] for r in detail["roster"]}[med.account_id] == "Dr Anna Lee"
    # The first hearing took the admin's name while it was open, and kept it once closed.
    status, detail = await api(med, "GET", f"/api/v1/hearings/{unnamed.hearing}")
    assert {r["id"]: r["name"] for r in detail["roster"]}[med.account_id] == "Ms Anna Lee"

    # An admin creating a hearing for the mediator carries the mediator's name too.
    status, made = await people.admin.call(
        "POST", "/api/v1/hearings", {"title": "By the admin", "mediator": med.account_id})
    assert status == 201, made
    status, detail = await api(med, "GET", f"/api/v1/hearings/{made['id']}")
    assert {r["id"]: r["name"] for r in detail["roster"]}[med.account_id] == "Dr Anna Lee"

    # The audit trail names the mediator each hearing was created with.
    async def audited() -> bool:
        return (await _audited_names(people, cast.hearing) == ["Ms Anna Lee"]
                and await _audited_names(people, made["id"]) == ["Dr Anna Lee"]
                and await _audited_names(people, unnamed.hearing) == [""]
                and await _audited_names(people, unnamed.hearing, "hearing.mediator_rename")
                == ["Ms Anna Lee"]
                and await _audited_names(people, cast.hearing, "hearing.mediator_rename")
                == ["Dr Anna Lee"])

    await wait_until(audited, timeout=15, what="the mediator's names in the audit trail")
