"""Pure cores of audit hardening: per-period tallies, tile-reading windows, address pseudonyms."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.identity.pseudonym import AddressPseudonyms
from parley.tally import PeriodTally
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from services.audit.tile_reads import TileReadLedger, leaf_range
from services.audit.tiles import TileId

READER = Principal(kind=PrincipalKind.ACCOUNT, id="aud1", role=Role.AUDITOR, session="s1")
OTHER = Principal(kind=PrincipalKind.ACCOUNT, id="aud1", role=Role.AUDITOR, session="s2")


def test_tally_reports_first_then_counts_then_closes() -> None:
    tally: PeriodTally[str] = PeriodTally(period_ms=1000, max_keys=2)
    assert tally.note("a", 0) == (True, [])
    assert tally.note("a", 500)[0] is False
    first, closed = tally.note("a", 1000)  # the period is over: a new window, the old closed
    assert first and [(w.key, w.count) for w in closed] == [("a", 2)]
    tally.note("b", 1100)
    first, closed = tally.note("c", 1200)  # over the key bound: the oldest closes early
    assert first and [w.key for w in closed] == ["a"]
    assert [w.key for w in tally.due(2150)] == ["b"]
    assert [w.key for w in tally.drain()] == ["c"]


def test_tile_reads_one_window_per_reader_and_period_naming_the_range() -> None:
    assert leaf_range(TileId(0, 2)) == (512, 768)
    assert leaf_range(TileId(1, 0, 3)) == (0, 768)
    assert leaf_range(TileId(None, 1, 10)) == (256, 266)
    ledger = TileReadLedger(period_ms=60_000)
    opens = [ledger.read(READER, TileId(0, n), 1000 + n)[0] for n in range(300)]
    assert opens == [True] + [False] * 299
    assert ledger.read(OTHER, TileId(1, 0, 2), 2000)[0]  # another session: its own window
    ledger.read(READER, TileId(None, 0), 3000)
    assert ledger.due(59_000) == []
    windows = {w.reader.session: w for w in ledger.due(62_001)}
    summary = windows["s1"].summary(62_001)
    assert summary["tiles"] == 300 and summary["entry_bundles"] == 1
    assert (summary["leaf_from"], summary["leaf_to"]) == (0, 300 * 256)
    assert windows["s2"].summary(0)["levels"] == "1"
    assert ledger.read(READER, TileId(0, 0), 70_000)[0]  # a new period opens a new window
    ledger.forget(READER)
    assert ledger.drain() == []


def test_address_pseudonyms_link_resolve_rotate_and_forget(tmp_path: Path) -> None:
    now = [1_764_000_000.0]  # 2025-11-24
    names = AddressPseudonyms(tmp_path / "keys", "month", clock=lambda: now[0])
    a1, a2, b = names.of("192.0.2.7"), names.of("192.0.2.7"), names.of("198.51.100.1")
    assert a1 == a2 != b and a1.startswith("addr:2025-11:") and "192.0.2.7" not in a1
    assert names.resolves_to(a1, "192.0.2.7") is True
    assert names.resolves_to(a1, "192.0.2.8") is False
    now[0] += 40 * 86400  # next month: a new key, so pseudonyms do not link across periods
    later = names.of("192.0.2.7")
    assert later.startswith("addr:2026-01:") and later.split(":")[2] != a1.split(":")[2]
    assert names.destroy_keys_before("2026-01") == ["2025-11"]
    assert names.resolves_to(a1, "192.0.2.7") is None  # destroyed: unresolvable for ever
    assert AddressPseudonyms(tmp_path / "keys").resolves_to(later, "192.0.2.7") is True
    with pytest.raises(ValueError, match="pseudonym"):
        names.resolves_to("192.0.2.7", "192.0.2.7")
