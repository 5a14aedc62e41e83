"""A hearing rescheduled and renamed over the real REST API and WebSocket (gateway, signalling,
audit, nats-server): `PATCH /api/v1/hearings/{h}` by its mediator changes what the detail says,
what a party waiting in the lobby is shown at once, and how long a link not used yet works; it
is audited with the old and the new; nobody else may do it, nothing bad is let through, and an
ended hearing keeps its details."""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp

from proto.ws import YouUpdate
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import WsClient, api, redeem
from tests.people import create_staff, staff_people

DAY_MS = 86_400_000


def _refusal(reply: Any) -> tuple[str, str | None]:
    return reply["error"]["code"], reply["error"].get("reason")


async def test_the_mediator_reschedules_and_everyone_sees_it(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    med = people.mediator
    due = int(time.time() * 1000) + 10 * DAY_MS
    status, h = await api(med, "POST", "/api/v1/hearings", {
        "title": "Chan v. Lee", "scheduled_at": due, "time_zone": "Asia/Hong_Kong"})
    assert status == 201, h
    base = f"/api/v1/hearings/{h['id']}"
    status, side = await api(med, "POST", f"{base}/sides", {"name": "Claimant"})
    assert status == 201, side
    invite = {"role": "party", "side": side["side"]["id"]}
    status, ann = await api(med, "POST", f"{base}/participants", {"name": "Ann Chan", **invite})
    assert status == 201, ann
    status, ben = await api(med, "POST", f"{base}/participants", {"name": "Ben Lee", **invite})
    assert status == 201 and ben["expires_at"] == due + DAY_MS, ben
    status, signed_in, cookie = await redeem(suite.base_url, ann["token"], ann["access_code"])
    assert status == 200, signed_in
    party_headers = {"Cookie": f"parley_session={cookie}", "Parley-CSRF": signed_in["csrf_token"]}
    lobby = await WsClient(suite.base_url, party_headers, h["id"], ann["participant"]).connect()
    try:
        # --- moved a week and renamed: the detail, and Ann's waiting screen at once ---------
        later = due + 7 * DAY_MS
        mark = len(lobby.inbox)
        status, reply = await api(med, "PATCH", base, {
            "title": "Chan v. Lee (adjourned)", "scheduled_at": later, "time_zone": "Europe/London"})
        assert status == 200, reply
        assert (reply["id"], reply["title"], reply["scheduled_at"], reply["time_zone"]) == (
            h["id"], "Chan v. Lee (adjourned)", later, "Europe/London")
        _, detail = await api(med, "GET", base)
        assert (detail["title"], detail["scheduled_at"], detail["time_zone"]) == (
            "Chan v. Lee (adjourned)", later, "Europe/London")
        seen = await lobby.wait(lambda m: isinstance(m, YouUpdate)
                                and m.you.title == "Chan v. Lee (adjourned)",
                                since=mark, what="the new title in the lobby")
        assert isinstance(seen, YouUpdate) and seen.you.room == "lobby"
        assert (seen.you.scheduled_at, seen.you.time_zone) == (later, "Europe/London")
        # Ben's link, not used yet, still opens on the new day.
        [row] = [e for e in detail["roster"] if e["id"] == ben["participant"]]
        assert row["invitation"] == "pending" and row["invitation_expires_at"] == later + DAY_MS

        # --- any one detail alone; nothing bad is let through ------------------------------
        status, reply = await api(med, "PATCH", base, {"title": "  Chan v. Lee: lease  "})
        assert status == 200 and reply["title"] == "Chan v. Lee: lease", reply
        assert reply["scheduled_at"] == later and reply["time_zone"] == "Europe/London"
        for bad in ({"time_zone": "Mars/Olympus_Mons"}, {"title": ""}, {"title": None},
                    {"scheduled_at": "tomorrow"}, {"colour": "a"}):
            status, reply = await api(med, "PATCH", base, bad)
            assert status == 400 and reply["error"]["code"] == "invalid", (bad, reply)
        status, reply = await api(med, "PATCH", base, {
            "scheduled_at": int(time.time() * 1000) - 365 * DAY_MS})
        assert status == 400 and _refusal(reply) == ("invalid", "scheduled_in_past"), reply

        # --- only this hearing's mediator ----------------------------------------------------
        other = await create_staff(suite, people.admin, "mediator", "mediator-other")
        for who in (people.admin, people.auditor, other):
            status, reply = await api(who, "PATCH", base, {"title": "Taken over"})
            assert status == 403, (who.username, reply)
        status, reply = await participant_call(suite, party_headers, base, {"title": "Mine"})
        assert status == 403, reply
        status, reply = await api(med, "PATCH", "/api/v1/hearings/no-such-hearing", {"title": "X"})
        assert status == 403, reply  # as every route of a hearing it does not mediate
        _, detail = await api(med, "GET", base)
        assert detail["title"] == "Chan v. Lee: lease"
    finally:
        await lobby.close()

    # --- an ended hearing keeps the details it was held under -----------------------------
    assert (await api(med, "POST", f"{base}/close", {}))[0] == 200
    status, reply = await api(med, "PATCH", base, {"title": "After the end"})
    assert status == 409 and _refusal(reply) == ("conflict", "hearing_ended"), reply

    # --- audited: what it was and what it became ----------------------------------------------
    async def audited() -> list[dict[str, Any]] | None:
        status, page = await people.auditor.call(
            "GET", f"/api/v1/audit/events?hearing={h['id']}&action=hearing.details_change")
        assert status == 200, page
        events = [json.loads(row["entry"]) for row in page["events"]]
        return events if len(events) >= 2 else None

    events = await wait_until(audited, timeout=20, what="the changes audited")
    assert [e["details"] for e in events] == [
        {"title": "Chan v. Lee (adjourned)", "previous_title": "Chan v. Lee",
         "scheduled_at": later, "previous_scheduled_at": due,
         "time_zone": "Europe/London", "previous_time_zone": "Asia/Hong_Kong",
         "invitations_extended": 1},
        {"title": "Chan v. Lee: lease", "previous_title": "Chan v. Lee (adjourned)",
         "invitations_extended": 0}]
    assert {(e["actor"]["id"], e["outcome"]) for e in events} == {(med.account_id, "allowed")}
    # The auditors' directory names the hearing by its title now.
    status, names = await people.auditor.call(
        "GET", f"/api/v1/audit/names?kind=hearing&id={h['id']}")
    assert status == 200 and [n["name"] for n in names["names"]] == ["Chan v. Lee: lease"], names


async def participant_call(suite: Suite, headers: dict[str, str], path: str,
                     body: Any) -> tuple[int, Any]:
    """A participant's own request (its session cookie and CSRF token)."""
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=headers) as http, \
            http.patch(path, json=body) as r:
        return r.status, await r.json()
