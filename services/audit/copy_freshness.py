"""How current the answering process's copy of the audit log is, for reads (DESIGN §7, §10).

Reads reach either audit process. The sequencer's log is the reference; a standby's copy may
lag it by a moment, and after a failover a copy may hold an older checkpoint than one already
signed (a standby still catching up, or a new sequencer before its first signature). Rules:
- A size beyond this copy: a standby waits up to CATCH_UP_S for its copy to get there, then
  answers `unavailable` ("retry"); for the sequencer such a size is invalid.
- A read is answered against this copy's latest checkpoint, but never one older than the newest
  this process has seen signed (`current`): an auditor's successive checkpoints never go back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from parley.errors import ServiceFailure
from proto.errors import ErrorCode
from services.audit.log import LogStore, StoredCheckpoint

#: How long a copy behind what a read needs (the sequencer signed it a moment ago, and the
#: auditor's next request reached this copy) waits to catch up before answering "unavailable,
#: retry" rather than refusing a valid request.
CATCH_UP_S = 2.0


@dataclass
class CopyFreshness:
    store: LogStore
    #: Whether this process is the sequencer (its log is the reference).
    leads: Callable[[], bool] = lambda: True
    #: The size of the newest checkpoint this process has seen signed (its own, or one a
    #: sequencer published in the lease, signature checked).
    newest_signed: Callable[[], int] = lambda: 0
    #: Adopt that checkpoint now if this copy of the log has reached it (a standby).
    adopt_newest: Callable[[], None] = lambda: None

    def latest(self) -> StoredCheckpoint:
        """This copy's newest checkpoint as it is (for what only this copy's data decides)."""
        latest = self.store.latest_checkpoint()
        if latest is None:
            raise ServiceFailure(ErrorCode.UNAVAILABLE, "no checkpoint has been signed yet")
        return latest

    async def current(self) -> StoredCheckpoint:
        """The checkpoint a read is answered against: this copy's latest, but never older than
        the newest this process has seen signed. After a failover a standby still catching up,
        or a new sequencer before its first signature, holds an older one: an auditor who was
        shown size 28 must not be shown 10 next (the log would seem to shrink, and a proof from
        28 to 10 does not exist). Such a copy waits up to CATCH_UP_S to get there (adopting the
        signed checkpoint as soon as its own tree has that size), then answers "unavailable,
        retry"."""
        known = self.newest_signed()
        if known == 0 and self.store.latest_checkpoint() is None:
            raise ServiceFailure(ErrorCode.UNAVAILABLE, "no checkpoint has been signed yet")
        if not await self._waited(lambda: self._latest_size() >= known, leader_waits=True,
                                  each_round=self.adopt_newest):
            raise self.behind(f"the checkpoint of size {known} the sequencer signed")
        return self.latest()

    async def caught_up(self, reached: Callable[[], bool]) -> bool:
        """Whether `reached()` holds, waiting up to CATCH_UP_S on a standby for its copy to
        get there (the leader does not wait: its log is the reference)."""
        return await self._waited(reached, leader_waits=False)

    async def _waited(self, reached: Callable[[], bool], *, leader_waits: bool,
                      each_round: Callable[[], None] = lambda: None) -> bool:
        """Whether `reached()` holds, polling up to CATCH_UP_S (on the sequencer only if
        `leader_waits`) and calling `each_round` between two looks."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CATCH_UP_S
        while not reached():
            if (self.leads() and not leader_waits) or loop.time() >= deadline:
                return False
            each_round()
            await asyncio.sleep(0.05)
        return True

    def _latest_size(self) -> int:
        latest = self.store.latest_checkpoint()
        return -1 if latest is None else latest.size

    def behind(self, what: str) -> ServiceFailure:
        return ServiceFailure(ErrorCode.UNAVAILABLE, f"this copy of the log has not reached {what}"
                              " yet (a standby catching up, or a sequencer after a failover): retry",
                              retry_after_s=1)

    async def size_arg(self, size: int | None) -> int:
        """A tree size a read asked for (None: the current checkpoint's), once this copy has it."""
        chosen = (await self.current()).size if size is None else size
        if not await self.caught_up(lambda: chosen <= self.store.size):
            if not self.leads():
                raise self.behind(f"size {chosen}")
            raise ServiceFailure(ErrorCode.INVALID, f"size {chosen} is beyond the log size {self.store.size}")
        return chosen
