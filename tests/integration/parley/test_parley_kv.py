"""parley.kv on a real JetStream bucket: revisions, compare-and-set, create, delete."""

from __future__ import annotations

import pytest
from nats.aio.client import Client

from parley import kv
from parley.provision import ACCOUNTS_BUCKET


async def test_compare_and_set_vocabulary(supervisor_nc: Client) -> None:
    # The supervisor user may write only the accounts bucket (the operator CLI's path).
    bucket = await supervisor_nc.jetstream().key_value(ACCOUNTS_BUCKET)
    key = "kvtest.record"
    await kv.delete(bucket, key)
    assert await kv.read(bucket, key) is None
    first = await kv.create(bucket, key, b"v1")
    with pytest.raises(kv.RevisionConflict):
        await kv.create(bucket, key, b"again")
    second = await kv.update(bucket, key, b"v2", first)
    with pytest.raises(kv.RevisionConflict):
        await kv.update(bucket, key, b"lost race", first)
    assert await kv.read(bucket, key) == (b"v2", second)
    assert key in await kv.keys(bucket, "kvtest.")
    with pytest.raises(kv.RevisionConflict):
        await kv.delete(bucket, key, first)
    await kv.delete(bucket, key, second)
    assert await kv.read(bucket, key) is None
    await kv.delete(bucket, key)  # deleting what is gone is fine
    assert await kv.create(bucket, key, b"reborn") > second
    await kv.delete(bucket, key)


async def test_keys_lists_every_key_of_a_prefix_at_once(supervisor_nc: Client) -> None:
    """Read from the stream's subject index: a full bucket is never listed as empty (nats-py's
    watcher-based keys() could say so under load), and a prefix selects its own keys only."""
    bucket = await supervisor_nc.jetstream().key_value(ACCOUNTS_BUCKET)
    names = [f"kvkeys.k{i:03d}" for i in range(150)]
    for name in names:
        await kv.create(bucket, name, b"v")
    await kv.create(bucket, "kvkeysother.k", b"v")
    for _ in range(20):  # each time, all of them
        assert await kv.keys(bucket, "kvkeys.") == names
    assert await kv.keys(bucket, "kvnone.") == []
    everything = await kv.keys(bucket)
    assert set(names) <= set(everything) and "kvkeysother.k" in everything



async def test_compare_and_set_over_the_whole_bucket(supervisor_nc: Client) -> None:
    """`snapshot` reads a prefix's live keys as of the bucket's revision; `update_if_unchanged`
    writes only while nothing in the bucket was written since, whichever key that was."""
    bucket = await supervisor_nc.jetstream().key_value(ACCOUNTS_BUCKET)
    a = await kv.create(bucket, "kvsnap.a", b"1")
    await kv.create(bucket, "kvsnap.b", b"2")
    await kv.create(bucket, "kvsnap.gone", b"3")
    await kv.delete(bucket, "kvsnap.gone")
    found, revision = await kv.snapshot(bucket, "kvsnap.")
    assert sorted(found) == ["kvsnap.a", "kvsnap.b"] and found["kvsnap.a"] == (b"1", a)
    assert revision >= max(r for _, r in found.values())
    await kv.create(bucket, "kvsnapother.x", b"elsewhere")  # another key, another prefix
    with pytest.raises(kv.RevisionConflict):
        await kv.update_if_unchanged(bucket, "kvsnap.a", b"lost", revision)
    assert await kv.read(bucket, "kvsnap.a") == (b"1", a)
    found, revision = await kv.snapshot(bucket, "kvsnap.")
    written = await kv.update_if_unchanged(bucket, "kvsnap.a", b"won", revision)
    assert written == revision + 1 and await kv.read(bucket, "kvsnap.a") == (b"won", written)
    with pytest.raises(kv.RevisionConflict):  # the same revision twice: the second loses
        await kv.update_if_unchanged(bucket, "kvsnap.b", b"lost", revision)
