"""Hearing records in KV `parley_hearings`: read, create, compare-and-set, and the roster.

Keys: `hearing.<id>` (the whole `Hearing`, JSON), `roster.<id>` (the `Roster` read model for
other processes), `alive.<gateway instance>` (gateway heartbeats, Unix ms). A watched in-memory
copy of every hearing, with its KV revision, serves listing, the sweeper and the executor's first
attempt at a command. The copy may lag another process's write by the watch's latency, so it is
never trusted on its own: every write is a compare-and-set on the copy's revision (a stale copy
loses and the command is re-applied on a fresh read), and a command that writes nothing confirms
its copy against KV before acting (shell.py).

The watches survive a restarted nats-server (`parley.kv.follow`); after each fresh replay,
hearings it no longer holds that the copy knew at or below the bucket's last revision when it
started were deleted meanwhile and are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import msgspec
from nats.js import JetStreamContext
from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

from parley import kv
from proto.codec import JsonDecoder
from proto.signalling import (
    ALIVE_PREFIX,
    GIVEN_UP,
    HEARING_PREFIX,
    HEARINGS_BUCKET,
    Roster,
    hearing_key,
    roster_key,
)

from .derived import forget
from .errors import NotFound
from .model import Hearing, decode_hearing, encode_hearing
from .roster import derive

log = logging.getLogger("parley.signalling.store")
_roster_decoder: JsonDecoder[Roster] = JsonDecoder(Roster)


class StaleRevision(Exception):
    """The record changed since it was read: reload and apply the command again."""


class HearingStore:
    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv
        self.hearings: dict[str, tuple[Hearing, int]] = {}
        self.alive: dict[str, int] = {}
        #: Whether the heartbeat feed (`alive.>`) is delivering now, and how many times it has
        #: (re)started doing so: a silence heard while it was down proves nothing (sweep_plan).
        self.alive_listening = False
        self.alive_feed = 0
        #: Hearings whose copy changed (or went) since the sweeper last asked: its change feed.
        self._changed: set[str] = set()
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    async def open(cls, js: JetStreamContext) -> HearingStore:
        return cls(await js.key_value(HEARINGS_BUCKET))

    # ------------------------------------------------------------ records

    async def load(self, hearing_id: str) -> tuple[Hearing, int]:
        found = await kv.read(self.kv, hearing_key(hearing_id))
        if found is None:
            raise NotFound("no such hearing")
        h = decode_hearing(found[0])
        self.remember(h, found[1])
        return h, found[1]

    def cached(self, hearing_id: str) -> tuple[Hearing, int] | None:
        """The watched copy and its revision, if any (possibly behind KV: see the module doc)."""
        return self.hearings.get(hearing_id)

    async def create(self, h: Hearing) -> int:
        return await kv.create(self.kv, hearing_key(h.id), encode_hearing(h))

    async def save(self, h: Hearing, revision: int) -> int:
        try:
            new = await kv.update(self.kv, hearing_key(h.id), encode_hearing(h), revision)
        except kv.RevisionConflict:
            raise StaleRevision(h.id) from None
        self.remember(h, new)
        return new

    def remember(self, h: Hearing, revision: int) -> None:
        known = self.hearings.get(h.id)
        if known is None or known[1] < revision:
            self.hearings[h.id] = (h, revision)
            self._changed.add(h.id)

    def take_changed(self) -> set[str]:
        """The hearings whose copy changed or was dropped since the last call."""
        changed, self._changed = self._changed, set()
        return changed

    # ------------------------------------------------------------ roster read model

    async def write_roster(self, h: Hearing, revision: int, tries: int = 5) -> None:
        """Store the roster derived at `revision` unless a newer one is already stored."""
        roster = derive(h, revision)
        key = roster_key(h.id)
        body = msgspec.json.encode(roster)
        for _ in range(tries):
            try:
                found = await kv.read(self.kv, key)
                if found is None:
                    await kv.create(self.kv, key, body)
                    return
                if _roster_decoder.decode(found[0]).revision >= revision:
                    return
                await kv.update(self.kv, key, body, found[1])
                return
            except kv.RevisionConflict:
                continue
            except (msgspec.ValidationError, msgspec.DecodeError):
                await self.kv.put(key, body)  # an unreadable roster is replaced outright
                return

    async def rederive_all(self) -> int:
        """On start: rewrite every hearing's roster from its record (the record is the truth)."""
        count = 0
        for h, revision in list(self.hearings.values()):
            await self.write_roster(h, revision)
            count += 1
        return count

    # ------------------------------------------------------------ gateway heartbeats

    async def mark_alive(self, instance: str, now_ms: int) -> bool:
        """Record a heartbeat; True if a sweeper had given up on this gateway's sockets since its
        last one (the value was GIVEN_UP). Compare-and-set, so a sweeper's mark written between
        our read and our write is never overwritten unseen.

        A heartbeat that reached this process proves the gateway alive here before it is
        written, and even if the write fails: while a JetStream cluster elects a new leader for
        the bucket (a node killed), writes fail for seconds, and a sweeper that counted only
        what it could write took a gateway it was hearing all along for dead (its sockets
        closed, its people out of their rooms)."""
        self.heard(instance, now_ms)
        key = ALIVE_PREFIX + instance
        for _ in range(3):
            found = await kv.read(self.kv, key)
            try:
                if found is None:
                    await kv.create(self.kv, key, str(now_ms).encode())
                else:
                    await kv.update(self.kv, key, str(now_ms).encode(), found[1])
            except kv.RevisionConflict:
                continue
            return found is not None and found[0] == GIVEN_UP
        raise StaleRevision("the heartbeat key kept changing")

    def heard(self, instance: str, now_ms: int) -> None:
        """A heartbeat reached this process (beats.py, or the `alive` request)."""
        self.alive[instance] = max(now_ms, self.alive.get(instance, 0))

    async def mark_given_up(self, instance: str) -> None:
        """A sweeper took this gateway's sockets for closed: its next heartbeat is told so."""
        await self.kv.put(ALIVE_PREFIX + instance, GIVEN_UP)

    # ------------------------------------------------------------ the watched copy

    async def start(self, timeout: float = 30.0) -> None:
        """Watch `hearing.>` and `alive.>` (filtered watches: least privilege on the bucket)."""
        for prefix in (HEARING_PREFIX, ALIVE_PREFIX):
            ready = asyncio.Event()
            replayed = self._replayed_hearings if prefix == HEARING_PREFIX else None
            listening = self._alive_listening if prefix == ALIVE_PREFIX else None
            watch = kv.follow(self.kv, prefix + ">", self._apply, ready, replayed=replayed,
                              listening=listening)
            self._tasks.append(asyncio.create_task(watch, name=f"watch-{prefix}"))
            try:
                await asyncio.wait_for(ready.wait(), timeout)
            except BaseException:
                await self.stop()
                raise

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _alive_listening(self, listening: bool) -> None:
        if listening and not self.alive_listening:
            self.alive_feed += 1
        self.alive_listening = listening

    def _replayed_hearings(self, seen: set[str], floor: int) -> None:
        """Hearings a fresh watch did not deliver, known at or below `floor`, were deleted."""
        live = {key[len(HEARING_PREFIX):] for key in seen}
        for hid in [h for h, (_, rev) in self.hearings.items() if h not in live and rev <= floor]:
            del self.hearings[hid]
            forget(hid)
            self._changed.add(hid)

    def _apply(self, entry: KeyValue.Entry) -> None:
        key = entry.key
        deleted = entry.operation in (KV_DEL, KV_PURGE) or entry.value is None
        try:
            if key.startswith(HEARING_PREFIX):
                hid = key[len(HEARING_PREFIX):]
                if deleted:
                    self.hearings.pop(hid, None)
                    forget(hid)
                    self._changed.add(hid)
                elif entry.value is not None:
                    known = self.hearings.get(hid)
                    revision = entry.revision or 0
                    # Most entries are this process's own writes coming back: already known.
                    if known is None or known[1] < revision:
                        self.remember(decode_hearing(entry.value), revision)
            elif key.startswith(ALIVE_PREFIX) and not deleted and entry.value is not None \
                    and entry.value != GIVEN_UP:
                instance = key[len(ALIVE_PREFIX):]
                self.alive[instance] = max(int(entry.value), self.alive.get(instance, 0))
        except (ValueError, msgspec.ValidationError, msgspec.DecodeError):
            log.warning("undecodable entry skipped", extra={"key": key[:80]})
