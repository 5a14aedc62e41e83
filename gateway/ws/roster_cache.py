"""The gateway's watched copy of the hearings' roster read model (`roster.<hearing>` keys).

It answers "which hearings does this staff mediator mediate" for the access rules
(`mediator_of_hearing`) without a NATS round trip. Signalling writes a roster before it answers
the request that changed it; the gateway that made the request reads it through at once
(`refresh`), other gateway processes get it from the watch within milliseconds.
"""

from __future__ import annotations

from nats.js.kv import KeyValue

from gateway.identity.kv_mirror import KvMirror
from parley import kv
from proto.codec import JsonDecoder
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import ROSTER_PREFIX, Roster, roster_key

_decoder: JsonDecoder[Roster] = JsonDecoder(Roster)


class RosterCache:
    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv
        self.mirror: KvMirror[Roster] = KvMirror(kv, ROSTER_PREFIX, self._decode)
        #: hearing → roster with the highest revision seen (rosters are never deleted).
        self._latest: dict[str, Roster] = {}
        #: mediator → the hearings they mediate: every request of a mediator asks, so it is kept
        #: as rosters change rather than found by a walk over every hearing.
        self._mediated: dict[str, set[str]] = {}

    def _decode(self, key: str, raw: bytes) -> Roster:
        roster = _decoder.decode(raw)
        self._keep(roster)
        return roster

    def _keep(self, roster: Roster) -> None:
        known = self._latest.get(roster.hearing)
        if known is None or known.revision < roster.revision:
            self._latest[roster.hearing] = roster
            if known is not None and known.mediator != roster.mediator:
                self._mediated.get(known.mediator, set()).discard(roster.hearing)
            self._mediated.setdefault(roster.mediator, set()).add(roster.hearing)

    async def start(self) -> None:
        await self.mirror.start()

    async def stop(self) -> None:
        await self.mirror.stop()

    def get(self, hearing: str) -> Roster | None:
        return self._latest.get(hearing)

    async def refresh(self, hearing: str) -> Roster | None:
        """Read one roster through to KV (a hearing created a moment ago)."""
        key = roster_key(hearing)
        found = await kv.read(self.kv, key)
        if found is None:
            return None
        roster = self._decode(key, found[0])
        self.mirror.remember(key, roster, found[1])
        return self._latest[hearing]

    async def mediated_hearings(self, principal: Principal) -> frozenset[str]:
        """Hearings whose mediator is this staff account (identity's `MediatedLookup`)."""
        if principal.kind is not PrincipalKind.ACCOUNT or principal.role is not Role.MEDIATOR:
            return frozenset()
        return frozenset(self._mediated.get(principal.id, ()))
