"""The audit log store: entries, Merkle tree nodes and signed checkpoints in one SQLite file (WAL).

Longer than 300 lines on purpose: the schema below and every statement that reads or writes it
stay in one module, so the invariants (dense indices, nodes derived from entries) are checked
in one place.

Tables
- `entries(idx, event_id UNIQUE, time, hearing, actor, action, resource_type, resource_id,
  outcome, entry)`: the canonical entry bytes plus indexed columns for queries. `idx` is the leaf
  index; indices are dense (0..size-1) because every append assigns `size + k`.
- `nodes(id, hash)`: every full subtree hash, `id = level << 56 | index` (level 0 = leaf hashes),
  written in the same transaction as the entries that complete it. A proof on any tree size is
  then O(log n) primary-key lookups, with no rehashing beyond the right edge.
- `checkpoints(size, root, note, time)`: every signed checkpoint, as issued.
- `names(kind, id, hearing, name, role, side, username, idx)`: the people, sides, hearings and
  documents the entries named (directory.py), written with them, and `hearing_actors(hearing,
  actor)`: who acted in each hearing; derived data, not part of the tree, their statements in
  names_table.py (like the counts in tallies.py).

One writer: the audit sequencer. Reads may use other connections (WAL lets them run beside the
writer). Integrity checking and checkpoint signing live in `signer.py`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from proto.auditlog import EventQuery
from services.audit import invitations, names_table, tallies, tree
from services.audit.compact import CompactRange
from services.audit.directory import NAMING, NameRow
from services.audit.entry import MAX_ENTRY_BYTES, LogRecord
from services.audit.errors import EntryTooLargeError, IndexOutOfRangeError, TamperDetectedError
from services.audit.hasher import RFC6962, Hasher
from services.audit.query import build_count, build_query

#: A `person` filter resolved: the ids the log named them by, and their invitations.
People = tuple[list[str], list[str]]
LEVEL_SHIFT: Final = 56
SCHEMA_VERSION: Final = 1
_INSERT_ENTRY: Final = (
    "INSERT INTO entries (idx, event_id, time, hearing, actor, action, resource_type, resource_id,"
    " outcome, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING"
)

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    idx INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    time INTEGER NOT NULL,
    hearing TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    entry BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_hearing ON entries (hearing, idx);
CREATE INDEX IF NOT EXISTS entries_actor ON entries (actor, idx);
CREATE INDEX IF NOT EXISTS entries_action ON entries (action, idx);
CREATE INDEX IF NOT EXISTS entries_resource ON entries (resource_type, resource_id, idx);
CREATE INDEX IF NOT EXISTS entries_time ON entries (time, idx);
CREATE INDEX IF NOT EXISTS entries_outcome ON entries (outcome, idx);
CREATE INDEX IF NOT EXISTS entries_resource_id ON entries (resource_id, idx);
CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (
    size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL, time INTEGER NOT NULL
);
"""


def as_bytes(value: object) -> bytes:
    """A BLOB column's value. A row edited by hand may come back as TEXT (or a number): it is
    turned into bytes so the integrity checks compare it (and flag it), instead of crashing."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8", "surrogatepass")


def node_id(level: int, index: int) -> int:
    return (level << LEVEL_SHIFT) | index


@dataclass(frozen=True, slots=True)
class AppendResult:
    """Which records were new (event id, index) and which were already logged (event ids)."""

    new: list[tuple[str, int]]
    duplicates: list[str]
    size: int


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str
    time: int


class LogStore:
    """SQLite-backed Merkle log. Not thread-safe: one owner at a time."""

    def __init__(self, conn: sqlite3.Connection, hasher: Hasher = RFC6962) -> None:
        self.conn = conn
        self.hasher = hasher
        self._size = self._load_size()
        self._edge = CompactRange(
            hasher, 0, [(lv, ix, self.node(lv, ix)) for lv, ix in tree.full_subtrees(0, self._size)]
        )

    @classmethod
    def open(cls, path: Path, hasher: Hasher = RFC6962, *, synchronous: str = "FULL") -> LogStore:
        """Open (creating) the store. `synchronous=FULL`: an acknowledged entry survives power loss."""
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous must be FULL or NORMAL")
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: search over 10^6 entries stays in RAM
        conn.execute(f"PRAGMA synchronous={synchronous}")
        conn.executescript(_SCHEMA + tallies.SCHEMA)
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
        )
        rebuild = names_table.prepare(conn)
        store = cls(conn, hasher)
        store._backfill_names(rebuild)
        return store

    def _backfill_names(self, rebuild: bool) -> None:
        """A log written before the names and tallies tables, or with names of an older
        version (names_table.py): fill them from the entries."""
        if self._size == 0:
            return
        if not self.conn.execute("SELECT 1 FROM tallies LIMIT 1").fetchone():
            with self.transaction() as conn:
                tallies.backfill(conn)
        if not rebuild and self.conn.execute("SELECT 1 FROM names LIMIT 1").fetchone():
            return
        replayed = sorted({*NAMING, *names_table.SEATING})
        marks = ", ".join("?" * len(replayed))
        rows = self.conn.execute(
            "SELECT idx, event_id, entry, time, action, actor, resource_type, resource_id,"  # noqa: S608
            f" outcome, hearing FROM entries WHERE action IN ({marks}) ORDER BY idx", replayed)
        with self.transaction() as conn:
            names_table.insert(conn, ((int(r[0]), LogRecord(r[1], as_bytes(r[2]), *r[3:]))
                                      for r in rows))
            names_table.backfill_actors(conn)

    def close(self) -> None:
        self.conn.close()

    def _load_size(self) -> int:
        row = self.conn.execute("SELECT COUNT(*), COALESCE(MAX(idx) + 1, 0) FROM entries").fetchone()
        count, size = int(row[0]), int(row[1])
        if count != size:
            raise TamperDetectedError(f"entry indices are not dense: {count} rows, max index {size - 1}")
        return size

    def recount(self) -> None:
        """Re-read the entry count; a change not made through this store is tampering."""
        size = self._load_size()
        if size != self._size:
            raise TamperDetectedError(f"log size changed outside the writer: {self._size} -> {size}")

    @property
    def size(self) -> int:
        return self._size

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- writing ---------------------------------------------------------------------------

    def append(self, records: Sequence[LogRecord], *, intake_seq: int | None = None) -> AppendResult:
        """Append a batch in one transaction; records whose event id is already logged are skipped.

        Either every new record (with its leaf and the parent nodes it completes) is committed,
        or none is and the in-memory right edge is restored. `intake_seq`, the highest stream
        sequence of the batch, is committed in the same transaction, so after a crash the log
        knows exactly how far into the `AUDIT` stream it got (see intake.py: rebuild).
        """
        for rec in records:
            if len(rec.data) > MAX_ENTRY_BYTES:
                raise EntryTooLargeError(len(rec.data), MAX_ENTRY_BYTES)
        edge = CompactRange(self.hasher, 0, self._edge.nodes())
        hash_leaf = self.hasher.hash_leaf
        with self.transaction() as conn:
            added, duplicates = self._insert_entries(conn, records)
            new: list[tuple[str, int]] = []
            node_rows: list[tuple[int, bytes]] = []
            for idx, rec in enumerate(added, self._size):
                leaf = hash_leaf(rec.data)
                node_rows.append((idx, leaf))
                for lv, ix, digest in edge.push_leaf(leaf):
                    node_rows.append(((lv << LEVEL_SHIFT) | ix, digest))
                new.append((rec.event_id, idx))
            conn.executemany("INSERT INTO nodes (id, hash) VALUES (?, ?)", node_rows)
            names_table.insert(conn, enumerate(added, self._size))
            tallies.count_records(conn, added)
            if intake_seq is not None:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('intake_seq', ?) ON CONFLICT (key)"
                    " DO UPDATE SET value = excluded.value WHERE CAST(value AS INTEGER) < ?",
                    (str(intake_seq), intake_seq),
                )
        self._edge = edge
        self._size += len(new)
        return AppendResult(new, duplicates, self._size)

    def _insert_entries(
        self, conn: sqlite3.Connection, records: Sequence[LogRecord]
    ) -> tuple[list[LogRecord], list[str]]:
        """Insert the entry rows at `size`, `size + 1`, ...; (records inserted, duplicate ids).

        Fast path: one `executemany` of the whole batch. If any event id was already logged (or
        repeats within the batch) its row is skipped and leaves a hole in the indices, so the
        batch is rolled back to a savepoint and inserted row by row, skipping the duplicates.
        """
        size = self._size
        rows = [(size + k, r.event_id, r.time, r.hearing, r.actor, r.action, r.resource_type,
                 r.resource_id, r.outcome, r.data) for k, r in enumerate(records)]
        conn.execute("SAVEPOINT entries_batch")
        if conn.executemany(_INSERT_ENTRY, rows).rowcount == len(rows):
            conn.execute("RELEASE entries_batch")
            return list(records), []
        conn.execute("ROLLBACK TO entries_batch")
        conn.execute("RELEASE entries_batch")
        added: list[LogRecord] = []
        duplicates: list[str] = []
        for rec, row in zip(records, rows, strict=True):
            if conn.execute(_INSERT_ENTRY, (size + len(added), *row[1:])).rowcount == 1:
                added.append(rec)
            else:
                duplicates.append(rec.event_id)
        return added, duplicates

    # --- reading nodes and proofs ------------------------------------------------------------

    def node(self, level: int, index: int) -> bytes:
        """The stored full-subtree hash (a `tree.NodeSource`)."""
        row = self.conn.execute("SELECT hash FROM nodes WHERE id = ?", (node_id(level, index),)).fetchone()
        if row is None:
            raise IndexOutOfRangeError(f"no stored node ({level}, {index}) in a log of {self._size}")
        return as_bytes(row[0])

    def node_range(self, level: int, first: int, count: int) -> list[bytes]:
        """Stored hashes of nodes (level, first .. first+count-1) that exist, in order."""
        rows = self.conn.execute(
            "SELECT hash FROM nodes WHERE id >= ? AND id < ? ORDER BY id",
            (node_id(level, first), node_id(level, first + count)),
        ).fetchall()
        return [as_bytes(r[0]) for r in rows]

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self._size:
            raise IndexOutOfRangeError(f"tree size {size} is beyond the log size {self._size}")

    def root(self, size: int | None = None) -> bytes:
        size = self._size if size is None else size
        self._check_size(size)
        return tree.root(self.hasher, self.node, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        self._check_size(size)
        return tree.inclusion_proof(self.hasher, self.node, index, size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        self._check_size(second)
        return tree.consistency_proof(self.hasher, self.node, first, second)

    def compact_nodes(self, begin: int, end: int) -> list[bytes]:
        """Hashes of the maximal full subtrees covering [begin, end) (for range proofs)."""
        self._check_size(end)
        return [self.node(lv, ix) for lv, ix in tree.full_subtrees(begin, end)]

    # --- reading entries -------------------------------------------------------------------

    def entries(self, begin: int, end: int) -> list[bytes]:
        if not 0 <= begin <= end <= self._size:
            raise IndexOutOfRangeError(f"entry range [{begin}, {end}) outside [0, {self._size})")
        rows = self.conn.execute(
            "SELECT entry FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx", (begin, end)
        ).fetchall()
        return [as_bytes(r[0]) for r in rows]

    def iter_entries(self, begin: int, end: int) -> Iterator[tuple[int, bytes]]:
        cur = self.conn.execute(
            "SELECT idx, entry FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx", (begin, end)
        )
        for idx, data in cur:
            yield int(idx), as_bytes(data)

    def index_of(self, event_id: str) -> int | None:
        row = self.conn.execute("SELECT idx FROM entries WHERE event_id = ?", (event_id,)).fetchone()
        return None if row is None else int(row[0])

    def intake_seq(self) -> int:
        """The highest `AUDIT` stream sequence committed to the log (0: none)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'intake_seq'").fetchone()
        return 0 if row is None else int(row[0])

    def _people(self, query: EventQuery, below: int | None) -> People:
        """A `person` filter's ids, and the invitations issued to them (invitations.py); for
        `with_invitations`, the invitations issued to the `actor`."""
        if query.with_invitations and query.actor is not None:
            return [], invitations.issued_to(self.conn, [query.actor], below)
        if query.person is None:
            return [], []
        ids = self.person_ids(query.person)
        return ids, invitations.issued_to(self.conn, ids, below)

    def count(self, query: EventQuery, below: int | None = None) -> int:
        """How many entries (with index < `below`, if given) match the filters (cursor ignored)."""
        ids, issued = self._people(query, below)
        sql, params = build_count(query, below, ids, issued)
        return int(self.conn.execute(sql, params).fetchone()[0])

    def search(
        self, query: EventQuery, below: int | None = None
    ) -> tuple[list[tuple[int, bytes]], str | None, int]:
        """A page of (index, entry) matching the filters, the next page's cursor, the total."""
        people = self._people(query, below)
        unfiltered = EventQuery(order=query.order, cursor=query.cursor, limit=query.limit)
        first: int | None
        last: int | None
        if query == unfiltered:  # the whole log: its size is the count
            end = self._size if below is None else min(below, self._size)
            total, first, last = end, 0, end - 1
        elif below is None and (known := tallies.lookup(self.conn, query)) is not None:
            total, first, last = known
        else:
            sql, params = build_count(query, below, *people)
            total, first, last = self.conn.execute(sql, params).fetchone()
        span = None
        if total and first is not None and last is not None and total * 100 > last - first + 1:
            span = (first, last)  # dense: walk that part of the log in order
        rows, cursor = self.query(query, below, span=span, people=people)
        return rows, cursor, int(total)

    def query(
        self, query: EventQuery, below: int | None = None, *,
        span: tuple[int, int] | None = None, people: People | None = None,
    ) -> tuple[list[tuple[int, bytes]], str | None]:
        """A page of (index, entry) matching the filters, and the cursor of the next page."""
        ids, issued = self._people(query, below) if people is None else people
        sql, params = build_query(query, below, ids, span=span, invitations=issued)
        rows = [(int(i), as_bytes(e)) for i, e in self.conn.execute(sql, params)]
        if len(rows) > query.limit:
            rows = rows[: query.limit]
            return rows, str(rows[-1][0])
        return rows, None

    # --- checkpoints -----------------------------------------------------------------------

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        row = self.conn.execute(
            "SELECT size, root, note, time FROM checkpoints ORDER BY size DESC LIMIT 1"
        ).fetchone()
        return None if row is None else StoredCheckpoint(int(row[0]), as_bytes(row[1]), row[2], int(row[3]))

    def checkpoint_at(self, size: int) -> StoredCheckpoint | None:
        row = self.conn.execute(
            "SELECT size, root, note, time FROM checkpoints WHERE size = ?", (size,)
        ).fetchone()
        return None if row is None else StoredCheckpoint(int(row[0]), as_bytes(row[1]), row[2], int(row[3]))

    def checkpoints(self) -> list[StoredCheckpoint]:
        rows = self.conn.execute("SELECT size, root, note, time FROM checkpoints ORDER BY size")
        return [StoredCheckpoint(int(s), as_bytes(r), n, int(t)) for s, r, n, t in rows]

    def store_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO checkpoints (size, root, note, time) VALUES (?, ?, ?, ?)",
                (checkpoint.size, checkpoint.root, checkpoint.note, checkpoint.time),
            )

    def names(self, *, name: str | None = None, hearing: str | None = None,
              kind: str | None = None, ident: str | None = None,
              limit: int = 200,
              after: names_table.SortKey | None = None) -> list[tuple[NameRow, int]]:
        """Named things (a part of the name or user name, case-insensitive; a hearing; a kind;
        an id), by name; those after `after` (names_table.py `sort_key`) when given."""
        return names_table.query(self.conn, name=name, hearing=hearing, kind=kind, ident=ident,
                                 limit=limit, after=after)

    def person_ids(self, name: str) -> list[str]:
        """Ids of the people whose name contains `name` (at most 100)."""
        return sorted({row.id for row, _ in self.names(name=name, kind="person", limit=100)})

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file (SQLite PRAGMA data_version)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
