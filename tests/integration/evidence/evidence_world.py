"""A running suite with one hearing and every kind of principal, for the evidence e2e tests.

The suite is the real `parley up` (gateway, evidence, signalling, audit on a real nats-server),
with evidence on the local folder or on S3 against a real `moto_server` process. Everything is
made through the real API, as a deployment would: staff sign in (tests/people.py); the mediator
creates and opens hearing H and adds two sides; invitations are issued and redeemed with their
access codes (real participant sessions); over real WebSockets the mediator admits one observer
to the plenary and leaves the other in the lobby. Another mediator's hearing G has one party
("stranger"). Nothing is written into `parley_sessions` or `parley_hearings` by the test.

Side ids are made by signalling, so the tests write compartments with the placeholders
`sideA`/`sideB` (their hand-written expectations) and `World.real` maps them to the real ids.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import msgspec

from proto.signalling import HEARINGS_BUCKET, Roster, roster_key
from proto.ws import Admit
from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import WsClient
from tests.people import CSRF_HEADER, SESSION_COOKIE, People, Staff, create_staff, staff_people

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
    sides: dict[str, str] = field(default_factory=dict)  # placeholder → real side id
    store_dir: Path | None = None
    s3_bucket: str | None = None
    s3_endpoint: str | None = None

    def real(self, compartment: str) -> str:
        """`side:sideA` → `side:<the real id of side A>` (and so on for `confidential:`)."""
        kind, _, side = compartment.partition(":")
        return f"{kind}:{self.sides[side]}" if side else compartment

    def __getitem__(self, name: str) -> Caller:
        return self.callers[name]

    def docs(self, hearing: str | None = None) -> str:
        return f"/api/v1/hearings/{hearing or self.hearing}/documents"

    async def upload(self, who: str, name: str, data: bytes, compartment: str = "joint",
                     **headers: str) -> tuple[int, dict[str, Any]]:
        status, body = await self[who].call(
            # A file object: aiohttp streams it (raw bytes this large would warn, and block).
            "POST", self.docs(), data=io.BytesIO(data),
            headers={"Parley-Filename": name, "Parley-Compartment": self.real(compartment),
                     "Content-Type": "text/plain", **headers})
        return status, msgspec.json.decode(body) if body else {}

    async def audit_events(self, action: str, resource_type: str, resource_id: str,
                           order: str = "asc") -> list[dict[str, Any]]:
        """The hearing's audit entries of one action about one resource, as the auditor reads
        them (decoded; oldest first, or newest with `order` "desc")."""
        status, page = await self.people.auditor.call(
            "GET", f"/api/v1/audit/events?hearing={self.hearing}&action={action}"
                   f"&resource_type={resource_type}&resource_id={resource_id}&limit=1000"
                   f"&order={order}", bearer=True)
        assert status == 200, page
        return [msgspec.json.decode(row["entry"]) for row in page["events"]]

    async def visible_names(self, who: str = "mediator") -> list[str]:
        status, body = await self[who].call("GET", self.docs())
        assert status == 200, body
        return [d["filename"] for d in msgspec.json.decode(body)["documents"]]


async def _ok(staff: Staff, method: str, path: str, body: Any, want: int) -> Any:
    status, reply = await staff.call(method, path, body)
    assert status == want, (method, path, status, reply)
    return reply


async def _redeem(suite: Suite, name: str, issued: dict[str, Any]) -> Caller:
    """Redeem an invitation with its access code: a real participant session."""
    async with aiohttp.ClientSession(base_url=suite.base_url) as http, http.post(
            "/api/v1/invitations/redeem",
            json={"token": issued["token"], "access_code": issued["access_code"]}) as r:
        reply = await r.json()
        assert r.status == 200, (r.status, reply)
        cookie = r.cookies[SESSION_COOKIE].value
    return Caller(name, suite.base_url, {"Cookie": f"{SESSION_COOKIE}={cookie}",
                                         CSRF_HEADER: reply["csrf_token"]},
                  issued["participant"])


async def _hearing(suite: Suite, mediator: Staff, sides: list[str],
                   invitees: list[tuple[str, str, str | None]]
                   ) -> tuple[str, dict[str, str], dict[str, Caller]]:
    """Create and open a hearing, add sides, invite and redeem (name, role, side placeholder)."""
    hearing = (await _ok(mediator, "POST", "/api/v1/hearings", {"title": "Evidence"}, 201))["id"]
    await _ok(mediator, "POST", f"/api/v1/hearings/{hearing}/open", {}, 200)
    side_ids = {}
    for label in sides:
        added = await _ok(mediator, "POST", f"/api/v1/hearings/{hearing}/sides",
                          {"name": label}, 201)
        side_ids[label] = added["side"]["id"]
    callers = {}
    for name, role, side in invitees:
        body: dict[str, Any] = {"name": name, "role": role}
        if side is not None:
            body["side"] = side_ids[side]
        issued = await _ok(mediator, "POST", f"/api/v1/hearings/{hearing}/participants", body, 201)
        callers[name] = await _redeem(suite, name, issued)
    return hearing, side_ids, callers


async def _admit(suite: Suite, mediator: Staff, hearing: str, observer: Caller) -> None:
    """The mediator admits `observer` to the plenary, over real WebSockets; returns once the
    roster evidence reads says so. (The suite's reconnection grace is long, so the observer
    stays admitted after its socket closes.)"""
    guest = await WsClient(suite.base_url, observer.headers, hearing,
                           observer.principal_id).connect()
    chair = await WsClient(suite.base_url, mediator.headers(), hearing,
                           mediator.account_id).connect()
    try:
        await chair.send(Admit(participant=observer.principal_id))
        await guest.wait(lambda _m: guest.room == "plenary", what="the observer admitted")
    finally:
        await guest.close()
        await chair.close()
    nc = await suite.connect("gateway")
    try:
        kv = await nc.jetstream().key_value(HEARINGS_BUCKET)

        async def admitted() -> bool | None:
            entry = await kv.get(roster_key(hearing))
            roster = msgspec.json.decode(entry.value or b"null", type=Roster | None)
            member = None if roster is None else roster.participants.get(observer.principal_id)
            return True if member is not None and member.in_room else None

        await wait_until(admitted, timeout=10, what="the observer in the roster's plenary")
    finally:
        await nc.drain()


async def build_world(suite: Suite, backend: str, **where: Any) -> World:
    await suite.ready()
    people = await staff_people(suite)
    other_mediator = await create_staff(suite, people.admin, "mediator", "mediator2")
    hearing, sides, callers = await _hearing(suite, people.mediator, [SIDE_A, SIDE_B], [
        ("partyA", "party", SIDE_A), ("counselA", "counsel", SIDE_A),
        ("partyB", "party", SIDE_B), ("observer_in", "observer", None),
        ("observer_lobby", "observer", None)])
    _, _, strangers = await _hearing(suite, other_mediator, [SIDE_A],
                                     [("stranger", "party", SIDE_A)])
    await _admit(suite, people.mediator, hearing, callers["observer_in"])
    callers.update(strangers)
    callers.update({
        "anonymous": Caller("anonymous", suite.base_url),
        "admin": staff_caller("admin", people.admin),
        "auditor": staff_caller("auditor", people.auditor),
        "mediator": staff_caller("mediator", people.mediator),
        "other_mediator": staff_caller("other_mediator", other_mediator),
        "admin_bearer": Caller("admin_bearer", suite.base_url, people.admin.headers(bearer=True)),
    })
    return World(suite=suite, backend=backend, people=people, hearing=hearing, callers=callers,
                 sides=sides, **where)


async def world_of(running: tuple[Suite, dict[str, str]]) -> World:
    """The world of this suite, built once (memoised on the suite like tests/people.py)."""
    suite, where = running
    world: World | None = getattr(suite, "_evidence_world", None)
    if world is None:
        extra: dict[str, Any] = {k: v for k, v in where.items()
                                 if k not in ("backend", "s3_keys_bucket")}
        if "store_dir" in extra:
            extra["store_dir"] = Path(extra["store_dir"])
        world = await build_world(suite, where["backend"], **extra)
        suite._evidence_world = world  # type: ignore[attr-defined]
    return world
