"""Drafts on the local folder store (store.base.Drafting): an object written in place, range by
range, then committed under its final key without a copy; every write and the commit hold the
draft's lock, so a commit never sees a write half done and no write lands after it."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.evidence.errors import IntegrityError, ObjectExistsError, ObjectNotFoundError
from services.evidence.store.base import Drafting, one_chunk
from services.evidence.store.local import LocalFolderStore

DRAFT, FINAL = "uploads/h/u/draft", "docs/h/d/v.content"


class Seen:
    """A commit check that keeps what it was shown (and can refuse it)."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.seen = b""

    def __call__(self, fd: int) -> None:
        self.seen = os.pread(fd, os.fstat(fd).st_size + 1, 0)
        if self.refuse:
            raise IntegrityError("refused")


async def pieces(data: bytes, size: int = 100_000, pause: float = 0.0) -> AsyncIterator[bytes]:
    for at in range(0, len(data), size):
        if pause:
            await asyncio.sleep(pause)
        yield data[at:at + size]


@pytest.fixture
def store(tmp_path: Path) -> LocalFolderStore:
    return LocalFolderStore(tmp_path / "store")


async def test_ranges_written_in_place_commit_as_one_object(store: LocalFolderStore) -> None:
    assert isinstance(store, Drafting)
    head, body = os.urandom(92), os.urandom(3_000_000)
    assert await store.write_draft(DRAFT, 0, pieces(head + body[:1_000_000])) == 1_000_092
    stale = os.urandom(500_000)  # a write that was never recorded, overwritten by the resume
    assert await store.write_draft(DRAFT, 1_000_092, pieces(stale)) == 500_000
    assert await store.write_draft(DRAFT, 1_000_092, pieces(body[1_000_000:])) == 2_000_000
    check = Seen()
    info = await store.commit_draft(DRAFT, FINAL, 92 + 2_500_000, check)
    assert check.seen == head + body[:2_500_000]  # cut to the size before the check ran
    assert info.size == 92 + 2_500_000
    assert await store.read(FINAL) == head + body[:2_500_000]
    with pytest.raises(ObjectNotFoundError):  # committed: the draft takes no more writes
        await store.write_draft(DRAFT, 92, one_chunk(b"late"))
    assert await store.read(FINAL) == head + body[:2_500_000]
    await store.delete(DRAFT)  # its owner's last step, once the object is for good
    assert (store.root / "objects" / FINAL).stat().st_nlink == 1


async def test_a_draft_whose_object_is_deleted_can_be_committed_again(
        store: LocalFolderStore) -> None:
    """What a failed commit point does (it deletes the object): the draft is whole, takes
    writes again, and commits again."""
    data = os.urandom(400_000)
    await store.write_draft(DRAFT, 0, pieces(data))
    await store.commit_draft(DRAFT, FINAL, len(data), Seen())
    await store.delete(FINAL)
    assert await store.write_draft(DRAFT, len(data), one_chunk(b"more")) == 4
    await store.commit_draft(DRAFT, FINAL, len(data) + 4, Seen())
    assert await store.read(FINAL) == data + b"more"


async def test_a_refused_check_or_a_taken_name_commits_nothing(store: LocalFolderStore) -> None:
    data = os.urandom(300_000)
    await store.write_draft(DRAFT, 0, pieces(data))
    with pytest.raises(IntegrityError):
        await store.commit_draft(DRAFT, FINAL, len(data), Seen(refuse=True))
    with pytest.raises(ObjectNotFoundError):
        await store.stat(FINAL)
    await store.put(FINAL, one_chunk(b"already here"))
    with pytest.raises(ObjectExistsError):
        await store.commit_draft(DRAFT, FINAL, len(data), Seen())
    assert await store.read(FINAL) == b"already here"
    assert await store.read(DRAFT) == data  # the draft is still there, whole
    with pytest.raises(ObjectNotFoundError):
        await store.commit_draft("uploads/h/other/draft", "docs/h/d/w.content", 1, Seen())


async def test_a_failing_source_is_raised_and_leaves_earlier_ranges(
        store: LocalFolderStore) -> None:
    await store.write_draft(DRAFT, 0, pieces(b"a" * 200_000))

    async def broken() -> AsyncIterator[bytes]:
        yield b"b" * 50_000
        raise OSError("the client went away")

    with pytest.raises(OSError, match="went away"):
        await store.write_draft(DRAFT, 200_000, broken())
    assert (await store.read(DRAFT))[:200_000] == b"a" * 200_000


async def test_a_commit_waits_for_the_write_under_way(store: LocalFolderStore) -> None:
    """The check sees every byte of a write that had begun before the commit asked."""
    data = os.urandom(1_200_000)
    await store.write_draft(DRAFT, 0, one_chunk(b"h" * 92))
    writing = asyncio.create_task(store.write_draft(DRAFT, 92, pieces(data, pause=0.05)))
    await asyncio.sleep(0.2)  # the write holds the lock, a few pieces in
    check = Seen()
    await store.commit_draft(DRAFT, FINAL, 92 + len(data), check)
    assert writing.done() and await writing == len(data)
    assert check.seen == b"h" * 92 + data


async def test_a_write_that_waited_for_a_commit_lands_nowhere(store: LocalFolderStore) -> None:
    """A write opened before the commit and let in after it finds the draft gone: it is
    refused, and the committed object is untouched."""
    await store.write_draft(DRAFT, 0, one_chunk(b"x" * 1000))
    draft = store.root / "objects" / DRAFT
    final = store.root / "objects" / FINAL
    held = os.open(draft, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a commit under way holds it
        late = asyncio.create_task(store.write_draft(DRAFT, 0, one_chunk(b"y" * 1000)))
        await asyncio.sleep(0.2)
        assert not late.done()  # waiting for the lock
        final.parent.mkdir(parents=True)  # what the commit does, under the lock
        os.link(draft, final)
    finally:
        os.close(held)  # the lock goes
    with pytest.raises(ObjectNotFoundError):
        await late
    assert final.read_bytes() == b"x" * 1000


async def test_committing_a_committed_draft_again_is_harmless(store: LocalFolderStore) -> None:
    """A process that stopped after committing the draft, before the manifest, leaves the
    object there: the next completion commits the same file again (another file is refused)."""
    await store.write_draft(DRAFT, 0, one_chunk(b"z" * 500))
    await store.commit_draft(DRAFT, FINAL, 500, Seen())
    await store.commit_draft(DRAFT, FINAL, 500, Seen())
    assert await store.read(FINAL) == b"z" * 500
