"""A document's earlier versions through the real suite: `GET …/documents/{d}/versions` and
`GET …/content?version=<id>`, for every kind of principal, as the document's latest version is
shared from side A with the mediator in confidence, then with everyone.

A release widens the latest version only: the first draft stays with side A throughout, so a
reader of the shared document who is not on side A never sees that draft's id in the list and
gets 404 for it. Expected results are written out here by hand from DESIGN §1 (as in
test_evidence_compartments): 401 anonymous; 403 refused by the gateway's coarse rule or, for a
non-member, by evidence; 404 for a member who may not read the document, for each of its version
ids too, exactly as for a document or version that does not exist; 200 allowed. An unknown
version id is 404 for everyone who may read the document; a malformed one is 400 `invalid`,
never a 500. Reading the list is audited as its own action (`document.versions_list`, with
`versions` in its details), a refusal as `document.denied`, like every other read; a release
names the version it shared.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import quote

import msgspec

from tests.harness import Suite, wait_until
from tests.integration.evidence.evidence_world import World, world_of

PRINCIPALS = ("anonymous", "admin", "auditor", "mediator", "other_mediator", "partyA",
              "counselA", "partyB", "observer_in", "observer_lobby", "stranger")
MEMBERS = {"mediator", "partyA", "counselA", "partyB", "observer_in"}
GATEWAY_REFUSES = {"admin", "auditor", "stranger"}
SIDE_A = {"partyA", "counselA"}
#: Who may read the latest version at each stage of its life (DESIGN §1); the first version,
#: never released, is side A's at every stage.
STAGES = {
    "side:sideA": SIDE_A,
    "confidential:sideA": SIDE_A | {"mediator"},
    "joint": SIDE_A | {"mediator", "partyB", "observer_in"},
}


def expected(who: str, readers: set[str]) -> int:
    if who == "anonymous":
        return 401
    if who in GATEWAY_REFUSES or who not in MEMBERS:
        return 403
    return 200 if who in readers else 404


async def _two_versions(world: World) -> tuple[str, dict[str, bytes]]:
    """partyA uploads a PDF to side A, then counselA a second version under the same name."""
    name = f"settlement-terms-{secrets.token_hex(4)}.pdf"
    contents = {}
    document = ""
    for who, text in (("partyA", b"%PDF-1.4 first draft "), ("counselA", b"%PDF-1.4 revised ")):
        content = text + secrets.token_bytes(3000)
        status, view = await world.upload(who, name, content, "side:sideA",
                                          **{"Content-Type": "application/pdf"})
        assert status == 201, view
        assert document in ("", view["document"]), "a second upload of a name is a new version"
        document = view["document"]
        contents[view["version"]] = content
    assert len(contents) == 2
    return document, contents


async def _versions(world: World, who: str, document: str) -> tuple[int, Any]:
    status, body = await world[who].call("GET", f"{world.docs()}/{document}/versions")
    return status, msgspec.json.decode(body) if body else None


async def test_every_principal_reads_exactly_the_versions_it_may(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    document, contents = await _two_versions(world)
    first, second = sorted(contents)  # version ids sort by time
    uploaders = {second: "counselA", first: "partyA"}
    content = f"{world.docs()}/{document}/content"
    release = f"{world.docs()}/{document}/release"
    unknown = secrets.token_hex(12)
    failures: list[tuple[object, ...]] = []
    for stage, readers in STAGES.items():
        may_read = {second: readers, first: SIDE_A}
        places = {second: world.real(stage), first: world.real("side:sideA")}
        if stage != "side:sideA":
            # Naming a version that is no longer the latest shares nothing.
            status, body = await world["partyA"].call(
                "POST", release, json={"to": world.real(stage), "version": first})
            error = msgspec.json.decode(body)["error"]
            assert (status, error["code"], error["reason"]) == (409, "conflict",
                                                                "newer_version"), body
            # A version the document never had: not found, and said why.
            status, body = await world["partyA"].call(
                "POST", release, json={"to": world.real(stage), "version": unknown})
            error = msgspec.json.decode(body)["error"]
            assert (status, error["code"], error["reason"]) == (404, "not_found",
                                                                "version_not_found"), body
            status, _ = await world["partyA"].call(
                "POST", release, json={"to": world.real(stage), "version": second})
            assert status == 200, stage
        for who in PRINCIPALS:
            want = expected(who, readers)
            readable = [v for v in (second, first) if who in may_read[v]]
            status, reply = await _versions(world, who, document)
            if status != want:
                failures.append((stage, who, "versions", status, want))
            elif status == 200:
                listed = [(v["version"], v["size"], v["sha256"], v["uploaded_by"],
                           v["compartment"]) for v in reply["versions"]]
                wanted = [(v, len(contents[v]), hashlib.sha256(contents[v]).hexdigest(),
                           world[uploaders[v]].principal_id, places[v]) for v in readable]
                if listed != wanted:
                    failures.append((stage, who, "versions listed", listed, wanted))
                assert reply["document"]["version"] == second
                assert reply["document"].get("versions", 1) == len(readable)  # 1: omitted
            for version in (first, second):
                version_want = expected(who, may_read[version])
                got, body = await world[who].call("GET", f"{content}?version={version}")
                if got != version_want:
                    failures.append((stage, who, version, got, version_want))
                elif got == 200 and body != contents[version]:
                    failures.append((stage, who, version, "wrong bytes"))
                elif got != 200:
                    assert contents[version] not in body and b"settlement" not in body, body
            # A version id no version has: as for a document that does not exist.
            got, _ = await world[who].call("GET", f"{content}?version={unknown}")
            if got != (404 if want == 200 else want):
                failures.append((stage, who, "unknown version", got))
            if who in readers:  # the listing counts the versions its reader may read
                status, body = await world[who].call("GET", world.docs())
                # ... and of those, the side's draft once the latest is wider: every reader
                # of the document shares the count of the rest.
                counts = {d["document"]: (d.get("versions", 1), d.get("side_versions", 0),
                                          d.get("confidential_versions", 0))
                          for d in msgspec.json.decode(body)["documents"]}
                kept = int(first in readable and stage != "side:sideA")
                if counts.get(document) != (len(readable), kept, 0):
                    failures.append((stage, who, "listed count", counts.get(document)))
                if (reply["document"].get("side_versions", 0),
                        reply["document"].get("confidential_versions", 0)) != (kept, 0):
                    failures.append((stage, who, "versions' count", reply["document"]))
    assert not failures, failures
    # Each release is audited naming the version it shared (the latest), never the draft.
    async def released() -> list[dict[str, Any]] | None:
        events = await world.audit_events("document.release", "document", document)
        return events if len(events) >= 2 else None

    events = await wait_until(released, timeout=20, what="both releases audited")
    assert [(e["outcome"], e["details"]["version"], e["details"]["to"]) for e in events] == [
        ("allowed", second, world.real(stage)) for stage in ("confidential:sideA", "joint")]


async def test_a_bad_version_is_a_clear_refusal_and_reads_are_audited(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    document, contents = await _two_versions(world)
    content = f"{world.docs()}/{document}/content"
    for who in ("partyA", "partyB"):  # a reader, and a member who may not read it
        for bad in ("", "..%2F..%2Fkeys", "a%20b", "x" * 65, "v1&version=v2"):
            status, body = await world[who].call("GET", f"{content}?version={bad}")
            assert status == 400, (who, bad, status, body)
            assert msgspec.json.decode(body)["error"]["code"] == "invalid", body
    first = sorted(contents)[0]
    # Asked with a Range, the version's bytes are the range of that version.
    status, body = await world["partyA"].call("GET", f"{content}?version={first}",
                                              headers={"Range": "bytes=0-19"})
    assert (status, body) == (206, contents[first][:20])
    # Audited like the other reads: the list as a listing of versions, a refusal as a denial.
    assert (await _versions(world, "partyA", document))[0] == 200
    assert (await _versions(world, "partyB", document))[0] == 404
    assert (await world["partyB"].call("GET", f"{content}?version={first}"))[0] == 404
    async def events(action: str) -> list[dict[str, Any]]:
        return await world.audit_events(action, "document", document)

    async def audited() -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
        viewed = [e for e in await events("document.versions_list")
                  if e["actor"]["id"] == world["partyA"].principal_id]
        denied = [e for e in await events("document.denied")
                  if e["actor"]["id"] == world["partyB"].principal_id]
        return (viewed, denied) if viewed and len(denied) >= 2 else None

    viewed, denied = await wait_until(audited, timeout=20, what="the versions reads audited")
    assert viewed[-1]["details"]["versions"] == 2
    assert viewed[-1]["details"]["version"] == sorted(contents)[1]
    assert {e["outcome"] for e in denied} == {"denied"}


async def test_opened_in_the_page_and_downloaded_leave_two_different_entries(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """The web client's viewer declares `?purpose=view`; a download, `purpose=download` or
    nothing. Both are `document.download` (the bytes left the service either way) with the
    purpose in the details, so an auditor tells "opened it in the page" from "took a copy";
    each with its byte range as before. Any other purpose is `invalid`, and nothing is read."""
    world = await world_of(evidence_suite)
    document, contents = await _two_versions(world)
    first, latest = sorted(contents)
    content = f"{world.docs()}/{document}/content"
    reader = world["counselA"]
    assert await reader.call("GET", f"{content}?purpose=view") == (200, contents[latest])
    assert await reader.call("GET", f"{content}?version={first}&purpose=download",
                             headers={"Range": "bytes=0-9"}) == (206, contents[first][:10])
    assert await reader.call("GET", content) == (200, contents[latest])
    for bad in ("print", "VIEW", ""):
        status, body = await reader.call("GET", f"{content}?purpose={bad}")
        assert status == 400 and msgspec.json.decode(body)["error"]["code"] == "invalid", body
    status, body = await reader.call("GET", f"{content}?purpose=view&purpose=download")
    assert status == 400, body
    async def reads() -> list[dict[str, Any]] | None:
        mine = await world.audit_events("document.download", "document", document)
        mine = [e for e in mine if e["actor"]["id"] == reader.principal_id]
        return mine if len(mine) >= 3 else None

    viewed, saved_part, saved = await wait_until(reads, timeout=20, what="the three reads")
    size = len(contents[latest])
    assert viewed["details"]["purpose"] == "view"
    assert (viewed["details"]["version"], viewed["details"]["start"],
            viewed["details"]["end"]) == (latest, 0, size)
    assert saved_part["details"]["purpose"] == "download"
    assert (saved_part["details"]["version"], saved_part["details"]["start"],
            saved_part["details"]["end"]) == (first, 0, 10)
    assert saved["details"]["purpose"] == "download"  # no purpose given: a download
    assert {e["outcome"] for e in (viewed, saved_part, saved)} == {"allowed"}


async def test_a_refused_read_records_the_purpose_declared(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """A read refused by evidence is a `document.denied` entry carrying the purpose the caller
    declared (`view`, `download`, or none: a download), as a granted read's `document.download`
    does, so an auditor tells an attempt to open a document in the page from one to take a
    copy: a member who may not read the document, and one naming a version it never had."""
    world = await world_of(evidence_suite)
    document, _ = await _two_versions(world)  # side A's only
    content = f"{world.docs()}/{document}/content"
    stranger = world["partyB"]
    unknown = secrets.token_hex(12)
    asked = [(f"{content}?purpose=view", "view"), (f"{content}?purpose=download", "download"),
             (content, "download"), (f"{content}?version={unknown}&purpose=view", "view")]
    for path, _ in asked:
        status, _ = await stranger.call("GET", path)
        assert status == 404, path

    async def denied() -> list[dict[str, Any]] | None:
        mine = [e for e in await world.audit_events("document.denied", "document", document)
                if e["actor"]["id"] == stranger.principal_id]
        return mine if len(mine) >= len(asked) else None

    entries = await wait_until(denied, timeout=20, what="the refused reads audited")
    assert [(e["outcome"], e["details"]["action"], e["details"]["reason"],
             e["details"].get("purpose")) for e in entries] == [
        ("denied", "download", "not visible", "view"),
        ("denied", "download", "not visible", "download"),
        ("denied", "download", "not visible", "download"),
        ("denied", "download", "missing", "view")]


async def test_a_version_saved_by_the_browser_is_named_as_the_page_names_it(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """A file too large for the page is saved by the browser itself, under the name the
    server's Content-Disposition gives: with `label`, an earlier version's name as the page
    gives it ("X (v1, our side).pdf"); the label can never name the file otherwise (no dots,
    slashes, quotes, control or bidi characters), and anything else is `invalid`."""
    world = await world_of(evidence_suite)
    document, contents = await _two_versions(world)
    first, _ = sorted(contents)
    content = f"{world.docs()}/{document}/content"
    reader = world["partyA"]

    async def named(query: str) -> tuple[int, str]:
        async with reader.session() as http, http.get(f"{content}?{query}") as r:
            await r.read()
            return r.status, r.headers.get("Content-Disposition", "")

    status, plain = await named(f"version={first}")
    assert status == 200 and "(v1" not in plain, plain
    stem = plain.split("filename*=UTF-8''")[1].removesuffix(".pdf")
    for label, encoded in (("v1, our side", "%28v1%2C%20our%20side%29"),
                           ("v1, 我方", "%28v1%2C%20%E6%88%91%E6%96%B9%29")):
        status, said = await named(f"version={first}&label={quote(label)}&purpose=download")
        assert status == 200, said
        assert said.startswith("attachment; filename=\"") and said.endswith(
            f"; filename*=UTF-8''{stem}%20{encoded}.pdf"), said
    for bad in ("", "v1.exe", "../v1", "v1/x", 'v1"', "v1\u202eexe", "v1\n", "x" * 65):
        status, said = await named(f"version={first}&label={quote(bad)}")
        assert status == 400, (bad, status, said)
    status, _ = await named(f"version={first}&label=v1&label=v2")
    assert status == 400
