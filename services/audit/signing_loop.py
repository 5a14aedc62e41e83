"""The signing loop: a new checkpoint at least every second while entries arrive.

Every `interval_s` (default 0.5 s, so an entry waits at most about that long plus one signing
for its checkpoint) the loop signs the current size if it grew. Signing goes through
`CheckpointIssuer`, which first proves the new tree extends the last signed one. When the
issuer detects tampering the loop stops signing for good (until an operator rebuilds the log),
logs it at CRITICAL on every tick it would have signed, and the service keeps answering reads;
`status` (and `GET /api/v1/audit/status`) reports `signing: refused` and why.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from services.audit.errors import TamperDetectedError
from services.audit.log import StoredCheckpoint
from services.audit.signer import CheckpointIssuer

log = logging.getLogger("parley.audit.checkpoints")


def wall_ms() -> int:
    return int(time.time() * 1000)


class CheckpointLoop:
    def __init__(
        self,
        issuer: CheckpointIssuer,
        *,
        interval_s: float = 0.5,
        clock_ms: Callable[[], int] = wall_ms,
        on_issue: Callable[[StoredCheckpoint], None] | None = None,
    ) -> None:
        self.issuer = issuer
        self.interval_s = interval_s
        self._clock_ms = clock_ms
        self._on_issue = on_issue or (lambda cp: None)
        self._seen_version = -1
        self._refused_size = -1

    @property
    def tamper(self) -> TamperDetectedError | None:
        return self.issuer.tampered

    def start_check(self) -> None:
        """The full O(n) recomputation at start; a failure only disables signing."""
        try:
            self.issuer.check_all()
        except TamperDetectedError as exc:
            self._report(exc)

    def _report(self, exc: TamperDetectedError) -> None:
        log.critical("AUDIT LOG TAMPERING DETECTED: checkpoint signing stopped: %s", exc,
                     extra={"index": exc.index})
        self._refused_size = self.issuer.store.size

    def tick(self) -> StoredCheckpoint | None:
        """Sign if the log grew or another connection wrote to the file; None if nothing new.

        A write by another connection (SQLite's data_version moves) makes the issuer recompute
        the whole tree before it signs again, even when the size did not change.
        """
        store = self.issuer.store
        if self.issuer.tampered is not None:
            if store.size != self._refused_size:  # once per growth, not once per tick
                log.critical("audit log tampered: %d entries stay unsigned", store.size)
                self._refused_size = store.size
            return None
        last = store.latest_checkpoint()
        version = store.data_version()
        if last is not None and last.size == store.size and version == self._seen_version:
            return None
        try:
            issued = self.issuer.issue(self._clock_ms())
        except TamperDetectedError as exc:
            self._report(exc)
            return None
        self._seen_version = version
        if last is None or issued.size != last.size:
            self._on_issue(issued)
            return issued
        return None

    async def run(self, stop: asyncio.Event) -> None:
        # Fixed rate, not fixed pause: the time a tick takes (checks, signing) is not added to
        # the wait of the entries committed meanwhile (yet always some pause when behind).
        loop = asyncio.get_running_loop()
        due = loop.time()
        while not stop.is_set():
            self.tick()
            due = max(due + self.interval_s, loop.time() + self.interval_s / 4)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), due - loop.time())
