"""A scripted hearing in the audit log, for the auditor's console tests.

Published to the `AUDIT` stream as the services would (signalling and evidence events of one
hearing): the roster with names, two caucuses, a seeded sequence of admissions and moves, and a
document uploaded and downloaded. `expected_segments` is the same fold the console must draw,
computed here independently from the sequence.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import Any

from proto.audit import Actor, AuditEvent, Outcome, Resource, audit_subject, encode_event
from tests.harness import Suite

HEARING = "hScripted01"
SIDES = {"sClaim": "Claimant", "sResp": "Respondent"}
PEOPLE = {  # id: (name, role, side)
    "pAna": ("Ana Chen", "counsel", "sClaim"), "pBo": ("Bo Lam", "party", "sClaim"),
    "pCy": ("Cy Wong", "counsel", "sResp"), "pDee": ("Dee Ho", "party", "sResp"),
}
ROOMS = {"cClaim": ("Claimant caucus", "sClaim"), "cResp": ("Respondent caucus", "sResp")}
DOCUMENT = ("dExpert2", "Expert report v2.pdf")
T0 = 1_764_000_000_000  # 2025-11-24T16:00:00Z


@dataclass
class Script:
    events: list[AuditEvent] = field(default_factory=list)
    clock: int = T0
    counter: int = 0

    def add(self, action: str, actor: str, rtype: str, rid: str, *, role: str | None = None,
            side: str | None = None, outcome: Outcome = Outcome.ALLOWED, step_s: int = 60,
            service: str = "signalling", details: dict[str, Any] | None = None) -> None:
        self.clock += step_s * 1000
        self.counter += 1
        self.events.append(AuditEvent(
            id=f"scr{self.counter:05d}", time=self.clock,
            actor=Actor(id=actor, role=role, side=side), action=action,  # type: ignore[arg-type]
            resource=Resource(type=rtype, id=rid), outcome=outcome, service=service,
            hearing=HEARING, details=details or {}))


def script(seed: int = 7, moves: int = 24) -> tuple[Script, list[tuple[str, str, int, int]]]:
    s = Script()
    s.add("hearing.create", "acctMed", "hearing", HEARING, role="mediator", details={"title": "Lam v. Chen", "time_zone": "Asia/Hong_Kong"})
    for sid, name in SIDES.items():
        s.add("hearing.side_add", "acctMed", "side", sid, role="mediator", details={"name": name})
    for pid, (name, role, side) in PEOPLE.items():
        s.add("participant.invite", "acctMed", "participant", pid, role="mediator",
              details={"name": name, "role": role, "side": side})
    for rid, (name, side) in ROOMS.items():
        s.add("room.caucus_create", "acctMed", "room", rid, role="mediator",
              details={"name": name, "side": side})
    where: dict[str, str] = {}
    open_at: dict[str, int] = {}
    segments: list[tuple[str, str, int, int]] = []

    def enter(pid: str, room: str) -> None:
        if pid in where:
            segments.append((pid, where[pid], open_at[pid], s.clock))
        where[pid], open_at[pid] = room, s.clock

    for pid in PEOPLE:
        s.add("participant.redeem", "anonymous", "invitation", f"inv{pid}",
              details={"participant": pid})
        enter(pid, "lobby")
    for pid in PEOPLE:
        s.add("participant.admit", "acctMed", "participant", pid, role="mediator",
              details={"from": "lobby", "to": "plenary"})
        enter(pid, "plenary")
    rng = random.Random(seed)
    for _ in range(moves):
        pid = rng.choice(sorted(PEOPLE))
        side = PEOPLE[pid][2]
        to = rng.choice(["plenary", "cClaim" if side == "sClaim" else "cResp"])
        if to == where[pid]:
            continue
        s.add("room.move", "acctMed", "participant", pid, role="mediator", step_s=rng.randint(30, 600),
              details={"from": where[pid], "to": to})
        enter(pid, to)
    s.add("document.upload", "pAna", "document", DOCUMENT[0], role="counsel", side="sClaim",
          service="evidence", details={"filename": DOCUMENT[1], "version": "v1",
                                       "compartment": "joint", "size": 2_000_000})
    s.add("document.download", "pCy", "document", DOCUMENT[0], role="counsel", side="sResp",
          service="evidence", details={"filename": DOCUMENT[1], "start": 0, "end": 1_048_575})
    s.add("document.download", "pBo", "document", DOCUMENT[0], role="party", side="sClaim",
          service="evidence", details={"filename": DOCUMENT[1], "start": 0, "end": 1_999_999})
    s.add("hearing.close", "acctMed", "hearing", HEARING, role="mediator")
    for pid in PEOPLE:
        segments.append((pid, where[pid], open_at[pid], s.clock))
    return s, segments


async def publish(suite: Suite, events: list[AuditEvent]) -> None:
    nc = await suite.connect("supervisor")
    try:
        js = nc.jetstream()
        for event in events:  # in order: the log's order is the story's order
            await js.publish(audit_subject("supervisor"), encode_event(event),
                             headers={"Nats-Msg-Id": event.id})
        await asyncio.sleep(0)
    finally:
        await nc.drain()
