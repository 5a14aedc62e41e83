"""KV adapter for `parley_sessions`: cookie sessions keyed by `session.<SHA-256 of the secret>`.

Only the hash is a key: a leaked bucket yields no usable cookie. The bucket's TTL is the absolute
session lifetime (set at provisioning); `SessionRecord.expires_ms` is still checked on every
request, so a shorter configured lifetime holds too.
"""

from __future__ import annotations

import contextlib

import msgspec
from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from gateway.identity.errors import Conflict
from gateway.identity.sessions import SESSIONS_BUCKET, SessionRecord, session_key

SESSION_PREFIX = "session."
_decoder = msgspec.json.Decoder(SessionRecord)


def kv_key_for_secret(secret: str) -> str:
    return SESSION_PREFIX + session_key(secret)


def decode_session(raw: bytes) -> SessionRecord:
    return _decoder.decode(raw)


class SessionStore:
    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv

    @classmethod
    async def open(cls, js: JetStreamContext) -> SessionStore:
        return cls(await js.key_value(SESSIONS_BUCKET))

    async def create(self, key: str, record: SessionRecord) -> int:
        return int(await self.kv.create(key, msgspec.json.encode(record)))

    async def get(self, key: str) -> tuple[SessionRecord, int] | None:
        try:
            entry = await self.kv.get(key)
        except KeyNotFoundError:
            return None
        if entry.value is None or entry.revision is None:
            return None
        return decode_session(entry.value), entry.revision

    async def update(self, key: str, record: SessionRecord, revision: int) -> int:
        try:
            return int(await self.kv.update(key, msgspec.json.encode(record), last=revision))
        except KeyWrongLastSequenceError:
            raise Conflict("session changed concurrently") from None

    async def delete(self, key: str) -> None:
        with contextlib.suppress(KeyNotFoundError):
            await self.kv.delete(key)
