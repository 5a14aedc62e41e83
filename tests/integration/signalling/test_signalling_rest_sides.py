"""Set-up changes over the real REST API and WebSocket (gateway, signalling, audit, nats-server):
a scheduled start already past is refused with its reason; a side is renamed and recoloured
under the same rules as adding one, its caucus follows the new name on the mediator's board;
a side is removed only while nobody belongs to it, each refusal with the reason the set-up page
turns into a sentence; every change is in the audit log."""

from __future__ import annotations

import json
import time
from typing import Any

from proto.ws import BoardUpdate, CaucusCreate, RoomKind
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import WsClient, api, redeem
from tests.people import Staff, staff_people

DAY_MS = 86_400_000


def _refusal(reply: Any) -> tuple[str, str | None]:
    return reply["error"]["code"], reply["error"].get("reason")


async def test_a_start_already_past_is_refused_with_its_reason(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    med = people.mediator
    now = int(time.time() * 1000)
    status, reply = await api(med, "POST", "/api/v1/hearings", {
        "title": "Set a year too early", "scheduled_at": now - 365 * DAY_MS,
        "time_zone": "Asia/Hong_Kong"})
    assert status == 400 and _refusal(reply) == ("invalid", "scheduled_in_past"), reply
    # A hearing set up as it begins (its minute already started) is no slip; nor is tomorrow.
    for title, at in (("Starting now", now - 60_000), ("Tomorrow", now + DAY_MS)):
        status, reply = await api(med, "POST", "/api/v1/hearings", {
            "title": title, "scheduled_at": at, "time_zone": "Asia/Hong_Kong"})
        assert status == 201 and reply["scheduled_at"] == at, reply
    _, listing = await api(med, "GET", "/api/v1/hearings")
    titles = {h["title"] for h in listing["hearings"]}
    assert {"Starting now", "Tomorrow"} <= titles and "Set a year too early" not in titles


async def _side(med: Staff, base: str, name: str, colour: str | None = None) -> dict[str, Any]:
    status, reply = await api(med, "POST", f"{base}/sides",
                              {"name": name, **({"colour": colour} if colour else {})})
    assert status == 201, reply
    return reply["side"]  # type: ignore[no-any-return]


async def test_sides_are_renamed_and_removed_by_the_rules(suite: Suite) -> None:
    await suite.ready()
    people = await staff_people(suite)
    med = people.mediator
    status, h = await api(med, "POST", "/api/v1/hearings", {"title": "Chan v. Lee"})
    assert status == 201
    base = f"/api/v1/hearings/{h['id']}"
    claimant = await _side(med, base, "Claimant")
    respondent = await _side(med, base, "Respondent", "c")
    expert = await _side(med, base, "Expert")
    assert (await api(med, "POST", f"{base}/open", {}))[0] == 200
    board = await WsClient(suite.base_url, med.headers(), h["id"], med.account_id).connect()
    try:
        await board.send(CaucusCreate(name="Claimant caucus", side=claimant["id"]))
        await board.wait(lambda m: isinstance(m, BoardUpdate) and any(
            r.kind is RoomKind.CAUCUS for r in m.board.rooms), what="the caucus")

        # --- renamed and recoloured: the board shows the side and its caucus anew ---------
        mark = len(board.inbox)
        status, reply = await api(med, "PATCH", f"{base}/sides/{claimant['id']}",
                                  {"name": "Chan Holdings", "colour": "e"})
        assert status == 200, reply
        assert reply == {"side": {"id": claimant["id"], "name": "Chan Holdings", "colour": "e"},
                         "caucuses_renamed": 1}
        seen = await board.wait(lambda m: isinstance(m, BoardUpdate) and any(
            r.name == "Chan Holdings caucus" for r in m.board.rooms), since=mark,
            what="the caucus under the side's new name")
        assert isinstance(seen, BoardUpdate)
        [caucus] = [r for r in seen.board.rooms if r.kind is RoomKind.CAUCUS]
        assert (caucus.side, caucus.colour) == (claimant["id"], "e")
        assert {(s.name, s.colour) for s in seen.board.sides} == {
            ("Chan Holdings", "e"), ("Respondent", "c"), ("Expert", expert["colour"])}

        # --- the rules of adding a side, against the other sides --------------------------
        side_url = f"{base}/sides/{claimant['id']}"
        status, reply = await api(med, "PATCH", side_url, {"name": "  respondent "})
        assert status == 409 and _refusal(reply) == ("conflict", "side_name_taken"), reply
        status, reply = await api(med, "PATCH", side_url, {"colour": "c"})
        assert status == 409 and _refusal(reply) == ("conflict", "side_colour_taken"), reply
        status, reply = await api(med, "PATCH", side_url, {})  # nothing to change: as it is
        assert status == 200 and (reply["side"]["name"], reply["side"]["colour"]) == (
            "Chan Holdings", "e"), reply
        status, reply = await api(med, "PATCH", f"{base}/sides/no-such-side", {"name": "X"})
        assert status == 404, reply
        for who in (people.admin, people.auditor):
            status, _ = await api(who, "PATCH", side_url, {"name": "X"})
            assert status == 403

        # --- removal: only while nobody belongs to the side -------------------------------
        status, reply = await api(med, "DELETE", f"{base}/sides/{expert['id']}")
        assert status == 200 and reply == {"side": expert["id"]}, reply
        status, invited = await api(med, "POST", f"{base}/participants", {
            "name": "Ronald Lee", "role": "party", "side": respondent["id"]})
        assert status == 201
        status, reply = await api(med, "DELETE", f"{base}/sides/{respondent['id']}")
        assert status == 409 and _refusal(reply) == ("conflict", "side_invited"), reply
        assert (await api(med, "DELETE", f"{base}/participants/{invited['participant']}"))[0] == 200
        status, reply = await api(med, "DELETE", f"{base}/sides/{respondent['id']}")
        assert status == 200, reply
        status, reply = await api(med, "DELETE", side_url)
        assert status == 409 and _refusal(reply) == ("conflict", "side_caucus"), reply
        status, joined = await api(med, "POST", f"{base}/participants", {
            "name": "Ann Chan", "role": "party", "side": claimant["id"]})
        assert status == 201
        assert (await redeem(suite.base_url, joined["token"], joined["access_code"]))[0] == 200
        assert (await api(med, "DELETE", f"{base}/participants/{joined['participant']}"))[0] == 200
        status, reply = await api(med, "DELETE", side_url)
        assert status == 409 and _refusal(reply) == ("conflict", "side_joined"), reply
        _, detail = await api(med, "GET", base)
        assert [(s["name"], s["colour"]) for s in detail["sides"]] == [("Chan Holdings", "e")]
    finally:
        await board.close()

    async def audited() -> list[dict[str, Any]] | None:
        status, page = await people.auditor.call(
            "GET", f"/api/v1/audit/events?hearing={h['id']}&limit=1000")
        assert status == 200, page
        events = [json.loads(row["entry"]) for row in page["events"]]
        changes = [e for e in events if e["action"] in ("hearing.side_rename", "hearing.side_remove")]
        return changes if len(changes) == 3 else None

    changes = await wait_until(audited, timeout=20, what="the side changes audited")
    assert [(e["action"], e["resource"]["id"], e["outcome"]) for e in changes] == [
        ("hearing.side_rename", claimant["id"], "allowed"),
        ("hearing.side_remove", expert["id"], "allowed"),
        ("hearing.side_remove", respondent["id"], "allowed")]
    assert changes[0]["details"]["previous_name"] == "Claimant"
    assert changes[0]["details"]["name"] == "Chan Holdings"
