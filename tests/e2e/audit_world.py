"""A scripted hearing in the audit log, for the auditor's console tests.

Published to the `AUDIT` stream as the services would (signalling and evidence events of one
hearing): the roster with names, sides in their colours (the Respondent's changed from rust to
purple; a third side added by mistake, renamed and removed, never holding a caucus), two
caucuses, a seeded sequence of admissions and moves, the
mediator's own moves (into a caucus and back), a whole side moved into its caucus, a recall, a
participant offline while a caucus closes, someone turned away by the lock (recorded by the
signalling service and by the gateway), then again (by signalling alone), someone trying a
participant's used link from another address (twice: the gateway counts the second), a run of connection
reports, a document uploaded and downloaded, and another kept by one side, shared in confidence, then a second version of it
released to everyone, with the hearing's listings around it, and the mediator's own document of
the same name (`settlement_story`). The hearing is scheduled, opened and ended (its documents
kept). The details are the ones the signalling core writes (core.py, core_controls.py,
core_actions.py, sides.py) and evidence writes (decisions.py: a download's `end` is exclusive,
ranges.py). `expected_segments` is the same fold the console must draw, computed here
independently from the sequence: a person is drawn in a room while present (from redeeming the
invitation, or connecting, until disconnecting or the hearing's end); a move while offline
changes where they are, not what is drawn.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from proto.audit import Actor, AuditEvent, Outcome, Resource, audit_subject, encode_event
from tests.harness import Suite

HEARING = "hScripted01"
SIDES = {"sClaim": "Claimant", "sResp": "Respondent"}
#: Each side's colour as the log records it last (sides.py: `a` … `f`); the Respondent's was
#: `b` (rust) when added.
SIDE_COLOURS = {"sClaim": "e", "sResp": "d"}
#: A side added by mistake as "Third party", renamed "Insurer", then removed; no caucus.
REMOVED_SIDE = ("sThird", "Third party", "Insurer", "a")
#: Invited, then turned away by the lock when she used her invitation.
LOCKED_OUT = ("pEve", "Eve Ng", "party", "sClaim")
ADDRESS = "addr:2025-11:4be1c0d29a7f3e5b8c61"
#: Whose used link someone tries again, from where, and how many times (the gateway records
#: the first try, counts the rest, and writes its count when the period ends).
USED_LINK = ("pDee", "addr:2025-11:9c03e1aa52b7d4f06e18", 2)
PEOPLE = {  # id: (name, role, side)
    "pAna": ("Ana Chen", "counsel", "sClaim"), "pBo": ("Bo Lam", "party", "sClaim"),
    "pCy": ("Cy Wong", "counsel", "sResp"), "pDee": ("Dee Ho", "party", "sResp"),
}
#: The mediator: an account (not invited, so named by the hearing's creation entry), with a
#: name long enough to be cut to the timeline's name column.
MEDIATOR = ("acctMed", "Ms Anna Lee-Fitzgerald SC, Senior Mediator")
ROOMS = {"cClaim": ("Claimant caucus", "sClaim"), "cResp": ("Respondent caucus", "sResp")}
CAUCUS_OF = {"sClaim": "cClaim", "sResp": "cResp"}
DOCUMENT = ("dExpert2", "Expert report v2.pdf")
#: A document kept by the Claimant, shared with the mediator in confidence, then with everyone,
#: and the hearing's listings around it: (lister, documents shown), in order.
SETTLEMENT = ("dSettle01", "Settlement offer.pdf")
#: The mediator's own document of the same name, in Joint: the search must tell the two apart.
SETTLEMENT_MEDIATOR = ("dSettleMed", SETTLEMENT[1])
#: When the hearing was scheduled for (an hour after its creation), in its own zone.
SCHEDULED_AT = 1_764_003_600_000  # 2025-11-24T17:00:00Z, 01:00 on 25 Nov in Hong Kong
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

    def mediator(self, action: str, rtype: str, rid: str, **kwargs: Any) -> None:
        self.add(action, MEDIATOR[0], rtype, rid, role="mediator", **kwargs)


@dataclass
class Whereabouts:
    """Where everyone is and since when they are drawn there: the expected segments."""

    clock: Callable[[], int]
    place: dict[str, str] = field(default_factory=dict)
    since: dict[str, int] = field(default_factory=dict)  # present (drawn) since
    segments: list[tuple[str, str, int, int]] = field(default_factory=list)

    def _close(self, pid: str) -> None:
        if pid in self.since:
            self.segments.append((pid, self.place[pid], self.since.pop(pid), self.clock()))

    def present(self, pid: str, room: str) -> None:
        self._close(pid)
        self.place[pid], self.since[pid] = room, self.clock()

    def absent(self, pid: str) -> None:
        self._close(pid)

    def move(self, pid: str, room: str) -> None:
        if pid in self.since:
            self.present(pid, room)
        else:
            self.place[pid] = room

    def end(self) -> None:
        for pid in list(self.since):
            self._close(pid)


def script(seed: int = 7, moves: int = 24) -> tuple[Script, list[tuple[str, str, int, int]]]:
    s = Script()
    w = Whereabouts(clock=lambda: s.clock)
    med = MEDIATOR[0]
    # The mediator's staff account, as the gateway records it (no hearing): named by the log.
    s.counter += 1
    s.events.append(AuditEvent(
        id=f"scr{s.counter:05d}", time=s.clock, actor=Actor(id="acctAdmin", role="admin"),  # type: ignore[arg-type]
        action="account.create", resource=Resource(type="account", id=med), outcome=Outcome.ALLOWED,
        service="gateway", details={"role": "mediator", "username": "alee", "display_name": MEDIATOR[1]}))
    s.mediator("hearing.create", "hearing", HEARING, details={
        "mediator": med, "mediator_name": MEDIATOR[1], "title": "Lam v. Chen", "time_zone": "Asia/Hong_Kong",
        "scheduled_at": SCHEDULED_AT})
    s.mediator("hearing.open", "hearing", HEARING)
    w.place[med] = "plenary"  # the core seats the mediator in plenary (model.new_hearing)
    first_colours = {**SIDE_COLOURS, "sResp": "b"}
    for sid, name in SIDES.items():
        s.mediator("hearing.side_add", "side", sid, details={"name": name, "colour": first_colours[sid]})
    third, first_name, new_name, colour = REMOVED_SIDE
    s.mediator("hearing.side_add", "side", third, details={"name": first_name, "colour": colour})
    s.mediator("hearing.side_rename", "side", third, details={
        "name": new_name, "colour": colour, "previous_name": first_name, "previous_colour": colour,
        "caucuses_renamed": 0})
    s.mediator("hearing.side_remove", "side", third, details={"name": new_name, "colour": colour})
    s.mediator("hearing.side_rename", "side", "sResp", details={
        "name": SIDES["sResp"], "colour": SIDE_COLOURS["sResp"], "previous_name": SIDES["sResp"],
        "previous_colour": "b", "caucuses_renamed": 0})
    # The invitation each names is the one its redemptions name (core.py `_invite`).
    for pid, (name, role, side) in PEOPLE.items():
        s.mediator("participant.invite", "participant", pid, details={"name": name, "role": role, "side": side,
                                                                      "invitation": f"inv{pid}"})
    eve, eve_name, eve_role, eve_side = LOCKED_OUT
    s.mediator("participant.invite", "participant", eve, details={"name": eve_name, "role": eve_role, "side": eve_side,
                                                                  "invitation": f"inv{eve}"})
    for rid, (name, side) in ROOMS.items():
        s.mediator("room.caucus_create", "room", rid, details={"name": name, "side": side})
    s.add("participant.connect", med, "participant", med, role="mediator", details={"room": "plenary"})
    w.present(med, "plenary")
    for pid in PEOPLE:
        s.add("participant.redeem", "anonymous", "invitation", f"inv{pid}", details={"participant": pid})
        w.present(pid, "lobby")
    for pid in PEOPLE:
        s.mediator("participant.admit", "participant", pid, details={"from": "lobby", "to": "plenary"})
        w.move(pid, "plenary")

    def move(pid: str, to: str, step_s: int = 60, **extra: Any) -> None:
        s.mediator("room.move", "participant", pid, step_s=step_s, details={"from": w.place[pid], "to": to, **extra})
        w.move(pid, to)

    rng = random.Random(seed)
    for _ in range(moves):
        pid = rng.choice(sorted(PEOPLE))
        to = rng.choice(["plenary", CAUCUS_OF[PEOPLE[pid][2]]])
        if to != w.place[pid]:
            move(pid, to, step_s=rng.randint(30, 600))
    # The mediator goes into the Claimant caucus and back (room.shuttle: its own move).
    for to in ("cClaim", "plenary"):
        s.mediator("room.shuttle", "participant", med, details={"from": w.place[med], "to": to})
        w.move(med, to)
    # The whole Respondent side into its caucus: one room.move_side, then one room.move each.
    movers = [p for p in PEOPLE if PEOPLE[p][2] == "sResp" and w.place[p] != "cResp"]
    s.mediator("room.move_side", "side", "sResp", details={"to": "cResp", "moved": len(movers)})
    for pid in movers:
        move(pid, "cResp", side="sResp")
    # Recall: everyone in a caucus, the mediator too, back to plenary (no details: by place).
    s.mediator("room.shuttle", "participant", med, details={"from": w.place[med], "to": "cResp"})
    w.move(med, "cResp")
    s.mediator("room.recall", "hearing", HEARING)
    for pid, room in list(w.place.items()):
        if room in ROOMS:
            w.move(pid, "plenary")
    # The Claimant side meets in its caucus with the mediator; Bo's connection drops; the
    # caucus closes (everyone in it, Bo too, to plenary); Bo reconnects there.
    for pid in ("pAna", "pBo"):
        move(pid, "cClaim")
    s.mediator("room.shuttle", "participant", med, details={"from": w.place[med], "to": "cClaim"})
    w.move(med, "cClaim")
    s.add("participant.disconnect", "pBo", "participant", "pBo", role="party", side="sClaim",
          details={"room": "cClaim"})
    w.absent("pBo")
    s.mediator("hearing.lock", "hearing", HEARING)
    # Eve comes too late: the signalling core records whose invitation it was (core.py
    # `_redeem`), the gateway where the request came from (api/redeem.py: the hearing and the
    # invitation, the token being genuine). She tries again half a minute later: signalling
    # records it, the gateway only counts it (identity/denials.py: its first refusal of a
    # source in a period is an entry, the rest a count).
    s.add("participant.redeem", "anonymous", "invitation", f"inv{eve}", outcome=Outcome.DENIED,
          details={"participant": eve, "reason": "locked"})
    gateway_refusal(s, eve, s.clock + 40, "the hearing is locked: nobody new is admitted", ADDRESS,
                    kind="redeem.conflict")
    s.add("participant.redeem", "anonymous", "invitation", f"inv{eve}", outcome=Outcome.DENIED,
          step_s=30, details={"participant": eve, "reason": "locked"})
    used_link(s)
    s.mediator("room.caucus_close", "room", "cClaim")
    for pid, room in list(w.place.items()):
        if room == "cClaim":
            w.move(pid, "plenary")
    s.add("participant.connect", "pBo", "participant", "pBo", role="party", side="sClaim",
          details={"room": "plenary"})
    w.present("pBo", "plenary")
    # Connection reports: many, folded into one line in the search.
    for pid, peer in (("pAna", "pBo"), ("pBo", "pAna"), ("pCy", "pDee"), ("pDee", "pCy"), ("pAna", "pCy")):
        s.add("room.peer_state", pid, "participant", pid, role=PEOPLE[pid][1], side=PEOPLE[pid][2], step_s=1,
              details={"peer": peer, "state": "connected", "room": "plenary", "epoch": 7, "same_room": True})
    s.add("document.upload", "pAna", "document", DOCUMENT[0], role="counsel", side="sClaim",
          service="evidence", details={"filename": DOCUMENT[1], "version": "v1",
                                       "compartment": "joint", "size": 2_000_000})
    s.add("document.download", "pCy", "document", DOCUMENT[0], role="counsel", side="sResp",
          service="evidence", details={"filename": DOCUMENT[1], "version": "v1", "size": 2_000_000,
                                       "start": 0, "end": 1_048_576})
    s.add("document.download", "pBo", "document", DOCUMENT[0], role="party", side="sClaim",
          service="evidence", details={"filename": DOCUMENT[1], "version": "v1", "size": 2_000_000,
                                       "start": 0, "end": 2_000_000})
    # A second version of it, downloaded in part.
    s.add("document.upload", "pAna", "document", DOCUMENT[0], role="counsel", side="sClaim",
          service="evidence", details={"filename": DOCUMENT[1], "version": "v2",
                                       "compartment": "joint", "size": 686})
    s.add("document.download", "pDee", "document", DOCUMENT[0], role="party", side="sResp",
          service="evidence", details={"filename": DOCUMENT[1], "version": "v2", "size": 686,
                                       "start": 0, "end": 100})
    settlement_story(s)
    s.mediator("hearing.close", "hearing", HEARING, details={"destroy_documents": False})
    w.end()
    return s, w.segments


def used_link(s: Script) -> None:
    """Someone tries a participant's link, used long before, from another address: signalling
    records each try naming whose it was (core.py `_redeem`), the gateway the first with where
    it came from and, when its period ends, how many tries there were (identity/denials.py)."""
    pid, address, tries = USED_LINK
    used = "the invitation was already used"
    start = s.clock + 20_000
    for n in range(tries):
        s.add("participant.redeem", "anonymous", "invitation", f"inv{pid}", outcome=Outcome.DENIED,
              step_s=20, details={"participant": pid, "reason": used})
        if n == 0:
            gateway_refusal(s, pid, s.clock + 30, used, address)
    gateway_refusal(s, pid, start + 60_000, used, address,
                    summary={"summary": True, "count": tries, "from_ms": start + 30, "to_ms": start + 60_000})
    s.clock = start + 60_000


def gateway_refusal(s: Script, pid: str, time: int, reason: str, address: str, *,
                    kind: str = "redeem.unauthenticated", summary: dict[str, Any] | None = None) -> None:
    """The gateway's entry of a refused use of `pid`'s (genuine) invitation (api/redeem.py)."""
    s.counter += 1
    s.events.append(AuditEvent(
        id=f"scr{s.counter:05d}", time=time, actor=Actor(id="anonymous", kind="anonymous"),
        action="participant.redeem", resource=Resource(type="invitation", id=f"inv{pid}"),
        outcome=Outcome.DENIED, service="gateway", hearing=HEARING,
        details={"reason": reason, "address": address, "kind": kind, **(summary or {})}))


#: What the document report must make of `settlement_story`: the listings that may have shown
#: it, by lister (one each), and how many were left out (before it was stored; by someone its
#: compartment did not admit then); where each version was kept: version 1 by the Claimant, then
#: shared with the mediator in confidence; version 2 by the Claimant, then released to everyone
#: (a release widens the latest version only: version 1 stays where it was).
SETTLEMENT_MAY = ["pBo", MEDIATOR[0], "pCy"]
SETTLEMENT_LEFT_OUT = {"before": 1, "hidden": 2, "empty": 0}
SETTLEMENT_KEPT = [("side:sClaim", "1"), ("confidential:sClaim", "1"), ("side:sClaim", "2"), ("joint", "2")]


def settlement_story(s: Script) -> None:
    """Listings are audited per hearing with a count (services/evidence/decisions.py), a
    document's upload and releases with its compartment and the target (`to`)."""
    def lists(pid: str, count: int) -> None:
        if pid == MEDIATOR[0]:
            s.mediator("document.list", "hearing", HEARING, service="evidence", details={"count": count})
        else:
            s.add("document.list", pid, "hearing", HEARING, role=PEOPLE[pid][1], side=PEOPLE[pid][2],
                  service="evidence", details={"count": count})

    def document(action: str, version: str = "v1", **details: Any) -> None:
        s.add(action, "pAna", "document", SETTLEMENT[0], role="counsel", side="sClaim", service="evidence",
              details={"filename": SETTLEMENT[1], "version": version, "size": 84_000, **details})

    lists("pDee", 1)  # before it was stored
    document("document.upload", compartment="side:sClaim")
    lists("pBo", 2)  # its side: may have
    lists("pCy", 1)  # the other side: cannot
    lists(MEDIATOR[0], 1)  # a side's own document: not even the mediator
    document("document.release", compartment="side:sClaim", to="confidential:sClaim")
    lists(MEDIATOR[0], 2)  # shared with the mediator in confidence: may have
    document("document.upload", "v2", compartment="side:sClaim")  # a new version, the side's only
    document("document.release", "v2", compartment="side:sClaim", to="joint")  # it alone goes joint
    lists("pCy", 2)  # joint: may have
    s.add("document.download", "pCy", "document", SETTLEMENT[0], role="counsel", side="sResp",
          service="evidence", details={"filename": SETTLEMENT[1], "compartment": "joint",
                                       "version": "v2", "size": 84_000, "start": 0, "end": 84_000})
    # The mediator's own document of the same name, in Joint.
    s.mediator("document.upload", "document", SETTLEMENT_MEDIATOR[0], service="evidence", details={
        "filename": SETTLEMENT_MEDIATOR[1], "version": "m1", "compartment": "joint", "size": 12_000})


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
