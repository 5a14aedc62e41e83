"""The watched copy's ordering rules (gateway/identity/kv_mirror.py), without a server."""

from __future__ import annotations

from typing import Any

import msgspec
from nats.js.kv import KV_DEL, KeyValue

from gateway.identity.kv_mirror import KvMirror
from gateway.identity.session_store import decode_session
from gateway.identity.sessions import SessionRecord
from gateway.identity.state import same_but_last_seen
from proto.common import Role
from proto.principal import PrincipalKind


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


def _entry(key: str, value: bytes, revision: int) -> KeyValue.Entry:
    return KeyValue.Entry(bucket="parley_sessions", key=key, value=value, revision=revision,
                          delta=None, created=None, operation=None)


def _session(last_seen_ms: int, **changes: Any) -> SessionRecord:
    base = SessionRecord(id="s1", kind=PrincipalKind.PARTICIPANT, subject="p1",
                         role=Role.PARTY, hearing="h1", created_ms=1, last_seen_ms=last_seen_ms,
                         expires_ms=10**13)
    return msgspec.structs.replace(base, **changes)


def test_a_touch_is_kept_but_not_told_any_other_change_is() -> None:
    kv: Any = None
    mirror = KvMirror(kv, "session.", lambda key, raw: decode_session(raw), same_but_last_seen)
    told: list[str] = []
    mirror.listeners.append(told.append)
    mirror.apply(_entry("session.a", msgspec.json.encode(_session(100)), 1))
    assert told == ["session.a"]  # new to this copy
    mirror.apply(_entry("session.a", msgspec.json.encode(_session(200)), 2))
    assert told == ["session.a"] and mirror.get("session.a") == (_session(200), 2)
    mirror.apply(_entry("session.a", msgspec.json.encode(_session(300, account_epoch=1)), 3))
    assert told == ["session.a", "session.a"]  # a changed epoch re-checks the sockets
    mirror.apply(KeyValue.Entry(bucket="parley_sessions", key="session.a", value=None,
                                revision=4, delta=None, created=None, operation=KV_DEL))
    assert told == ["session.a"] * 3 and mirror.get("session.a") is None
