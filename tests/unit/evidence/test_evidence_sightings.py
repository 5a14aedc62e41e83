"""How a sweeper ages leftovers (sightings.py) and which contents are orphans (sweeper.py),
without a store."""

from __future__ import annotations

from services.evidence.sightings import Sightings
from services.evidence.store.base import ObjectInfo
from services.evidence.sweeper import orphan_contents


def info(key: str) -> ObjectInfo:
    return ObjectInfo(key=key, size=1, modified_ms=0)


def test_an_orphan_is_a_content_without_its_manifest() -> None:
    objects = [info("docs/h/d/v1.content"), info("docs/h/d/v1.manifest"),
               info("docs/h/d/v2.content"), info("docs/h/e/v1.manifest"),
               info("docs/h/f/v1.contents"), info("docs/h/g/v1.content.manifest")]
    assert orphan_contents(objects) == ["docs/h/d/v2.content"]


def test_a_key_is_due_once_seen_for_the_whole_age() -> None:
    seen = Sightings()
    assert seen.seen_for(["a"], 50_000, 1000) == []  # first sight: the age starts here
    assert seen.seen_for(["a", "b"], 50_999, 1000) == []
    assert seen.seen_for(["a", "b"], 51_000, 1000) == ["a"]
    assert seen.seen_for(["a", "b"], 51_998, 1000) == ["a"]  # its removal failed: still due
    assert seen.seen_for(["b"], 52_000, 1000) == ["b"]


def test_a_key_not_seen_on_a_pass_is_watched_afresh() -> None:
    """An orphan whose manifest arrived, or an upload completed, between passes is forgotten:
    seen again later (a new object under the same key), it waits the whole age again."""
    seen = Sightings()
    assert seen.seen_for(["a"], 0, 1000) == []
    assert seen.seen_for([], 900, 1000) == []
    assert seen.seen_for(["a"], 1500, 1000) == []
    assert seen.seen_for(["a"], 2499, 1000) == []
    assert seen.seen_for(["a"], 2500, 1000) == ["a"]


def test_a_new_sweeper_waits_the_whole_age_and_age_zero_takes_all_at_once() -> None:
    """A restarted sweeper has no memory, so it never removes on its first pass, except with
    an age of 0 (every leftover there is)."""
    first = Sightings()
    first.seen_for(["a"], 0, 1000)
    assert first.seen_for(["a"], 5000, 1000) == ["a"]
    assert Sightings().seen_for(["a"], 5000, 1000) == []
    assert Sightings().seen_for(["a", "b"], 5000, 0) == ["a", "b"]
