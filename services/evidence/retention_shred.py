"""Crypto-shred the hearings whose roster says their documents are destroyed.

Signalling decides that a hearing's documents are destroyed: a close with `destroy_documents`,
or the institution's retention period passing since the end (services/signalling/retention.py).
It says so in the roster read model (`Roster.documents_destroyed`), and from then on evidence
reads none of them (access.py). After a close the gateway asks for the shredding at once; after
a retention period nobody asks, so evidence does it itself, with the same
`Vault.shred_hearing` as the end dialog's (the hearing key goes, then every object), audited as
`document.shred` with the system as actor:

- as soon as it learns: signalling announces every roster change on
  `parley.v1.hearing.<H>.changed` (after writing the roster); `learned(H)` reads that roster
  and, if it says destroyed, shreds the hearing after `grace_s`. The grace is for a close with
  "destroy": the gateway's own request shreds it a moment after the same announcement, audited
  under the mediator who asked, and the system then finds the key gone and records nothing;
- at every sweep pass (sweeper.py, the backstop: an announcement missed while NATS or this
  process was down, a shredding the gateway began and did not finish): the hearings that still
  hold a live key, whose roster says destroyed.

Idempotent, and recorded once in the audit log whoever does it: shredding is a tombstone record
then deletes; the system's event is recorded only while the key is live, and always under the
same event id for the same hearing (`shred_event_id`). So two evidence processes racing on one
hearing (both see the key live, both record) publish one event twice: JetStream drops the second
within its duplicate window (`Nats-Msg-Id`), and the audit log keeps one entry per event id
whenever it comes, so the auditor's view counts one `document.shred`. A hearing this process
shredded is remembered (later passes and announcements cost no roster or store read for it).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable, Mapping

import msgspec

from parley.auditpub import AuditPublisher
from parley.failures import note_failure
from proto.audit import Outcome
from proto.principal import Principal, PrincipalKind
from proto.signalling import Roster
from services.evidence.hearing_keys import PREFIX
from services.evidence.roster import RosterReader
from services.evidence.vault import Vault

SWEEPER = Principal(kind=PrincipalKind.SYSTEM, id="evidence")
#: How long after learning of a destruction evidence leaves it to the gateway's own request.
GRACE_S = 5.0
log = logging.getLogger("parley.evidence.shred")


def to_shred(rosters: Mapping[str, Roster | None], done: Iterable[str] = ()) -> list[str]:
    """The hearings (of those holding a key record) whose documents are to be shredded now:
    their roster says destroyed, and this process has not seen them shredded (pure)."""
    seen = set(done)
    return sorted(h for h, roster in rosters.items()
                  if roster is not None and roster.hearing == h and roster.documents_destroyed
                  and h not in seen)


def shred_event_id(hearing: str) -> str:
    """The id of the system's `document.shred` event of `hearing`: the same in every process
    and every attempt, so the audit log holds it once (pure)."""
    return "shred-" + hashlib.sha256(b"document.shred\x00" + hearing.encode()).hexdigest()[:48]


class RetentionShredder:
    def __init__(self, vault: Vault, rosters: RosterReader, audit: AuditPublisher, *,
                 grace_s: float = GRACE_S) -> None:
        self._vault = vault
        self._rosters = rosters
        self._audit = audit
        self._grace_s = grace_s
        self._done: set[str] = set()
        #: Hearings with an announcement being followed here (one at a time per hearing).
        self._following: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def pass_once(self) -> int:
        """Shred every hearing due; returns how many were shredded in this pass."""
        hearings = {info.key.removeprefix(PREFIX)
                    for info in await self._vault.key_store.list(PREFIX)}
        self._done &= hearings
        rosters = {h: await self._rosters.roster(h) for h in sorted(hearings - self._done)}
        shredded = 0
        for hearing in to_shred(rosters, self._done):
            shredded += await self._shred(hearing)
        return shredded

    def learned(self, hearing: str) -> None:
        """Signalling announced a change of `hearing`: follow it up (never blocks)."""
        if hearing in self._done or hearing in self._following:
            return
        self._following.add(hearing)
        task = asyncio.get_running_loop().create_task(self._follow(hearing),
                                                      name=f"evidence-shred-{hearing}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _follow(self, hearing: str) -> None:
        try:
            roster = await self._rosters.roster(hearing)
            if not to_shred({hearing: roster}, self._done):
                return
            await asyncio.sleep(self._grace_s)
            if await self._vault.hearing_keys.record(hearing) is not None:
                await self._shred(hearing)
        except Exception as exc:  # store, roster or audit down: counted; the sweep finishes it
            note_failure(log, "evidence.shred.announced", exc, hearing=hearing)
        finally:
            self._following.discard(hearing)

    async def _shred(self, hearing: str) -> bool:
        """Shred one hearing; True when this call recorded its `document.shred`."""
        recorded = False
        # As `Evidence.shred`: audited once, then shredded (again: a crash half-way left
        # objects behind a tombstone, unreadable but not yet deleted).
        if not await self._vault.hearing_shredded(hearing):
            event = msgspec.structs.replace(self._audit.build(
                actor=SWEEPER, action="document.shred", resource_type="hearing",
                resource_id=hearing, outcome=Outcome.ALLOWED, hearing=hearing,
                details={"swept": True}), id=shred_event_id(hearing))
            await self._audit.publish(event)
            recorded = True
        await self._vault.shred_hearing(hearing)
        self._done.add(hearing)
        return recorded

    async def stop(self) -> None:
        """Cancel the announcements still being followed (the sweep finishes them next run)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
