"""Faults, end to end: a document exists iff its upload completed (DESIGN §6).

kill -9 of evidence mid-upload, a client that disconnects, a declared size that lies, a store that
fails a write: each leaves nothing visible, staged data is removed (by the abort or the sweeper),
the client is told clearly, and a retry succeeds.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator

import aiohttp
import msgspec
import pytest

from parley.rpc import call
from proto.common import Role
from proto.evidence import TICKET_HEADER, UploadBeginReply, UploadBeginRequest
from proto.principal import PRINCIPAL_HEADER, Principal, PrincipalKind, encode_principal
from tests.harness import Suite, wait_until
from tests.integration.evidence.conftest import internal_port, make_client
from tests.integration.evidence.evidence_world import SIDE_A, World, world_of

MIB = 1024 * 1024


def staged(world: World) -> int:
    """Uploads in progress or left behind: local temp files, or incomplete S3 multipart uploads."""
    if world.store_dir is not None:
        staging = world.store_dir / "staging"
        return len(list(staging.iterdir())) if staging.is_dir() else 0
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    return len(list(make_client(world.s3_endpoint)._list_multipart_uploads(world.s3_bucket)
                    .uploads))


def orphans(world: World) -> int:
    """Content objects without a manifest (the sweeper removes them)."""
    if world.store_dir is not None:
        keys = [str(p.relative_to(world.store_dir / "objects"))
                for p in (world.store_dir / "objects").rglob("*") if p.is_file()]
    else:
        assert world.s3_endpoint is not None and world.s3_bucket is not None
        keys = [o.object_name for o in make_client(world.s3_endpoint).list_objects(
            world.s3_bucket, prefix="docs/", recursive=True)]
    manifests = {k.removesuffix(".manifest") for k in keys if k.endswith(".manifest")}
    return sum(k.endswith(".content") and k.removesuffix(".content") not in manifests
               for k in keys)


async def clean(world: World) -> None:
    await wait_until(lambda: _async(staged(world) == 0 and orphans(world) == 0), timeout=20,
                     what="staged data and orphans swept")


async def _async(value: bool) -> bool:
    return value


def raw_upload_head(world: World, who: str, name: str, length: int) -> bytes:
    headers = "".join(f"{k}: {v}\r\n" for k, v in world[who].headers.items())
    return (f"POST {world.docs()} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
            f"Parley-Filename: {name}\r\nParley-Compartment: joint\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n").encode()


async def _sock(world: World) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", world.suite.http_port)


async def test_kill9_of_evidence_mid_upload(evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    await clean(world)  # another test's leftovers would read as this upload's staging
    data = os.urandom(32 * MIB)
    staging_seen, killed = asyncio.Event(), asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        # Pause once the store holds part of the upload. Socket buffers between the client, the
        # gateway and evidence can hold megabytes on a busy machine, so a fixed byte count sent
        # says nothing of what evidence has received; keep sending until staging is seen.
        for i in range(0, len(data), MIB):
            if not staging_seen.is_set() and await asyncio.to_thread(staged, world) > 0:
                staging_seen.set()
                await killed.wait()
            yield data[i:i + MIB]

    async def upload() -> tuple[int, bytes]:
        async with world["partyA"].session() as http, http.post(
                world.docs(), data=body(), headers={
                    "Parley-Filename": "crash.bin", "Parley-Compartment": "joint",
                    "Content-Length": str(len(data))}) as response:
            return response.status, await response.read()

    task = asyncio.create_task(upload())
    seen = asyncio.create_task(staging_seen.wait())
    await asyncio.wait({task, seen}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    seen.cancel()
    assert staging_seen.is_set(), "the whole upload was sent before evidence staged any of it"
    os.kill(world.suite.processes()["evidence"], signal.SIGKILL)
    killed.set()
    try:
        status, reply = await asyncio.wait_for(task, 30)
    except aiohttp.ClientError:
        pytest.fail("the client got a broken connection, not a clear error")
    assert status == 503, (status, reply)
    assert b"nothing was stored" in reply

    async def evidence_back() -> bool:
        return (await world["mediator"].call("GET", world.docs()))[0] == 200

    await wait_until(evidence_back, timeout=30, what="evidence restarted by the supervisor")
    assert "crash.bin" not in await world.visible_names()
    await clean(world)
    status, view = await world.upload("partyA", "crash.bin", data)
    assert status == 201, view
    got = await world["partyB"].call("GET", f"{world.docs()}/{view['document']}/content")
    assert got == (200, data)


async def test_client_disconnecting_mid_upload_leaves_nothing(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    _, writer = await _sock(world)
    writer.write(raw_upload_head(world, "partyA", "cut.bin", 10 * MIB))
    for _ in range(7):
        writer.write(os.urandom(MIB))
        await writer.drain()
    await wait_until(lambda: _async(staged(world) > 0), timeout=20, what="a staged upload")
    writer.transport.abort()
    await clean(world)
    assert "cut.bin" not in await world.visible_names()


async def test_body_shorter_than_declared_is_rejected(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    reader, writer = await _sock(world)
    writer.write(raw_upload_head(world, "partyA", "short.bin", 300_000) + os.urandom(200_000))
    await writer.drain()
    writer.write_eof()  # half-close: the body ends 100 000 bytes early
    head = await asyncio.wait_for(reader.read(200), 20)
    writer.close()
    # aiohttp ends the connection on a half-close, so there may be no one left to answer; if
    # there is an answer, it is a 400 (never a 201).
    assert head == b"" or head.startswith(b"HTTP/1.1 400"), head
    await clean(world)
    assert "short.bin" not in await world.visible_names()


async def test_declared_size_over_the_limit_is_refused_before_the_body(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    reader, writer = await _sock(world)
    writer.write(raw_upload_head(world, "partyA", "huge.bin", 65 * MIB))  # the limit is 64 MiB
    await writer.drain()
    head = await asyncio.wait_for(reader.read(200), 20)
    writer.close()
    assert head.startswith(b"HTTP/1.1 413"), head

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
        yield b"x"

    status, _ = await world["partyA"].call("POST", world.docs(), data=chunked(), headers={
        "Parley-Filename": "nolength", "Parley-Compartment": "joint"})
    assert status == 411
    assert "huge.bin" not in await world.visible_names()


async def _ticket(world: World, name: str, size: int) -> tuple[UploadBeginReply, Principal]:
    nc = await world.suite.connect("gateway")
    principal = Principal(kind=PrincipalKind.PARTICIPANT, id=world["partyA"].principal_id,
                          role=Role.PARTY, hearing=world.hearing, side=world.sides[SIDE_A])
    try:
        reply = await call(nc, "evidence", "upload.begin", UploadBeginRequest(
            hearing=world.hearing, compartment="joint", filename=name, declared_size=size),
            UploadBeginReply, principal=principal)
    finally:
        await nc.drain()
    return reply, principal


@pytest.mark.parametrize("sent", [1000 - 1, 1000 + 1], ids=["short", "long"])
async def test_evidence_enforces_the_declared_size_itself(
        evidence_suite: tuple[Suite, dict[str, str]], sent: int) -> None:
    """Evidence does not trust the gateway's count: a chunked body of the wrong size fails."""
    world = await world_of(evidence_suite)
    name = f"lie-{sent}.bin"
    begin, principal = await _ticket(world, name, 1000)

    async def body() -> AsyncIterator[bytes]:
        yield os.urandom(sent)

    headers = {TICKET_HEADER: begin.ticket, PRINCIPAL_HEADER: encode_principal(principal)}
    async with internal_port(begin.url) as (http, url), \
            http.put(url, data=body(), headers=headers) as response:
        assert response.status == 400
        assert b"declared size" in await response.read()
    await clean(world)
    assert name not in await world.visible_names()


async def test_tickets_are_single_use_bound_and_never_logged(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    begin, principal = await _ticket(world, "ticket.txt", 2)
    assert begin.ticket not in begin.url
    someone_else = msgspec.structs.replace(principal, id="intruder")
    async with internal_port(begin.url) as (http, url):
        async with http.put(url, data=b"hi", headers={
                TICKET_HEADER: begin.ticket,
                PRINCIPAL_HEADER: encode_principal(someone_else)}) as response:
            assert response.status == 403  # bound to its principal; and now consumed
        async with http.put(url, data=b"hi", headers={
                TICKET_HEADER: begin.ticket,
                PRINCIPAL_HEADER: encode_principal(principal)}) as response:
            assert response.status == 403
    assert begin.ticket not in world.suite.log()
    assert "ticket.txt" not in await world.visible_names()


async def test_store_failing_a_write(evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """The store fails mid-upload: local, the document's folder cannot be created (a file sits
    where the hearing's folder goes); S3, the multipart upload is aborted behind evidence's back
    while parts are being sent. Either way: a clear 503, nothing visible, a retry succeeds."""
    world = await world_of(evidence_suite)
    if world.store_dir is not None:
        blocker = world.store_dir / "objects" / "docs" / world.hearing
        moved = blocker.with_name(world.hearing + ".moved")
        blocker.parent.mkdir(parents=True, exist_ok=True)
        if blocker.exists():
            blocker.rename(moved)
        blocker.write_bytes(b"")
        try:
            status, reply = await world.upload("partyA", "failing.bin", os.urandom(2 * MIB))
        finally:
            blocker.unlink()
            if moved.exists():
                moved.rename(blocker)
    else:
        status, reply = await _upload_while_s3_aborts(world, "failing.bin")
    assert status == 503, reply
    assert reply["error"]["code"] == "unavailable"
    await clean(world)
    assert "failing.bin" not in await world.visible_names()
    assert (await world.upload("partyA", "failing.bin", b"retry"))[0] == 201


async def _upload_while_s3_aborts(world: World, name: str) -> tuple[int, dict[str, object]]:
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    client = make_client(world.s3_endpoint)
    data = os.urandom(16 * MIB)
    first_part_sent, aborted = asyncio.Event(), asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        for i in range(0, len(data), MIB):
            if i == 8 * MIB:
                first_part_sent.set()
                await aborted.wait()
            yield data[i:i + MIB]

    async def upload() -> tuple[int, dict[str, object]]:
        async with world["partyA"].session() as http, http.post(world.docs(), data=body(), headers={
                "Parley-Filename": name, "Parley-Compartment": "joint",
                "Content-Length": str(len(data))}) as response:
            return response.status, msgspec.json.decode(await response.read())

    task = asyncio.create_task(upload())
    await asyncio.wait_for(first_part_sent.wait(), 30)
    await wait_until(lambda: _async(staged(world) > 0), timeout=20, what="a multipart upload")
    for pending in client._list_multipart_uploads(world.s3_bucket).uploads:
        assert pending.upload_id is not None
        client._abort_multipart_upload(world.s3_bucket, pending.object_name, pending.upload_id)
    aborted.set()
    return await asyncio.wait_for(task, 30)
