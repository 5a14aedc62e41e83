"""Turn an `EventQuery` into one parameterised SQL statement over the entries table.

Pagination is by log index: the cursor is the index of the last entry returned, and results are
in index order (oldest first, or newest first with `order=desc`), so a page boundary is stable
while the log grows (new entries only append). Every filter has an index ending in `idx`, so a
page is an index range scan and the count an index-only count (the 10^6-entry benchmark:
benchmarks/audit_search.py). A `person` filter arrives resolved to the ids the log named them by.
"""

from __future__ import annotations

from collections.abc import Sequence

from proto.auditlog import EventQuery

COLUMNS = "idx, entry"


def _where(query: EventQuery, below: int | None, *, with_cursor: bool,
           person_ids: Sequence[str] = ()) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    for column, value in (("hearing", query.hearing), ("actor", query.actor),
                          ("resource_type", query.resource_type),
                          ("resource_id", query.resource_id), ("outcome", query.outcome)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if query.action is not None:
        if query.action.endswith("."):
            # a family prefix: [prefix, prefix + U+FFFF) keeps the index usable, unlike LIKE
            where.append("action >= ? AND action < ?")
            params.extend([query.action, query.action + "\uffff"])
        else:
            where.append("action = ?")
            params.append(query.action)
    if query.person is not None:
        marks = ", ".join("?" * len(person_ids)) or "NULL"
        where.append(f"(actor IN ({marks}) OR resource_id IN ({marks}))")
        params.extend([*person_ids, *person_ids])
    if query.time_from is not None:
        where.append("time >= ?")
        params.append(query.time_from)
    if query.time_to is not None:
        where.append("time < ?")
        params.append(query.time_to)
    if with_cursor and query.cursor is not None:
        where.append("idx < ?" if query.order == "desc" else "idx > ?")
        params.append(int(query.cursor))
    if below is not None:
        where.append("idx < ?")
        params.append(below)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def build_query(query: EventQuery, below: int | None = None,
                person_ids: Sequence[str] = ()) -> tuple[str, list[object]]:
    """SQL selecting up to limit + 1 rows (the extra row tells whether a next page exists).

    `below` bounds the indices (an export pinned to a checkpoint of that size).
    """
    where, params = _where(query, below, with_cursor=True, person_ids=person_ids)
    direction = "DESC" if query.order == "desc" else ""
    sql = f"SELECT {COLUMNS} FROM entries{where} ORDER BY idx {direction} LIMIT ?"  # noqa: S608 - fixed SQL only
    params.append(query.limit + 1)
    return sql, params


def build_count(query: EventQuery, below: int | None = None,
                person_ids: Sequence[str] = ()) -> tuple[str, list[object]]:
    """SQL counting the matching entries with index < `below` (the cursor is ignored)."""
    where, params = _where(query, below, with_cursor=False, person_ids=person_ids)
    return f"SELECT COUNT(*) FROM entries{where}", params  # noqa: S608 - fixed SQL only
