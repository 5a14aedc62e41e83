"""Hostile and odd input through the real gateway: every failure is typed, nothing is lost.

One real suite (`parley up`) for the module. Each test is the regression test of a defect an
adversarial probe found: a refused close that still shredded documents, invalid UTF-8 inside JSON
answered with 500 (and a WebSocket closed without an `error`), usernames the pattern accepts that
broke the KV store, hearings made for a mediator that does not exist, control and bidi-override
characters kept in titles and names, and integer fields that refused `544.0`.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from gateway.openapi.document import DOCUMENT_PATH
from proto.ws import ErrorMessage, Mute, YouUpdate
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import WsClient, api, seat
from tests.people import PASSWORD, People, create_staff, staff_people

BAD_UTF8 = b'{"\xff\xfe": "\xc3\x28", "title": "caf\xe9"}'
SOME_ID = "01J0000000000000000000000A"


@pytest.fixture
async def people(suite: Suite) -> People:
    await suite.ready()
    return await staff_people(suite)  # memoised per suite


def _json_routes() -> list[tuple[str, str]]:
    spec = json.loads(DOCUMENT_PATH.read_text())
    return sorted((method.upper(), path) for path, ops in spec["paths"].items()
                  for method, op in ops.items()
                  if "application/json" in op.get("requestBody", {}).get("content", {}))


async def _raw(http: aiohttp.ClientSession, method: str, path: str,
               data: bytes) -> tuple[int, Any]:
    async with http.request(method, path, data=data,
                            headers={"Content-Type": "application/json"}) as r:
        body = await r.json() if r.content_type == "application/json" else await r.text()
        return r.status, body


async def test_invalid_utf8_in_json_is_a_typed_400_on_every_json_route(
        suite: Suite, people: People) -> None:
    routes = _json_routes()
    assert len(routes) >= 10, routes
    for method, template in routes:
        path = template.replace("{hearing}", SOME_ID).replace("{document}", SOME_ID) \
            .replace("{participant}", SOME_ID).replace("{id}", SOME_ID).replace("{token}", SOME_ID)
        for who, headers in (("anonymous", {}), ("admin", people.admin.headers()),
                             ("mediator", people.mediator.headers())):
            async with aiohttp.ClientSession(base_url=suite.base_url, headers=headers) as http:
                status, body = await _raw(http, method, path, BAD_UTF8)
            assert status < 500, (who, method, path, status, body)
            assert isinstance(body, dict) and body["error"]["code"], (who, method, path, body)
            if status == 400:
                assert body["error"]["code"] == "invalid", body
    # Where the caller may use the route, the answer is exactly 400: anonymous sign-in and
    # redemption, a mediator creating a hearing.
    async with aiohttp.ClientSession(base_url=suite.base_url) as http:
        for path in ("/api/v1/auth/signin", "/api/v1/invitations/redeem"):
            status, body = await _raw(http, "POST", path, BAD_UTF8)
            assert (status, body["error"]["code"]) == (400, "invalid"), (path, body)
    async with people.mediator.session() as http:
        status, body = await _raw(http, "POST", "/api/v1/hearings", BAD_UTF8)
        assert (status, body["error"]["code"]) == (400, "invalid"), body


async def test_invalid_utf8_on_the_websocket_is_an_error_message_and_the_socket_lives(
        suite: Suite, people: People) -> None:
    cast = await seat(suite, people, sides=1, per_side=1)
    member = cast.members["A1"]
    client = await WsClient(suite.base_url, member.headers(), cast.hearing, member.id).connect()
    try:
        mark = len(client.inbox)
        await client.send_raw(b'{"type": "chat", "text": "\xff\xfe"}')
        await client.wait(lambda m: isinstance(m, ErrorMessage) and m.code == "invalid",
                          what="a typed error for invalid UTF-8", since=mark)
        await client.send_raw('{"type": "chat", "text": "\ud800"}'.encode("utf-8", "surrogatepass"))
        await client.wait(lambda m: isinstance(m, ErrorMessage), since=mark + 1,
                          what="a typed error for an encoded surrogate")
        assert not client.closed.is_set()
        mark = len(client.inbox)
        await client.send(Mute(muted=True))  # allowed in the lobby (a hand is not)
        await client.wait(lambda m: isinstance(m, YouUpdate) and m.you.muted, since=mark,
                          what="the socket still serves commands")
    finally:
        await client.close()


async def _upload(http: aiohttp.ClientSession, hearing: str, name: str) -> str:
    async with http.post(f"/api/v1/hearings/{hearing}/documents", data=b"keep me", headers={
            "Parley-Filename": name, "Parley-Compartment": "joint"}) as r:
        reply = await r.json()
        assert r.status == 201, reply
    document: str = reply["document"]
    return document


async def _events(people: People, hearing: str, action: str) -> list[dict[str, Any]]:
    status, page = await people.auditor.call(
        "GET", f"/api/v1/audit/events?hearing={hearing}&action={action}&limit=1000", bearer=True)
    assert status == 200, page
    return [json.loads(row["entry"]) for row in page["events"]]


async def test_a_refused_close_destroys_nothing_and_a_destroying_close_is_idempotent(
        suite: Suite, people: People) -> None:
    med = people.mediator
    status, kept = await api(med, "POST", "/api/v1/hearings", {"title": "Closed, then refused"})
    assert status == 201, kept
    async with med.session() as http:
        document = await _upload(http, kept["id"], "keep.txt")
    status, body = await api(med, "POST", f"/api/v1/hearings/{kept['id']}/close", {})
    assert status == 200 and not body.get("documents_destroyed"), body
    status, body = await api(med, "POST", f"/api/v1/hearings/{kept['id']}/close",
                             {"destroy_documents": True})
    assert status == 409, body  # refused: the hearing is already closed without destruction
    async with med.session() as http, \
            http.get(f"/api/v1/hearings/{kept['id']}/documents/{document}/content") as r:
        assert (r.status, await r.read()) == (200, b"keep me")  # and nothing was shredded

    status, doomed = await api(med, "POST", "/api/v1/hearings", {"title": "Destroyed once"})
    assert status == 201, doomed
    hearing = doomed["id"]
    async with med.session() as http:
        document = await _upload(http, hearing, "doomed.txt")
    for _ in range(2):  # the same request again (a retry after a failed shred) is answered again
        status, body = await api(med, "POST", f"/api/v1/hearings/{hearing}/close",
                                 {"destroy_documents": True})
        assert status == 200 and body["documents_destroyed"] is True, body
    status, body = await api(med, "POST", f"/api/v1/hearings/{hearing}/close", {})
    assert status == 409, body  # a different close of a closed hearing is refused
    async with med.session() as http, \
            http.get(f"/api/v1/hearings/{hearing}/documents/{document}/content") as r:
        assert r.status == 404
    # Audited once: wait for a later evidence event of this hearing, then count.
    status, _ = await api(med, "GET", f"/api/v1/hearings/{hearing}/documents")
    assert status == 200

    async def listed() -> bool:
        return bool(await _events(people, hearing, "document.list"))

    await wait_until(listed, timeout=20, what="the later document.list event")
    assert len(await _events(people, hearing, "document.shred")) == 1
    assert len(await _events(people, hearing, "hearing.close")) == 1


@pytest.mark.parametrize("username", ["abc.", "ab..cd"])
async def test_every_username_the_pattern_accepts_signs_in_and_failures_count(
        suite: Suite, people: People, username: str) -> None:
    created = await create_staff(suite, people.admin, "mediator", username)
    status, me = await created.call("GET", "/api/v1/me")
    assert status == 200 and me["username"] == username, me
    status, body = await people.admin.call("POST", "/api/v1/accounts", {
        "username": username, "role": "mediator", "password": PASSWORD})
    assert status == 409, body  # the claim holds: no second account of that name
    statuses = []
    async with aiohttp.ClientSession(base_url=suite.base_url) as http:
        for _ in range(5):
            async with http.post("/api/v1/auth/signin", json={
                    "username": username, "password": "wrong password entirely"}) as r:
                statuses.append(r.status)
    # Counted against the name: the first failures are plain refusals, then it backs off.
    assert statuses[0] == 401 and 429 in statuses, statuses


async def test_a_hearing_names_an_enabled_mediator_and_its_text_is_cleaned(
        suite: Suite, people: People) -> None:
    admin = people.admin
    for wrong in (people.auditor.account_id, people.admin.account_id, SOME_ID):
        status, body = await api(admin, "POST", "/api/v1/hearings",
                                 {"title": "Matter", "mediator": wrong})
        assert status == 404 and body["error"]["code"] == "not_found", (wrong, status, body)
    status, created = await api(admin, "POST", "/api/v1/hearings", {
        "title": "Acme\u202efdp.exe\x00 v Beta", "mediator": people.mediator.account_id})
    assert status == 201, created
    assert created["title"] == "Acmefdp.exe v Beta", created
    hearing = created["id"]
    status, detail = await api(people.mediator, "GET", f"/api/v1/hearings/{hearing}")
    assert status == 200 and detail["title"] == "Acmefdp.exe v Beta", detail
    status, side = await api(people.mediator, "POST", f"/api/v1/hearings/{hearing}/sides",
                             {"name": "\u2067Claimant\u2069\t"})
    assert status == 201 and side["side"]["name"] == "Claimant", side
    status, body = await api(people.mediator, "POST", f"/api/v1/hearings/{hearing}/sides",
                             {"name": "\u202e\u200b"})
    assert status == 400 and body["error"]["code"] == "invalid", body


async def test_the_server_keeps_the_documents_contract(suite: Suite, people: People) -> None:
    """/ice-servers needs ?hearing= from everyone; a schema-valid SDP is never 413 and an
    over-long one is 400; an integral float is an integer."""
    cast = await seat(suite, people, sides=1, per_side=1)
    party, med = cast.members["A1"], people.mediator
    for headers in (party.headers(), med.headers()):
        async with aiohttp.ClientSession(base_url=suite.base_url, headers=headers) as http:
            async with http.get("/api/v1/ice-servers") as r:
                assert r.status == 400, await r.text()
            async with http.get(f"/api/v1/ice-servers?hearing={cast.hearing}") as r:
                assert r.status == 200, await r.text()
    async with aiohttp.ClientSession(base_url=suite.base_url, headers=party.headers()) as http:
        async with http.get(f"/api/v1/ice-servers?hearing={SOME_ID}") as r:
            assert r.status == 403, await r.text()  # not the party's own hearing
        # 64 Ki characters of line breaks: valid by the schema, a 128 KiB JSON body.
        async with http.post("/api/v1/techcheck",
                             json={"sdp": "v=0" + "\r\n" * (32 * 1024 - 2)}) as r:
            body = await r.json()
            assert r.status == 400 and "media" in body["error"]["message"], body
        async with http.post("/api/v1/techcheck", json={"sdp": "x" * (64 * 1024 + 1)}) as r:
            assert r.status == 400, await r.text()  # over the schema's maxLength: 400, not 413
    status, issued = await api(med, "POST", f"/api/v1/hearings/{cast.hearing}/participants", {
        "name": "Late", "role": "observer", "expires_in_s": 544.0})
    assert status == 201, issued
