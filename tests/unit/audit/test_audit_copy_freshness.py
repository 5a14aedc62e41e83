"""`CopyFreshness`: the rules a read follows on a copy of the log (services/audit/copy_freshness.py),
on a real LogStore and no NATS: never an older checkpoint than one seen signed, "retry" while
behind, "invalid" only from the sequencer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parley.errors import ServiceFailure
from proto.errors import ErrorCode
from services.audit import copy_freshness
from services.audit.copy_freshness import CopyFreshness
from services.audit.log import LogStore, StoredCheckpoint
from tests.unit.audit.test_audit_log import fill


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LogStore]:
    monkeypatch.setattr(copy_freshness, "CATCH_UP_S", 0.2)
    s = LogStore.open(tmp_path / "log.db")
    fill(s, 30)
    yield s
    s.close()


def signed(store: LogStore, size: int) -> StoredCheckpoint:
    return StoredCheckpoint(size, store.root(size), f"note {size}", 0)


async def test_a_copy_behind_the_newest_signed_answers_retry_never_its_older_checkpoint(
        store: LogStore) -> None:
    store.store_checkpoint(signed(store, 10))
    copy = CopyFreshness(store, leads=lambda: False, newest_signed=lambda: 28)
    with pytest.raises(ServiceFailure) as refused:
        await copy.current()
    assert refused.value.code is ErrorCode.UNAVAILABLE and refused.value.retry_after_s == 1


async def test_it_answers_as_soon_as_it_adopts_the_newest(store: LogStore) -> None:
    store.store_checkpoint(signed(store, 10))
    rounds: list[int] = []

    def adopt() -> None:  # the signed checkpoint becomes adoptable on the third look
        rounds.append(1)
        if len(rounds) == 3:
            store.store_checkpoint(signed(store, 28))

    copy = CopyFreshness(store, leads=lambda: False, newest_signed=lambda: 28, adopt_newest=adopt)
    assert (await copy.current()).size == 28
    assert len(rounds) == 3


async def test_a_new_sequencer_before_its_first_signature_also_waits(store: LogStore) -> None:
    store.store_checkpoint(signed(store, 10))
    copy = CopyFreshness(store, leads=lambda: True, newest_signed=lambda: 28)
    with pytest.raises(ServiceFailure) as refused:
        await copy.current()
    assert refused.value.code is ErrorCode.UNAVAILABLE


async def test_nothing_signed_yet_is_unavailable(store: LogStore) -> None:
    with pytest.raises(ServiceFailure) as refused:
        await CopyFreshness(store).current()
    assert refused.value.code is ErrorCode.UNAVAILABLE


@pytest.mark.parametrize(("leads", "code"), [(True, ErrorCode.INVALID),
                                             (False, ErrorCode.UNAVAILABLE)])
async def test_a_size_beyond_the_copy(store: LogStore, leads: bool, code: ErrorCode) -> None:
    store.store_checkpoint(signed(store, 30))
    copy = CopyFreshness(store, leads=lambda: leads, newest_signed=lambda: 30)
    assert await copy.size_arg(None) == 30 and await copy.size_arg(12) == 12
    with pytest.raises(ServiceFailure) as refused:
        await copy.size_arg(31)
    assert refused.value.code is code


pytestmark = pytest.mark.asyncio
