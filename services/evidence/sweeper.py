"""The sweeper: removes what failed uploads leave behind.

- staged leftovers of the store (local temp files, incomplete S3 multipart uploads);
- orphan content: a `.content` object whose `.manifest` was never written (the process died
  between the two). Without a manifest the version never existed, so removing it is safe; the
  cut-off keeps the sweeper away from uploads still in progress.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from services.evidence.errors import StoreError
from services.evidence.store.base import ObjectStore

log = logging.getLogger(__name__)


async def sweep_store(store: ObjectStore, cutoff: datetime) -> int:
    """One pass; returns how many leftovers were removed."""
    removed = await store.sweep(cutoff)
    objects = await store.list("docs/")
    manifests = {info.key for info in objects if info.key.endswith(".manifest")}
    for info in objects:
        if (info.key.endswith(".content") and info.modified < cutoff
                and info.key.removesuffix(".content") + ".manifest" not in manifests):
            with contextlib.suppress(StoreError):  # e.g. retained: it stays, unreadable anyway
                await store.delete(info.key)
                removed += 1
    return removed


async def run_sweeper(store: ObjectStore, *, max_age: timedelta, interval: timedelta,
                      stop: asyncio.Event) -> None:
    """Sweep every `interval` until `stop` is set; a failed pass is logged and retried."""
    while not stop.is_set():
        try:
            removed = await sweep_store(store, datetime.now(UTC) - max_age)
            if removed:
                log.info("swept staged leftovers", extra={"removed": removed})
        except StoreError:
            log.warning("sweep failed; will retry")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval.total_seconds())
