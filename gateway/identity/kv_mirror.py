"""An in-memory copy of a KV bucket, kept current by a KV watch: the per-request auth check.

Why a watched copy (revocation must reach every gateway process at once): each process watches
`parley_accounts` and `parley_sessions` and checks each request against its watched copy, with a
read-through to KV on a miss (a session or token created on another process a moment ago). So the
session check costs no NATS round trip, and a change made on any process (disable, role change,
TOTP reset bumping the account epoch; sign-out deleting a session; token revocation) reaches every
process within the watch's delivery latency (milliseconds on one machine), not at the next poll.

While NATS is disconnected the copy may be stale, so the gateway refuses requests that carry
credentials (503, gateway/identity/authn.py) until the connection is back. A reconnect (nats-server
restarted: its ephemeral watch consumer is gone, and nats-py's ordered consumer would only notice
after two missed heartbeats, ~10 s during which a revoked session still worked) or an ended or
failed watch makes the mirror watch again at once (backing off while that fails). The new watch
re-reads every key; keys it no longer holds that the copy knew at an older revision than the
bucket's last one when it started were deleted meanwhile and are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

from parley import kv
from parley.failures import note_failure

log = logging.getLogger("parley.gateway.mirror")
T = TypeVar("T")


class KvMirror(Generic[T]):
    """Latest decoded value and revision per key under `prefix` (`decode` → None: not kept)."""

    def __init__(self, kv: KeyValue, prefix: str, decode: Callable[[str, bytes], T | None],
                 same: Callable[[T, T], bool] | None = None) -> None:
        self._kv = kv
        self._prefix = prefix
        self._decode = decode
        #: Says a new value means what the known one did (a session's last-seen touch): such a
        #: change is kept but not told, so a touch does not re-check every socket of a session.
        self._same = same
        self._items: dict[str, tuple[T, int]] = {}
        #: Keys deleted by this process, with the last revision it knew: an older value the
        #: watch delivers afterwards must not bring them back.
        self._dead: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()
        #: Told every key that changed (written, deleted, dropped on a re-watch).
        self.listeners: list[Callable[[str], None]] = []

    async def start(self, timeout: float = 10.0) -> None:
        self._task = asyncio.create_task(self._run(), name=f"mirror-{self._prefix}")
        try:
            await asyncio.wait_for(self.ready.wait(), timeout)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        await kv.follow(self._kv, self._prefix + ">", self.apply, self.ready,
                        replayed=self.replayed)

    def replayed(self, seen: set[str], floor: int) -> None:
        """Keys the fresh watch did not deliver, known at or below `floor`, were deleted."""
        for key in [k for k, (_, rev) in self._items.items() if k not in seen and rev <= floor]:
            del self._items[key]
            self._tell(key)

    def _tell(self, key: str) -> None:
        for listener in self.listeners:
            listener(key)

    def apply(self, entry: KeyValue.Entry) -> None:
        if entry.operation in (KV_DEL, KV_PURGE) or entry.value is None:
            self._tell(entry.key)
            self._items.pop(entry.key, None)
            self._dead.pop(entry.key, None)
            return
        known = self._items.get(entry.key)
        try:
            value = self._decode(entry.key, entry.value)
        except Exception as exc:  # whatever a decoder raises: skip the entry, say so, count it
            note_failure(log, "kv_mirror.decode", exc, key_prefix=self._prefix)
            self._tell(entry.key)
            return
        if value is not None:
            self.remember(entry.key, value, entry.revision or 0)
        if value is None or known is None or self._same is None \
                or not self._same(known[0], value):
            self._tell(entry.key)

    def get(self, key: str) -> tuple[T, int] | None:
        return self._items.get(key)

    async def read_through(
        self, key: str, fetch: Callable[[], Awaitable[tuple[T, int] | None]]
    ) -> tuple[T, int] | None:
        """The watched copy, or `fetch` from KV and keep it (written a moment ago elsewhere)."""
        found = self._items.get(key)
        if found is None:
            found = await fetch()
            if found is not None:
                self.remember(key, *found)
        return found

    def remember(self, key: str, value: T, revision: int) -> None:
        """Store a value unless a newer revision is already known (local writes race the watch)."""
        if revision <= self._dead.get(key, -1):
            return
        known = self._items.get(key)
        if known is None or known[1] < revision:
            self._items[key] = (value, revision)

    def forget(self, key: str, revision: int) -> None:
        """This process deleted `key`, last known at `revision`."""
        self._tell(key)
        self._items.pop(key, None)
        self._dead[key] = max(revision, self._dead.get(key, -1))

    def prune(self, drop: Callable[[T], bool]) -> int:
        doomed = [k for k, (v, _) in self._items.items() if drop(v)]
        for key in doomed:
            del self._items[key]
        return len(doomed)

    def __len__(self) -> int:
        return len(self._items)
