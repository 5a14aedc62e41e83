"""Human-readable text as it enters Parley: no control, bidi-override or invisible characters.

Titles, names (people, sides, caucuses, tokens), chat and broadcast text are shown to other
people. A NUL can truncate them in some consumers; a right-to-left override (U+202E) makes
"invoice‮fdp.exe" read as "invoiceexe.pdf"; zero-width and bidi-isolate characters make two
names that look equal differ. Such characters are removed where the contracts decode
(`clean_fields` in a struct's `__post_init__`, which msgspec runs on every decode and
construction), so no path (REST, WebSocket, NATS) can bring them in. File names have their own,
stricter rule (services/evidence/names.py).

Kept: letters of every script, emoji (zero-width joiner U+200D and non-joiner U+200C are part
of emoji sequences and of Persian and Indic spelling), and, in multi-line text, line breaks.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import msgspec

#: Bidirectional embeddings, overrides and isolates, marks, and the Arabic letter mark.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
#: Invisible characters that are not needed to spell anything.
INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")
_KEEP_FORMAT = frozenset("\u200c\u200d")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_text(text: str, *, multiline: bool = False) -> str:
    """`text` without control, bidi-control or invisible characters; surrounding space trimmed.

    In single-line text, tabs and line breaks become spaces; in multi-line text (chat), line
    breaks are kept and tabs become spaces.
    """
    out = []
    for ch in text:
        if ch == "\r" and multiline:
            continue  # CRLF → LF
        if ch in "\r\n\t\u2028\u2029":
            out.append("\n" if multiline and ch in "\n\u2028\u2029" else " ")
        elif ch in BIDI_CONTROLS or ch in INVISIBLE:
            continue
        elif ch in _KEEP_FORMAT or unicodedata.category(ch) not in _REMOVED_CATEGORIES:
            out.append(ch)
    return "".join(out).strip()


def clean_fields(struct: msgspec.Struct, *names: str, multiline: tuple[str, ...] = ()) -> None:
    """Clean the named string fields of a (frozen) struct in place; call from `__post_init__`.

    A field that had text and has none left (only control characters) is refused with
    `ValueError`, which msgspec reports as a validation error naming the struct.
    """
    for name in names:
        value: Any = getattr(struct, name)
        if not isinstance(value, str):
            continue
        cleaned = clean_text(value, multiline=name in multiline)
        if value and not cleaned:
            raise ValueError(f"{name} has no visible characters")
        if cleaned != value:
            msgspec.structs.force_setattr(struct, name, cleaned)
