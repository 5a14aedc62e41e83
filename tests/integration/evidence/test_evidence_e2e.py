"""Evidence end to end: client → real gateway → real evidence → store, on both backends."""

from __future__ import annotations

import hashlib
import io
import os
from typing import Any

import aiohttp
import msgspec
import pytest

from services.evidence.format import HEADER_LEN
from tests.harness import Suite
from tests.integration.evidence.conftest import make_client
from tests.integration.evidence.evidence_world import World, world_of


async def test_upload_download_and_ranges_round_trip(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    data = os.urandom(3 * 65536 + 1234)  # several segments, a short final one
    status, view = await world.upload("partyA", "r%C3%A9sum%C3%A9%20final.pdf", data)
    assert status == 201, view
    assert view["filename"] == "résumé final.pdf"
    assert view["size"] == len(data)
    assert view["sha256"] == hashlib.sha256(data).hexdigest()
    assert view["compartment"] == "joint" and view["owner"] == world.real("side:sideA")
    content = f"{world.docs()}/{view['document']}/content"

    async with world["partyB"].session() as http, http.get(content) as r:
        assert r.status == 200
        assert await r.read() == data
        assert r.headers["Content-Disposition"].startswith("attachment;")
        assert "filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf" in r.headers["Content-Disposition"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Content-Type"] == "application/octet-stream"  # never the client's

    for header, start, end in [("bytes=0-0", 0, 1), ("bytes=65530-65545", 65530, 65546),
                               ("bytes=-100", len(data) - 100, len(data)),
                               ("bytes=131072-", 131072, len(data)),
                               ("bytes=5-999999999", 5, len(data))]:
        async with world["mediator"].session() as http, \
                http.get(content, headers={"Range": header}) as r:
            assert r.status == 206, (header, r.status)
            assert await r.read() == data[start:end], header
            assert r.headers["Content-Range"] == f"bytes {start}-{end - 1}/{len(data)}"

    async with world["mediator"].session() as http, \
            http.get(content, headers={"Range": f"bytes={len(data)}-"}) as r:
        assert r.status == 416
        assert r.headers["Content-Range"] == f"bytes */{len(data)}"

    status, body = await world["partyB"].call("GET", f"{world.docs()}/{view['document']}")
    assert status == 200 and msgspec.json.decode(body)["sha256"] == view["sha256"]
    assert "résumé final.pdf" in await world.visible_names("observer_in")


async def test_reupload_is_a_new_version_and_empty_documents_work(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    status, first = await world.upload("mediator", "notes.txt", b"one", "mediator")
    assert status == 201, first
    status, second = await world.upload("mediator", "notes.txt", b"", "mediator")
    assert status == 201, second
    assert second["document"] == first["document"] and second["version"] > first["version"]
    status, body = await world["mediator"].call(
        "GET", f"{world.docs()}/{first['document']}/content")
    assert status == 200 and body == b""


def _corrupt(world: World, view: dict[str, Any], offset: int) -> None:
    """Flip one byte of the stored ciphertext, behind the service's back."""
    key = f"docs/{world.hearing}/{view['document']}/{view['version']}.content"
    if world.store_dir is not None:
        path = world.store_dir / "objects" / key
        raw = bytearray(path.read_bytes())
        raw[offset] ^= 0x01
        path.write_bytes(bytes(raw))
        return
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    client = make_client(world.s3_endpoint)
    response = client.get_object(world.s3_bucket, key)
    raw = bytearray(response.read())
    response.close()
    response.release_conn()
    raw[offset] ^= 0x01
    # One plain PUT (no multipart: fewer moto requests to fail under load).
    client.put_object(world.s3_bucket, key, io.BytesIO(bytes(raw)), len(raw),
                      part_size=max(len(raw), 5 * 1024 * 1024))


async def _audit_actions(world: World, document: str) -> list[tuple[str, str]]:
    """(action, actor) of every evidence audit event about `document`, from the AUDIT stream."""
    nc = await world.suite.connect("supervisor")  # may read any stream (operator role)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe("parley.v1.audit.event.evidence", durable=None,
                                      stream="AUDIT")
        found = []
        while True:
            try:
                msgs = await sub.fetch(500, timeout=1)
            except TimeoutError:
                break
            for msg in msgs:
                event = msgspec.json.decode(msg.data)
                if event["resource"]["id"] == document:
                    found.append((event["action"], event["actor"]["id"]))
            if len(msgs) < 500:
                break
        await sub.unsubscribe()
        return found
    finally:
        await nc.drain()


async def test_integrity_failure_stops_the_stream_and_is_audited(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    data = os.urandom(128 * 65536)  # 8 MiB: several store reads before the damage
    status, view = await world.upload("partyA", "tampered.bin", data)
    assert status == 201, view
    _corrupt(world, view, HEADER_LEN + 100 * (65536 + 16) + 50)  # inside segment 100
    content = f"{world.docs()}/{view['document']}/content"
    received = bytearray()
    with pytest.raises(aiohttp.ClientPayloadError):
        async with world["partyB"].session() as http, http.get(content) as r:
            assert r.status == 200  # the first segments were authentic, so headers went out
            async for chunk in r.content.iter_any():
                received += chunk
    assert len(received) <= 100 * 65536 and data.startswith(bytes(received))
    # A range starting in the damaged segment fails before any byte is sent.
    status, body = await world["partyB"].call("GET", content,
                                              headers={"Range": f"bytes={100 * 65536 + 5}-"})
    assert status == 500 and b"CONTENT" not in body
    # An undamaged range still reads.
    async with world["partyB"].session() as http, \
            http.get(content, headers={"Range": "bytes=0-65535"}) as r:
        assert r.status == 206 and await r.read() == data[:65536]
    actions = await _audit_actions(world, view["document"])
    partyB = world["partyB"].principal_id
    assert ("document.upload", world["partyA"].principal_id) in actions
    assert ("document.download", partyB) in actions
    assert ("document.integrity_failure", partyB) in actions
