"""The sweeper: removes what failed uploads leave behind.

- staged leftovers of the store (local temp files, incomplete S3 multipart uploads);
- resumable uploads with no new byte for the configured idle time (staging.py);
- orphan content: a `.content` object whose `.manifest` was never written (the process died
  between the two, or its commit failed and so did the delete after it). Without a manifest the
  version never existed and its data key is lost, so removing it is safe, unless a manifest is
  still coming. The rule that keeps the sweeper away from a commit in progress is a pact of two
  halves, neither of which reads a time written by another machine:
  - the sweeper removes an orphan only once *it* has seen that object orphaned for the whole
    age limit, by its own steady clock (sightings.py): a store's clock running an hour behind
    (an S3 server's `Last-Modified`) or a wall-clock step here cannot make a fresh object look
    old, and a restarted sweeper starts watching afresh;
  - a writer begins a manifest's write within half that limit of its content being stored, by
    its own steady clock, or gives the upload up (vault.py `Vault.commit`).
  An object is stored before any sweeper sees it, so a manifest still coming has had half the
  limit to land (a small object's put, which takes milliseconds) before any sweeper may remove
  its content, whichever evidence process (of several on one store) writes or sweeps.

Every time here is an integer (ms): an orphan's age from the injected steady clock, an idle
upload's from the injected wall clock against the store's times (`ObjectInfo.modified_ms`); no
`datetime`, which a `right/…` zone puts 27 s off (store/base.py). A store judges the age of its
own staged leftovers (`ObjectStore.sweep`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

from parley.failures import note_failure
from parley.instants import steady_ms
from services.evidence.errors import StoreError
from services.evidence.resumable import RECORD
from services.evidence.sightings import Sightings
from services.evidence.store.base import ObjectInfo, ObjectStore

#: One pass of the retention shredder (retention_shred.py `RetentionShredder.pass_once`):
#: how many hearings it shredded. Passed in, not imported: the shredder uses the vault,
#: which uses this module.
ShredPass = Callable[[], Awaitable[int]]

log = logging.getLogger(__name__)


def orphan_contents(objects: Iterable[ObjectInfo]) -> list[str]:
    """The keys of the `.content` objects among `objects` whose `.manifest` is not among them."""
    infos = list(objects)
    manifests = {info.key.removesuffix(".manifest") for info in infos
                 if info.key.endswith(".manifest")}
    return [info.key for info in infos
            if info.key.endswith(".content") and info.key.removesuffix(".content") not in manifests]


async def sweep_store(store: ObjectStore, max_age_ms: int, orphans: Sightings,
                      now_ms: int) -> int:
    """One pass: the store's staged leftovers and the orphan contents seen (by `orphans`, at
    `now_ms` on the steady clock) for at least `max_age_ms`; returns how many went."""
    removed = await store.sweep(max_age_ms)
    for key in orphans.seen_for(orphan_contents(await store.list("docs/")), now_ms, max_age_ms):
        with contextlib.suppress(StoreError):  # e.g. retained: it stays, unreadable anyway
            await store.delete(key)
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
                      shred: ShredPass | None = None,
                      steady: Callable[[], int] = steady_ms) -> None:
    """Sweep every `interval_s` until `stop` is set; a failed pass is logged and retried.
    Resumable uploads idle for `upload_idle_ms` go too (their staged parts and record), and the
    hearings whose documents signalling destroyed are crypto-shredded (retention_shred.py).
    The first pass runs at once; orphans are watched from it (sightings.py)."""
    orphans = Sightings()
    while not stop.is_set():
        try:
            removed = await sweep_store(store, max_age_ms, orphans, steady())
            removed += await sweep_uploads(store, clock() - upload_idle_ms)
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
