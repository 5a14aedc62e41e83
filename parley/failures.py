"""Failures a process handles without failing its caller: each is logged and counted, never lost.

`handled(log, "where")` is the one way production code swallows an exception: the failure is
logged (through the redacting log setup, with the exception's kind and a bounded message) and
counted in `parley_handled_failures_total{where, kind}`, so a heartbeat that keeps failing or a
session that could not be revoked shows up on a dashboard and in the log, not nowhere. The
counter lives in `REGISTRY`, which the gateway's `/metrics` exposes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry()
HANDLED = Counter(
    "parley_handled_failures", "failures handled without failing the caller, by place and kind",
    ["where", "kind"], registry=REGISTRY,
)


def note_failure(log: logging.Logger, where: str, exc: BaseException, *,
                 level: int = logging.WARNING, **extra: object) -> None:
    """Log and count one handled failure at `where` (a stable dotted name)."""
    kind = type(exc).__name__
    HANDLED.labels(where, kind).inc()
    log.log(level, "%s failed", where,
            extra={"where": where, "error": kind, "detail": str(exc)[:200], **extra})


@contextmanager
def handled(log: logging.Logger, where: str, *catch: type[Exception],
            level: int = logging.WARNING, **extra: object) -> Iterator[None]:
    """Run the block; an exception of `catch` (default: any `Exception`) is noted, not raised."""
    kinds: tuple[type[Exception], ...] = catch or (Exception,)
    try:
        yield
    except kinds as exc:
        note_failure(log, where, exc, level=level, **extra)


def handled_count(where: str, kind: str) -> float:
    """How many failures of `kind` were handled at `where` in this process (for tests)."""
    value = REGISTRY.get_sample_value("parley_handled_failures_total",
                                      {"where": where, "kind": kind})
    return value or 0.0
