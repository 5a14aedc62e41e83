"""The SQLite log store: appends, dedup, proofs, queries, tiles, receipts, tamper detection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from proto.audit import Actor, AuditEvent, Outcome, Resource
from proto.auditlog import EventQuery
from services.audit import tree
from services.audit.entry import record_for
from services.audit.errors import IndexOutOfRangeError, RootMismatchError, TamperDetectedError
from services.audit.hasher import RFC6962
from services.audit.keys import NoteSigner
from services.audit.log import LogStore
from services.audit.receipt import format_receipt, verify_receipt
from services.audit.signer import CheckpointIssuer
from services.audit.tiles import (
    TileId,
    decode_entry_bundle,
    encode_entry_bundle,
    encode_index,
    parse_tile_path,
    tile_bytes,
    tile_exists,
    tiles_for_size,
)
from services.audit.verify import verify_consistency, verify_inclusion

ORIGIN = "parley.example.org/audit"


def event(i: int) -> AuditEvent:
    return AuditEvent(
        id=f"ev{i:06d}", time=1_700_000_000_000 + i * 1000,
        actor=Actor(id=f"acct{i % 3}"), action="document.view" if i % 2 else "room.move",
        resource=Resource(type="document", id=f"doc{i % 5}"), outcome=Outcome.ALLOWED,
        service="evidence", hearing=f"h{i % 2}",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LogStore]:
    s = LogStore.open(tmp_path / "log.db")
    yield s
    s.close()


def fill(store: LogStore, n: int, batch: int = 37) -> None:
    for start in range(store.size, n, batch):
        store.append([record_for(event(i)) for i in range(start, min(start + batch, n))])


def test_append_dedup_and_reopen(tmp_path: Path) -> None:
    store = LogStore.open(tmp_path / "log.db")
    first = store.append([record_for(event(0)), record_for(event(1)), record_for(event(0))])
    assert first.new == [("ev000000", 0), ("ev000001", 1)] and first.duplicates == ["ev000000"]
    again = store.append([record_for(event(1)), record_for(event(2))])
    assert again.new == [("ev000002", 2)] and again.duplicates == ["ev000001"] and again.size == 3
    root = store.root()
    store.close()
    reopened = LogStore.open(tmp_path / "log.db")
    assert reopened.size == 3 and reopened.root() == root
    assert reopened.index_of("ev000002") == 2 and reopened.index_of("nope") is None
    reopened.close()


def test_store_proofs_verify_for_every_size(store: LogStore) -> None:
    fill(store, 100)
    leaves = [RFC6962.hash_leaf(e) for e in store.entries(0, 100)]
    roots = [store.root(n) for n in range(101)]
    for size in range(1, 101):
        for index in range(0, size, 7):
            verify_inclusion(RFC6962, index, size, leaves[index],
                             store.inclusion_proof(index, size), roots[size])
        for first in range(0, size + 1, 5):
            verify_consistency(RFC6962, first, size, roots[first], roots[size],
                               store.consistency_proof(first, size))
    with pytest.raises(IndexOutOfRangeError):
        store.inclusion_proof(0, 101)


def test_query_filters_and_pages(store: LogStore) -> None:
    fill(store, 60)
    rows, cursor = store.query(EventQuery(hearing="h1", limit=10))
    assert [i for i, _ in rows] == list(range(1, 20, 2)) and cursor == "19"
    rows2, cursor2 = store.query(EventQuery(hearing="h1", limit=100, cursor=cursor))
    assert [i for i, _ in rows2] == list(range(21, 60, 2)) and cursor2 is None
    rows, _ = store.query(EventQuery(actor="acct0", resource_type="document", resource_id="doc0"))
    assert [i for i, _ in rows] == [i for i in range(60) if i % 3 == 0 and i % 5 == 0]
    rows, _ = store.query(EventQuery(action="room."))
    assert [i for i, _ in rows] == list(range(0, 60, 2))
    base = 1_700_000_000_000
    rows, _ = store.query(EventQuery(time_from=base + 10_000, time_to=base + 13_000))
    assert [i for i, _ in rows] == [10, 11, 12]


def test_tiles(store: LogStore) -> None:
    fill(store, 600, batch=250)
    assert encode_index(1234067) == "x001/x234/067" and encode_index(5) == "005"
    assert parse_tile_path("tile/0/x001/234.p/7") == TileId(0, 1234, 7)
    assert parse_tile_path("tile/entries/002") == TileId(None, 2)
    for bad in ("tile/0/1", "tile/0/x000/001", "tile/0/001.p/256", "tile/64/000", "tile/0/001.p/0"):
        with pytest.raises(IndexOutOfRangeError):
            parse_tile_path(bad)
    assert [t.path() for t in tiles_for_size(600)] == [
        "tile/0/000", "tile/0/001", "tile/0/002.p/88", "tile/1/000.p/2"]
    assert tile_exists(TileId(0, 2, 88), 600) and not tile_exists(TileId(0, 2, 87), 600)
    leaves = tile_bytes(TileId(0, 1), store.node_range)
    assert leaves == b"".join(store.node(0, i) for i in range(256, 512))
    level1 = tile_bytes(TileId(1, 0, 2), store.node_range)
    assert level1 == store.node(8, 0) + store.node(8, 1)
    bundle = encode_entry_bundle(store.entries(512, 600))
    assert decode_entry_bundle(bundle) == store.entries(512, 600)
    with pytest.raises(IndexOutOfRangeError):
        tile_bytes(TileId(0, 3), store.node_range)


def test_checkpoints_and_receipts(store: LogStore) -> None:
    signer = NoteSigner(ORIGIN, bytes(range(32)))
    issuer = CheckpointIssuer(store, signer, scrub_entries=16)
    empty = issuer.issue(1)
    assert empty.size == 0 and empty.root == RFC6962.empty_root()
    fill(store, 50)
    cp = issuer.issue(2)
    assert issuer.issue(3) == cp  # nothing new: the same checkpoint
    receipt = format_receipt(7, store.inclusion_proof(7, cp.size), cp.note)
    assert receipt.startswith("c2sp.org/tlog-proof@v1\nindex 7\n")
    got, checkpoint = verify_receipt(RFC6962, receipt, store.entries(7, 8)[0], signer.verifier)
    assert got.index == 7 and checkpoint.size == 50
    with pytest.raises(RootMismatchError):
        verify_receipt(RFC6962, receipt, store.entries(8, 9)[0], signer.verifier)


def _tamper(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("UPDATE entries SET entry = CAST(replace(CAST(entry AS TEXT), 'acct', 'acc7') AS BLOB)"
         " WHERE idx = ?", (5,)),
        ("UPDATE nodes SET hash = zeroblob(32) WHERE id = ?", (3,)),
        ("UPDATE nodes SET hash = zeroblob(32) WHERE id = ?", ((2 << 56) | 1,)),
        ("DELETE FROM entries WHERE idx = ?", (40,)),
        ("UPDATE checkpoints SET root = zeroblob(32) WHERE size = ?", (50,)),
    ],
)
def test_foreign_write_is_detected_and_signing_refused(
    tmp_path: Path, sql: str, params: tuple[object, ...]
) -> None:
    path = tmp_path / "log.db"
    store = LogStore.open(path)
    signer = NoteSigner(ORIGIN, bytes(range(32)))
    issuer = CheckpointIssuer(store, signer, scrub_entries=16)
    fill(store, 50)
    issuer.issue(1)
    _tamper(path, sql, *params)
    fill(store, 60)
    with pytest.raises(TamperDetectedError):
        issuer.issue(2)
    with pytest.raises(TamperDetectedError):  # sticky
        issuer.issue(3)
    assert store.latest_checkpoint() is not None
    store.close()


def test_tamper_found_on_restart_and_by_the_scrub(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    signer = NoteSigner(ORIGIN, bytes(range(32)))
    store = LogStore.open(path)
    fill(store, 300)
    CheckpointIssuer(store, signer, scrub_entries=16).issue(1)
    store.close()
    # the same change an attacker with file access would make: entry and its leaf, consistently
    forged = record_for(event(9)).data.replace(b"acct0", b"acct2")
    _tamper(path, "UPDATE entries SET entry = ? WHERE idx = 9", forged)
    _tamper(path, "UPDATE nodes SET hash = ? WHERE id = 9", RFC6962.hash_leaf(forged))
    store = LogStore.open(path)
    with pytest.raises(TamperDetectedError):
        CheckpointIssuer(store, signer, scrub_entries=16)  # full check at start
    # without the start-up check, the rotating scrub reaches block 0 within ceil(300/16) signings
    issuer = CheckpointIssuer(store, signer, scrub_entries=16, verify_on_start=False)
    with pytest.raises(TamperDetectedError):
        for step in range(40):
            store.append([record_for(event(1000 + step))])
            issuer.issue(10 + step)
    store.close()


def test_tree_root_from_store_matches_compact_edge(store: LogStore) -> None:
    fill(store, 77)
    assert store.root() == tree.root(RFC6962, store.node, 77)
    assert len(store.compact_nodes(0, 77)) == bin(77).count("1")
