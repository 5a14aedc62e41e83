"""Hearing key records in the store (`keys/<hearing>`): get-or-mint, shred, rotate.

Records live beside the content, never inside it, and are never put under retention, so an
object-locked bucket can still be re-keyed and crypto-shredded.
"""

from __future__ import annotations

from collections.abc import Callable

from services.evidence import keys as k
from services.evidence.errors import (
    DocumentNotFoundError,
    ObjectExistsError,
    ObjectNotFoundError,
    StoreError,
)
from services.evidence.store.base import ObjectStore, one_chunk

PREFIX = "keys/"


def record_key(hearing: str) -> str:
    return f"{PREFIX}{hearing}"


class HearingKeys:
    def __init__(self, store: ObjectStore, provider: k.KeyProvider,
                 clock: Callable[[], int]) -> None:
        self._store = store
        self._provider = provider
        self._clock = clock

    async def record(self, hearing: str) -> k.HearingKeyRecord | None:
        try:
            return k.decode_record(await self._store.read(record_key(hearing)))
        except ObjectNotFoundError:
            return None

    async def get(self, hearing: str, *, create: bool) -> tuple[k.HearingKeyRecord, bytes]:
        """The hearing's record and unwrapped key; minted on first upload (`create`).

        Minting is create-if-absent, so two uploads racing on a new hearing agree on one key.
        A shredded hearing raises HearingShreddedError and never gets a new key.
        """
        record = await self.record(hearing)
        if record is None:
            if not create:
                raise DocumentNotFoundError("no such document")
            record, key = await k.mint_hearing_key(self._provider, hearing, self._clock())
            try:
                await self._store.put(record_key(hearing), one_chunk(k.encode_record(record)),
                                      if_absent=True)
                return record, key
            except ObjectExistsError:
                record = await self.record(hearing)
                if record is None:
                    raise StoreError("hearing key record vanished") from None
        return record, await k.open_hearing_key(self._provider, record)

    async def shred(self, hearing: str) -> None:
        """Delete every stored version of the hearing key record, then write a tombstone."""
        record = await self.record(hearing)
        now = self._clock()
        tombstone = (k.shredded(record, now) if record is not None else
                     k.HearingKeyRecord(hearing=hearing, key_id="0" * 32, created_ms=now,
                                        shredded_ms=now))
        await self._store.delete(record_key(hearing))
        await self._store.put(record_key(hearing), one_chunk(k.encode_record(tombstone)))

    async def rotate_master(self) -> int:
        """Re-wrap every hearing key under a new master key, then retire the old master keys.

        Listing is repeated until a pass finds nothing under an old master key, so a record
        minted concurrently (under the old key) is not stranded when that key is retired.
        """
        current = await self._provider.begin_rotation()
        rewrapped = 0
        for _attempt in range(5):
            stale = 0
            for info in await self._store.list(PREFIX):
                record = k.decode_record(await self._store.read(info.key))
                if record.wrapped is None or record.wrapped.master_key_id == current:
                    continue
                stale += 1
                new = await k.rewrap_hearing_key(self._provider, record)
                await self._store.put(info.key, one_chunk(k.encode_record(new)))
            rewrapped += stale
            if stale == 0:
                break
        else:
            raise StoreError("hearing keys kept appearing under an old master key")
        await self._provider.retire_others()
        return rewrapped
