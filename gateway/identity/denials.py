"""Refusals audited without letting a flood flood the log.

Every refusal the gateway answers — 401/403 from the access rules, 429 from the rate limits,
failed invitation redemptions — is an audit event naming who asked (the principal, or for
anonymous callers the client address as a keyed pseudonym, pseudonym.py), what they asked for
(the route and the concrete path) and why. A source that keeps being refused costs the log at
most two entries per period, kind of refusal and resource: the first refusal in full, at once, and when
the period ends one summary (`details.summary = true`) with how many followed (`count`).

Auditing a refusal is best effort: the caller is refused whether or not the entry is stored
(failing closed here would let an attacker turn an audit outage into a denial of service).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from gateway.identity.pseudonym import AddressPseudonyms
from parley.auditpub import AuditPublisher, actor_of
from parley.errors import AuditPublishError
from parley.tally import PeriodTally, Window
from proto.audit import Actor, DetailValue, Outcome
from proto.principal import Principal

log = logging.getLogger("parley.gateway")
DEFAULT_PERIOD_MS: Final = 60_000


@dataclass(frozen=True, slots=True)
class Refusal:
    """One refusal, as audited (the first of its kind in a period, or the summary)."""

    actor: Actor
    action: str
    resource_type: str
    resource_id: str
    hearing: str | None
    details: Mapping[str, DetailValue]


@dataclass
class DenialAudit:
    audit: AuditPublisher
    pseudonyms: AddressPseudonyms
    period_ms: int = DEFAULT_PERIOD_MS
    clock: Callable[[], float] = time.time
    _tally: PeriodTally[tuple[str, str, str, str]] = field(init=False)
    _first: dict[tuple[str, str, str, str], Refusal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._tally = PeriodTally(self.period_ms)

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    async def refused(self, *, principal: Principal | None, address: str, action: str,
                      resource_type: str, resource_id: str, reason: str, kind: str,
                      hearing: str | None = None,
                      details: Mapping[str, DetailValue] | None = None) -> None:
        """Audit one refusal (or count it, if its source was refused the same way this period).

        `kind` groups refusals for counting (e.g. "rate_limited", "forbidden", "redeem").
        """
        pseudonym = self.pseudonyms.of(address)
        source = principal.id if principal is not None else pseudonym
        key = (source, action, kind, resource_id)
        first, closed = self._tally.note(key, self._now_ms())
        await self._summaries(closed)
        if not first:
            return
        refusal = Refusal(actor=actor_of(principal), action=action, resource_type=resource_type,
                          resource_id=resource_id[:200], hearing=hearing,
                          details={**(details or {}), "reason": reason[:300], "address": pseudonym,
                                   "kind": kind})
        self._first[key] = refusal
        await self._record(refusal, refusal.details)

    async def _record(self, refusal: Refusal, details: Mapping[str, DetailValue]) -> None:
        try:
            await self.audit.record(actor=refusal.actor, action=refusal.action,
                                    resource_type=refusal.resource_type,
                                    resource_id=refusal.resource_id, outcome=Outcome.DENIED,
                                    hearing=refusal.hearing, details=details)
        except AuditPublishError:
            log.error("refusal not audited", extra={"action": refusal.action})

    async def _summaries(self, windows: list[Window[tuple[str, str, str, str]]]) -> None:
        for window in windows:
            refusal = self._first.pop(window.key, None)
            if refusal is None or window.count < 2:
                continue
            await self._record(refusal, {**refusal.details, "summary": True,
                                         "count": window.count, "from_ms": window.started_ms,
                                         "to_ms": self._now_ms()})

    async def flush_due(self) -> None:
        await self._summaries(self._tally.due(self._now_ms()))

    async def run(self, stop: asyncio.Event) -> None:
        """Write the summaries of ended periods until `stop`, then of every open one."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.period_ms / 4000)
            await self.flush_due()
        await self._summaries(self._tally.drain())
