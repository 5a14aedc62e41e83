"""JetStream key-value access with one vocabulary: read with revision, compare-and-set, create.

Every owner of a KV bucket (accounts, sessions, hearings) updates records by compare-and-set on
the revision it read, so two processes can never silently overwrite each other; a lost race is
`RevisionConflict`, which each owner turns into its own domain error or retry.
"""

from __future__ import annotations

import contextlib

from nats.js.errors import APIError, KeyNotFoundError, KeyWrongLastSequenceError, NoKeysError
from nats.js.kv import KeyValue

from parley.errors import ParleyError

_WRONG_LAST_SEQUENCE = 10071  # JetStream's error code for a failed compare-and-set


class RevisionConflict(ParleyError):
    """The key changed since the revision given (or, for `create`, already exists)."""


async def read(kv: KeyValue, key: str) -> tuple[bytes, int] | None:
    """The value and its revision, or None if the key is absent or deleted."""
    try:
        entry = await kv.get(key)
    except KeyNotFoundError:
        return None
    if entry.value is None or entry.revision is None:
        return None
    return entry.value, entry.revision


async def create(kv: KeyValue, key: str, value: bytes) -> int:
    """Write a new key; `RevisionConflict` if it exists."""
    try:
        return int(await kv.create(key, value))
    except KeyWrongLastSequenceError:
        raise RevisionConflict(key) from None


async def update(kv: KeyValue, key: str, value: bytes, revision: int) -> int:
    """Replace the value only if the key is still at `revision`; returns the new revision."""
    try:
        return int(await kv.update(key, value, last=revision))
    except KeyWrongLastSequenceError:
        raise RevisionConflict(key) from None


async def delete(kv: KeyValue, key: str, revision: int | None = None) -> None:
    """Delete (an absent key is fine); with `revision`, only if the key is still at it."""
    try:
        await kv.delete(key, last=revision)
    except KeyWrongLastSequenceError:
        raise RevisionConflict(key) from None
    except KeyNotFoundError:
        return
    except APIError as exc:  # nats-py reports a conditional delete's lost race as a bare 400
        if exc.err_code == _WRONG_LAST_SEQUENCE:
            raise RevisionConflict(key) from None
        raise


async def keys(kv: KeyValue, prefix: str = "") -> list[str]:
    """Live keys starting with `prefix`, sorted."""
    with contextlib.suppress(NoKeysError):
        return sorted(k for k in await kv.keys() if k.startswith(prefix))
    return []
