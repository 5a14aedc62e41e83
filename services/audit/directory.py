"""Names for auditors, read from the log itself: who, which side, which document (pure).

Auditors ask about people and documents by name ("everything Ana Chen did", "who opened Expert
report v2.pdf"), while entries name them by id. The events that introduce a name carry it in
their details, so the log is its own directory:

| action              | kind       | id                | name from                     | also             |
| ------------------- | ---------- | ----------------- | ----------------------------- | ---------------- |
| participant.invite  | person     | resource id       | details.name                  | role, side       |
| account.bootstrap   | person     | resource id       | details.username              | role, username   |
| account.create      | person     | resource id       | details.display_name, else    | role, username   |
|                     |            |                   | details.username              |                  |
| account.update      | person     | resource id       | details.display_name, else    | role             |
|                     |            |                   | the username named before     |                  |
| hearing.side_add    | side       | resource id       | details.name                  |                  |
| hearing.side_rename | side       | resource id       | details.name (its new name)   |                  |
| hearing.create      | hearing    | resource id       | details.title                 |                  |
| hearing.details_    | hearing    | resource id       | details.title (its new title; |                  |
|   change            |            |                   | none when it kept its title)  |                  |
| document.upload     | document   | resource id       | details.filename              |                  |
| room.caucus_create  | room       | resource id       | details.name ("" for a side's | side             |
|                     |            |                   | caucus named by default)      |                  |

A staff account is named as people know it: by its display name ("Ms Anna Lee"), with its user
name (the one it signs in with) kept beside it as the second identifier; an account without a
display name is named by its user name. A later `account.update` that carries `display_name`
(an administrator's change, or the person's own) renames it, and one that removes the display
name names it by its user name again; an update that carries `role` changes its role. So
`fold` takes the row an account had before (`needs_previous`); every other row is a function of
its own entry.

A side's caucus the mediator left with its default name was recorded with no name (its screens
name it after the side, in each reader's language): its row has the name "" and the side, and
the auditor's screen names it after the side the same way.

The store keeps these rows in a `names` table written in the same transaction as the entries
(names_table.py), so a name search is an index lookup, never a scan of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import msgspec

from services.audit.entry import LogRecord

#: action -> (kind, details field holding the name)
NAMING: Final = {
    "participant.invite": ("person", "name"),
    "account.bootstrap": ("person", "username"),
    "account.create": ("person", "display_name"),
    "account.update": ("person", "display_name"),
    "hearing.side_add": ("side", "name"),
    "hearing.side_rename": ("side", "name"),
    "hearing.create": ("hearing", "title"),
    "hearing.details_change": ("hearing", "title"),
    "document.upload": ("document", "filename"),
    "room.caucus_create": ("room", "name"),
}
_ACCOUNTS: Final = frozenset({"account.bootstrap", "account.create", "account.update"})


@dataclass(frozen=True, slots=True)
class NameRow:
    kind: str
    id: str
    hearing: str
    name: str
    role: str | None
    side: str | None
    #: A staff account's user name (what it signs in with), when the log named it.
    username: str | None = None


class _Details(msgspec.Struct):
    details: dict[str, object] = {}
    actor: dict[str, object] = {}


_DECODE: Final = msgspec.json.Decoder(_Details)


def _text(value: object) -> str | None:
    return value[:200] if isinstance(value, str) and value else None


def needs_previous(record: LogRecord) -> bool:
    """Whether `fold` needs the row this record's thing had before (an account's update)."""
    return record.action == "account.update" and record.outcome == "allowed"


def row_key(record: LogRecord) -> tuple[str, str, str] | None:
    """(kind, id, hearing) of the row `record` may write, or None if it names nothing."""
    naming = NAMING.get(record.action)
    if naming is None:
        return None
    return naming[0], record.resource_id, record.hearing or ""


def fold(previous: NameRow | None, record: LogRecord) -> NameRow | None:
    """The row `record` leaves for its thing, given the row before it (`needs_previous`);
    None when the record names nothing (another action, refused, no usable name)."""
    naming = NAMING.get(record.action)
    if naming is None or record.outcome != "allowed":
        return None
    kind, field = naming
    try:
        details = _DECODE.decode(record.data).details
    except msgspec.DecodeError:
        return None
    if record.action in _ACCOUNTS:
        return _account(previous, record, details)
    name = _text(details.get(field))
    side = _text(details.get("side"))
    if name is None and kind == "room" and side is not None and details.get(field) == "":
        name = ""  # named by default, after its side
    if name is None:
        return None
    return NameRow(kind=kind, id=record.resource_id, hearing=record.hearing or "", name=name,
                   role=_text(details.get("role")), side=side)


def _account(previous: NameRow | None, record: LogRecord,
             details: dict[str, object]) -> NameRow | None:
    role = _text(details.get("role"))
    if record.action != "account.update":  # bootstrap, create: the account's first row
        username = _text(details.get("username"))
        name = _text(details.get("display_name")) or username
        if name is None:
            return None
        return NameRow(kind="person", id=record.resource_id, hearing=record.hearing or "",
                       name=name, role=role, side=None, username=username)
    username = previous.username if previous is not None else None
    if "display_name" in details:
        name = _text(details.get("display_name")) or username
    else:
        name = previous.name if previous is not None else None
    if name is None:
        return None
    return NameRow(kind="person", id=record.resource_id, hearing=record.hearing or "", name=name,
                   role=role or (previous.role if previous is not None else None), side=None,
                   username=username)


def names_in(record: LogRecord) -> NameRow | None:
    """The name an entry introduces on its own (with no row before it)."""
    return fold(None, record)
