"""The watched copy's ordering rules (gateway/identity/kv_mirror.py), without a server."""

from __future__ import annotations

from typing import Any

from gateway.identity.kv_mirror import KvMirror


def _mirror() -> KvMirror[str]:
    kv: Any = None  # remember/forget never touch the bucket
    return KvMirror(kv, "session.", lambda key, raw: raw.decode())


def test_an_older_revision_never_replaces_a_newer_one() -> None:
    mirror = _mirror()
    mirror.remember("session.a", "new", 5)
    mirror.remember("session.a", "old", 4)
    assert mirror.get("session.a") == ("new", 5)


def test_a_deleted_key_is_not_revived_by_a_late_watch_update() -> None:
    mirror = _mirror()
    mirror.remember("session.a", "v", 3)
    mirror.forget("session.a", 3)
    mirror.remember("session.a", "v", 3)  # the watch delivering the put after our delete
    assert mirror.get("session.a") is None
    mirror.remember("session.a", "recreated", 9)
    assert mirror.get("session.a") == ("recreated", 9)


def test_prune_drops_what_the_predicate_names() -> None:
    mirror = _mirror()
    mirror.remember("session.a", "keep", 1)
    mirror.remember("session.b", "drop", 2)
    assert mirror.prune(lambda v: v == "drop") == 1
    assert len(mirror) == 1
