"""Turn an `EventQuery` into one parameterised SQL statement over the entries table.

Pagination is by log index: the cursor is the index of the last entry returned, and results are
in index order (oldest first, or newest first with `order=desc`), so a page boundary is stable
while the log grows (new entries only append). Every filter has an index ending in `idx`, so a
page is an index range scan and the count an index-only count (the 10^6-entry benchmark:
benchmarks/audit_search.py). A `person` filter arrives resolved to the ids the log named them by
and the invitations issued to them (invitations.py): it matches what they did, what was done to
them, and every use of their invitations (whose entries name the invitation, not the person).
An `actor` with `with_invitations` (a person's report) arrives with the invitations issued to
that actor: it matches what they did and every use of those invitations, nothing about them.
"""

from __future__ import annotations

from collections.abc import Sequence

from proto.auditlog import EventQuery

COLUMNS = "idx, entry"


def _uses(invitations: Sequence[str], params: list[object]) -> str:
    """The SQL (and `params`) also matching every use of `invitations`, if any."""
    if not invitations:
        return ""
    params.extend(invitations)
    return f" OR (resource_type = 'invitation' AND resource_id IN ({', '.join('?' * len(invitations))}))"


def _where(query: EventQuery, below: int | None, *, with_cursor: bool,
           person_ids: Sequence[str] = (),
           invitations: Sequence[str] = ()) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    actor = None if query.with_invitations else query.actor  # else with their invitations, below
    for column, value in (("hearing", query.hearing), ("actor", actor),
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
        theirs = f"actor IN ({marks}) OR resource_id IN ({marks})"
        params.extend([*person_ids, *person_ids])
        where.append(f"({theirs}{_uses(invitations, params)})")
    if query.with_invitations:
        params.append(query.actor)
        where.append(f"(actor = ?{_uses(invitations, params)})")
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


def build_query(query: EventQuery, below: int | None = None, person_ids: Sequence[str] = (),
                *, span: tuple[int, int] | None = None,
                invitations: Sequence[str] = ()) -> tuple[str, list[object]]:
    """SQL selecting up to limit + 1 rows (the extra row tells whether a next page exists).

    `below` bounds the indices (an export pinned to a checkpoint of that size). The plan is
    chosen from how many entries match (the caller counted them first, cheaply, on an index):
    - `span` given (the first and last matching index, and a large share of the entries between
      them match): walk that part of the log in index order and keep what matches; a page is
      found after ~limit/share entries, however deep.
    - sparse: find the page's indices on the filter's index (only integers are sorted, for a
      range filter like a time range or an action family), then read those entries.
    """
    where, params = _where(query, below, with_cursor=True, person_ids=person_ids,
                           invitations=invitations)
    direction = "DESC" if query.order == "desc" else ""
    if span is not None:
        where += (" AND" if where else " WHERE") + " idx >= ? AND idx <= ?"
        params.extend(span)
        sql = f"SELECT {COLUMNS} FROM entries NOT INDEXED{where} ORDER BY idx {direction} LIMIT ?"  # noqa: S608 - fixed SQL only
    else:
        sql = (f"SELECT {COLUMNS} FROM entries WHERE idx IN (SELECT idx FROM entries{where}"  # noqa: S608 - fixed SQL only
               f" ORDER BY idx {direction} LIMIT ?) ORDER BY idx {direction}")
    params.append(query.limit + 1)
    return sql, params


def build_count(query: EventQuery, below: int | None = None, person_ids: Sequence[str] = (),
                invitations: Sequence[str] = ()) -> tuple[str, list[object]]:
    """SQL counting the matching entries with index < `below` (the cursor is ignored), with the
    first and last matching index (free: the same index-only pass)."""
    where, params = _where(query, below, with_cursor=False, person_ids=person_ids,
                           invitations=invitations)
    return f"SELECT COUNT(*), MIN(idx), MAX(idx) FROM entries{where}", params  # noqa: S608 - fixed SQL only
