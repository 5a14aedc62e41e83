"""Turn an `EventQuery` into one parameterised SQL statement over the entries table.

Pagination is by log index: the cursor is the index of the last entry returned, and results are
in index order, so a page boundary is stable while the log grows (new entries only append).
"""

from __future__ import annotations

from proto.auditlog import EventQuery

COLUMNS = "idx, entry"


def _where(query: EventQuery, below: int | None, *, with_cursor: bool) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    if query.hearing is not None:
        where.append("hearing = ?")
        params.append(query.hearing)
    if query.actor is not None:
        where.append("actor = ?")
        params.append(query.actor)
    if query.action is not None:
        if query.action.endswith("."):
            # a family prefix: [prefix, prefix + U+FFFF) keeps the index usable, unlike LIKE
            where.append("action >= ? AND action < ?")
            params.extend([query.action, query.action + "\uffff"])
        else:
            where.append("action = ?")
            params.append(query.action)
    if query.resource_type is not None:
        where.append("resource_type = ?")
        params.append(query.resource_type)
    if query.resource_id is not None:
        where.append("resource_id = ?")
        params.append(query.resource_id)
    if query.time_from is not None:
        where.append("time >= ?")
        params.append(query.time_from)
    if query.time_to is not None:
        where.append("time < ?")
        params.append(query.time_to)
    if with_cursor and query.cursor is not None:
        where.append("idx > ?")
        params.append(int(query.cursor))
    if below is not None:
        where.append("idx < ?")
        params.append(below)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def build_query(query: EventQuery, below: int | None = None) -> tuple[str, list[object]]:
    """SQL selecting up to limit + 1 rows (the extra row tells whether a next page exists).

    `below` bounds the indices (an export pinned to a checkpoint of that size).
    """
    where, params = _where(query, below, with_cursor=True)
    sql = f"SELECT {COLUMNS} FROM entries{where} ORDER BY idx LIMIT ?"  # noqa: S608 - fixed SQL only
    params.append(query.limit + 1)
    return sql, params


def build_count(query: EventQuery, below: int | None = None) -> tuple[str, list[object]]:
    """SQL counting the matching entries with index < `below` (the cursor is ignored)."""
    where, params = _where(query, below, with_cursor=False)
    return f"SELECT COUNT(*) FROM entries{where}", params  # noqa: S608 - fixed SQL only
