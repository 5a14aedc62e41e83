"""KV adapter for `parley_sessions`: cookie sessions keyed by `session.<SHA-256 of the secret>`.

Only the hash is a key: a leaked bucket yields no usable cookie. The bucket's TTL is the absolute
session lifetime (set at provisioning); `SessionRecord.expires_ms` is still checked on every
request, so a shorter configured lifetime holds too.

A session the gateway ended (session_revoke.py) leaves a tombstone `ended.<same hash>`: its
hearing and why, until the session's own `expires_ms` (the bucket's TTL removes it later still).
The session watchers follow `session.>` only, so tombstones never look like sessions.
"""

from __future__ import annotations

import msgspec
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from gateway.identity.errors import Conflict
from gateway.identity.sessions import (
    SESSIONS_BUCKET,
    EndedSession,
    SessionRecord,
    session_key,
)
from parley import kv
from proto.codec import JsonDecoder

SESSION_PREFIX = "session."
ENDED_PREFIX = "ended."
_decoder: JsonDecoder[SessionRecord] = JsonDecoder(SessionRecord)
_ended_decoder: JsonDecoder[EndedSession] = JsonDecoder(EndedSession)


def kv_key_for_secret(secret: str) -> str:
    return SESSION_PREFIX + session_key(secret)


def ended_key(session_kv_key: str) -> str:
    """The tombstone's key for a session's key (`session.<hash>` → `ended.<hash>`)."""
    return ENDED_PREFIX + session_kv_key.removeprefix(SESSION_PREFIX)


def decode_session(raw: bytes) -> SessionRecord:
    return _decoder.decode(raw)


class SessionStore:
    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv

    @classmethod
    async def open(cls, js: JetStreamContext) -> SessionStore:
        return cls(await js.key_value(SESSIONS_BUCKET))

    async def create(self, key: str, record: SessionRecord) -> int:
        try:
            return await kv.create(self.kv, key, msgspec.json.encode(record))
        except kv.RevisionConflict:
            raise Conflict("session exists") from None

    async def get(self, key: str) -> tuple[SessionRecord, int] | None:
        found = await kv.read(self.kv, key)
        return None if found is None else (decode_session(found[0]), found[1])

    async def update(self, key: str, record: SessionRecord, revision: int) -> int:
        try:
            return await kv.update(self.kv, key, msgspec.json.encode(record), revision)
        except kv.RevisionConflict:
            raise Conflict("session changed concurrently") from None

    async def delete(self, key: str) -> None:
        await kv.delete(self.kv, key)

    async def mark_ended(self, key: str, end: EndedSession) -> None:
        """Keep why the session under `key` ended; the first end told stays (a race of two)."""
        try:
            await kv.create(self.kv, ended_key(key), msgspec.json.encode(end))
        except kv.RevisionConflict:
            return

    async def ended(self, key: str) -> EndedSession | None:
        """The tombstone of the session under `key`, if the gateway ended it."""
        found = await kv.read(self.kv, ended_key(key))
        return None if found is None else _ended_decoder.decode(found[0])
