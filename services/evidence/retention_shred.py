"""Crypto-shred the hearings whose roster says their documents are destroyed.

Signalling decides that a hearing's documents are destroyed: a close with `destroy_documents`,
or the institution's retention period passing since the end (services/signalling/retention.py).
It says so in the roster read model (`Roster.documents_destroyed`), and from then on evidence
reads none of them (access.py). After a close the gateway asks for the shredding at once; after
a retention period nobody asks, so every sweep pass (sweeper.py) finishes it here: the hearings
that still hold a live key, whose roster says destroyed, are shredded with the same
`Vault.shred_hearing` as the end dialog's (the hearing key goes, then every object), audited as
`document.shred` with the system as actor. A shredding the gateway began and did not finish is
finished here too.

Safe across restarts and with two evidence processes: shredding is idempotent (a tombstone
record, then deletes), audited only while the key is live, and a hearing this process shredded
is remembered (later passes cost no roster or store read for it). Two processes racing on one hearing may both
record the event; the audit log then holds it twice, never a document read after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from parley.auditpub import AuditPublisher
from proto.audit import Outcome
from proto.principal import Principal, PrincipalKind
from proto.signalling import Roster
from services.evidence.hearing_keys import PREFIX
from services.evidence.roster import RosterReader
from services.evidence.vault import Vault

SWEEPER = Principal(kind=PrincipalKind.SYSTEM, id="evidence")


def to_shred(rosters: Mapping[str, Roster | None], done: Iterable[str] = ()) -> list[str]:
    """The hearings (of those holding a key record) whose documents are to be shredded now:
    their roster says destroyed, and this process has not seen them shredded (pure)."""
    seen = set(done)
    return sorted(h for h, roster in rosters.items()
                  if roster is not None and roster.hearing == h and roster.documents_destroyed
                  and h not in seen)


class RetentionShredder:
    def __init__(self, vault: Vault, rosters: RosterReader, audit: AuditPublisher) -> None:
        self._vault = vault
        self._rosters = rosters
        self._audit = audit
        self._done: set[str] = set()

    async def pass_once(self) -> int:
        """Shred every hearing due; returns how many were shredded in this pass."""
        hearings = {info.key.removeprefix(PREFIX)
                    for info in await self._vault.key_store.list(PREFIX)}
        self._done &= hearings
        rosters = {h: await self._rosters.roster(h) for h in sorted(hearings - self._done)}
        shredded = 0
        for hearing in to_shred(rosters, self._done):
            # As `Evidence.shred`: audited once, then shredded (again: a crash half-way left
            # objects behind a tombstone, unreadable but not yet deleted).
            if not await self._vault.hearing_shredded(hearing):
                await self._audit.record(actor=SWEEPER, action="document.shred",
                                         resource_type="hearing", resource_id=hearing,
                                         outcome=Outcome.ALLOWED, hearing=hearing,
                                         details={"swept": True})
                shredded += 1
            await self._vault.shred_hearing(hearing)
            self._done.add(hearing)
        return shredded
