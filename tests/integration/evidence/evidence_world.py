"""A running suite with one hearing and every kind of principal, for the evidence e2e tests.

The suite is the real `parley up` (gateway, evidence, signalling, audit on a real nats-server),
with evidence on the local folder or on S3 against a real `moto_server` process. Staff sign in
through the real API (tests/people.py). The hearing's roster is written into KV
`parley_hearings` by this fixture (as the issue allows until hearings are created through the
API), in signalling's own `Roster` struct. Participant sessions are `SessionRecord`s made with
the gateway's own `new_session` and stored in `parley_sessions`, as redeeming an invitation does.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import msgspec

from gateway.identity.sessions import CSRF_HEADER, SESSION_COOKIE, SessionPolicy, csrf_token, new_session
from gateway.session_store import SessionStore, kv_key_for_secret
from proto.common import Role
from proto.principal import PrincipalKind
from proto.signalling import HEARINGS_BUCKET, Roster, RosterMember, roster_key
from proto.ws import HearingState
from tests.harness import Suite
from tests.people import People, Staff, create_staff, staff_people

SIDE_A, SIDE_B = "sideA", "sideB"


@dataclass
class Caller:
    """Anyone who can send a request: staff, a participant, or nobody (anonymous)."""

    name: str
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    principal_id: str = ""

    def session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(base_url=self.base_url, headers=self.headers)

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
        async with self.session() as http, http.request(method, path, **kwargs) as response:
            return response.status, await response.read()


def staff_caller(name: str, staff: Staff) -> Caller:
    return Caller(name, staff.base_url, staff.headers(), staff.account_id)


@dataclass
class World:
    suite: Suite
    backend: str
    people: People
    hearing: str
    callers: dict[str, Caller]
    store_dir: Path | None = None
    s3_bucket: str | None = None
    s3_endpoint: str | None = None

    def __getitem__(self, name: str) -> Caller:
        return self.callers[name]

    def docs(self, hearing: str | None = None) -> str:
        return f"/api/v1/hearings/{hearing or self.hearing}/documents"

    async def upload(self, who: str, name: str, data: bytes, compartment: str = "joint",
                     **headers: str) -> tuple[int, dict[str, Any]]:
        status, body = await self[who].call(
            "POST", self.docs(), data=data,
            headers={"Parley-Filename": name, "Parley-Compartment": compartment,
                     "Content-Type": "text/plain", **headers})
        return status, msgspec.json.decode(body) if body else {}

    async def visible_names(self, who: str = "mediator") -> list[str]:
        status, body = await self[who].call("GET", self.docs())
        assert status == 200, body
        return [d["filename"] for d in msgspec.json.decode(body)["documents"]]


async def write_roster(suite: Suite, roster: Roster) -> None:
    nc = await suite.connect("signalling")
    try:
        kv = await nc.jetstream().key_value(HEARINGS_BUCKET)
        await kv.put(roster_key(roster.hearing), msgspec.json.encode(roster))
    finally:
        await nc.drain()


async def participant_callers(suite: Suite, specs: list[tuple[str, str, Role, str | None, str]]
                              ) -> dict[str, Caller]:
    """(name, participant id, role, side, hearing) → a signed-in participant caller each."""
    nc = await suite.connect("gateway")
    out = {}
    try:
        store = await SessionStore.open(nc.jetstream())
        for name, pid, role, side, hearing in specs:
            secret, record = new_session(kind=PrincipalKind.PARTICIPANT, subject=pid, role=role,
                                         now_ms=int(time.time() * 1000), policy=SessionPolicy(),
                                         hearing=hearing, side=side)
            await store.create(kv_key_for_secret(secret), record)
            out[name] = Caller(name, suite.base_url,
                               {"Cookie": f"{SESSION_COOKIE}={secret}",
                                CSRF_HEADER: csrf_token(secret)}, pid)
    finally:
        await nc.drain()
    return out


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(6)}"


async def build_world(suite: Suite, backend: str, **where: Any) -> World:
    await suite.ready(timeout=60)
    people = await staff_people(suite)
    other_mediator = await create_staff(suite, people.admin, "mediator", "mediator2")
    hearing, other_hearing = new_id("h"), new_id("h")
    ids = {n: new_id("p") for n in ("partyA", "counselA", "partyB", "observer_in",
                                    "observer_lobby", "stranger")}
    roster = Roster(
        hearing=hearing, state=HearingState.OPEN, mediator=people.mediator.account_id,
        revision=1, sides=[SIDE_A, SIDE_B],
        participants={
            people.mediator.account_id: RosterMember(role=Role.MEDIATOR, status="active",
                                                     in_room=True),
            ids["partyA"]: RosterMember(role=Role.PARTY, status="active", side=SIDE_A,
                                        in_room=True),
            ids["counselA"]: RosterMember(role=Role.COUNSEL, status="active", side=SIDE_A),
            ids["partyB"]: RosterMember(role=Role.PARTY, status="active", side=SIDE_B),
            ids["observer_in"]: RosterMember(role=Role.OBSERVER, status="active", in_room=True),
            ids["observer_lobby"]: RosterMember(role=Role.OBSERVER, status="active"),
        })
    await write_roster(suite, roster)
    await write_roster(suite, Roster(
        hearing=other_hearing, state=HearingState.OPEN, mediator=other_mediator.account_id,
        revision=1, sides=[SIDE_A],
        participants={ids["stranger"]: RosterMember(role=Role.PARTY, status="active",
                                                    side=SIDE_A)}))
    callers = await participant_callers(suite, [
        ("partyA", ids["partyA"], Role.PARTY, SIDE_A, hearing),
        ("counselA", ids["counselA"], Role.COUNSEL, SIDE_A, hearing),
        ("partyB", ids["partyB"], Role.PARTY, SIDE_B, hearing),
        ("observer_in", ids["observer_in"], Role.OBSERVER, None, hearing),
        ("observer_lobby", ids["observer_lobby"], Role.OBSERVER, None, hearing),
        ("stranger", ids["stranger"], Role.PARTY, SIDE_A, other_hearing),
    ])
    callers.update({
        "anonymous": Caller("anonymous", suite.base_url),
        "admin": staff_caller("admin", people.admin),
        "auditor": staff_caller("auditor", people.auditor),
        "mediator": staff_caller("mediator", people.mediator),
        "other_mediator": staff_caller("other_mediator", other_mediator),
        "admin_bearer": Caller("admin_bearer", suite.base_url, people.admin.headers(bearer=True)),
    })
    return World(suite=suite, backend=backend, people=people, hearing=hearing, callers=callers,
                 **where)


async def world_of(running: tuple[Suite, dict[str, str]]) -> World:
    """The world of this suite, built once (memoised on the suite like tests/people.py)."""
    suite, where = running
    world: World | None = getattr(suite, "_evidence_world", None)
    if world is None:
        extra: dict[str, Any] = {k: v for k, v in where.items() if k != "backend"}
        if "store_dir" in extra:
            extra["store_dir"] = Path(extra["store_dir"])
        world = await build_world(suite, where["backend"], **extra)
        suite._evidence_world = world  # type: ignore[attr-defined]
    return world
