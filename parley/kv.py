"""JetStream key-value access with one vocabulary: read with revision, compare-and-set, create.

Every owner of a KV bucket (accounts, sessions, hearings) updates records by compare-and-set on
the revision it read, so two processes can never silently overwrite each other; a lost race is
`RevisionConflict`, which each owner turns into its own domain error or retry.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

import nats.errors
from nats.js.errors import APIError, KeyNotFoundError, KeyWrongLastSequenceError, NotFoundError
from nats.js.kv import KeyValue

from parley.errors import ParleyError
from parley.failures import handled, note_failure

log = logging.getLogger("parley.kv")
_WRONG_LAST_SEQUENCE = 10071  # JetStream's error code for a failed compare-and-set
_WRONG_LAST_SEQUENCE_CONSTANT = 10164  # the same, as newer servers word it


#: A key is a NATS subject: tokens of these characters separated by single dots (no empty token,
#: so no leading, trailing or doubled dot). nats-py checks only the characters.
_KEY_PART = r"[-/_=a-zA-Z0-9]+"
_VALID_KEY = re.compile(rf"{_KEY_PART}(\.{_KEY_PART})*")


def is_valid_key(key: str) -> bool:
    return _VALID_KEY.fullmatch(key) is not None


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


async def snapshot(kv: KeyValue, prefix: str) -> tuple[dict[str, tuple[bytes, int]], int]:
    """Every live key under the dotted `prefix` with (value, revision), and the bucket's
    revision (its stream's last sequence) the reads were made against.

    Read from the stream's leader (never a direct get, which a lagging replica may answer), so
    with `update_if_unchanged(…, bucket_revision)` it is a compare-and-set over the whole bucket:
    a write made after the revision, even one these reads already saw, makes that update fail."""
    js = kv._js
    info = await js.stream_info(kv._stream, subjects_filter=f"{kv._pre}{prefix}>")
    revision = int(info.state.last_seq)

    async def last(subject: str) -> tuple[str, tuple[bytes, int]] | None:
        try:
            msg = await js.get_msg(kv._stream, subject=subject, direct=False)
        except NotFoundError:
            return None
        if msg.headers and (msg.headers.get("KV-Operation") in ("DEL", "PURGE")
                            or "Nats-Marker-Reason" in msg.headers):
            return None
        return subject[len(kv._pre):], (msg.data or b"", int(msg.seq or 0))

    found = await asyncio.gather(*(last(s) for s in sorted(info.state.subjects or {})))
    return dict(item for item in found if item is not None), revision


async def update_if_unchanged(kv: KeyValue, key: str, value: bytes, bucket_revision: int) -> int:
    """Write `key` only if nothing in the whole bucket was written since `bucket_revision` (see
    `snapshot`); `RevisionConflict` otherwise. Returns the new revision."""
    try:
        ack = await kv._js.publish(f"{kv._pre}{key}", value,
                                   headers={"Nats-Expected-Last-Sequence": str(bucket_revision)})
    except APIError as exc:
        if exc.err_code in (_WRONG_LAST_SEQUENCE, _WRONG_LAST_SEQUENCE_CONSTANT):
            raise RevisionConflict(key) from None
        raise
    return int(ack.seq)


async def keys(kv: KeyValue, prefix: str = "") -> list[str]:
    """Keys starting with `prefix` (a dotted prefix such as "account.", or ""), sorted. A key
    deleted or purged is among them (its last message is the marker): callers read each key,
    and such a key reads as absent.

    From the stream's subject index, not nats-py's `KeyValue.keys()`: its watcher says "no more
    keys" when the consumer's pending count is 0 and it has counted no delivery yet, and under
    load both hold while the first deliveries wait behind its own setup, so a full bucket was
    listed as empty (an administrator's accounts page came back blank in CI)."""
    stream_prefix = kv._pre  # "$KV.<bucket>."
    wanted = prefix if prefix.endswith(".") else ""
    info = await kv._js.stream_info(kv._stream, subjects_filter=f"{stream_prefix}{wanted}>")
    subjects = info.state.subjects or {}
    return sorted(key for key in (s[len(stream_prefix):] for s in subjects)
                  if key.startswith(prefix))


#: Told, after each fresh replay, which keys it delivered and the bucket's last revision before
#: it: keys held at or below that revision but not delivered were deleted while no watch ran.
Replayed = Callable[[set[str], int], None]


def reconnect_counter(bucket: KeyValue) -> Callable[[], int]:
    """How many times the client under `bucket` reconnected (nats-py offers no public handle)."""
    nc = bucket._js._nc
    return lambda: int(nc.stats["reconnects"])


async def follow(bucket: KeyValue, pattern: str, apply: Callable[[KeyValue.Entry], None],
                 ready: asyncio.Event, *, replayed: Replayed | None = None,
                 listening: Callable[[bool], None] | None = None,
                 poll_s: float = 0.25, max_backoff_s: float = 5.0) -> None:
    """Feed `apply` every entry matching `pattern`, for ever (cancel the task to stop).

    A restarted nats-server drops the watch's ephemeral consumer, and nats-py's ordered consumer
    notices only after two missed heartbeats (~10 s, during which a revoked session would still
    work). So the watch is made again at once when the connection reconnects, and after a
    back-off when it ends or fails; each fresh watch replays every key, and `replayed` lets the
    owner drop what was deleted meanwhile. `ready` is set after the first replay.
    `listening(True)` is called at the end of each replay, `listening(False)` whenever a watch
    ends, fails or sees a reconnect (entries may be missed until the next replay ends): for an
    owner that judges by the absence of entries (signalling's gateway heartbeats).
    """
    reconnects = reconnect_counter(bucket)
    backoff = 0.1
    while True:
        watcher: KeyValue.KeyWatcher | None = None
        try:
            at_start = reconnects()
            floor = (await bucket.status()).stream_info.state.last_seq
            watcher = await bucket.watch(pattern)
            seen: set[str] | None = set()  # keys of the replay; None once it is over
            while reconnects() == at_start:
                try:
                    entry = await watcher.updates(timeout=poll_s)  # type: ignore[no-untyped-call]
                except nats.errors.TimeoutError:
                    continue
                if entry is None:  # the end of the replay
                    if seen is not None and replayed is not None:
                        replayed(seen, floor)
                    seen = None
                    ready.set()
                    if listening is not None:
                        listening(True)
                    continue
                if not isinstance(entry, KeyValue.Entry):  # the watcher was stopped
                    raise ConnectionError("KV watch ended")
                if seen is not None:
                    seen.add(entry.key)
                apply(entry)
            backoff = 0.1
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any way a watch can end: it is started again, and counted
            note_failure(log, "kv.watch", exc, pattern=pattern)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, max_backoff_s)
        finally:
            if listening is not None:
                listening(False)
            if watcher is not None:
                with handled(log, "kv.watch.stop", level=logging.DEBUG):
                    await watcher.stop()  # type: ignore[no-untyped-call]
