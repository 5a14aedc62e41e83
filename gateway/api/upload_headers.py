"""The resumable-upload header fields (docs/uploads.md), parsed and written (pure: no I/O).

`Upload-Complete` is a Structured Field Boolean (`?0`/`?1`, RFC 8941); `Upload-Offset` and
`Upload-Length` are Structured Field Integers (non-negative here, at most 15 digits).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parley.errors import ServiceFailure
from proto.errors import ErrorCode
from proto.evidence import UploadView

COMPLETE = "Upload-Complete"
OFFSET = "Upload-Offset"
LENGTH = "Upload-Length"
LIMIT = "Upload-Limit"
#: The media type of an append's body (the draft's `application/partial-upload`).
PARTIAL_UPLOAD = "application/partial-upload"
_INTEGER = re.compile(r"^[0-9]{1,15}$")


def wants_resumable(headers: Mapping[str, str]) -> bool:
    """A creation request (`Upload-Complete` present) rather than a one-shot upload."""
    return COMPLETE in headers


def complete_of(headers: Mapping[str, str]) -> bool:
    raw = headers.get(COMPLETE, "").strip()
    if raw not in ("?0", "?1"):
        raise ServiceFailure(ErrorCode.INVALID, f"{COMPLETE} must be ?0 or ?1")
    return raw == "?1"


def integer_of(headers: Mapping[str, str], name: str) -> int:
    raw = headers.get(name, "").strip()
    if not _INTEGER.fullmatch(raw):
        raise ServiceFailure(ErrorCode.INVALID, f"{name} is required: a whole number of bytes")
    return int(raw)


def progress_headers(view: UploadView, now_ms: int) -> dict[str, str]:
    """What creation, HEAD and an unfinished append answer with (`expires`: seconds left
    before an idle upload is swept)."""
    left = max(0, (view.expires_ms - now_ms) // 1000)
    return {OFFSET: str(view.offset), COMPLETE: "?0", LENGTH: str(view.length),
            LIMIT: f"expires={left}", "Cache-Control": "no-store"}
