"""Who is in a hearing, as evidence needs it: signalling's `Roster` read model → `HearingFacts`.

Signalling writes one `proto.signalling.Roster` per hearing into KV `parley_hearings` under
`roster.<hearing>`. Evidence only reads it, on every decision: a removed participant or an
observer sent back to the lobby loses access at once, whatever their session says. A roster
that is missing or unreadable denies, never admits.
"""

from __future__ import annotations

import msgspec
from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from proto.codec import JsonDecoder
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import HEARINGS_BUCKET, Roster, roster_key
from proto.ws import HearingState
from services.evidence.access import HearingFacts
from services.evidence.errors import StoreError

_ACTIVE = frozenset({"invited", "active"})
_decoder: JsonDecoder[Roster] = JsonDecoder(Roster)


def facts_from_roster(hearing: str, roster: Roster | None, principal: Principal) -> HearingFacts:
    """The facts `access.allowed` needs for this principal in this hearing (pure)."""
    if roster is None or roster.hearing != hearing:
        return HearingFacts(hearing=hearing, mediators=frozenset(), sides=frozenset(),
                            member=False)
    present = {pid: m for pid, m in roster.participants.items() if m.status in _ACTIVE}
    mediators = {roster.mediator} | {pid for pid, m in present.items() if m.role is Role.MEDIATOR}
    mine = present.get(principal.id)
    member = (principal.kind is PrincipalKind.PARTICIPANT and mine is not None
              and mine.role is principal.role and mine.side == principal.side)
    return HearingFacts(hearing=hearing, mediators=frozenset(mediators),
                        sides=frozenset(roster.sides),
                        observer_admitted=bool(member and mine is not None and mine.in_room),
                        member=member, closed=roster.state is HearingState.CLOSED,
                        destroyed=roster.documents_destroyed)


class RosterReader:
    """Reads `roster.<hearing>` from KV on every decision (one direct get; no stale cache)."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js
        self._kv: KeyValue | None = None

    async def _bucket(self) -> KeyValue:
        if self._kv is None:
            self._kv = await self._js.key_value(HEARINGS_BUCKET)
        return self._kv

    async def roster(self, hearing: str) -> Roster | None:
        try:
            entry = await (await self._bucket()).get(roster_key(hearing))
        except KeyNotFoundError:
            return None
        except Exception as exc:  # NATS down or no bucket: fail closed, and say so
            raise StoreError("the hearing roster is unavailable") from exc
        if entry.value is None:
            return None
        try:
            return _decoder.decode(entry.value)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None

    async def facts(self, hearing: str, principal: Principal) -> HearingFacts:
        return facts_from_roster(hearing, await self.roster(hearing), principal)
