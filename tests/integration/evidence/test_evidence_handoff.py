"""The download hand-off (proto/handoff.py) with real processes: `parley up` on one host, a
client on plain TCP, evidence writing the body onto the client's connection.

Each test shows the bytes took that path (evidence's log line per delivery; the gateway would
otherwise relay) and what the connection is afterwards: closed after a complete delivery (the
response says so: nothing the client sends next could reach a descriptor evidence kept), cut
after anything else, and evidence holding no descriptor once a delivery ends.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from proto.handoff import handoff_socket
from services.evidence.format import HEADER_LEN, TAG_LEN
from tests.harness import Suite, wait_until
from tests.integration.evidence.conftest import E2E_ENV
from tests.people import Staff, staff_people

SEGMENT = 65536
DELIVERED = "download written onto the client's connection"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    running = Suite(data_dir=tmp_path_factory.mktemp("suite-handoff") / "data",
                    extra_env=E2E_ENV)
    running.start()
    yield running
    running.stop()


@pytest.fixture
async def mediator(suite: Suite) -> AsyncIterator[tuple[Staff, str]]:
    await suite.ready()
    staff = (await staff_people(suite)).mediator
    status, hearing = await staff.call("POST", "/api/v1/hearings", {"title": "hand-off"})
    assert status == 201, hearing
    yield staff, f"{suite.base_url}/api/v1/hearings/{hearing['id']}/documents"


def deliveries(suite: Suite) -> list[dict[str, Any]]:
    """Evidence's record of every hand-off delivery so far (bytes, complete), oldest first."""
    found = []
    for line in suite.log().splitlines():
        if DELIVERED in line:
            found.append(json.loads(line[line.index("{"):]))
    return found


async def upload(staff: Staff, docs: str, data: bytes, name: str) -> dict[str, Any]:
    async with aiohttp.ClientSession(headers=staff.headers()) as http, \
            http.post(docs, data=io.BytesIO(data), headers={"Parley-Filename": name,
                                                "Parley-Compartment": "joint"}) as r:
        view: dict[str, Any] = await r.json()
        assert r.status == 201, view
        return view


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def counting_session(staff: Staff) -> tuple[aiohttp.ClientSession, list[int]]:
    """One connection at most; `made` counts the connections opened."""
    made: list[int] = []

    async def on_create(*_: object) -> None:
        made.append(1)

    trace = aiohttp.TraceConfig()
    trace.on_connection_create_end.append(on_create)
    return aiohttp.ClientSession(headers=staff.headers(), trace_configs=[trace],
                                 connector=aiohttp.TCPConnector(limit=1)), made


async def test_delivered_downloads_and_ranges_each_end_their_connection(
        suite: Suite, mediator: tuple[Staff, str]) -> None:
    staff, docs = mediator
    data = os.urandom(3 * 1024 * 1024 + 77)
    view = await upload(staff, docs, data, "kept.bin")
    content = f"{docs}/{view['document']}/content"
    before = len(deliveries(suite))
    http, made = counting_session(staff)
    async with http:
        async with http.get(content) as r:
            assert r.status == 200 and await r.read() == data
            assert r.headers["Connection"] == "close"
        for header, start, end in (("bytes=1000-200000", 1000, 200001),
                                   (f"bytes=-{SEGMENT + 5}", len(data) - SEGMENT - 5, len(data)),
                                   ("bytes=70000-70000", 70000, 70001)):
            async with http.get(content, headers={"Range": header}) as r:
                assert r.status == 206, header
                assert r.headers["Content-Range"] == f"bytes {start}-{end - 1}/{len(data)}"
                assert await r.read() == data[start:end]
                assert r.headers["Connection"] == "close"
        async with http.get(docs) as r:  # an ordinary response after them: a new connection
            assert r.status == 200 and view["document"] in await r.text()
    assert len(made) == 5  # four handed-off downloads, each on its own connection, and the list
    delivered = deliveries(suite)[before:]
    assert [(d["bytes"], d["complete"]) for d in delivered] == [
        (len(data), True), (200001 - 1000, True), (SEGMENT + 5, True), (1, True)]


async def test_a_client_gone_mid_download_ends_the_delivery_and_frees_its_descriptors(
        suite: Suite, mediator: tuple[Staff, str]) -> None:
    """32 MiB: more than the kernel's socket buffers hold, so evidence is still writing."""
    staff, docs = mediator
    data = os.urandom(32 * 1024 * 1024)
    view = await upload(staff, docs, data, "abandoned.bin")
    evidence = suite.processes()["evidence"]
    idle_fds = open_fds(evidence)
    before = len(deliveries(suite))
    url = urllib.parse.urlsplit(f"{docs}/{view['document']}/content")
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    head = "".join(f"{k}: {v}\r\n" for k, v in staff.headers().items())
    writer.write(f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n{head}\r\n".encode())
    await writer.drain()
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
    await reader.readexactly(1024 * 1024)
    writer.transport.abort()  # gone, with most of the document unread

    async def ended() -> bool:
        return len(deliveries(suite)) > before and open_fds(evidence) <= idle_fds

    await wait_until(ended, timeout=30, what="evidence to end the delivery and close its copy")
    [abandoned] = deliveries(suite)[before:]
    assert not abandoned["complete"] and abandoned["bytes"] < len(data)
    async with aiohttp.ClientSession(headers=staff.headers()) as http, \
            http.get(f"{docs}/{view['document']}/content") as r:
        assert r.status == 200 and await r.read() == data  # and the next one is whole


def _corrupt(suite: Suite, view: dict[str, Any], offset: int) -> None:
    store = suite.data_dir / "evidence" / "store"
    path = next(store.rglob(f"{view['version']}.content"))
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x01
    Path(path).write_bytes(bytes(raw))


async def test_a_tag_failure_mid_stream_cuts_the_connection_never_a_short_body(
        suite: Suite, mediator: tuple[Staff, str]) -> None:
    staff, docs = mediator
    data = os.urandom(128 * SEGMENT)  # 8 MiB: the damage is several chunks in
    view = await upload(staff, docs, data, "tampered.bin")
    _corrupt(suite, view, HEADER_LEN + 100 * (SEGMENT + TAG_LEN) + 50)  # inside segment 100
    before = len(deliveries(suite))
    received = bytearray()
    http, made = counting_session(staff)
    async with http:
        with pytest.raises(aiohttp.ClientPayloadError):
            async with http.get(f"{docs}/{view['document']}/content") as r:
                assert r.status == 200 and r.content_length == len(data)
                async for chunk in r.content.iter_any():
                    received += chunk
        async with http.get(docs) as r:  # the cut connection is not reused
            assert r.status == 200
    assert len(made) == 2
    assert len(received) <= 100 * SEGMENT and data.startswith(bytes(received))
    [cut] = deliveries(suite)[before:]
    assert not cut["complete"] and cut["bytes"] <= 100 * SEGMENT


async def test_without_the_handoff_socket_the_gateway_relays(
        suite: Suite, mediator: tuple[Staff, str]) -> None:
    """Evidence not listening for hand-offs (an older instance, a socket path too long): the
    gateway finds nothing to connect to before it spends the ticket, and relays instead; evidence
    writes onto the gateway's socket then, and a tag failure mid-stream still cuts the client."""
    staff, docs = mediator
    data = os.urandom(2 * 1024 * 1024 + 3)
    view = await upload(staff, docs, data, "relayed.bin")
    tampered = await upload(staff, docs, data, "relayed-tampered.bin")
    _corrupt(suite, tampered, HEADER_LEN + 20 * (SEGMENT + TAG_LEN) + 1)  # in the 2nd MiB
    socket_path = suite.data_dir.resolve() / "run" / "evidence-http.sock"
    Path(handoff_socket(str(socket_path))).unlink()  # listening still, but unreachable
    before = len(deliveries(suite))
    async with aiohttp.ClientSession(headers=staff.headers()) as http:
        async with http.get(f"{docs}/{view['document']}/content") as r:
            assert r.status == 200 and await r.read() == data
        async with http.get(f"{docs}/{view['document']}/content",
                            headers={"Range": "bytes=5-99"}) as r:
            assert r.status == 206 and await r.read() == data[5:100]
        received = bytearray()
        with pytest.raises(aiohttp.ClientPayloadError):  # relayed, and still cut, not short
            async with http.get(f"{docs}/{tampered['document']}/content") as r:
                assert r.status == 200
                async for chunk in r.content.iter_any():
                    received += chunk
        assert len(received) <= 20 * SEGMENT and data.startswith(bytes(received))
    assert deliveries(suite)[before:] == []
