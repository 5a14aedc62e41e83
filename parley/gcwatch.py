"""The cyclic garbage collector's pauses, made visible and made rarer.

A gateway holding thousands of WebSockets keeps millions of long-lived objects (each socket's
request, protocol, parser, tasks and buffers). CPython's full (generation 2) collection walks
all of them while nothing else runs: at 10,000 sockets one pass holds the event loop for a large
fraction of a second, so every move in flight meanwhile waits that long. Two things follow:

- `install` times every collection (`gc.callbacks`) and logs each one that costs more than
  `slow_ms` of CPU with its generation, and counts them, so a latency spike can be matched to a
  collection rather than guessed at;
- it moves everything alive once start-up is done into the permanent generation (`gc.freeze`:
  modules, configuration, compiled schemas are never garbage, so no collection needs to walk
  them again) and raises the youngest generation's threshold, so short-lived objects (a message's
  decoded structs) die by reference counting before a collection promotes them; fewer promoted
  objects means full collections come rarely (CPython runs one only when the objects promoted
  since the last reach a quarter of the long-lived ones).

The thresholds also bound the pauses, and a gateway seating 10,000 sockets showed which way
(`benchmarks/signalling_load.py`, CPU per logged collection, on a loaded machine):

- young 20,000 with CPython's middle 10: middle-generation collections walk up to ten young
  batches of survivors, and while sockets join most objects survive: 290-480 ms each;
- young 5,000: shorter walks, but CPython then considers a full collection four times as often
  (after `young x middle x old` net allocations), and a growing heap passes its 25 % rule each
  time: two full collections of 1.4 s during the joins, and middle collections over 50 ms in
  the moves.

So: young 20,000 (a message's objects die young), middle 2 (a middle collection walks at most
two young batches), old 50 (a full collection is still considered only every 2,000,000 net
allocations, as with CPython's 10 x 10 at young 20,000).
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any, Final

from prometheus_client import Counter

from parley.failures import REGISTRY

log = logging.getLogger("parley.gc")
#: Objects allocated (less freed) before a young collection; CPython's default is 700.
YOUNG_THRESHOLD: Final = 20_000
#: Young collections per middle one, middle per full one (see the module docstring).
MIDDLE_THRESHOLD: Final = 2
OLD_THRESHOLD: Final = 50
SLOW: Final = Counter("parley_gc_slow_collections_total",
                      "garbage collections that held the process longer than the logged limit",
                      ["generation"], registry=REGISTRY)


class _Timer:
    """Times each collection twice: CPU time (what the collection cost: the criterion, since on
    a loaded machine a descheduled process makes any wall time long) and wall time (what the
    event loop waited)."""

    def __init__(self, slow_ms: float) -> None:
        self.slow_s = slow_ms / 1000
        self.started = (0.0, 0.0)

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = (time.thread_time(), time.perf_counter())
            return
        cpu = time.thread_time() - self.started[0]
        if cpu >= self.slow_s:
            generation = int(info.get("generation", -1))
            SLOW.labels(str(generation)).inc()
            log.warning("garbage collection held the process", extra={
                "generation": generation, "cpu_ms": round(cpu * 1000, 1),
                "wall_ms": round((time.perf_counter() - self.started[1]) * 1000, 1),
                "collected": info.get("collected")})


def install(slow_ms: float = 50.0) -> None:
    """Call once start-up is done (modules imported, configuration loaded)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
    gc.callbacks.append(_Timer(slow_ms))
