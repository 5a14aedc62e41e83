"""The gateway's roster copy answers "which hearings does this mediator mediate" from an index
kept as rosters arrive (every request of a mediator asks; a walk over every hearing would make
each request cost O(hearings))."""

from __future__ import annotations

from typing import Any

import msgspec

from gateway.ws.roster_cache import RosterCache
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import Roster, roster_key
from proto.ws import HearingState


def _roster(hearing: str, mediator: str, revision: int) -> bytes:
    return msgspec.json.encode(Roster(hearing=hearing, state=HearingState.OPEN, mediator=mediator,
                                      revision=revision))


def _mediator(account: str) -> Principal:
    return Principal(kind=PrincipalKind.ACCOUNT, id=account, role=Role.MEDIATOR)


async def test_mediated_hearings_follow_roster_changes() -> None:
    kv: Any = None  # decoding never touches the bucket
    cache = RosterCache(kv)
    for i in range(1000):
        cache._decode(roster_key(f"h{i}"), _roster(f"h{i}", "m1" if i % 2 else "m2", 1))
    assert len(await cache.mediated_hearings(_mediator("m1"))) == 500
    cache._decode(roster_key("h1"), _roster("h1", "m3", 2))  # handed to another mediator
    cache._decode(roster_key("h3"), _roster("h3", "m3", 0))  # older than known: ignored
    assert "h1" not in await cache.mediated_hearings(_mediator("m1"))
    assert await cache.mediated_hearings(_mediator("m3")) == frozenset({"h1"})
    assert "h3" in await cache.mediated_hearings(_mediator("m1"))
    admin = Principal(kind=PrincipalKind.ACCOUNT, id="m1", role=Role.ADMIN)
    assert await cache.mediated_hearings(admin) == frozenset()
