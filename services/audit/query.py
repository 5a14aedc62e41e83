"""Turn an `EventQuery` into one parameterised SQL statement over the entries table.

Pagination is by log index: the cursor is the index of the last entry returned, and results are
in index order, so a page boundary is stable while the log grows (new entries only append).
"""

from __future__ import annotations

from proto.auditlog import EventQuery

COLUMNS = "idx, entry"


def build_query(query: EventQuery) -> tuple[str, list[object]]:
    """SQL selecting up to limit + 1 rows (the extra row tells whether a next page exists)."""
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
    if query.cursor is not None:
        where.append("idx > ?")
        params.append(int(query.cursor))
    sql = f"SELECT {COLUMNS} FROM entries"  # noqa: S608 - only fixed column names are interpolated
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY idx LIMIT ?"
    params.append(query.limit + 1)
    return sql, params
