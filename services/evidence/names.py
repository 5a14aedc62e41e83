"""File-name sanitising (pure). The stored name is safe as a download file name on any system;
the original is kept, escaped, as metadata only and never used to build a path or header."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_BYTES = 255
MAX_ORIGINAL_CHARS = 1024
FALLBACK_NAME = "document"
_RESERVED = re.compile(r'[<>:"|?*\\/]')
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
# Cc: C0/C1 controls; Cf: format characters (bidi overrides, zero-width joiners); Zl/Zp: separators.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _clip_utf8(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(errors="ignore")


def sanitize_filename(raw: str) -> str:
    """A name with no path parts, no control or format characters, at most 255 UTF-8 bytes.

    The extension is kept when the name must be shortened. Never returns an empty name.
    """
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in name)
    name = _RESERVED.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if _WINDOWS_DEVICES.match(name):
        name = "_" + name
    if len(name.encode()) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and 0 < len(ext.encode()) <= 16:
            name = _clip_utf8(stem, MAX_NAME_BYTES - len(ext.encode()) - 1).rstrip(" .")
            name = f"{name}.{ext}"
        else:
            name = _clip_utf8(name, MAX_NAME_BYTES).rstrip(" .")
    return name or FALLBACK_NAME


def escape_original(raw: str) -> str:
    """The client's name, clipped, with every non-printable character as a visible escape."""
    return "".join(c if c.isprintable() and unicodedata.category(c) != "Cf"
                   else f"\\u{{{ord(c):x}}}" for c in raw[:MAX_ORIGINAL_CHARS])
