"""The invitations issued to people, so that a search by person finds every use of them.

A redemption's entries name the invitation (`resource` `invitation`), never the person: nobody
is signed in yet, and the gateway's entry of a refused one knows only the invitation. The
entries that issue a participant's invitations name both: `participant.invite` (signalling
core.py `_invite`) and each new link, `participant.reissue` (joining.py `reissue`), have the
participant as resource and the invitation in `details.invitation`. A search by person (a
name) and a person's report (`actor` with `with_invitations`: js/audit/data.js `personFilter`)
both find the uses through them (query.py).

Bounded: at most `MAX_ISSUED` issuing entries are read (a participant has one invitation, and
one more per new link), each a primary-key read on the `entries_resource` index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

import msgspec

#: The actions that issue an invitation, naming it in `details.invitation`.
ISSUING: Final = ("participant.invite", "participant.reissue")
#: At most this many issuing entries are read for one search (the oldest first).
MAX_ISSUED: Final = 1000


class _Details(msgspec.Struct):
    invitation: str | None = None


class _Issuing(msgspec.Struct):
    details: _Details = msgspec.field(default_factory=_Details)


_DECODE: Final = msgspec.json.Decoder(_Issuing)


def _issued(data: object) -> str | None:
    if not isinstance(data, bytes | str):  # a row edited by hand: the integrity check flags it
        return None
    try:
        found = _DECODE.decode(data).details.invitation
    except msgspec.DecodeError:  # not of the expected shape: it names no invitation
        return None
    return found or None


def issued_to(conn: sqlite3.Connection, people: Sequence[str], below: int | None = None) -> list[str]:
    """The invitations issued to the participants `people` (ids) by entries with index below
    `below` (if given), in the order they were issued, each once."""
    if not people:
        return []
    marks = ", ".join("?" * len(people))
    actions = ", ".join("?" * len(ISSUING))
    bound = "" if below is None else " AND idx < ?"
    sql = (f"SELECT entry FROM entries WHERE resource_type = 'participant'"  # noqa: S608 - fixed SQL only
           f" AND resource_id IN ({marks}) AND action IN ({actions}) AND outcome = 'allowed'{bound}"
           " ORDER BY idx LIMIT ?")
    params: list[object] = [*people, *ISSUING, *([] if below is None else [below]), MAX_ISSUED]
    found = (_issued(row[0]) for row in conn.execute(sql, params))
    return list(dict.fromkeys(i for i in found if i is not None))
