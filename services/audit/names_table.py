"""The `names` table beside the log: the directory's rows (directory.py), derived from the entries
in the same transaction, never part of the tree.

`names(kind, id, hearing, name, role, side, username, idx)`: one row per named thing, `idx` the
entry that named it last. Derived data can be dropped and refilled from the entries at any time:
a table written by an older release (`meta.names_schema` below `VERSION`, e.g. staff named by
user name only) is rebuilt when the store opens.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Final

from services.audit.directory import NameRow, fold, needs_previous, row_key
from services.audit.entry import LogRecord

#: 2: staff accounts by display name, with the user name beside it (and renames followed).
VERSION: Final = 2
SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS names (
    kind TEXT NOT NULL, id TEXT NOT NULL, hearing TEXT NOT NULL, name TEXT NOT NULL,
    role TEXT, side TEXT, username TEXT, idx INTEGER NOT NULL, PRIMARY KEY (kind, id, hearing)
);
CREATE INDEX IF NOT EXISTS names_by_name ON names (name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS names_by_hearing ON names (hearing, kind);
"""
_COLUMNS: Final = "kind, id, hearing, name, role, side, username, idx"


def prepare(conn: sqlite3.Connection) -> bool:
    """Create the table, or rebuild one of an older version; True when it must be filled."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'names_schema'").fetchone()
    if row is not None and int(row[0]) == VERSION:
        conn.executescript(SCHEMA)
        return False
    conn.execute("DROP TABLE IF EXISTS names")
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('names_schema', ?)",
                 (str(VERSION),))
    return True


def _row(conn: sqlite3.Connection, key: tuple[str, str, str]) -> NameRow | None:
    found = conn.execute("SELECT kind, id, hearing, name, role, side, username FROM names"
                         " WHERE kind = ? AND id = ? AND hearing = ?", key).fetchone()
    return None if found is None else NameRow(*found)


def insert(conn: sqlite3.Connection, records: Iterable[tuple[int, LogRecord]]) -> None:
    """Fold `(index, record)`s, in log order, into the table (inside the caller's transaction)."""
    written: dict[tuple[str, str, str], NameRow] = {}
    rows = []
    for idx, record in records:
        key = row_key(record)
        if key is None:
            continue
        previous = None
        if needs_previous(record):
            previous = written[key] if key in written else _row(conn, key)
        row = fold(previous, record)
        if row is None:
            continue
        written[key] = row  # a later record of this batch reads it from here
        rows.append((row.kind, row.id, row.hearing, row.name, row.role, row.side, row.username,
                     idx))
    if rows:
        conn.executemany(f"INSERT OR REPLACE INTO names ({_COLUMNS})"  # noqa: S608 - fixed SQL
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def query(conn: sqlite3.Connection, *, name: str | None, hearing: str | None, kind: str | None,
          ident: str | None, limit: int) -> list[tuple[NameRow, int]]:
    """Named things by a part of the name or user name (case-insensitive), hearing, kind, id;
    by name."""
    where, params = [], []
    for column, value in (("hearing", hearing), ("kind", kind), ("id", ident)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if name is not None:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append("(name LIKE ? ESCAPE '\\' OR username LIKE ? ESCAPE '\\')")
        params += [f"%{escaped}%"] * 2
    sql = (f"SELECT {_COLUMNS} FROM names"  # noqa: S608 - fixed SQL
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY name LIMIT ?")
    rows = conn.execute(sql, [*params, limit]).fetchall()
    return [(NameRow(k, i, h, n, r, s, u), int(x)) for k, i, h, n, r, s, u, x in rows]
