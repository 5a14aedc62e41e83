"""IANA time zones from the `tzdata` package only, never from the host's zone database.

`zoneinfo.ZoneInfo(name)` reads the host's database (`/usr/share/zoneinfo`…) first and falls
back to `tzdata` only where the host has none, so two hosts with different releases of the
database could write one hearing's time differently (a zone whose rules changed between them),
and a host could accept a zone name another refuses. Every zone the server looks up comes from
here instead: the pinned `tzdata` dependency (pyproject.toml), the same on every host.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: One path component of a zone name ("Asia", "Hong_Kong", "GMT+8"): no ".", "..", or separator.
_PART = re.compile(r"[A-Za-z0-9_+-]+")


@functools.cache
def zone_info(name: str) -> ZoneInfo:
    """The zone `name` from `tzdata`; raises `ZoneInfoNotFoundError` for any name it lacks,
    malformed ones ("../x", "") included. Only found zones are cached: at most the database."""
    parts = name.split("/")
    if not all(_PART.fullmatch(part) for part in parts):
        raise ZoneInfoNotFoundError(f"not a zone name: {name[:80]!r}")
    data = importlib.resources.files("tzdata").joinpath("zoneinfo", *parts)
    if not data.is_file():
        raise ZoneInfoNotFoundError(f"no time zone named {name[:80]!r}")
    with data.open("rb") as tzif:
        try:
            return ZoneInfo.from_file(tzif, key=name)
        except ValueError as exc:  # a file in the package that is not a zone ("leapseconds")
            raise ZoneInfoNotFoundError(f"no time zone named {name[:80]!r}") from exc
