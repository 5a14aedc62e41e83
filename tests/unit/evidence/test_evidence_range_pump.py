"""The download pump (range_pump.py) on a real file and a socket pair: exactly the range goes out,
nothing unauthenticated ever does, and the last chunk waits for the range's checks; each with
chunks opened in the sender's own thread and in an opener thread racing ahead of it."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

import pytest

from services.evidence.errors import ContentIntegrityError, IntegrityError
from services.evidence.format import HEADER_LEN, TAG_LEN, SegmentCipher, plan_range
from services.evidence.range_pump import AHEAD, READ_CHUNK, RING, RangePump, Step
from services.evidence.stream import Encryptor, RangeDecryptor

SEG = 4096
KEY, KEY_ID = os.urandom(32), os.urandom(16)
DATA = os.urandom(3 * READ_CHUNK + 12345)  # several reads, the last one short


def sealed(tmp_path: Path) -> Path:
    enc = Encryptor(KEY, KEY_ID, segment_size=SEG)
    path = tmp_path / "doc.content"
    path.write_bytes(enc.update(DATA) + enc.finalize())
    return path


@pytest.fixture(params=["inline", "opener thread"])
def opener(request: pytest.FixtureRequest) -> Iterator[Executor | None]:
    if request.param == "inline":
        yield None
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def make_pump(path: Path, start: int, end: int, *, digest: str | None = None,
              opener: Executor | None = None) -> RangePump:
    raw = path.read_bytes()
    cipher = SegmentCipher.open_header(KEY, raw[:HEADER_LEN], KEY_ID)
    plan = plan_range(len(DATA), start, end, SEG)
    ct_digest = hashlib.sha256(raw[:HEADER_LEN]) if digest is not None else None
    return RangePump(os.open(path, os.O_RDONLY), RangeDecryptor(cipher, plan, len(DATA),
                                                                 ring=RING),
                     plan, digest=ct_digest, expected=digest, opener=opener)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    out, into = socket.socketpair()
    out.setblocking(False)
    yield out, into
    out.close()
    into.close()


def drain(into: socket.socket, got: bytearray) -> threading.Thread:
    def read() -> None:
        while chunk := into.recv(1 << 20):
            got.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    return reader


def run(pump: RangePump, out: socket.socket) -> None:
    """Steps until done, as the event loop would drive them (a blocked step is just retried),
    then, as `range_pump.pump` does, stops the opener and waits for it before closing."""
    try:
        while pump.step(out) is not Step.DONE:
            pass
    finally:
        pump.stopping = True
        if (opening := pump.opening()) is not None:
            opening.result(timeout=10)
        pump.close()
        out.shutdown(socket.SHUT_WR)


@pytest.mark.parametrize(("start", "end"), [(0, len(DATA)), (1000, 2 * READ_CHUNK + 7),
                                            (len(DATA) - 1, len(DATA)), (SEG, SEG)])
def test_exactly_the_range_goes_out(tmp_path: Path, pair: tuple[socket.socket, socket.socket],
                                    opener: Executor | None, start: int, end: int) -> None:
    out, into = pair
    got = bytearray()
    reader = drain(into, got)
    pump = make_pump(sealed(tmp_path), start, end, opener=opener)
    pump.prime()
    run(pump, out)
    reader.join()
    assert bytes(got) == DATA[start:end] and pump.sent == end - start


def test_a_damaged_segment_stops_the_stream_before_it(
        tmp_path: Path, pair: tuple[socket.socket, socket.socket], opener: Executor | None) -> None:
    path = sealed(tmp_path)
    raw = bytearray(path.read_bytes())
    bad = 600  # segment 600 lies in the third megabyte read
    raw[HEADER_LEN + bad * (SEG + TAG_LEN) + 9] ^= 0x20
    path.write_bytes(bytes(raw))
    out, into = pair
    got = bytearray()
    reader = drain(into, got)
    with pytest.raises(IntegrityError):
        run(make_pump(path, 0, len(DATA), opener=opener), out)
    reader.join()
    # What went out is authentic and ends before the chunk that held the damage.
    assert len(got) < bad * SEG and DATA.startswith(bytes(got))


def test_the_last_chunk_waits_for_the_whole_digest(
        tmp_path: Path, pair: tuple[socket.socket, socket.socket], opener: Executor | None) -> None:
    out, into = pair
    got = bytearray()
    reader = drain(into, got)
    with pytest.raises(ContentIntegrityError):
        run(make_pump(sealed(tmp_path), 0, len(DATA), digest="0" * 64, opener=opener), out)
    reader.join()
    assert len(got) < len(DATA) and DATA.startswith(bytes(got))


def test_content_shorter_than_its_range_is_refused_before_it_is_mapped(
        tmp_path: Path, opener: Executor | None) -> None:
    """The file is read through a memory map, and touching a mapped page past the end of a file
    would fault the process: a file cut short before the download is refused cleanly."""
    path = sealed(tmp_path)
    pump = make_pump(path, 0, len(DATA), opener=opener)
    os.truncate(path, path.stat().st_size - 1)
    try:
        with pytest.raises(ContentIntegrityError, match="shorter"):
            pump.prime()
    finally:
        pump.close()


def test_a_reader_that_takes_nothing_blocks_the_step_and_it_resumes(
        tmp_path: Path, pair: tuple[socket.socket, socket.socket], opener: Executor | None) -> None:
    out, into = pair
    pump = make_pump(sealed(tmp_path), 0, len(DATA), opener=opener)
    assert pump.step(out) is Step.BLOCKED  # a socket pair holds far less than the document
    stalled_at = pump.sent
    assert 0 < stalled_at < len(DATA)
    got = bytearray()
    reader = drain(into, got)
    run(pump, out)
    reader.join()
    assert bytes(got) == DATA


def test_a_stalled_reader_holds_no_opener_thread(
        tmp_path: Path, pair: tuple[socket.socket, socket.socket]) -> None:
    """The opener opens at most AHEAD chunks past the sender, then gives its thread back: with
    a one-thread pool and a reader that takes nothing, the pool's thread is free again."""
    out, into = pair
    big = tmp_path / "big.content"
    enc = Encryptor(KEY, KEY_ID, segment_size=SEG)
    data = os.urandom((AHEAD + 6) * READ_CHUNK)
    big.write_bytes(enc.update(data) + enc.finalize())
    with ThreadPoolExecutor(max_workers=1) as pool:
        raw = big.read_bytes()
        plan = plan_range(len(data), 0, len(data), SEG)
        pump = RangePump(os.open(big, os.O_RDONLY), RangeDecryptor(
            SegmentCipher.open_header(KEY, raw[:HEADER_LEN], KEY_ID), plan, len(data),
            ring=RING), plan, opener=pool)
        assert pump.step(out) is Step.BLOCKED
        assert pool.submit(lambda: "free").result(timeout=5) == "free"
        assert pump.opening() is None
        got = bytearray()
        reader = drain(into, got)
        run(pump, out)
        reader.join()
    assert bytes(got) == data
