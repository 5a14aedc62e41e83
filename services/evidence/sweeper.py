"""The sweeper: removes what failed uploads leave behind.

- staged leftovers of the store (local temp files, incomplete S3 multipart uploads);
- resumable uploads with no new byte for the configured idle time (staging.py);
- orphan content: a `.content` object whose `.manifest` was never written (the process died
  between the two). Without a manifest the version never existed, so removing it is safe; the
  cut-off keeps the sweeper away from uploads still in progress.

Every time here is an integer instant (epoch ms): now from the injected clock, an object's
from the store (`ObjectInfo.modified_ms`); no `datetime`, which a `right/…` zone puts 27 s off
(store/base.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from parley.failures import note_failure
from services.evidence.errors import StoreError
from services.evidence.resumable import RECORD
from services.evidence.store.base import ObjectInfo, ObjectStore

#: One pass of the retention shredder (retention_shred.py `RetentionShredder.pass_once`):
#: how many hearings it shredded. Passed in, not imported: the shredder uses the vault,
#: which uses this module.
ShredPass = Callable[[], Awaitable[int]]

log = logging.getLogger(__name__)


async def sweep_store(store: ObjectStore, cutoff_ms: int) -> int:
    """One pass over what was left before `cutoff_ms`; returns how many leftovers went."""
    removed = await store.sweep(cutoff_ms)
    objects = await store.list("docs/")
    manifests = {info.key for info in objects if info.key.endswith(".manifest")}
    for info in objects:
        if (info.key.endswith(".content") and info.modified_ms < cutoff_ms
                and info.key.removesuffix(".content") + ".manifest" not in manifests):
            with contextlib.suppress(StoreError):  # e.g. retained: it stays, unreadable anyway
                await store.delete(info.key)
                removed += 1
    return removed


def _upload_of(info: ObjectInfo) -> str | None:
    parts = info.key.split("/")
    return "/".join(parts[:3]) if len(parts) == 4 and parts[0] == "uploads" else None


async def sweep_uploads(store: ObjectStore, idle_cutoff_ms: int) -> int:
    """Delete every staged upload with no activity since `idle_cutoff_ms`; return how many."""
    latest: dict[str, int] = {}
    members: dict[str, list[str]] = {}
    for info in await store.list("uploads/"):
        upload = _upload_of(info)
        if upload is None:
            continue
        latest[upload] = max(latest.get(upload, info.modified_ms), info.modified_ms)
        members.setdefault(upload, []).append(info.key)
    removed = 0
    for upload, when in latest.items():
        if when >= idle_cutoff_ms:
            continue
        for key in sorted(members[upload], key=lambda name: name.endswith("/" + RECORD)):
            with contextlib.suppress(StoreError):
                await store.delete(key)
        removed += 1
    return removed


async def run_sweeper(store: ObjectStore, *, clock: Callable[[], int], max_age_ms: int,
                      interval_s: float, upload_idle_ms: int, stop: asyncio.Event,
                      shred: ShredPass | None = None) -> None:
    """Sweep every `interval_s` until `stop` is set; a failed pass is logged and retried.
    Resumable uploads idle for `upload_idle_ms` go too (their staged parts and record), and the
    hearings whose documents signalling destroyed are crypto-shredded (retention_shred.py)."""
    while not stop.is_set():
        try:
            now = clock()
            removed = await sweep_store(store, now - max_age_ms)
            removed += await sweep_uploads(store, now - upload_idle_ms)
            if removed:
                log.info("swept staged leftovers", extra={"removed": removed})
        except StoreError:
            log.warning("sweep failed; will retry")
        if shred is not None:
            try:
                shredded = await shred()
            except Exception as exc:  # store, roster or audit down: counted, retried next pass
                note_failure(log, "evidence.sweep.shred", exc)
            else:
                if shredded:
                    log.info("destroyed documents crypto-shredded", extra={"hearings": shredded})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
