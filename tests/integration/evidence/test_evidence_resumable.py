"""Resumable uploads end to end (docs/uploads.md), on both backends, through real processes.

A cut mid-append keeps every whole segment that reached evidence; a killed gateway loses
nothing staged; the download's SHA-256 equals the original's; an upload answers only its own
session; lying lengths and empty or oversized files leave no document (an oversized one is
refused before any byte, said with the limit the list gives, and audited); idle uploads are swept.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import signal
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from services.evidence.resumable import staged_at
from services.evidence.store.file_writer import WRITE_BATCH
from tests.harness import Suite, wait_until
from tests.integration.evidence.conftest import make_client
from tests.integration.evidence.evidence_world import Caller, World, world_of

KIB, MIB = 1024, 1024 * 1024
SEGMENT = 64 * KIB


def staged_keys(world: World) -> list[str]:
    """Every object under `uploads/` in the store (records and ciphertext parts)."""
    if world.store_dir is not None:
        root = world.store_dir / "objects"
        return sorted(str(p.relative_to(root)) for p in (root / "uploads").rglob("*")
                      if p.is_file()) if (root / "uploads").is_dir() else []
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    return sorted(o.object_name or "" for o in make_client(world.s3_endpoint).list_objects(
        world.s3_bucket, prefix="uploads/", recursive=True))


def staged_object(world: World, url: str, suffix: str) -> str:
    """The one object of upload `url` whose key ends with `suffix`."""
    upload = url.rsplit("/", 1)[1]
    [key] = [k for k in staged_keys(world) if upload in k and k.endswith(suffix)]
    return key


def staged_bytes(world: World, key: str) -> bytes:
    if world.store_dir is not None:
        return (world.store_dir / "objects" / key).read_bytes()
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    response = make_client(world.s3_endpoint).get_object(world.s3_bucket, key)
    try:
        return bytes(response.read())
    finally:
        response.close()
        response.release_conn()


async def create(world: World, who: str, name: str, length: int,
                 compartment: str = "joint") -> tuple[int, dict[str, str], Any]:
    async with world[who].session() as http, http.post(world.docs(), headers={
            "Parley-Filename": name, "Parley-Compartment": world.real(compartment),
            "Content-Type": "application/pdf", "Upload-Complete": "?0",
            "Upload-Length": str(length), "Content-Length": "0"}) as r:
        return r.status, dict(r.headers), msgspec.json.decode(await r.read())


async def started(world: World, who: str, name: str, length: int) -> str:
    status, headers, view = await create(world, who, name, length)
    assert status == 201, view
    assert headers["Upload-Offset"] == "0" and headers["Upload-Complete"] == "?0"
    assert headers["Location"] == f"/api/v1/hearings/{world.hearing}/uploads/{view['upload']}"
    return headers["Location"]


async def patch(caller: Caller, url: str, offset: int, data: bytes | AsyncIterator[bytes],
                complete: bool, **headers: str) -> tuple[int, dict[str, str], bytes]:
    body = io.BytesIO(data) if isinstance(data, bytes) else data  # large bytes would warn
    async with caller.session() as http, http.patch(url, data=body, headers={
            "Upload-Offset": str(offset), "Upload-Complete": "?1" if complete else "?0",
            "Content-Type": "application/partial-upload", **headers}) as r:
        return r.status, dict(r.headers), await r.read()


async def offset_of(caller: Caller, url: str) -> int:
    async with caller.session() as http, http.head(url) as r:
        assert r.status == 204, r.status
        assert r.headers["Cache-Control"] == "no-store"
        return int(r.headers["Upload-Offset"])


async def finish(world: World, who: str, url: str, data: bytes) -> dict[str, Any]:
    """Append the rest from the server's offset; return the committed document."""
    offset = await offset_of(world[who], url)
    status, headers, body = await patch(world[who], url, offset, data[offset:], True)
    assert status == 201, (status, body)
    assert headers["Upload-Complete"] == "?1"
    view: dict[str, Any] = msgspec.json.decode(body)
    assert headers["Location"].endswith(f"/documents/{view['document']}")
    return view


async def downloaded_sha256(world: World, who: str, document: str) -> str:
    digest = hashlib.sha256()
    async with world[who].session() as http, \
            http.get(f"{world.docs()}/{document}/content") as r:
        assert r.status == 200, r.status
        async for chunk in r.content.iter_chunked(256 * KIB):
            digest.update(chunk)
    return digest.hexdigest()


async def test_cut_mid_append_resumes_from_the_stored_offset(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    marker = b"PLAINTEXT-MARKER-" * 4096
    data = (marker + os.urandom(8 * MIB))[:8 * MIB + 1234]
    url = await started(world, "partyA", "cut.pdf", len(data))

    status, headers, body = await patch(world["partyA"], url, 0, data[:MIB], False)
    assert status == 204, body
    assert headers["Upload-Offset"] == str(MIB)
    assert all(marker[:64] not in staged_bytes(world, k) for k in staged_keys(world))

    sent_all = asyncio.Event()

    async def cut_after(piece: bytes) -> AsyncIterator[bytes]:
        for off in range(0, len(piece), 256 * KIB):
            yield piece[off:off + 256 * KIB]
        sent_all.set()
        await asyncio.sleep(3600)  # held open until the test cuts the connection

    in_flight = data[MIB:6 * MIB + 10 * KIB]  # ends 10 KiB into a segment
    task = asyncio.create_task(patch(world["partyA"], url, MIB, cut_after(in_flight), False,
                                     **{"Content-Length": str(len(data) - MIB)}))
    await asyncio.wait_for(sent_all.wait(), 30)
    if world.store_dir is not None:  # sealed bytes reach the upload's draft batch by batch
        draft = world.store_dir / "objects" / staged_object(world, url, "/draft")

        # Everything sent is read by evidence but its last write batch, which is written when
        # the append ends (file_writer.py): a cut before that could lose bytes evidence had
        # not read yet (a slow machine did: 5.69 of 6 MiB kept), which this test is not about.
        async def staged_enough() -> bool:
            return draft.stat().st_size >= staged_at(6 * MIB, SEGMENT) - WRITE_BATCH
        await wait_until(staged_enough, timeout=20, what="the in-flight append staged")
    task.cancel()  # the client's connection is cut mid-segment
    await asyncio.gather(task, return_exceptions=True)

    async def moved() -> int | None:
        offset = await offset_of(world["partyA"], url)
        return offset if offset > MIB else None

    offset = await wait_until(moved, timeout=20, what="the cut append committed")
    assert offset % SEGMENT == 0 and offset <= 6 * MIB
    if world.store_dir is not None:  # all that arrived is kept, minus the partial segment
        assert offset == 6 * MIB
    view = await finish(world, "partyA", url, data)
    assert view["sha256"] == hashlib.sha256(data).hexdigest() and view["size"] == len(data)
    assert view["content_type"] == "application/pdf" and view["filename"] == "cut.pdf"
    assert await downloaded_sha256(world, "partyB", view["document"]) == view["sha256"]
    assert staged_keys(world) == []
    async with world["partyA"].session() as http, http.head(url) as r:
        assert r.status == 404  # completed: the upload resource is gone


async def killed_and_back(world: World, process: str) -> None:
    """Kill one of the suite's processes with -9; return once its successor is ready."""
    killed = world.suite.processes()[process]
    os.kill(killed, signal.SIGKILL)

    async def restarted() -> bool:
        return world.suite.processes().get(process, killed) != killed
    await wait_until(restarted, timeout=30, what=f"{process} restarted")
    await world.suite.ready()


async def test_gateway_restart_mid_upload_continues(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    data = os.urandom(2 * MIB + 99)
    url = await started(world, "counselA", "restart.pdf", len(data))
    status, _, body = await patch(world["counselA"], url, 0, data[:MIB], False)
    assert status == 204, body
    first_half = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield data[MIB:MIB + 512 * KIB]
        first_half.set()
        await asyncio.sleep(3600)

    task = asyncio.create_task(patch(world["counselA"], url, MIB, slow(), False))
    await asyncio.wait_for(first_half.wait(), 30)
    await killed_and_back(world, "gateway")
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    offset = await offset_of(world["counselA"], url)
    assert MIB <= offset <= MIB + 512 * KIB and offset % SEGMENT == 0
    view = await finish(world, "counselA", url, data)
    assert await downloaded_sha256(world, "mediator", view["document"]) \
        == hashlib.sha256(data).hexdigest()


async def test_an_upload_answers_only_its_own_session(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    url = await started(world, "mediator", "mine.pdf", 3 * SEGMENT)
    assert await offset_of(world["mediator"], url) == 0
    same_account = Caller("mediator_bearer", world.suite.base_url,
                          world.people.mediator.headers(bearer=True))
    for other in (world["partyA"], world["partyB"], same_account):
        async with other.session() as http:
            for method in ("HEAD", "GET", "DELETE"):
                async with http.request(method, url) as r:
                    assert r.status == 404, (other.name, method, r.status)
        status, _, _ = await patch(other, url, 0, b"x" * SEGMENT, False)
        assert status == 404, (other.name, status)
    async with world["stranger"].session() as http, http.head(url) as r:
        assert r.status in (403, 404)  # not even a member of this hearing
    assert await offset_of(world["mediator"], url) == 0
    async with world["mediator"].session() as http, http.delete(url) as r:
        assert r.status == 204
    assert not [k for k in staged_keys(world) if url.rsplit("/", 1)[1] in k]


async def test_wrong_offset_is_409_with_the_true_offset(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    data = os.urandom(3 * SEGMENT)
    url = await started(world, "partyB", "offsets.pdf", len(data))
    assert (await patch(world["partyB"], url, 0, data[:SEGMENT], False))[0] == 204
    for wrong in (0, 2 * SEGMENT, 12345):
        status, headers, body = await patch(world["partyB"], url, wrong, data[wrong:], True)
        assert status == 409, (wrong, status, body)
        assert headers["Upload-Offset"] == str(SEGMENT)
        assert msgspec.json.decode(body)["error"]["code"] == "conflict"
    # an append that is not a whole number of segments: the partial one is re-sent
    status, headers, _ = await patch(world["partyB"], url, SEGMENT, data[SEGMENT:SEGMENT + 100],
                                     False)
    assert status == 204 and headers["Upload-Offset"] == str(SEGMENT)
    view = await finish(world, "partyB", url, data)
    assert view["sha256"] == hashlib.sha256(data).hexdigest()


async def test_a_name_shared_meanwhile_is_refused_with_its_reason_not_an_offset(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """A new version goes where the document's latest version is. An upload of the name to
    side A, begun before side A shared that document with everyone, is refused when it
    completes, with its reason (`name_in_other_compartment`), never as the offset conflict a
    client would resume from; a new upload of the name there is refused at once; nothing is
    committed."""
    world = await world_of(evidence_suite)
    name = f"terms-{os.urandom(3).hex()}.pdf"
    status, first = await world.upload("partyA", name, b"%PDF-1.4 first draft", "side:sideA")
    assert status == 201, first
    data = os.urandom(2 * SEGMENT)
    status, headers, view = await create(world, "partyA", name, len(data), "side:sideA")
    assert status == 201, view
    url = headers["Location"]
    status, _ = await world["partyA"].call(
        "POST", f"{world.docs()}/{first['document']}/release", json={"to": "joint"})
    assert status == 200
    status, headers, body = await patch(world["partyA"], url, 0, data, True)
    error = msgspec.json.decode(body)["error"]
    assert (status, error["code"], error.get("reason")) == (
        409, "conflict", "name_in_other_compartment"), body
    assert "Upload-Offset" not in headers, headers
    status, _, refused = await create(world, "partyA", name, len(data), "side:sideA")
    assert (status, refused["error"].get("reason")) == (409, "name_in_other_compartment"), refused
    status, body = await world["partyA"].call("GET", f"{world.docs()}/{first['document']}/versions")
    assert status == 200, body
    assert [v["compartment"] for v in msgspec.json.decode(body)["versions"]] == [
        world.real("joint")]


async def test_lying_clients_leave_no_document(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    url = await started(world, "partyA", "liar.pdf", 2 * SEGMENT)
    # more bytes than declared: refused before a byte is read (Content-Length known) ...
    status, _, body = await patch(world["partyA"], url, 0, os.urandom(3 * SEGMENT), False)
    assert status == 400, body
    # ... or as they arrive (chunked: no Content-Length), keeping nothing of that append

    async def too_many() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield os.urandom(SEGMENT)

    status, _, body = await patch(world["partyA"], url, 0, too_many(), False)
    assert status == 400, body
    assert await offset_of(world["partyA"], url) == 0
    # Upload-Complete before the last byte
    status, _, body = await patch(world["partyA"], url, 0, os.urandom(SEGMENT), True)
    assert status == 400, body
    # fewer bytes, then the client goes away: staged, never a document
    status, _, _ = await patch(world["partyA"], url, 0, os.urandom(SEGMENT), False)
    assert status == 204
    assert "liar.pdf" not in await world.visible_names()


async def test_empty_and_oversized_files_are_refused_before_any_byte(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    before = staged_keys(world)
    status, _, reply = await create(world, "partyA", "empty.pdf", 0)
    assert status == 400 and reply["error"]["code"] == "invalid", reply
    assert "empty" in reply["error"]["message"]
    status, _, reply = await create(world, "partyA", "huge.pdf", 64 * MIB + 1)
    assert status == 413 and reply["error"]["code"] == "too_large", reply
    status, _, reply = await create(world, "partyA", "..%2Fbad%01name.pdf", 10)
    assert status in (201, 400), reply  # sanitised or refused, never a path
    if status == 201:
        upload = f"/api/v1/hearings/{world.hearing}/uploads/{reply['upload']}"
        async with world["partyA"].session() as http, http.delete(upload) as r:
            assert r.status == 204
    assert staged_keys(world) == before


async def test_a_file_over_the_limit_is_refused_named_and_audited(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """The list says the limit (so the page refuses a larger file itself); a larger size
    declared anyway, resumable or one-shot, is 413 `document_too_large` before any byte, and
    each refusal is a `document.denied` event of the person, with the size declared."""
    world = await world_of(evidence_suite)
    status, body = await world["partyA"].call("GET", world.docs())
    assert status == 200 and msgspec.json.decode(body)["max_document_bytes"] == 64 * MIB, body
    over = 64 * MIB + 7  # sizes of this test's own (the suite's hearing is shared)
    status, _, reply = await create(world, "partyA", "resumable-huge.pdf", over)
    assert (status, reply["error"]["code"], reply["error"].get("reason")) \
        == (413, "too_large", "document_too_large"), reply

    async def nothing() -> AsyncIterator[bytes]:  # the size is declared; no byte is sent
        return
        yield b""

    async with world["partyA"].session() as http, http.post(world.docs(), data=nothing(), headers={
            "Parley-Filename": "oneshot-huge.pdf", "Parley-Compartment": "joint",
            "Content-Length": str(over + 1)}) as r:
        error = (await r.json())["error"]
        assert (r.status, error["code"], error.get("reason")) \
            == (413, "too_large", "document_too_large"), error
    async def audited() -> list[dict[str, Any]] | None:
        mine = [e for e in await world.audit_events("document.denied", "hearing", world.hearing)
                if e["actor"]["id"] == world["partyA"].principal_id
                and e["details"].get("declared_size") in (over, over + 1)]
        return mine if len(mine) >= 2 else None

    denied = await wait_until(audited, timeout=20, what="both refusals audited")
    assert sorted(e["details"]["declared_size"] for e in denied) == [over, over + 1]
    assert {(e["outcome"], e["details"]["action"], e["details"]["reason"],
             e["details"]["limit"]) for e in denied} == {("denied", "upload", "too large", 64 * MIB)}
    assert "resumable-huge.pdf" not in await world.visible_names()


@pytest.mark.slow  # mostly a wait for the sweeper: `make slow` (in CI), not `make test`'s 15 minutes
async def test_abandoned_uploads_are_swept(
        short_idle_suite: tuple[Suite, dict[str, str]]) -> None:
    """On a suite of its own whose uploads go after seconds of idleness (conftest.py): the
    sweeper, not the test, decides when the upload has been idle long enough."""
    world = await world_of(short_idle_suite)
    url = await started(world, "partyB", "abandoned.pdf", 4 * SEGMENT)
    assert (await patch(world["partyB"], url, 0, os.urandom(SEGMENT), False))[0] == 204
    upload = url.rsplit("/", 1)[1]
    assert [k for k in staged_keys(world) if upload in k]

    async def gone() -> bool:
        async with world["partyB"].session() as http, http.head(url) as r:
            return r.status == 404 and not [k for k in staged_keys(world) if upload in k]
    await wait_until(gone, timeout=120, interval=0.5, what="the idle upload swept")
    assert "abandoned.pdf" not in await world.visible_names()


async def test_one_shot_post_with_upload_complete_is_a_whole_upload(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    world = await world_of(evidence_suite)
    data = os.urandom(SEGMENT + 7)
    async with world["partyA"].session() as http, http.post(world.docs(), data=data, headers={
            "Parley-Filename": "whole.pdf", "Parley-Compartment": "joint",
            "Upload-Complete": "?1", "Upload-Length": str(len(data))}) as r:
        assert r.status == 201, await r.text()
        assert r.headers["Upload-Complete"] == "?1"
        view = await r.json()
    assert view["sha256"] == hashlib.sha256(data).hexdigest()


def restage(world: World, key: str, data: bytes) -> None:
    """Overwrite a staged object in the store, as someone with access to the store could."""
    if world.store_dir is not None:
        (world.store_dir / "objects" / key).write_bytes(data)
        return
    assert world.s3_endpoint is not None and world.s3_bucket is not None
    make_client(world.s3_endpoint).put_object(world.s3_bucket, key, io.BytesIO(data), len(data))


async def test_evidence_restarted_mid_upload_still_commits_the_true_digests(
        evidence_suite: tuple[Suite, dict[str, str]]) -> None:
    """A new evidence process finishes an upload another one began: nothing staged is lost,
    and the manifest's digests are those of the bytes."""
    world = await world_of(evidence_suite)
    data = os.urandom(3 * MIB + 5)
    url = await started(world, "partyA", "restarted.pdf", len(data))
    assert (await patch(world["partyA"], url, 0, data[:MIB], False))[0] == 204
    await killed_and_back(world, "evidence")
    assert (await patch(world["partyA"], url, MIB, data[MIB:2 * MIB], False))[0] == 204
    view = await finish(world, "partyA", url, data)
    assert view["sha256"] == hashlib.sha256(data).hexdigest()
    assert await downloaded_sha256(world, "partyB", view["document"]) == view["sha256"]


@pytest.mark.parametrize("restarted", [False, True], ids=["same-process", "restarted"])
async def test_a_staged_part_changed_in_the_store_commits_nothing(
        evidence_suite: tuple[Suite, dict[str, str]], restarted: bool) -> None:
    """Completion proves every staged byte before the commit point, whether the process that
    completes staged them (their digests must match) or not (every segment is opened): one
    flipped bit in the staged ciphertext and no document exists."""
    world = await world_of(evidence_suite)
    data = os.urandom(2 * MIB)
    url = await started(world, "partyA", "tampered.pdf", len(data))
    assert (await patch(world["partyA"], url, 0, data[:MIB], False))[0] == 204
    part = staged_object(world, url, ".part" if world.store_dir is None else "/draft")
    staged = bytearray(staged_bytes(world, part))
    staged[len(staged) // 2] ^= 1
    restage(world, part, bytes(staged))
    if restarted:
        await killed_and_back(world, "evidence")
    status, _, body = await patch(world["partyA"], url, MIB, data[MIB:], True)
    assert status == 502 and msgspec.json.decode(body)["error"]["code"] == "integrity", body
    assert "tampered.pdf" not in await world.visible_names()
