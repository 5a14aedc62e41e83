"""Shared bounded types for every contract.

Identifiers are opaque strings (ULIDs or UUIDs, or short random tokens); names, emails and secrets
are never used as identifiers, so an identifier may appear in a NATS subject or a log line.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

#: An opaque identifier: letters, digits, '-' and '_' only, so it is always safe in a NATS subject
#: token, a URL path segment and a file name.
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"

Id = Annotated[str, msgspec.Meta(pattern=ID_PATTERN, min_length=1, max_length=64)]
ShortText = Annotated[str, msgspec.Meta(max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=4000)]
#: The name a staff member is shown by to other people ("Ms Anna Lee"), e.g. the mediator in a
#: hearing. Empty means none: screens then say the role instead. Shorter than other names because
#: it is read inside sentences ("Ms Anna Lee will admit you shortly"); cleaned of control
#: characters where a contract carries it (proto/text.py).
DISPLAY_NAME_MAX = 100
DisplayName = Annotated[str, msgspec.Meta(max_length=DISPLAY_NAME_MAX)]
#: Unix time in milliseconds.
TimestampMs = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
#: An IANA time zone name ("Asia/Hong_Kong", "UTC"); the gateway also checks it exists.
TimeZone = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$",
                                       max_length=64)]


class Language(StrEnum):
    """The languages Parley speaks (the web client's catalogues): an invitation's letter and the
    pages its link opens are in one of them (the tags the client uses, BCP 47)."""

    EN = "en"
    ZH_HANT = "zh-Hant"
    ZH_HANS = "zh-Hans"


class Role(StrEnum):
    """Every role a principal can hold: staff roles (accounts) and hearing roles (participants)."""

    ADMIN = "admin"
    MEDIATOR = "mediator"
    AUDITOR = "auditor"
    PARTY = "party"
    COUNSEL = "counsel"
    OBSERVER = "observer"


STAFF_ROLES = frozenset({Role.ADMIN, Role.MEDIATOR, Role.AUDITOR})
PARTICIPANT_ROLES = frozenset({Role.MEDIATOR, Role.PARTY, Role.COUNSEL, Role.OBSERVER})
