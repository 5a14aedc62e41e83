"""Test helpers for the signalling core: a deterministic world and the isolation checker."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    AddSide,
    CreateHearing,
    InvitationIssued,
    InviteParticipant,
    OpenHearing,
    RedeemInvitation,
    RoomCreated,
    SessionConnected,
    SessionDisconnected,
)
from proto.ws import (
    Admit,
    BoardUpdate,
    CaucusCreate,
    ChatMessage,
    KnocksUpdate,
    Notice,
    NoticeKind,
    PeerPlan,
    RoomUpdate,
    SignalRelay,
    Snapshot,
    YouUpdate,
)
from services.signalling.core import apply, create
from services.signalling.effects import Audit, Deliver, Effect, Env, Policy, Reply
from services.signalling.model import LOBBY, Hearing, is_live, peers

MEDIATOR = Principal(kind=PrincipalKind.ACCOUNT, id="med", role=Role.MEDIATOR)
ADMIN = Principal(kind=PrincipalKind.ACCOUNT, id="adm", role=Role.ADMIN)
OTHER_MEDIATOR = Principal(kind=PrincipalKind.ACCOUNT, id="med2", role=Role.MEDIATOR)
SYSTEM = Principal(kind=PrincipalKind.SYSTEM, id="gateway")


def det_env(policy: Policy | None = None) -> Env:
    ids = itertools.count(1)
    secrets_ = itertools.count(1)
    return Env(policy=policy or Policy(),
               new_id=lambda: f"id{next(ids)}",
               new_secret=lambda: f"secret-{next(secrets_):04d}-abcdefghijklmnop",
               new_code=lambda: "ABCDE-FGHJK")


@dataclass
class World:
    """One hearing driven through `apply`, with the clients' view of their peer connections."""

    h: Hearing
    env: Env
    now: int = 1_000_000
    principals: dict[str, Principal] = field(default_factory=dict)
    sides: dict[str, str] = field(default_factory=dict)
    #: What each client believes: peer → "I am the offerer".
    clients: dict[str, dict[str, bool]] = field(default_factory=dict)
    log: list[Effect] = field(default_factory=list)
    conn_seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def do(self, who: str | Principal, cmd: Any, *, check: bool = True,
           conn: str | None = None) -> list[Effect]:
        principal = who if isinstance(who, Principal) else self.principals[who]
        before = self.h
        self.h, effects = apply(self.h, principal, cmd, self.now, self.env, conn)
        self.log.extend(effects)
        if check:
            check_isolation(before, self.h, effects)
            self._update_clients(effects)
            check_pairs(self.h, self.clients)
        return effects

    def _update_clients(self, effects: list[Effect]) -> None:
        for e in effects:
            if isinstance(e, Deliver) and isinstance(e.message, PeerPlan):
                c = self.clients.setdefault(e.to, {})
                for q in e.message.drop:
                    c.pop(q, None)
                for link in [*e.message.keep, *e.message.connect]:
                    c[link.peer] = link.offerer
                stale = set(c) - {x.peer for x in [*e.message.keep, *e.message.connect]}
                assert not stale, f"plan for {e.to} leaves unlisted peers {stale}"
        for pid, p in self.h.participants.items():
            if not is_live(self.h, p):
                self.clients.pop(pid, None)  # the page is gone

    def connect(self, pid: str) -> list[Effect]:
        self.clients.pop(pid, None)
        return self.do(pid, SessionConnected(conn=f"c{next(self.conn_seq)}"))

    def disconnect(self, pid: str) -> list[Effect]:
        out: list[Effect] = []
        for conn in self.h.participants[pid].conns:
            out += self.do(pid, SessionDisconnected(conn=conn))
        return out

    def invite(self, name: str, role: Role, side: str | None) -> InvitationIssued:
        effects = self.do("med", InviteParticipant(name=name, role=role, side=side))
        issued = next(e.value for e in effects if isinstance(e, Reply))
        assert isinstance(issued, InvitationIssued)
        return issued

    def join(self, name: str, role: Role = Role.PARTY, side: str | None = None,
             *, admit: str | None = "plenary") -> str:
        issued = self.invite(name, role, side)
        self.do(SYSTEM, RedeemInvitation(token=issued.token, access_code=issued.access_code))
        pid = issued.participant
        self.principals[pid] = Principal(kind=PrincipalKind.PARTICIPANT, id=pid, role=role,
                                         hearing=self.h.id, side=side)
        self.principals[name] = self.principals[pid]
        self.connect(pid)
        if admit is not None:
            self.do("med", Admit(participant=pid, room=admit))
        return pid

    def side(self, name: str) -> str:
        effects = self.do("med", AddSide(name=name))
        value = next(e.value for e in effects if isinstance(e, Reply))
        sid: str = value.side.id  # type: ignore[attr-defined]
        self.sides[name] = sid
        return sid


def world(policy: Policy | None = None, *, open_: bool = True) -> World:
    env = det_env(policy)
    h, _ = create(MEDIATOR, CreateHearing(title="Matter"), 1_000_000, env)
    w = World(h=h, env=env, principals={"med": MEDIATOR})
    w.connect("med")
    if open_:
        w.do("med", OpenHearing())
    return w


def standard() -> tuple[World, dict[str, str]]:
    """Mediator plus two sides of two people each, everyone in plenary."""
    w = world()
    a, b = w.side("A"), w.side("B")
    ids = {n: w.join(n, Role.PARTY if n.endswith("1") else Role.COUNSEL, s)
           for n, s in (("a1", a), ("a2", a), ("b1", b), ("b2", b))}
    ids["med"] = "med"
    return w, ids


def caucus(w: World, name: str = "C", side: str | None = None, *, move: bool = False) -> str:
    """Create a caucus (for `side`; with `move`, the side moved in at once); its room id."""
    effects = w.do("med", CaucusCreate(name=name, side=side, move_side=move))
    value = next(e.value for e in effects if isinstance(e, Reply))
    assert isinstance(value, RoomCreated)
    return value.room


def reply_of(effects: Sequence[object]) -> object:
    """The value a command replied with (its `Reply` effect)."""
    return next(e.value for e in effects if isinstance(e, Reply))


def audits(effects: Sequence[object]) -> list[str]:
    return [e.action for e in effects if isinstance(e, Audit)]


def deliveries(effects: list[Effect], to: str | None = None) -> list[Deliver]:
    return [e for e in effects if isinstance(e, Deliver) and (to is None or e.to == to)]


def check_isolation(before: Hearing, after: Hearing, effects: list[Effect]) -> None:
    """No delivery and no connect instruction crosses rooms; lobby gets only its own state."""
    for e in effects:
        if isinstance(e, Reply) and isinstance(e.value, Snapshot):
            view = e.value.view
            p = after.participants[view.you.id]
            if view.room is not None:
                assert view.room.id == p.room and p.room != LOBBY
            if p.id != after.mediator:
                assert view.board is None and view.knocks is None
        if not isinstance(e, Deliver):
            continue
        p = after.participants[e.to]
        m = e.message
        in_room = is_live(after, p) and p.room not in (None, LOBBY)
        if isinstance(m, YouUpdate):
            assert m.you.id == e.to
        elif isinstance(m, RoomUpdate):
            assert in_room and m.room.id == p.room, f"room view of {m.room.id} to {e.to}"
        elif isinstance(m, PeerPlan):
            assert m.room == (p.room if is_live(after, p) else None)
            allowed = peers(after, e.to)
            for link in [*m.connect, *m.keep]:
                assert link.peer in allowed, f"{e.to} told to connect to {link.peer}"
            assert set(m.drop) <= peers(before, e.to)
        elif isinstance(m, SignalRelay | ChatMessage):
            assert in_room and m.room == p.room
            assert after.participants[m.sender].room == p.room
        elif isinstance(m, BoardUpdate | KnocksUpdate):
            assert e.to == after.mediator
        elif isinstance(m, Notice):
            if m.kind is NoticeKind.BROADCAST:
                assert in_room
            elif m.kind is NoticeKind.TIMER:
                assert m.room == p.room or e.to == after.mediator
        else:
            raise AssertionError(f"unexpected delivery {m!r}")


def check_pairs(h: Hearing, clients: dict[str, dict[str, bool]]) -> None:
    """Every pair that should be connected is, and exactly one side of it offers."""
    for pid, p in h.participants.items():
        if not is_live(h, p):
            continue
        want = peers(h, pid)
        have = clients.get(pid, {})
        assert set(have) == set(want), f"{pid}: has {sorted(have)} wants {sorted(want)}"
        for q, offerer in have.items():
            assert clients.get(q, {}).get(pid) is (not offerer), f"pair {pid}/{q}: offerer not unique"
