"""The executor's guarantees with the cached copy (fakes for KV, NATS and the audit stream):
compare-and-set still guards every write, a stale copy is re-read and the command re-applied,
decisions that write nothing are confirmed on KV, every audit event is published together with
the write and acknowledged before anything acts on it (a write whose events were not stored is
undone and nobody is told), deliveries follow in order, the roster is rewritten only when it
changed."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import msgspec
import pytest

from parley.errors import AuditPublishError, DomainError, ServiceFailure
from proto.errors import ErrorCode
from proto.signalling import (
    BATCH_TOKEN,
    CONNS_HEADER,
    REVISION_HEADER,
    DeliveryBatch,
    SessionConnected,
    batch_subject,
)
from proto.ws import (
    MAX_CHAT,
    Admit,
    CaucusCreate,
    ChatLine,
    ChatSend,
    MediaClaim,
    Move,
    Notice,
    NoticeKind,
    PeerPlan,
    RoomUpdate,
    SignalKind,
    SignalSend,
    decode_server,
)
from services.signalling.chatlog import FLOOD_MAX, ChatLog, append, said_to, stays
from services.signalling.core import Sweep
from services.signalling.model import Hearing, Participant
from services.signalling.shell import SYSTEM, Executor
from services.signalling.store import StaleRevision
from tests.unit.signalling.sighelp import World, det_env, standard

GRACE_MS = 30_000


class FakeStore:
    def __init__(self, h: Hearing, revision: int) -> None:
        self.kv: tuple[Hearing, int] = (h, revision)  # what KV holds
        self.hearings: dict[str, tuple[Hearing, int]] = {h.id: (h, revision)}  # the copy
        self.log: list[str] = []

    def cached(self, hearing_id: str) -> tuple[Hearing, int] | None:
        return self.hearings.get(hearing_id)

    async def load(self, hearing_id: str) -> tuple[Hearing, int]:
        self.log.append("load")
        self.hearings[hearing_id] = self.kv
        return self.kv

    async def save(self, h: Hearing, revision: int) -> int:
        self.log.append(f"save@{revision}")
        if revision != self.kv[1]:
            raise StaleRevision(h.id)
        self.kv = (h, revision + 1)
        self.hearings[h.id] = self.kv
        return revision + 1

    async def write_roster(self, h: Hearing, revision: int) -> None:
        self.log.append("roster")


class FakeNats:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []

    async def publish(self, subject: str, data: bytes, headers: dict[str, str] | None = None) -> None:
        if ".client." in subject:
            self.log.append("deliver")
        self.sent.append((subject, data, headers or {}))

    def delivered(self) -> list[tuple[str, bytes, int]]:
        """(participant, encoded message, revision) of every client delivery sent, in order:
        batches (proto/signalling.py DeliveryBatch) opened, single messages as they are."""
        out = []
        for subject, data, headers in self.sent:
            if ".client." not in subject:
                continue
            to = subject.rsplit(".", 1)[-1]
            if to != BATCH_TOKEN:
                out.append((to, data, int(headers[REVISION_HEADER])))
                continue
            batch = msgspec.json.decode(data, type=DeliveryBatch)
            out.extend((p, bytes(item.message), batch.revision)
                       for item in batch.items for p in item.to)
        return out


class FakeAudit:
    """Acknowledges only once `expect` publishes are in flight together (or fails them)."""

    def __init__(self, log: list[str], expect: int = 1, fail: bool = False) -> None:
        self.log, self.expect, self.fail = log, expect, fail
        self.in_flight = 0
        self.all_started = asyncio.Event()

    def build(self, **fields: Any) -> Any:
        return fields["action"]

    async def publish(self, event: Any) -> None:
        self.in_flight += 1
        if self.in_flight >= self.expect:
            self.all_started.set()
        await asyncio.wait_for(self.all_started.wait(), 2)  # one at a time: times out
        if self.fail:
            raise AuditPublishError(f"{event} not stored")
        self.log.append(f"audit:{event}")

    async def record(self, **fields: Any) -> Any:
        self.log.append(f"refusal:{fields['action']}")


class FakeChat:
    """Room histories in memory, with the real rules (chatlog.py)."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.rooms: dict[tuple[str, str], ChatLog] = {}

    async def append(self, hearing: str, room: str, line: ChatLine) -> None:
        self.rooms[(hearing, room)] = append(self.rooms.get((hearing, room), ChatLog()), line)
        self.log.append("chat")

    async def said_to(self, hearing: str, person: Participant) -> list[ChatLine]:
        assert person.room is not None
        return said_to(self.rooms.get((hearing, person.room), ChatLog()), person.entered_at,
                       stays(person))

    async def forget(self, hearing: str, rooms: tuple[str, ...]) -> None:
        for room in rooms:
            self.rooms.pop((hearing, room), None)


def executor(h: Hearing, *, revision: int = 5, now_ms: int = 1_000_000,
             audit: FakeAudit | None = None) -> tuple[Executor, FakeStore, FakeNats]:
    store = FakeStore(h, revision)
    nc = FakeNats(store.log)
    ex = Executor(cast(Any, store), cast(Any, nc), cast(Any, audit or FakeAudit(store.log)),
                  det_env(), clock=lambda: now_ms / 1000, chat=cast(Any, FakeChat(store.log)))
    return ex, store, nc


def _caucus(w: World) -> str:
    w.do("med", CaucusCreate(name="C"))
    return next(r for r in w.h.rooms if r not in ("lobby", "plenary"))


def _behind_another_write() -> tuple[World, dict[str, str], str, Executor, FakeStore, FakeNats]:
    """An executor whose copy (revision 5) missed another process's move of a1 (KV at 6)."""
    w, ids = standard()
    caucus = _caucus(w)
    stale = w.h
    w.do("med", Move(participant=ids["a1"], room=caucus))
    ex, store, nc = executor(stale)
    store.kv = (w.h, 6)
    return w, ids, caucus, ex, store, nc


async def test_move_on_the_copy_writes_once_then_delivers_in_order() -> None:
    w, ids = standard()
    caucus = _caucus(w)
    ex, store, nc = executor(w.h)
    await ex.run(w.h.id, w.principals["med"], Move(participant=ids["b1"], room=caucus))
    # No read before the write, made together with its audit event; the move leaves the roster
    # as it was: no rewrite.
    assert sorted(store.log[:2]) == ["audit:room.move", "save@5"] and "load" not in store.log
    assert "roster" not in store.log
    delivered = nc.delivered()
    assert delivered and all(revision == 6 for _, _, revision in delivered)
    assert store.log.index("save@5") < store.log.index("deliver")
    # One NATS message for the whole change; a shared message (every room view of a room) is
    # encoded once, one item naming all its recipients.
    batches = [s for s, _, _ in nc.sent if ".client." in s]
    assert batches == [batch_subject(w.h.id)]
    batch = msgspec.json.decode(next(d for s, d, _ in nc.sent if ".client." in s),
                                type=DeliveryBatch)
    views = [i for i in batch.items if isinstance(decode_server(bytes(i.message)), RoomUpdate)]
    assert views and max(len(i.to) for i in views) >= 2
    plans = [decode_server(d) for _, d, _ in delivered]
    first_plan = next(m for m in plans if isinstance(m, PeerPlan))
    assert first_plan.room == caucus  # confidential side first (membership.py), order kept


async def test_stale_copy_loses_the_compare_and_set_and_is_reapplied() -> None:
    w, ids, caucus, ex, store, nc = _behind_another_write()
    await ex.run(w.h.id, w.principals["med"], Move(participant=ids["b1"], room=caucus))
    assert sorted(store.log[:2]) == ["audit:room.move", "save@5"] and store.log[2] == "load"
    assert sorted(store.log[3:5]) == ["audit:room.move", "save@6"] and store.kv[1] == 7
    final = store.kv[0]
    assert final.participants[ids["a1"]].room == caucus  # the other write survived
    assert final.participants[ids["b1"]].room == caucus
    assert nc.delivered() and all(revision == 7 for _, _, revision in nc.delivered())


async def test_refusal_on_a_stale_copy_is_confirmed_on_kv() -> None:
    w, _ = standard()
    caucus = _caucus(w)
    stale = w.h
    newcomer = w.join("late", side=w.sides["A"], admit=None)  # invited after the copy was taken
    ex, store, _ = executor(stale)
    store.kv = (w.h, 9)
    await ex.run(w.h.id, w.principals["med"], Admit(participant=newcomer, room=caucus))
    assert store.log[0] == "load" and "save@9" in store.log
    assert not any(e.startswith("refusal") for e in store.log)
    assert "roster" in store.log  # admission changes the read model


async def test_a_decision_without_a_write_is_checked_against_kv() -> None:
    w, _ = standard()
    ex, store, nc = executor(w.h)
    await ex.run(w.h.id, w.principals["a1"], ChatSend(text="hello"))
    assert store.log[0] == "load" and not any(e.startswith("save") for e in store.log)
    assert any(".client." in s for s, _, _ in nc.sent)
    assert store.log.index("chat") < store.log.index("deliver")  # kept, then delivered


async def test_a_chat_flood_is_refused_with_its_reason_and_reaches_nobody() -> None:
    w, _ = standard()
    ex, _, nc = executor(w.h)
    for i in range(FLOOD_MAX):
        await ex.run(w.h.id, w.principals["a1"], ChatSend(text=f"line {i}"))
    sent = len(nc.sent)
    with pytest.raises(DomainError) as refused:
        await ex.run(w.h.id, w.principals["a1"], ChatSend(text="one too many"))
    assert refused.value.code is ErrorCode.RATE_LIMITED and refused.value.reason == "chat_flood"
    assert refused.value.retry_after_s is not None and refused.value.retry_after_s >= 1
    assert len(nc.sent) == sent
    with pytest.raises(DomainError) as refused:
        await ex.run(w.h.id, w.principals["a1"], ChatSend(text="x" * (MAX_CHAT + 1)))
    assert refused.value.code is ErrorCode.TOO_LARGE and refused.value.reason == "chat_too_long"


async def test_audit_events_and_the_write_go_together_and_all_are_acknowledged_first() -> None:
    w, ids = standard()
    for name in ("a1", "a2", "b1"):
        w.disconnect(ids[name])
    late = w.now + GRACE_MS + 1
    ex, store, _ = executor(w.h, now_ms=late, audit=None)
    ex.audit = cast(Any, FakeAudit(store.log, expect=3))
    await ex.run(w.h.id, SYSTEM, Sweep())
    audits = [e for e in store.log if e.startswith("audit:")]
    assert audits == ["audit:room.grace_expired"] * 3
    # The write did not wait for the events (nor they for it); the deliveries waited for all.
    assert store.log.index("save@5") < min(i for i, e in enumerate(store.log)
                                          if e.startswith("audit:"))
    assert store.log.index("deliver") > max(i for i, e in enumerate(store.log)
                                           if e.startswith("audit:"))


async def test_a_failed_audit_publish_fails_the_action_and_changes_nothing() -> None:
    w, ids = standard()
    caucus = _caucus(w)
    ex, store, nc = executor(w.h)
    ex.audit = cast(Any, FakeAudit(store.log, fail=True))
    with pytest.raises((AuditPublishError, ServiceFailure)):
        await ex.run(w.h.id, w.principals["med"], Move(participant=ids["b1"], room=caucus))
    # The write that went with the event is put back before anyone hears of it.
    assert [e for e in store.log if e.startswith("save")] == ["save@5", "save@6"]
    assert not nc.sent
    assert msgspec.structs.asdict(store.kv[0]) == msgspec.structs.asdict(w.h)
    assert store.cached(w.h.id) == store.kv  # the copy holds the record put back


async def test_a_failed_audit_publish_on_a_lost_write_fails_without_an_undo() -> None:
    w, ids, caucus, ex, store, nc = _behind_another_write()
    ex.audit = cast(Any, FakeAudit(store.log, fail=True))
    with pytest.raises((AuditPublishError, ServiceFailure)):
        await ex.run(w.h.id, w.principals["med"], Move(participant=ids["b1"], room=caucus))
    assert [e for e in store.log if e.startswith("save")] == ["save@5"] and not nc.sent
    assert store.kv == (w.h, 6)


async def test_a_media_claim_tells_the_earlier_console_alone_first_and_signals_follow_it() -> None:
    """The mediator's console on a second device claims its media (connections.py): the notice
    goes to the earlier console's socket alone, before the change's batch; then a party's
    signals for the mediator reach the claiming socket only."""
    w, ids = standard()
    (tablet,) = w.h.participants["med"].conns
    w.do("med", MediaClaim(), conn=tablet)
    w.do("med", SessionConnected(conn="phone"))
    ex, store, nc = executor(w.h)
    await ex.run(w.h.id, w.principals["med"], MediaClaim(), "phone")
    client = [(s, d, hd) for s, d, hd in nc.sent if ".client." in s]
    subject, data, headers = client[0]
    assert subject.endswith(".med") and headers[CONNS_HEADER] == tablet
    assert decode_server(data) == Notice(kind=NoticeKind.MEDIA_ELSEWHERE)
    assert client[1][0] == batch_subject(w.h.id)
    h = store.kv[0]
    nc.sent.clear()
    signal = SignalSend(to="med", epoch=h.rooms["plenary"].epoch, kind=SignalKind.CANDIDATE,
                        candidate="c", sdp_mid="0", sdp_mline_index=0)
    assert await ex.relay(h.id, w.principals[ids["a1"]], signal, h.participants[ids["a1"]].conns[0])
    ((subject, _, headers),) = nc.sent
    assert subject.endswith(".med") and headers[CONNS_HEADER] == "phone"
