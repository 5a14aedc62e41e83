"""One audit process's role: standby (follow the stream, keep a copy) until it holds the lease,
then sequencer (own `audit-log`, sign checkpoints) until the process ends.

Rules (DESIGN §7, §10):
- A standby runs the leader's own intake code on its own durable consumer into its own SQLite
  file, so its log is byte for byte the leader's (entries are a pure function of the stream, in
  stream order, deduplicated by event id). It signs nothing. It adopts the checkpoints the leader
  publishes in the lease only once its own tree has that size and the root it computes equals
  the signed root (and the signature verifies), so its reads serve the leader's checkpoints with
  proofs from an identical tree; a mismatch is logged as critical and never adopted.
- Takeover: when the lease lapses (the leader died), one standby creates it, stops following,
  and starts the leader's intake on `audit-log` from its own `intake_seq + 1`. It signs nothing
  until it has committed everything the stream held when it took over (the consumer reports no
  pending message), so its first checkpoint is at least as large as any the old leader can have
  signed and, the trees being the same function of the same stream, consistent with all of them.
- Leadership lost (renewal refused or impossible within half the lease): the process exits; the
  supervisor restarts it, as a standby.
- NATS unavailable for a while (a node restarting, a stream or the lease's bucket electing its
  leader: seconds) is not a reason to exit: the standby tries the lease again next round, and
  intake (re)creates its consumer patiently (`Intake.run`). Only a lost lease ends the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from nats.aio.client import Client
from nats.js.errors import NotFoundError

from parley.failures import handled
from parley.lograte import Occurrences
from parley.natsconn import NATS_UNAVAILABLE
from proto.audit import AUDIT_STREAM
from services.audit.checkpoint import open_checkpoint
from services.audit.errors import VerificationError
from services.audit.intake import DURABLE, Intake
from services.audit.keys import NoteVerifier
from services.audit.leadership import Lease, LeaseLost
from services.audit.log import LogStore, StoredCheckpoint
from services.audit.signing_loop import CheckpointLoop

log = logging.getLogger("parley.audit.role")
#: How long a starting process waits for the lease's checkpoint before serving reads anyway.
LEARN_TIMEOUT_S = 2.0
#: "The lease is unreachable for now" is logged at most this often (with the count since).
UNREACHABLE_LOG_S = 10.0


def adoptable(store: LogStore, note: str, verifier: NoteVerifier, now_ms: int) -> StoredCheckpoint | None:
    """The leader's checkpoint as this store may keep it, or None (not yet, already, or never)."""
    if not note:
        return None
    try:
        checkpoint = open_checkpoint(note, verifier)
    except (VerificationError, ValueError) as exc:
        log.critical("leader's checkpoint does not verify: not adopted", extra={"error": str(exc)})
        return None
    if checkpoint.size > store.size or store.checkpoint_at(checkpoint.size) is not None:
        return None
    latest = store.latest_checkpoint()
    if latest is not None and latest.size > checkpoint.size:
        return None
    if store.root(checkpoint.size) != checkpoint.root:
        log.critical("standby's log differs from the leader's signed tree: not adopted",
                     extra={"size": checkpoint.size})
        return None
    return StoredCheckpoint(checkpoint.size, checkpoint.root, note, now_ms)


class Role:
    def __init__(self, nc: Client, store: LogStore, lease: Lease, checkpoints: CheckpointLoop,
                 verifier: NoteVerifier, *, instance: str, batch: int,
                 exit_process: Callable[[], None]) -> None:
        self._nc = nc
        self._store = store
        self._lease = lease
        self._checkpoints = checkpoints
        self._verifier = verifier
        self._instance = instance
        self._batch = batch
        self._exit = exit_process
        self.leader = False
        self.intake: Intake | None = None
        self.took_over_at: float | None = None
        self._newest_note = ""  # the newest checkpoint seen signed (verified), any sequencer's
        self._newest_size = 0
        self._following: tuple[asyncio.Task[None], asyncio.Event] | None = None

    def saw(self, note: str) -> None:
        """A checkpoint some sequencer signed (from the lease, or this process's own): kept if
        its signature verifies and it is the newest seen. Memory only: a restarted process
        learns the newest again from the lease (while a sequencer holds it)."""
        if not note:
            return
        try:
            checkpoint = open_checkpoint(note, self._verifier)
        except (VerificationError, ValueError):
            return  # `adoptable` logs it as critical
        if checkpoint.size > self._newest_size:
            self._newest_size, self._newest_note = checkpoint.size, note

    async def learn_newest(self) -> None:
        """Before reads are served: the checkpoint the lease carries, if a sequencer holds it
        (a restarted copy must not answer with its older one in the meantime)."""
        with handled(log, "audit.learn_newest"):  # NATS away at start: the standby loop learns it
            current = await asyncio.wait_for(self._lease.current(), LEARN_TIMEOUT_S)
            if current is not None:
                self.saw(current.checkpoint)

    def newest_signed(self) -> int:
        """The size of the newest checkpoint this process knows was signed."""
        latest = self._store.latest_checkpoint()
        return max(self._newest_size, 0 if latest is None else latest.size)

    def adopt_newest(self) -> None:
        """As a standby: keep the newest signed checkpoint once this copy has reached it."""
        if self.leader:
            return
        adopted = adoptable(self._store, self._newest_note, self._verifier,
                            int(time.time() * 1000))
        if adopted is not None:
            self._store.store_checkpoint(adopted)

    @property
    def follow_durable(self) -> str:
        return f"audit-follow-{self._instance}"

    async def run(self, stop: asyncio.Event) -> None:
        await self._standby(stop)
        if stop.is_set():
            return
        await self._lead(stop)

    async def _standby(self, stop: asyncio.Event) -> None:
        """Follow the stream until this process takes the lease (the follower is then still
        running: `_lead` renews the lease first, then stops it) or `stop` is set."""
        follower = Intake(self._nc, self._store, batch=self._batch, durable=self.follow_durable)
        self.intake = follower
        acquired = False
        unreachable = Occurrences(UNREACHABLE_LOG_S)  # an election retries every round
        try:
            while not stop.is_set():
                try:
                    if await self._lease.try_acquire():
                        acquired = True
                        return
                    self._keep_following(follower)
                    current = await self._lease.current()
                except NATS_UNAVAILABLE as exc:
                    # A NATS node restarting, the lease's bucket electing its leader: the next
                    # round tries again (exiting for it made a node's loss cost a restart).
                    if (count := unreachable.due()) is not None:
                        log.warning("standby: the lease is unreachable for now",
                                    extra={"error": type(exc).__name__, "times": count})
                    current = None
                if current is not None:
                    self.saw(current.checkpoint)
                    self.adopt_newest()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._lease.renew_every_s)
        finally:
            if not acquired:
                await self._stop_following()

    def _keep_following(self, follower: Intake) -> None:
        if self._following is not None and self._following[0].done():
            # Its intake gave up (JetStream unavailable past its patience): again.
            with handled(log, "audit.standby.follow"):
                self._following[0].result()
            self._following = None
        if self._following is None:
            log.info("standby: following the stream", extra={"durable": self.follow_durable})
            follow_stop = asyncio.Event()
            self._following = (asyncio.create_task(follower.run(follow_stop)), follow_stop)

    async def _stop_following(self) -> None:
        """Stop the follower (before anything else writes this store) and drop its consumer."""
        if self._following is None:
            return
        following, follow_stop = self._following
        self._following = None
        follow_stop.set()
        with handled(log, "audit.standby.stop_following"):
            await asyncio.wait_for(following, 5.0)
        # Its consumer is no longer needed (a later standby run makes it afresh).
        with handled(log, "audit.standby.drop_consumer"), contextlib.suppress(NotFoundError):
            await self._nc.jetstream().delete_consumer(AUDIT_STREAM, self.follow_durable)

    async def _lead(self, stop: asyncio.Event) -> None:
        self.leader = True
        self.took_over_at = time.monotonic()
        log.warning("sequencer: this process now holds the lease", extra={"holder": self._lease.holder})
        # Renew from the first moment: stopping the follower and dropping its consumer can take
        # seconds while JetStream elects a leader, longer than the lease lives unrenewed.
        tasks = [asyncio.create_task(self._renew(stop))]
        try:
            await self._stop_following()
            intake = Intake(self._nc, self._store, batch=self._batch)
            self.intake = intake
            tasks.append(asyncio.create_task(intake.run(stop)))
            caught_up = asyncio.create_task(self._caught_up(stop))
            tasks.append(caught_up)
            # Unless intake or the lease fails first (then the wait below raises it).
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if caught_up.done() and not stop.is_set():
                log.info("sequencer: caught up with the stream; signing",
                         extra={"size": self._store.size})
                tasks.append(asyncio.create_task(self._checkpoints.run(stop)))
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _caught_up(self, stop: asyncio.Event) -> None:
        js = self._nc.jetstream()
        while not stop.is_set():
            with handled(log, "audit.sequencer.catch_up", level=logging.DEBUG):
                info = await js.consumer_info(AUDIT_STREAM, DURABLE)
                if info.num_pending == 0 and info.num_ack_pending == 0:
                    return
            await asyncio.sleep(0.05)

    async def _renew(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            latest = self._store.latest_checkpoint()
            if latest is not None:
                self.saw(latest.note)
            # The newest signed, not this copy's latest: a new sequencer still catching up
            # must not tell the standbys (through the lease) of an older checkpoint.
            self._lease.checkpoint = self._newest_note
            try:
                await self._lease.renew()
            except LeaseLost:
                log.critical("sequencer lease lost: stopping so that only one process signs")
                self._exit()
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._lease.renew_every_s)
