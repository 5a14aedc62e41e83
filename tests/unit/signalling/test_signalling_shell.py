"""The pure parts of the I/O shell: roster read model, dead-gateway sockets, the socket bucket."""

from __future__ import annotations

import msgspec

from gateway.identity.ratelimit import BucketConfig, TokenBucket
from proto.signalling import CreateHearing, OpenHearing, Roster, SessionConnected
from services.signalling.core import apply, create
from services.signalling.model import Hearing
from services.signalling.roster import derive
from services.signalling.sweeper import dead_conns, instance_of, principal_for
from tests.unit.signalling.sighelp import MEDIATOR, det_env


def _hearing_with_mediator_online() -> tuple[Hearing, str]:
    env = det_env()
    h, _ = create(MEDIATOR, CreateHearing(title="T"), 1000, env)
    h, _ = apply(h, MEDIATOR, OpenHearing(), 1001, env)
    h, _ = apply(h, MEDIATOR, SessionConnected(conn="abcdef01-1"), 1002, env)
    return h, h.id


def test_roster_names_mediator_and_rooms() -> None:
    h, _ = _hearing_with_mediator_online()
    roster = derive(h, 7)
    assert roster.mediator == "med" and roster.revision == 7
    assert roster.participants["med"].in_room and roster.participants["med"].status == "active"
    assert msgspec.json.decode(msgspec.json.encode(roster), type=Roster) == roster


def test_dead_conns_follow_gateway_heartbeats() -> None:
    h, _ = _hearing_with_mediator_online()
    assert instance_of("abcdef01-1") == "abcdef01"
    assert dead_conns(h, {"abcdef01": 10_000}, 12_000, 5_000) == []
    dead = dead_conns(h, {"abcdef01": 10_000}, 16_000, 5_000)
    assert [(p.id, c) for p, c in dead] == [("med", "abcdef01-1")]
    assert dead_conns(h, {}, 5_001, 5_000)  # never heard of, on a feed heard since 0: dead
    # ...but not on a feed that is down, nor within a timeout of it coming back.
    assert dead_conns(h, {"abcdef01": 10_000}, 16_000, 5_000, heard_since_ms=None) == []
    assert dead_conns(h, {"abcdef01": 10_000}, 16_000, 5_000, heard_since_ms=14_000) == []
    principal = principal_for(h, dead[0][0])
    assert principal.id == "med" and principal.role == "mediator"


def test_socket_bucket_refuses_then_refills() -> None:
    now = [0.0]
    bucket = TokenBucket(BucketConfig(rate_per_s=10, burst=3), clock=lambda: now[0])
    assert [bucket.take() == 0 for _ in range(4)] == [True, True, True, False]
    now[0] = 0.1
    assert bucket.take() == 0 and bucket.take() > 0
