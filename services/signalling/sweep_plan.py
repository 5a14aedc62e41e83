"""Which hearings the sweeper must visit now, kept up to date from changes (pure; no I/O).

A pass used to look at every hearing each second (its cached due time, the gateways holding its
sockets): O(hearings) per second whatever happened, about a quarter of signalling's CPU with
1,000 hearings open. The plan instead keeps, per hearing, its `Due` (next due time and the
gateway instances holding its sockets, at one KV revision), and two indexes over them:

- a heap of due times: a pass pops only the hearings due by now;
- instance → hearings with a socket on it: a pass checks each gateway instance's heartbeat once
  and visits only the hearings of instances that are silent too long.

`update` is called for each hearing whose copy changed (the store's change feed), so a pass
costs O(changes + due hearings + instances), not O(hearings). A heap entry is stale once its
hearing has a newer `Due` (or none): it is skipped when popped.

A gateway is silent too long (its sockets count as closed) only on a heartbeat feed this
process has heard without a break for longer than the timeout (`silent`): while the feed is
down (a NATS node restarting, the bucket electing its leader) nobody is judged, and once it is
back every gateway gets a whole timeout to be heard again. A process that could not hear
heartbeats used to find every gateway "silent" the moment its feed returned, and closed sockets
that were open all along: their people stayed connected but were no longer in any room.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Due:
    revision: int
    at_ms: int | None
    instances: frozenset[str]


def silent(last_ms: int | None, now_ms: int, timeout_ms: int, heard_since_ms: int | None) -> bool:
    """Whether a gateway last heard at `last_ms` (None: never) is silent too long, on a feed
    heard without a break since `heard_since_ms` (None: not being heard now)."""
    if heard_since_ms is None:
        return False
    return now_ms - max(last_ms or 0, heard_since_ms) > timeout_ms


class SweepPlan:
    def __init__(self) -> None:
        #: Since when the heartbeat feed has been heard without a break (`hear`); 0 for a plan
        #: that is never told (always heard).
        self.heard_since_ms: int | None = 0
        self._feed: int | None = None
        #: Gateway instances whose sockets were taken for closed, whose heartbeat key is still to
        #: be marked "given up" (the sweeper's writes can fail; the mark must not be lost).
        self.to_tell: set[str] = set()
        self._due: dict[str, Due] = {}
        self._heap: list[tuple[int, str, int]] = []  # (at_ms, hearing, revision)
        self._by_instance: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._due)

    def known(self, hearing: str) -> Due | None:
        return self._due.get(hearing)

    def update(self, hearing: str, due: Due | None) -> None:
        """The hearing's copy changed: its new `Due`, or None when it is gone."""
        old = self._due.pop(hearing, None)
        if old is not None:
            for instance in old.instances - (due.instances if due else frozenset()):
                group = self._by_instance.get(instance)
                if group is not None:
                    group.discard(hearing)
                    if not group:
                        del self._by_instance[instance]
        if due is None:
            return
        self._due[hearing] = due
        for instance in due.instances:
            self._by_instance.setdefault(instance, set()).add(hearing)
        if due.at_ms is not None and (old is None or old.at_ms != due.at_ms
                                      or old.revision != due.revision):
            heapq.heappush(self._heap, (due.at_ms, hearing, due.revision))

    def retry(self, hearing: str, at_ms: int) -> None:
        """Visit `hearing` again at `at_ms` (its sweep failed; the rules still hold)."""
        due = self._due.get(hearing)
        if due is not None:
            heapq.heappush(self._heap, (at_ms, hearing, due.revision))

    def hear(self, feed: int | None, now_ms: int) -> None:
        """The heartbeat feed's state at `now_ms`: the count of its (re)starts (a new one means
        it was down in between), or None while it is down."""
        if feed is None:
            self.heard_since_ms = None
        elif feed != self._feed or self.heard_since_ms is None:
            self.heard_since_ms = now_ms
        self._feed = feed

    def dead_instances(self, alive: dict[str, int], now_ms: int, timeout_ms: int) -> list[str]:
        return [i for i in self._by_instance
                if silent(alive.get(i), now_ms, timeout_ms, self.heard_since_ms)]

    def take(self, alive: dict[str, int], now_ms: int, timeout_ms: int) -> list[str]:
        """The hearings to sweep now: those with a socket on a silent gateway, then those whose
        due time has come (each once)."""
        out: dict[str, None] = {}
        for instance in self.dead_instances(alive, now_ms, timeout_ms):
            out.update(dict.fromkeys(sorted(self._by_instance[instance])))
        while self._heap and self._heap[0][0] <= now_ms:
            _, hearing, revision = heapq.heappop(self._heap)
            due = self._due.get(hearing)
            if due is not None and due.revision == revision:
                out[hearing] = None
        return list(out)
