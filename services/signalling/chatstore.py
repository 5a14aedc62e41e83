"""Room chat histories in KV `parley_hearings` under `chat.<hearing>.<room>` (rules: chatlog.py).

Appends are compare-and-set on the key's revision (two processes never lose each other's
lines); forgetting is a purge, which removes every stored revision of the key, not only the
latest (the bucket keeps a few revisions per key).
"""

from __future__ import annotations

from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from parley import kv
from proto.ws import ChatLine

from .chatlog import ChatLog, append, chat_key, decode_log, encode_log, said_to, stays
from .errors import Unavailable
from .model import Participant

MAX_TRIES = 8


class ChatStore:
    def __init__(self, bucket: KeyValue) -> None:
        self.kv = bucket

    async def _read(self, key: str) -> tuple[ChatLog, int | None]:
        found = await kv.read(self.kv, key)
        return (ChatLog(), None) if found is None else (decode_log(found[0]), found[1])

    async def append(self, hearing: str, room: str, line: ChatLine) -> None:
        """Store one line (raises the flood refusal of `chatlog.append`)."""
        key = chat_key(hearing, room)
        for _ in range(MAX_TRIES):
            log, revision = await self._read(key)
            body = encode_log(append(log, line))
            try:
                if revision is None:
                    await kv.create(self.kv, key, body)
                else:
                    await kv.update(self.kv, key, body, revision)
                return
            except kv.RevisionConflict:
                continue
        raise Unavailable("chat is busy; try again")

    async def said_to(self, hearing: str, person: Participant) -> list[ChatLine]:
        """The lines of `person`'s room said in its presence: this stay and the earlier ones
        (chatlog.said_to)."""
        assert person.room is not None
        log, _ = await self._read(chat_key(hearing, person.room))
        return said_to(log, person.entered_at, stays(person))

    async def forget(self, hearing: str, rooms: tuple[str, ...]) -> None:
        for room in rooms:
            try:
                await self.kv.purge(chat_key(hearing, room))
            except KeyNotFoundError:
                continue
