"""The sweeper's rules for orphan content (sweeper.py), without a store: which objects are
orphans, and when one has been watched long enough to go."""

from __future__ import annotations

from services.evidence.store.base import ObjectInfo
from services.evidence.sweeper import OrphanWatch, orphan_contents


def info(key: str, modified_ms: int = 0) -> ObjectInfo:
    return ObjectInfo(key=key, size=1, modified_ms=modified_ms)


def test_an_orphan_is_a_content_without_its_manifest() -> None:
    objects = [info("docs/h/d/v1.content"), info("docs/h/d/v1.manifest"),
               info("docs/h/d/v2.content"), info("docs/h/e/v1.manifest"),
               info("docs/h/f/v1.contents"), info("docs/h/g/v1.content.manifest")]
    assert orphan_contents(objects) == ["docs/h/d/v2.content"]


def test_an_orphan_is_due_once_watched_for_the_whole_wait() -> None:
    watch = OrphanWatch(wait_ms=1000)
    assert watch.due(["a"], now_ms=50_000) == []  # first sight: the watch reads no store date
    assert watch.due(["a", "b"], now_ms=50_999) == []
    assert watch.due(["a", "b"], now_ms=51_000) == ["a"]
    assert watch.due(["a", "b"], now_ms=51_998) == ["a"]  # a failed delete: still due
    assert watch.due(["b"], now_ms=52_000) == ["b"]


def test_an_object_that_stops_being_an_orphan_is_watched_afresh_if_orphaned_again() -> None:
    """Its manifest arrived (or it went) between passes: forgotten, so a later orphaning (a
    rewrite under the same key) waits the whole limit again."""
    watch = OrphanWatch(wait_ms=1000)
    assert watch.due(["a"], now_ms=0) == []
    assert watch.due([], now_ms=900) == []
    assert watch.due(["a"], now_ms=1500) == []
    assert watch.due(["a"], now_ms=2499) == []
    assert watch.due(["a"], now_ms=2500) == ["a"]


def test_a_new_watch_waits_the_whole_limit_again() -> None:
    """A restarted sweeper has no memory: it never removes an orphan on its first pass."""
    first = OrphanWatch(wait_ms=1000)
    first.due(["a"], now_ms=0)
    assert first.due(["a"], now_ms=5000) == ["a"]
    assert OrphanWatch(wait_ms=1000).due(["a"], now_ms=5000) == []
