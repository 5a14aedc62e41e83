"""Names for auditors, read from the log itself: who, which side, which document (pure).

Auditors ask about people and documents by name ("everything Ana Chen did", "who opened Expert
report v2.pdf"), while entries name them by id. The events that introduce a name carry it in
their details, so the log is its own directory:

| action              | kind       | id                | name from         | also          |
| ------------------- | ---------- | ----------------- | ----------------- | ------------- |
| participant.invite  | person     | resource id       | details.name      | role, side    |
| account.create      | person     | resource id       | details.username  | role          |
| hearing.side_add    | side       | resource id       | details.name      |               |
| hearing.create      | hearing    | resource id       | details.title     |               |
| document.upload     | document   | resource id       | details.filename  |               |
| room.caucus_create  | room       | resource id       | details.name      | side          |

The store keeps these rows in a `names` table written in the same transaction as the entries,
so a name search is an index lookup, never a scan of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import msgspec

from services.audit.entry import LogRecord

#: action -> (kind, details field holding the name)
NAMING: Final = {
    "participant.invite": ("person", "name"),
    "account.create": ("person", "username"),
    "hearing.side_add": ("side", "name"),
    "hearing.create": ("hearing", "title"),
    "document.upload": ("document", "filename"),
    "room.caucus_create": ("room", "name"),
}


@dataclass(frozen=True, slots=True)
class NameRow:
    kind: str
    id: str
    hearing: str
    name: str
    role: str | None
    side: str | None


class _Details(msgspec.Struct):
    details: dict[str, object] = {}
    actor: dict[str, object] = {}


_DECODE: Final = msgspec.json.Decoder(_Details)


def _text(value: object) -> str | None:
    return value[:200] if isinstance(value, str) and value else None


def names_in(record: LogRecord) -> NameRow | None:
    """The name an entry introduces, if its action is one of NAMING and it was allowed."""
    naming = NAMING.get(record.action)
    if naming is None or record.outcome != "allowed":
        return None
    kind, field = naming
    try:
        details = _DECODE.decode(record.data).details
    except msgspec.DecodeError:
        return None
    name = _text(details.get(field))
    if name is None:
        return None
    return NameRow(kind=kind, id=record.resource_id, hearing=record.hearing or "", name=name,
                   role=_text(details.get("role")), side=_text(details.get("side")))
