"""Slow-loris clients are cut off at the configured pace while the gateway keeps serving others.

A real suite with a short pace (PARLEY_CLIENT_IDLE_S=2, a minimum rate of 200 bytes/s after
2 s). Fifty hostile clients on raw sockets, all at once: JSON bodies trickled one byte at a time
(anonymous sign-in), declared bodies never sent, uploads trickled into a real hearing,
WebSockets that stall inside a frame, request heads trickled one byte at a time, and
connections that never send a byte. While they hold their connections, a signed-in client
keeps calling `GET /api/v1/me`; its latency is measured and bounded. Every hostile connection
must be closed by the gateway within the pace (those with a whole head with a JSON 408), not
held for minutes.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
import pytest

from tests.harness import Suite
from tests.people import People, staff_people

PACE_ENV = {"PARLEY_CLIENT_IDLE_S": "2", "PARLEY_CLIENT_MIN_RATE": "200",
            "PARLEY_CLIENT_RATE_GRACE_S": "2",
            "PARLEY_RATE_ADDRESS_PER_S": "1000", "PARLEY_RATE_ADDRESS_BURST": "1000"}
#: A hostile connection must be closed this soon after it started (pace 2 s + grace 2 s + slack).
CUT_OFF_WITHIN_S = 8.0
#: The signed-in client's worst latency while sixty slow clients hold connections.
SERVED_WITHIN_S = 1.0


@dataclass
class Outcome:
    kind: str
    closed_after_s: float | None = None
    status_line: bytes = b""


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:  # type: ignore[misc]
    running = Suite(data_dir=tmp_path_factory.mktemp("slow") / "data", extra_env=PACE_ENV)
    running.start()
    yield running
    running.stop()


async def _slow_client(suite: Suite, kind: str, head: bytes,
                       trickle: bytes, stop: asyncio.Event) -> Outcome:
    """Send `head`, then `trickle` one byte every 0.5 s; note when the server closes on us."""
    outcome = Outcome(kind)
    reader, writer = await asyncio.open_connection("127.0.0.1", suite.http_port)
    started = time.monotonic()

    async def read_until_closed() -> None:
        outcome.status_line = (await reader.readline()).strip()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # the response's headers
        if kind == "ws-stall":
            # After the 101 the server pings once (0x89, at half the idle time; a client stuck
            # inside a frame cannot answer), then sends its close frame (0x88): it has given up
            # on us (it then waits for our close reply, which never comes).
            while True:
                try:
                    head = await reader.readexactly(2)
                except asyncio.IncompleteReadError:
                    head = b""
                if head[:1] != b"\x89":
                    break
                await reader.readexactly(head[1] & 0x7F)  # the ping's payload
            assert head[:1] in (b"\x88", b""), head
            outcome.closed_after_s = time.monotonic() - started
            return
        while await reader.read(4096):
            pass
        outcome.closed_after_s = time.monotonic() - started

    watcher = asyncio.create_task(read_until_closed())
    try:
        writer.write(head)
        await writer.drain()
        for byte in trickle:
            if watcher.done() or stop.is_set():
                break
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.wait([watcher], timeout=0.5)  # the trickle's pace, or the close
        await asyncio.wait([watcher], timeout=CUT_OFF_WITHIN_S)
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        if not watcher.done():
            watcher.cancel()
        writer.close()
    if watcher.done() and not watcher.cancelled():
        failed = watcher.exception()
        if isinstance(failed, AssertionError):  # what the server sent was wrong: say so
            raise failed
        if outcome.closed_after_s is None:
            outcome.closed_after_s = time.monotonic() - started
    return outcome


def _post(path: str, length: int, headers: dict[str, str], first: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {length}",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + first


def _ws_upgrade(cookie_headers: dict[str, str]) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = ["GET /api/v1/ws HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket",
             "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13",
             *(f"{k}: {v}" for k, v in cookie_headers.items())]
    # ...then the start of a masked text frame announcing 100 bytes, never finished.
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + bytes([0x81, 0x80 | 100])


async def _hearing(people: People) -> str:
    status, body = await people.mediator.call("POST", "/api/v1/hearings", {"title": "Slow"})
    assert status == 201, body
    return str(body["id"])


async def _latencies(suite: Suite, people: People, count: int) -> list[float]:
    out = []
    async with people.mediator.session() as http:
        for _ in range(count):
            started = time.monotonic()
            async with http.get("/api/v1/me") as r:
                assert r.status == 200, await r.text()
            out.append(time.monotonic() - started)
    return out


async def test_sixty_slow_clients_are_cut_off_and_others_are_served(
        suite: Suite, capsys: pytest.CaptureFixture[str]) -> None:
    await suite.ready()
    people = await staff_people(suite)
    hearing = await _hearing(people)
    baseline = await _latencies(suite, people, 20)
    cookie = {"Cookie": people.mediator.headers()["Cookie"]}
    upload = {**people.mediator.headers(), "Parley-Filename": "slow.bin",
              "Parley-Compartment": "joint", "Content-Type": "application/octet-stream"}
    signin = {"Content-Type": "application/json"}
    trickle = b"x" * 40
    stop = asyncio.Event()
    makers: list[Callable[[], Awaitable[Outcome]]] = []
    for _ in range(25):
        makers.append(lambda: _slow_client(suite, "json-trickle", _post(
            "/api/v1/auth/signin", 4000, signin, b'{"username": "'), trickle, stop))
    for _ in range(10):
        makers.append(lambda: _slow_client(suite, "json-silent", _post(
            "/api/v1/auth/signin", 100, signin, b""), b"", stop))
    for _ in range(5):
        makers.append(lambda: _slow_client(suite, "upload-trickle", _post(
            f"/api/v1/hearings/{hearing}/documents", 100_000, upload, b"y" * 10), trickle, stop))
    for _ in range(10):
        makers.append(lambda: _slow_client(suite, "ws-stall", _ws_upgrade(cookie), trickle, stop))
    for _ in range(5):  # a head that never ends: one more header byte every half second
        makers.append(lambda: _slow_client(suite, "head-trickle", (
            b"GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "), trickle, stop))
    for _ in range(5):
        makers.append(lambda: _slow_client(suite, "silent", b"", b"", stop))
    clients = [asyncio.create_task(make()) for make in makers]
    await asyncio.sleep(0.5)  # let every slow client send its head before measuring
    during = await _latencies(suite, people, 30)
    outcomes = await asyncio.gather(*clients)
    stop.set()
    assert len(outcomes) == 60
    held = [o for o in outcomes if o.closed_after_s is None or o.closed_after_s > CUT_OFF_WITHIN_S]
    assert not held, [(o.kind, o.closed_after_s) for o in held]
    for o in outcomes:
        if o.kind in ("head-trickle", "silent"):
            assert o.status_line == b"", (o.kind, o.status_line)  # no request: nothing to answer
        elif o.kind != "ws-stall":
            assert o.status_line.startswith(b"HTTP/1.1 408"), (o.kind, o.status_line)
    assert max(during) < SERVED_WITHIN_S, during
    with capsys.disabled():
        cut = sorted(o.closed_after_s or 0.0 for o in outcomes)
        print(f"\nslow-loris: {len(outcomes)} clients cut off after {cut[0]:.1f}-{cut[-1]:.1f} s "
              f"(median {statistics.median(cut):.1f} s); GET /api/v1/me p50 "
              f"{statistics.median(baseline) * 1000:.1f} ms before, "
              f"{statistics.median(during) * 1000:.1f} ms during (max "
              f"{max(during) * 1000:.1f} ms)")
    # The gateway still takes new work afterwards.
    async with aiohttp.ClientSession() as http, http.get(f"{suite.base_url}/healthz") as r:
        assert r.status == 200


async def test_a_quiet_websocket_that_answers_pings_stays_and_a_silent_one_is_closed(
        suite: Suite) -> None:
    """The keep-alive (gateway/ws/keepalive.py) at an idle time of 2 s: a client that says
    nothing for three idle times but answers the pings is kept; one that never answers (nor
    sends anything) is closed as idle soon after the idle time."""
    await suite.ready()
    people = await staff_people(suite)
    hearing = await _hearing(people)
    join = json.dumps({"type": "join", "hearing": hearing})
    async with people.mediator.session() as http:
        live = await http.ws_connect("/api/v1/ws")  # aiohttp answers pings by default
        silent = await http.ws_connect("/api/v1/ws", autoping=False)
        opened = time.monotonic()
        for ws in (live, silent):
            await ws.send_str(join)
            assert (await ws.receive_json(timeout=10))["type"] == "snapshot"

        async def read_until_closed(ws: aiohttp.ClientWebSocketResponse) -> float:
            async for msg in ws:  # pings (unanswered when autoping is off), nothing else
                assert msg.type in (aiohttp.WSMsgType.PING, aiohttp.WSMsgType.TEXT), msg
            return time.monotonic() - opened

        live_reader = asyncio.create_task(read_until_closed(live))
        closed_after = await asyncio.wait_for(read_until_closed(silent), CUT_OFF_WITHIN_S)
        assert silent.close_code == 1008
        assert closed_after >= 1.5  # not before the idle time (2 s, less a tick of slack)
        await asyncio.sleep(6.0 - (time.monotonic() - opened))
        assert not live.closed and not live_reader.done()
        await live.close()
        await live_reader
