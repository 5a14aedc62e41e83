"""Hearing key records in the store (`keys/<hearing>`): get-or-mint, shred, rotate.

Records live beside the content, never inside it, and are never put under retention, so an
object-locked bucket can still be re-keyed and crypto-shredded. They may live in a store of
their own (`PARLEY_EVIDENCE_S3_KEYS_BUCKET`: an unversioned bucket without object lock), and
wherever they live, every write of a record is followed by `prune`: on a versioned bucket an
overwritten record would otherwise stay behind as a noncurrent version, still wrapped under a
retired master key (rotation would protect nothing) or still holding a shredded hearing's key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.evidence import keys as k
from services.evidence.errors import (
    DocumentNotFoundError,
    IntegrityError,
    ObjectExistsError,
    ObjectNotFoundError,
    StoreError,
)
from services.evidence.store.base import ObjectStore, one_chunk

PREFIX = "keys/"
log = logging.getLogger("parley.evidence")


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

    async def _replace(self, key: str, record: k.HearingKeyRecord) -> None:
        """Overwrite a record and remove every older version of it."""
        await self._store.put(key, one_chunk(k.encode_record(record)))
        await self._store.prune(key)

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
                await self._store.prune(record_key(hearing))
                return record, key
            except ObjectExistsError:
                record = await self.record(hearing)
                if record is None:
                    raise StoreError("hearing key record vanished") from None
        return record, await k.open_hearing_key(self._provider, record)

    async def shred(self, hearing: str) -> None:
        """Write a tombstone over the hearing key record, then remove every older version (the
        key). Never deleted first: two shreds of one hearing race (the gateway's request after a
        close with destroy, and this process's own on the roster's news, retention_shred.py),
        and one's delete removed the other's fresh tombstone under it (its write then found
        nothing: a 404 to the mediator closing the hearing), leaving a moment with no record at
        all, in which an upload could have minted the hearing a new key."""
        try:
            record = await self.record(hearing)
        except IntegrityError:
            record = None  # unreadable anyway: it goes all the same
        now = self._clock()
        tombstone = (k.shredded(record, now) if record is not None else
                     k.HearingKeyRecord(hearing=hearing, key_id="0" * 32, created_ms=now,
                                        shredded_ms=now))
        await self._replace(record_key(hearing), tombstone)

    async def rotate_master(self) -> int:
        """Re-wrap every hearing key under a new master key, then retire the old master keys.

        Listing is repeated until a pass finds nothing under an old master key, so a record
        minted concurrently (under the old key) is not stranded when that key is retired. Every
        record's older versions are pruned, and the old keys are retired only once no version
        of any record is left anywhere but the current one. A record no master key opens (a
        planted or rolled-back one) cannot be re-wrapped by anyone: it is skipped and logged,
        so it cannot hold rotation hostage.
        """
        current = await self._provider.begin_rotation()
        rewrapped = 0
        for _attempt in range(5):
            stale = 0
            for info in await self._store.list(PREFIX):
                try:
                    record = k.decode_record(await self._store.read(info.key))
                    if record.wrapped is not None and record.wrapped.master_key_id != current:
                        new = await k.rewrap_hearing_key(self._provider, record)
                        stale += 1
                        await self._store.put(info.key, one_chunk(k.encode_record(new)))
                except IntegrityError:
                    log.warning("hearing key record opens under no master key; skipped",
                                extra={"object": info.key})
                except ObjectNotFoundError:
                    continue
                await self._store.prune(info.key)
            rewrapped += stale
            if stale == 0:
                break
        else:
            raise StoreError("hearing keys kept appearing under an old master key")
        for info in await self._store.list(PREFIX):
            if len(await self._store.versions(info.key)) > 1:
                raise StoreError("an old version of a hearing key record is still stored")
        await self._provider.retire_others()
        return rewrapped
