"""Garbage collections that hold a process are logged and counted (parley/gcwatch.py)."""

from __future__ import annotations

import gc
import logging

import pytest

from parley import gcwatch
from parley.failures import REGISTRY


def _slow(generation: str) -> float:
    return REGISTRY.get_sample_value("parley_gc_slow_collections_total",
                                     {"generation": generation}) or 0.0


def test_a_collection_over_the_limit_is_logged_with_its_generation(
        caplog: pytest.LogCaptureFixture) -> None:
    timer = gcwatch._Timer(slow_ms=0.0)  # every collection counts as slow
    before = _slow("2")
    with caplog.at_level(logging.WARNING, logger="parley.gc"):
        timer("start", {"generation": 2})
        timer("stop", {"generation": 2, "collected": 7})
    assert _slow("2") == before + 1
    (record,) = caplog.records
    assert record.generation == 2 and record.collected == 7  # type: ignore[attr-defined]


def test_a_quick_collection_is_not() -> None:
    timer = gcwatch._Timer(slow_ms=60_000.0)
    before = _slow("0")
    timer("start", {"generation": 0})
    timer("stop", {"generation": 0, "collected": 0})
    assert _slow("0") == before


def test_install_times_real_collections_and_raises_the_young_threshold() -> None:
    saved = gc.get_threshold(), list(gc.callbacks)
    try:
        gcwatch.install()
        assert gc.get_threshold()[0] == gcwatch.YOUNG_THRESHOLD
        assert any(isinstance(cb, gcwatch._Timer) for cb in gc.callbacks)
        assert gc.get_freeze_count() > 0
        gc.collect()  # the callback runs on a real collection without error
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved[0])
        gc.callbacks[:] = saved[1]
