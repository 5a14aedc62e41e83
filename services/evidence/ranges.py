"""HTTP `Range` (RFC 9110 §14) resolved against a document's size (pure).

One range only: `bytes=a-b`, `bytes=a-`, `bytes=-n`. A header we do not understand (another unit,
several ranges, garbage) is ignored and the whole document is served, as RFC 9110 allows. A
well-formed range that starts past the end is unsatisfiable (416), and so is every range of an
empty document, a suffix range included (it selects no byte: `bytes 0--1/0` is no answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SINGLE = re.compile(r"^\s*bytes\s*=\s*(\d{0,19})\s*-\s*(\d{0,19})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # exclusive
    partial: bool
    satisfiable: bool = True


def resolve(header: str | None, size: int) -> ByteRange:
    whole = ByteRange(0, size, partial=False)
    if not header:
        return whole
    match = _SINGLE.match(header)
    if match is None:
        return whole
    first, last = match.group(1), match.group(2)
    if not first and not last:
        return whole
    if not first:  # suffix: the last n bytes
        n = int(last)
        if n == 0 or size == 0:  # RFC 9110 §14.1.3: nothing to select in an empty document
            return ByteRange(0, 0, partial=True, satisfiable=False)
        return ByteRange(max(0, size - n), size, partial=True)
    start = int(first)
    end = size if not last else int(last) + 1
    if last and end <= start:
        return whole  # invalid range-spec: ignore the header
    if start >= size:
        return ByteRange(0, 0, partial=True, satisfiable=False)
    return ByteRange(start, min(end, size), partial=True)
