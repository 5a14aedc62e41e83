"""The institution's document retention period (pure: no I/O, no clock).

`PARLEY_DOCUMENT_RETENTION_DAYS` says how long an ended hearing's kept documents stay: once
that long has passed since its end, signalling records that they are destroyed (the decision,
audited `hearing.retention_expired` with the system as actor), exactly as a close with
`destroy_documents` records it. The roster read model then says so, and evidence denies every
read of them at once and crypto-shreds the hearing key on its next sweep (services/evidence/
retention_shred.py), as it does after the end dialog's "destroy". The rule runs inside the core's
`sweep` and `next_due`, so the signalling sweeper fires it on time, on the record in KV with
compare-and-set: two signalling processes never decide it twice, and a restart loses nothing
(the due time is recomputed from `ended_at`).

The period is read from the current setting, not frozen at the end: an institution that changes
its policy changes it for every kept hearing. A hearing ended before `ended_at` was recorded has
no date to count from: it keeps its documents until they are destroyed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from proto.ws import HearingState

from .effects import Audit, Effect, Policy
from .model import Hearing

DAY_MS = 86_400_000


def kept_until(h: Hearing, policy: Policy) -> int | None:
    """When the ended hearing's kept documents are destroyed (Unix ms); None when no period is
    set, the hearing has not ended (or its end was not recorded), or they are gone already."""
    if (policy.document_retention_ms <= 0 or h.state is not HearingState.CLOSED
            or h.documents_destroyed or h.ended_at is None):
        return None
    return h.ended_at + policy.document_retention_ms


def due(hearings: Iterable[Hearing], now: int, policy: Policy) -> list[str]:
    """The planning question on its own: which of `hearings` must lose their documents at
    `now` (ids, in the order given)."""
    return [h.id for h in hearings
            if (until := kept_until(h, policy)) is not None and now >= until]


def expire(h: Hearing, now: int, policy: Policy) -> tuple[Hearing, list[Effect]]:
    """Record the destruction of a due hearing's documents (unchanged when not due)."""
    until = kept_until(h, policy)
    if until is None or now < until:
        return h, []
    assert h.ended_at is not None  # kept_until said so
    swept = msgspec.structs.replace(h, documents_destroyed=True, documents_destroyed_at=now)
    return swept, [Audit("hearing.retention_expired", "hearing", h.id, details={
        "ended_at": h.ended_at, "retention_days": days(policy)})]


def days(policy: Policy) -> float:
    """The period in days, as the setting said it (a whole number prints as one)."""
    value = policy.document_retention_ms / DAY_MS
    return int(value) if value.is_integer() else value
