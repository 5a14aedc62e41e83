"""What the set-up screen and the console need, over the real REST API and WebSocket: a hearing's
scheduled time and zone (an unknown zone refused), side colours, invitation states (pending,
redeemed, revoked), counts in the list, an invitation in the language chosen for its person (its
link names it; a language Parley does not speak refused), the `.ics` file in the hearing's zone
and, asked so, in that language, and `move.side` moving a whole side at once with nothing of it
reaching the other side."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import aiohttp
from icalendar import Calendar

from proto.ws import Admit, BoardUpdate, CaucusCreate, MoveSide, PeerPlan, RoomKind, RoomUpdate
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient, api, seat
from tests.people import staff_people

# 1 December next year, 09:30 in Hong Kong (01:30 UTC): always ahead (a start already past is
# refused), and 09:30 there whatever the year.
SCHEDULED = int(datetime(datetime.now(UTC).year + 1, 12, 1, 9, 30,
                         tzinfo=ZoneInfo("Asia/Hong_Kong")).timestamp() * 1000)


async def test_schedule_colours_invitation_states_and_calendar(suite: Suite) -> None:
    people = await staff_people(suite)
    med = people.mediator
    status, reply = await api(med, "POST", "/api/v1/hearings", {
        "title": "Chan v. Lee", "scheduled_at": SCHEDULED, "time_zone": "Mars/Olympus"})
    assert status == 400 and reply["error"]["code"] == "invalid"
    status, h = await api(med, "POST", "/api/v1/hearings", {
        "title": "Chan v. Lee", "scheduled_at": SCHEDULED, "time_zone": "Asia/Hong_Kong"})
    assert status == 201 and h["scheduled_at"] == SCHEDULED and h["time_zone"] == "Asia/Hong_Kong"
    base = f"/api/v1/hearings/{h['id']}"
    _, a = await api(med, "POST", f"{base}/sides", {"name": "Claimant"})
    _, b = await api(med, "POST", f"{base}/sides", {"name": "Respondent", "colour": "d"})
    assert (a["side"]["colour"], b["side"]["colour"]) == ("a", "d")
    status, _ = await api(med, "POST", f"{base}/sides", {"name": "X", "colour": "z"})
    assert status == 400
    invited = {}
    for name in ("P1", "P2", "P3"):
        status, inv = await api(med, "POST", f"{base}/participants",
                                {"name": name, "role": "party", "side": a["side"]["id"]})
        assert status == 201
        invited[name] = inv
    # A letter in 繁體中文 for a party who reads it: kept with the invitation, named in its link.
    status, hant = await api(med, "POST", f"{base}/participants", {
        "name": "陳大文", "role": "party", "side": a["side"]["id"], "language": "zh-Hant"})
    assert status == 201 and hant["language"] == "zh-Hant"
    assert hant["link_path"] == f"/join#t={hant['token']}&lang=zh-Hant"
    assert invited["P2"]["link_path"] == f"/join#t={invited['P2']['token']}"
    status, reply = await api(med, "POST", f"{base}/participants", {
        "name": "Jean", "role": "party", "side": a["side"]["id"], "language": "fr"})
    assert status == 400 and reply["error"]["code"] == "invalid"
    async with aiohttp.ClientSession(base_url=suite.base_url) as http, \
            http.post("/api/v1/invitations/redeem", json={
                "token": invited["P1"]["token"],
                "access_code": invited["P1"]["access_code"]}) as response:
        assert response.status == 200
    status, _ = await api(med, "DELETE", f"{base}/participants/{invited['P3']['participant']}")
    assert status == 200
    _, detail = await api(med, "GET", base)
    states = {e["name"]: e.get("invitation") for e in detail["roster"]}
    assert states["P1"] == "redeemed" and states["P2"] == "pending" and states["P3"] == "revoked"
    assert detail["time_zone"] == "Asia/Hong_Kong" and detail["scheduled_at"] == SCHEDULED
    _, listing = await api(med, "GET", "/api/v1/hearings")
    row = next(r for r in listing["hearings"] if r["id"] == h["id"])
    assert (row["sides"], row["people"]) == (3 - 1, 3)  # two sides; P3 removed; 陳大文

    async with med.session() as http, http.get(f"{base}/calendar.ics") as response:
        assert response.status == 200 and response.content_type == "text/calendar"
        calendar = Calendar.from_ical(await response.read())
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Hong_Kong" and (start.hour, start.minute) == (9, 30)
    assert int(start.timestamp() * 1000) == SCHEDULED
    assert calendar.walk("VTIMEZONE"), "the zone travels with the event"
    assert str(event["description"]).startswith("Mediation hearing on Parley.")
    # Sent beside a letter in 繁體中文: the calendar's words are in it too.
    async with med.session() as http, http.get(f"{base}/calendar.ics?lang=zh-Hant") as response:
        assert response.status == 200
        hant_event = next(iter(Calendar.from_ical(await response.read()).walk("VEVENT")))
    assert str(hant_event["description"]).startswith("Parley 上的調解會議。")
    assert hant_event["description"].params["LANGUAGE"] == "zh-Hant"
    assert hant_event.decoded("dtstart") == start
    status, reply = await api(med, "GET", f"{base}/calendar.ics?lang=fr")
    assert status == 400 and "lang" in reply["error"]["message"]
    async with med.session() as http, http.get(f"{base}/calendar.ics") as response:
        text = await response.text()
    for secret in (invited["P2"]["token"], invited["P2"]["access_code"]):
        assert secret not in text
    # Unscheduled: a sentence-able conflict, not an empty file.
    _, plain = await api(med, "POST", "/api/v1/hearings", {"title": "No date"})
    async with med.session() as http, \
            http.get(f"/api/v1/hearings/{plain['id']}/calendar.ics") as response:
        assert response.status == 409
    # Another mediator's hearing: refused.
    status, _ = await api(people.auditor, "GET", f"{base}/calendar.ics")
    assert status == 403


LONG_TITLE = ("Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 "
              "(first session, with a deliberately long title)")


async def test_a_party_downloads_the_calendar_file_under_the_hearings_title(suite: Suite) -> None:
    """A party waiting for the hearing reads its calendar file too (its start, nothing of its
    people), saved under its title cut at a word, in UTF-8 with an ASCII fallback."""
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    base = f"/api/v1/hearings/{cast.hearing}"
    status, _ = await api(people.mediator, "PATCH", base, {
        "title": LONG_TITLE, "scheduled_at": SCHEDULED, "time_zone": "Asia/Hong_Kong"})
    assert status == 200
    party = next(iter(cast.members.values()))
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=party.headers()) as http, \
            http.get(f"{base}/calendar.ics?lang=zh-Hant") as response:
        assert response.status == 200 and response.content_type == "text/calendar"
        disposition = response.headers["Content-Disposition"]
        calendar = Calendar.from_ical(await response.read())
    event = next(iter(calendar.walk("VEVENT")))
    assert int(event.decoded("dtstart").timestamp() * 1000) == SCHEDULED
    assert str(event["summary"]) == LONG_TITLE
    stem = "Chan v. Wong; Mong Kok shop lease, day 1 — 陳氏與黃氏商舖租約調解 (first session, with a…"
    assert disposition.endswith(f"; filename*=UTF-8''{quote(stem + '.ics', safe='')}")
    assert disposition.startswith('attachment; filename="Chan_v._Wong_') and disposition.isascii()
    assert '_with_a_.ics"' in disposition  # the fallback: ASCII, cut at the same word
    # Another hearing's party: refused (the gateway's rule, then signalling's).
    other = await seat(suite, people, sides=1, per_side=1)
    stranger = next(iter(other.members.values()))
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=stranger.headers()) as http, \
            http.get(f"{base}/calendar.ics") as response:
        assert response.status == 403


async def test_move_side_over_the_wire(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=2, per_side=2)
    m = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                       people.mediator.account_id).connect()
    clients = {name: await WsClient(suite.base_url, cast.members[name].headers(), cast.hearing,
                                    cast.members[name].id).connect()
               for name in ("A1", "A2", "B1", "B2")}
    try:
        for member in cast.members.values():
            await m.send(Admit(participant=member.id))
        await m.wait(lambda x: isinstance(x, BoardUpdate) and sum(
            len(r.members) for r in x.board.rooms if r.kind is RoomKind.PLENARY) == 5,
            what="everyone in plenary")

        await m.send(CaucusCreate(name="Side B", side=cast.sides[1], move_side=True))
        board = await m.wait(lambda x: isinstance(x, BoardUpdate) and any(
            r.kind is RoomKind.CAUCUS and len(r.members) == 2 for r in x.board.rooms),
            what="side B in its caucus")
        assert isinstance(board, BoardUpdate)
        caucus = next(r for r in board.board.rooms if r.kind is RoomKind.CAUCUS)
        assert caucus.colour == "b" and {x.id for x in caucus.members} == {
            cast.members["B1"].id, cast.members["B2"].id}
        # No board ever showed one of B in the caucus without the other.
        for message in m.inbox:
            if isinstance(message, BoardUpdate):
                for room in message.board.rooms:
                    if room.kind is RoomKind.CAUCUS:
                        assert len(room.members) in (0, 2)
        for name in ("A1", "A2"):
            plan = await clients[name].wait(lambda x: isinstance(x, PeerPlan) and len(x.drop) == 2,
                                            what="A drops both of B together")
            assert isinstance(plan, PeerPlan)
            assert set(plan.drop) == {cast.members["B1"].id, cast.members["B2"].id}
            assert not any(isinstance(x, RoomUpdate) and x.room.id == caucus.id
                           for x in clients[name].inbox)
        await m.send(MoveSide(side=cast.sides[1], room="plenary"))
        await m.wait(lambda x: isinstance(x, BoardUpdate) and all(
            len(r.members) == 0 for r in x.board.rooms if r.kind is RoomKind.CAUCUS),
            what="side B back in plenary")
    finally:
        for client in [m, *clients.values()]:
            await client.close()
