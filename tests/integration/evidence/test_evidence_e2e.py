"""Evidence end to end: client → real gateway → real evidence → store, on both backends."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import msgspec
import pytest

from services.evidence.format import HEADER_LEN
from tests.harness import Suite
from tests.integration.evidence.conftest import E2E_ENV, make_client
from tests.integration.evidence.evidence_world import World, world_of
from tests.people import staff_people


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
    status, body = await world["mediator"].call("GET", world.docs())
    [listed] = [d for d in msgspec.json.decode(body)["documents"]
                if d["document"] == first["document"]]
    assert status == 200 and listed["versions"] == 2 and listed["version"] == second["version"]
    status, body = await world["mediator"].call(
        "GET", f"{world.docs()}/{first['document']}/content")
    assert status == 200 and body == b""


def _stored(world: World, key: str) -> bytes:
    if world.store_dir is not None:
        return (world.store_dir / "objects" / key).read_bytes()
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    response = make_client(world.s3_endpoint).get_object(world.s3_bucket, key)
    try:
        return bytes(response.read())
    finally:
        response.close()
        response.release_conn()


def _store_write(world: World, key: str, raw: bytes) -> None:
    """Write an object behind the service's back, as someone who can write the store."""
    if world.store_dir is not None:
        (world.store_dir / "objects" / key).write_bytes(raw)
        return
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    # One plain PUT (no multipart: fewer moto requests to fail under load).
    make_client(world.s3_endpoint).put_object(world.s3_bucket, key, io.BytesIO(raw), len(raw),
                                              part_size=max(len(raw), 5 * 1024 * 1024))


def _corrupt(world: World, view: dict[str, Any], offset: int) -> None:
    """Flip one byte of the stored ciphertext, behind the service's back."""
    key = f"docs/{world.hearing}/{view['document']}/{view['version']}.content"
    raw = bytearray(_stored(world, key))
    raw[offset] ^= 0x01
    _store_write(world, key, bytes(raw))


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
    assert status == 502 and msgspec.json.decode(body)["error"]["code"] == "integrity"
    # An undamaged range still reads.
    async with world["partyB"].session() as http, \
            http.get(content, headers={"Range": "bytes=0-65535"}) as r:
        assert r.status == 206 and await r.read() == data[:65536]
    actions = await _audit_actions(world, view["document"])
    partyB = world["partyB"].principal_id
    assert ("document.upload", world["partyA"].principal_id) in actions
    assert ("document.download", partyB) in actions
    assert ("document.integrity_failure", partyB) in actions


async def test_compartment_flip_in_the_store_gives_side_b_nothing(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """Regression (item 1, end to end): rewriting a side:A manifest in the store as `joint` (the
    probe's attack: the manifest was JSON) gave side B the document. Now the forged manifest is
    never used: nobody is shown the document, a download is refused with `integrity` (502, not
    500), the rest of the hearing still lists, and the failure is audited."""
    world = await world_of(evidence_suite)
    status, secret = await world.upload("partyA", "strategy.pdf", b"side A only", "side:sideA")
    assert status == 201, secret
    status, shared = await world.upload("mediator", "agenda.pdf", b"for all", "joint")
    assert status == 201, shared
    key = f"docs/{world.hearing}/{secret['document']}/{secret['version']}.manifest"
    forged = {**secret, "compartment": "joint", "filename": "agenda (2).pdf"}
    _store_write(world, key, msgspec.json.encode(forged))
    for who in ("partyB", "partyA", "mediator"):
        names = await world.visible_names(who)
        assert "agenda.pdf" in names and "strategy.pdf" not in names, (who, names)
        assert "agenda (2).pdf" not in names
    content = f"{world.docs()}/{secret['document']}/content"
    for who in ("partyB", "partyA"):
        status, body = await world[who].call("GET", content)
        assert status == 502, (who, status, body)
        assert msgspec.json.decode(body)["error"]["code"] == "integrity"
        assert b"side A only" not in body
    actions = await _audit_actions(world, secret["document"])
    assert ("document.manifest_rejected", world["partyB"].principal_id) in actions or (
        "document.manifest_rejected", world["partyA"].principal_id) in actions


async def test_suffix_range_of_the_empty_document_is_416(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """Regression (item 6): `bytes=-5` on an empty document answered 206 `bytes 0--1/0`."""
    world = await world_of(evidence_suite)
    status, empty = await world.upload("mediator", "empty.txt", b"", "joint")
    assert status == 201, empty
    content = f"{world.docs()}/{empty['document']}/content"
    for header in ("bytes=-5", "bytes=-1", "bytes=0-"):
        async with world["partyB"].session() as http, \
                http.get(content, headers={"Range": header}) as r:
            assert r.status == 416, (header, r.status)
            assert r.headers["Content-Range"] == "bytes */0"


async def test_the_byte_port_is_a_private_unix_socket_in_the_single_host_form(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """`parley up` on one host puts evidence's byte port on a socket only its user may open,
    and the gateway relays through it (every test above went that way)."""
    suite, _ = evidence_suite
    await world_of(evidence_suite)  # the suite is up
    socket_path = suite.data_dir.resolve() / "run" / "evidence-http.sock"
    assert stat.S_ISSOCK(socket_path.stat().st_mode)
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
    assert "http+unix://" in suite.log()


async def test_loopback_tcp_still_carries_the_bytes(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """With the socket switched off (PARLEY_EVIDENCE_HTTP_SOCKET empty) the byte port is TCP:
    a one-shot upload (spliced), a resumable append sent chunked (copied) and downloads."""
    data_dir = tmp_path_factory.mktemp("suite-tcp") / "data"
    suite = Suite(data_dir=data_dir, extra_env={**E2E_ENV, "PARLEY_EVIDENCE_HTTP_SOCKET": ""})
    suite.start()
    try:
        await suite.ready()
        mediator = (await staff_people(suite)).mediator
        status, hearing = await mediator.call("POST", "/api/v1/hearings", {"title": "tcp"})
        assert status == 201, hearing
        docs = f"{suite.base_url}/api/v1/hearings/{hearing['id']}/documents"
        data = os.urandom(3 * 65536 + 77)

        async def chunked() -> AsyncIterator[bytes]:
            yield data[:1000]
            yield data[1000:]

        async with aiohttp.ClientSession(headers=mediator.headers()) as http:
            async with http.post(docs, data=data, headers={
                    "Parley-Filename": "spliced.bin", "Parley-Compartment": "joint"}) as r:
                one_shot = await r.json()
                assert r.status == 201, one_shot
            async with http.post(docs, headers={
                    "Parley-Filename": "chunked.bin", "Parley-Compartment": "joint",
                    "Upload-Complete": "?0", "Upload-Length": str(len(data)),
                    "Content-Length": "0"}) as r:
                assert r.status == 201, await r.text()
                upload = suite.base_url + r.headers["Location"]
            async with http.patch(upload, data=chunked(), headers={
                    "Upload-Offset": "0", "Upload-Complete": "?1",
                    "Content-Type": "application/partial-upload"}) as r:
                resumed = await r.json()
                assert r.status == 201, resumed
            for view in (one_shot, resumed):
                async with http.get(f"{docs}/{view['document']}/content") as r:
                    assert r.status == 200 and await r.read() == data
        assert "http://127.0.0.1:" in suite.log() and "http+unix://" not in suite.log()
    finally:
        suite.stop()
