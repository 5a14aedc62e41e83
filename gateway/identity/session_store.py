"""KV adapter for `parley_sessions`: cookie sessions keyed by `session.<SHA-256 of the secret>`.

Only the hash is a key: a leaked bucket yields no usable cookie. The bucket's TTL is the absolute
session lifetime (set at provisioning); `SessionRecord.expires_ms` is still checked on every
request, so a shorter configured lifetime holds too.
"""

from __future__ import annotations

import msgspec
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from gateway.identity.errors import Conflict
from gateway.identity.sessions import SESSIONS_BUCKET, SessionRecord, session_key
from parley import kv

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
