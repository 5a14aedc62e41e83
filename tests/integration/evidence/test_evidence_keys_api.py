"""Master-key rotation and crypto-shredding, through the public API."""

from __future__ import annotations

import json
import os

import msgspec

from tests.harness import Suite
from tests.integration.evidence.conftest import make_client
from tests.integration.evidence.evidence_world import world_of


async def test_rotation_rewraps_and_documents_stay_readable(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    data = os.urandom(100_000)
    status, view = await world.upload("partyA", "before-rotation.bin", data)
    assert status == 201, view
    key_file = world.suite.data_dir / "evidence" / "master.key"
    before = json.loads(key_file.read_text())["current"]
    path = "/api/v1/evidence/master-key/rotate"
    for who in ("mediator", "auditor", "partyA", "anonymous"):
        assert (await world[who].call("POST", path, json={}))[0] in (401, 403), who
    status, body = await world["admin"].call("POST", path, json={})
    assert status == 200, body
    assert msgspec.json.decode(body)["rewrapped"] >= 1
    ring = json.loads(key_file.read_text())
    assert ring["current"] != before and list(ring["keys"]) == [ring["current"]]  # old key gone
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    got = await world["partyB"].call("GET", f"{world.docs()}/{view['document']}/content")
    assert got == (200, data)
    keys_bucket = evidence_suite[1].get("s3_keys_bucket")
    if keys_bucket is not None:  # key records live in their own bucket, never beside content
        assert world.s3_endpoint is not None and world.s3_bucket is not None
        client = make_client(world.s3_endpoint)
        records = [o.object_name for o in client.list_objects(keys_bucket, prefix="keys/",
                                                               recursive=True)]
        assert f"keys/{world.hearing}" in records
        assert list(client.list_objects(world.s3_bucket, prefix="keys/", recursive=True)) == []


async def test_closing_a_hearing_with_destroy_shreds_its_documents(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    mediator = world["mediator"]
    status, body = await mediator.call("POST", "/api/v1/hearings", json={"title": "to destroy"})
    assert status == 201, body
    hearing = msgspec.json.decode(body)["id"]
    docs = world.docs(hearing)
    uploaded = []
    for name, compartment in (("a.txt", "joint"), ("b.txt", "mediator")):
        status, reply = await mediator.call("POST", docs, data=b"doomed " + name.encode(), headers={
            "Parley-Filename": name, "Parley-Compartment": compartment})
        assert status == 201, reply
        uploaded.append(msgspec.json.decode(reply)["document"])
    assert (await mediator.call("GET", f"{docs}/{uploaded[0]}/content"))[0] == 200
    status, body = await mediator.call("POST", f"/api/v1/hearings/{hearing}/close",
                                       json={"destroy_documents": True})
    assert status == 200, body
    status, body = await mediator.call("GET", docs)
    assert status == 200 and msgspec.json.decode(body)["documents"] == []
    # The hearing's detail says so, for its set-up page to tell rather than list nothing.
    status, body = await mediator.call("GET", f"/api/v1/hearings/{hearing}")
    assert status == 200 and msgspec.json.decode(body)["documents_destroyed"] is True, body
    for document in uploaded:
        assert (await mediator.call("GET", f"{docs}/{document}/content"))[0] == 404
    # A closed hearing takes no new documents (and a shredded one never gets a new key).
    status, _ = await mediator.call("POST", docs, data=b"x", headers={
        "Parley-Filename": "late.txt", "Parley-Compartment": "joint"})
    assert status == 403, status
