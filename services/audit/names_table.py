"""The `names` table beside the log: the directory's rows (directory.py), derived from the entries
in the same transaction, never part of the tree.

`names(kind, id, hearing, name, role, side, username, idx)`: one row per named thing, `idx` the
entry that named it last. Derived data can be dropped and refilled from the entries at any time:
a table written by an older release (`meta.names_schema` below `VERSION`, e.g. staff named by
user name only) is rebuilt when the store opens.

`hearing_actors(hearing, actor)`: who acted in a hearing (an entry of it not refused), and the
mediator a hearing's creation or hand-over seated (an administrator may create it for them, and
hands it over to another: `SEATING`), before they act in it. A staff account
is named once, in no hearing, so a hearing's people would leave out its mediator: `query` adds
the accounts that acted in the hearing, by their account's name and role. One row per person
and hearing, written once per batch, so appending stays as cheap as before.

A query reads a page at a time, by name (then kind, id and hearing: one order with no ties), and
the next page continues after the last row's sort key (a keyset, not an offset: a name added
meanwhile shifts nothing). The cursor carries that key as base64url JSON: opaque to clients.
A page is bounded by its encoded size too (`page`): the reply crosses NATS, whose messages are
at most 1 MB, and a thousand names of 200 characters each (CJK, or escaped) would not fit.
"""

from __future__ import annotations

import base64
import binascii
import sqlite3
from collections.abc import Iterable
from typing import Final

import msgspec

from proto.auditlog import MAX_NAMES_PAGE_BYTES, NamedThing, NameList
from services.audit.directory import NameRow, fold, needs_previous, row_key
from services.audit.entry import LogRecord
from services.audit.errors import NameCursorError

#: 2: staff accounts by display name, with the user name beside it (and renames followed).
#: 3: who acted in each hearing (`hearing_actors`), so a hearing's people include its staff.
#: 4: the mediator a hand-over seated, before it acts (`SEATING`).
VERSION: Final = 4
SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS names (
    kind TEXT NOT NULL, id TEXT NOT NULL, hearing TEXT NOT NULL, name TEXT NOT NULL,
    role TEXT, side TEXT, username TEXT, idx INTEGER NOT NULL, PRIMARY KEY (kind, id, hearing)
);
CREATE INDEX IF NOT EXISTS names_by_name ON names (name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS names_by_hearing ON names (hearing, kind);
CREATE TABLE IF NOT EXISTS hearing_actors (
    hearing TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (hearing, actor)
) WITHOUT ROWID;
"""
_COLUMNS: Final = "kind, id, hearing, name, role, side, username, idx"
#: A staff account that acted in the hearing, as a row of that hearing (the first `?`).
_STAFF: Final = ("SELECT n.kind, n.id, a.hearing, n.name, n.role, n.side, n.username, n.idx"
                 " FROM hearing_actors a JOIN names n ON n.kind = 'person' AND n.id = a.actor"
                 " AND n.hearing = ''")


#: The entries that seat a hearing's mediator (`details.mediator`), whoever their actor.
SEATING: Final = frozenset({"hearing.create", "hearing.mediator_handover"})


class _Created(msgspec.Struct):
    details: dict[str, object] = {}


_CREATED: Final = msgspec.json.Decoder(_Created)


def prepare(conn: sqlite3.Connection) -> bool:
    """Create the table, or rebuild one of an older version; True when it must be filled."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'names_schema'").fetchone()
    if row is not None and int(row[0]) == VERSION:
        conn.executescript(SCHEMA)
        return False
    conn.execute("DROP TABLE IF EXISTS names")
    conn.execute("DROP TABLE IF EXISTS hearing_actors")
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('names_schema', ?)",
                 (str(VERSION),))
    return True


def _row(conn: sqlite3.Connection, key: tuple[str, str, str]) -> NameRow | None:
    found = conn.execute("SELECT kind, id, hearing, name, role, side, username FROM names"
                         " WHERE kind = ? AND id = ? AND hearing = ?", key).fetchone()
    return None if found is None else NameRow(*found)


def _seated(record: LogRecord) -> str | None:
    """The mediator a hearing's creation or hand-over seated (not always its actor: an admin
    may create it, and hands it over)."""
    if record.action not in SEATING or record.outcome != "allowed":
        return None
    try:
        mediator = _CREATED.decode(record.data).details.get("mediator")
    except msgspec.DecodeError:
        return None
    return mediator if isinstance(mediator, str) and mediator else None


def acted(records: Iterable[LogRecord]) -> set[tuple[str, str]]:
    """(hearing, person) for each person who acted in a hearing (refusals aside), or was seated
    as its mediator."""
    pairs: set[tuple[str, str]] = set()
    for record in records:
        if record.hearing is None:
            continue
        if record.outcome != "denied":
            pairs.add((record.hearing, record.actor))
        if (mediator := _seated(record)) is not None:
            pairs.add((record.hearing, mediator))
    return pairs


def backfill_actors(conn: sqlite3.Connection) -> None:
    """Who acted in each hearing, from a log written before `hearing_actors` (one scan; the
    mediators hearings seated come with the replay of the naming and `SEATING` entries,
    `insert`)."""
    conn.execute("INSERT OR IGNORE INTO hearing_actors (hearing, actor) SELECT DISTINCT hearing,"
                 " actor FROM entries WHERE hearing IS NOT NULL AND outcome != 'denied'")


def _add_actors(conn: sqlite3.Connection, pairs: set[tuple[str, str]]) -> None:
    if pairs:
        conn.executemany("INSERT OR IGNORE INTO hearing_actors (hearing, actor) VALUES (?, ?)",
                         sorted(pairs))


def insert(conn: sqlite3.Connection, records: Iterable[tuple[int, LogRecord]]) -> None:
    """Fold `(index, record)`s, in log order, into the tables (inside the caller's transaction)."""
    written: dict[tuple[str, str, str], NameRow] = {}
    rows = []
    logged = []
    for idx, record in records:
        logged.append(record)
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
    _add_actors(conn, acted(logged))


def _filters(prefix: str, kind: str | None, ident: str | None,
             name: str | None) -> tuple[list[str], list[str]]:
    where, params = [], []
    for column, value in (("kind", kind), ("id", ident)):
        if value is not None:
            where.append(f"{prefix}{column} = ?")
            params.append(value)
    if name is not None:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(f"({prefix}name LIKE ? ESCAPE '\\' OR {prefix}username LIKE ? ESCAPE '\\')")
        params += [f"%{escaped}%"] * 2
    return where, params


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


#: Where a page ends: the last row's (name, kind, id, hearing), the order pages are read in.
SortKey = tuple[str, str, str, str]
_ORDER: Final = "name, kind, id, hearing"
_KEY: Final = msgspec.json.Decoder(tuple[str, str, str, str])


def sort_key(row: NameRow) -> SortKey:
    return row.name, row.kind, row.id, row.hearing


def encode_cursor(key: SortKey) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def decode_cursor(cursor: str) -> SortKey:
    """The sort key a cursor from `encode_cursor` carries; NameCursorError for anything else."""
    try:
        return _KEY.decode(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise NameCursorError from None


def query(conn: sqlite3.Connection, *, name: str | None, hearing: str | None, kind: str | None,
          ident: str | None, limit: int, after: SortKey | None = None) -> list[tuple[NameRow, int]]:
    """Named things by a part of the name or user name (case-insensitive), hearing, kind, id;
    by name, at most `limit`, those after `after` (the last of the page before). A hearing's
    people include the staff accounts that acted in it (`hearing_actors`), named and with the
    role as their accounts are now."""
    where, params = _filters("", kind, ident, name)
    if hearing is not None:
        where, params = ["hearing = ?", *where], [hearing, *params]
    sql = f"SELECT {_COLUMNS} FROM names" + _where(where)  # noqa: S608 - fixed SQL
    if hearing is not None and kind in (None, "person"):
        staff, staff_params = _filters("n.", None, ident, name)
        sql = (f"SELECT {_COLUMNS} FROM ({sql} UNION ALL {_STAFF}"  # noqa: S608 - fixed SQL
               + _where(["a.hearing = ?", *staff]) + ")")
        params = [*params, hearing, *staff_params]
    if after is not None:
        sql = f"SELECT {_COLUMNS} FROM ({sql}) WHERE ({_ORDER}) > (?, ?, ?, ?)"  # noqa: S608
        params = [*params, *after]
    rows = conn.execute(f"{sql} ORDER BY {_ORDER} LIMIT ?", [*params, limit]).fetchall()
    return [(NameRow(k, i, h, n, r, s, u), int(x)) for k, i, h, n, r, s, u, x in rows]


#: Encoded bytes of one page's names, at most (proto/auditlog.py MAX_NAMES_PAGE_BYTES).
PAGE_BYTES: Final = MAX_NAMES_PAGE_BYTES
_ENCODER: Final = msgspec.json.Encoder()


def page(rows: list[tuple[NameRow, int]], limit: int, budget: int = PAGE_BYTES) -> NameList:
    """The reply for `rows` (a `query` for `limit` + 1, so one more tells that more match): at
    most `limit` names and `budget` encoded bytes of them (always one: a row is a few KiB at
    most), and the cursor after the last one given whenever rows are left out."""
    names: list[NamedThing] = []
    size = 0
    for row, index in rows[:limit]:
        thing = NamedThing(kind=row.kind, id=row.id, name=row.name, index=index,
                           hearing=row.hearing or None, role=row.role, side=row.side,
                           username=row.username)
        size += len(_ENCODER.encode(thing)) + 1  # and the comma before the next
        if names and size > budget:
            break
        names.append(thing)
    more = len(rows) > len(names)
    return NameList(names=names, next_cursor=encode_cursor(sort_key(rows[len(names) - 1][0]))
                    if more and names else None)
