"""Every hearing command, its effects, and who may not issue it."""

from __future__ import annotations

import pytest
from sighelp import (
    ADMIN,
    MEDIATOR,
    OTHER_MEDIATOR,
    SYSTEM,
    audits,
    caucus,
    deliveries,
    det_env,
    standard,
    world,
)

from proto.audit import Outcome
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import (
    AddSide,
    CloseHearing,
    CreateHearing,
    InviteParticipant,
    OpenHearing,
    RedeemInvitation,
    RemoveParticipant,
)
from proto.ws import (
    Admit,
    BoardUpdate,
    Broadcast,
    CaucusClose,
    CaucusCreate,
    CaucusTimer,
    ChatMessage,
    ChatSend,
    Deny,
    End,
    Hand,
    HearingState,
    Knock,
    KnockDismiss,
    KnocksUpdate,
    Lock,
    Move,
    Mute,
    Notice,
    NoticeKind,
    PeerConnState,
    PeerPlan,
    PeerStateReport,
    Recall,
    Remove,
    RoomUpdate,
    Shuttle,
    YouUpdate,
)
from services.signalling.core import Sweep, apply, create
from services.signalling.effects import Audit, CloseSessions, Deliver, Fail, Reply
from services.signalling.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    SignallingError,
    Unauthenticated,
)
from services.signalling.model import (
    LOBBY,
    PLENARY,
    ParticipantStatus,
    decode_hearing,
    encode_hearing,
)
from services.signalling.view import detail

# ------------------------------------------------------------------ lifecycle and roster


def test_create_by_mediator_and_admin_only() -> None:
    h, effects = create(MEDIATOR, CreateHearing(title="T"), 5, det_env())
    assert h.mediator == "med" and h.state is HearingState.SCHEDULED
    assert audits(effects) == ["hearing.create"]
    h2, _ = create(ADMIN, CreateHearing(title="T", mediator="med9"), 5, det_env())
    assert h2.mediator == "med9"
    with pytest.raises(Invalid):
        create(ADMIN, CreateHearing(title="T"), 5, det_env())
    with pytest.raises(Forbidden):
        create(MEDIATOR, CreateHearing(title="T", mediator="other"), 5, det_env())
    party = Principal(kind=PrincipalKind.PARTICIPANT, id="p", role=Role.PARTY, hearing="h")
    auditor = Principal(kind=PrincipalKind.ACCOUNT, id="au", role=Role.AUDITOR)
    for who in (party, auditor):
        with pytest.raises(Forbidden):
            create(who, CreateHearing(title="T"), 5, det_env())


def test_open_close_transitions_and_roundtrip() -> None:
    w = world(open_=False)
    with pytest.raises(Forbidden):
        w.do(OTHER_MEDIATOR, OpenHearing())
    with pytest.raises(Forbidden):
        w.do(ADMIN, OpenHearing())
    w.do("med", OpenHearing())
    with pytest.raises(Conflict):
        w.do("med", OpenHearing())
    assert decode_hearing(encode_hearing(w.h)) == w.h
    effects = w.do("med", CloseHearing(destroy_documents=True))
    assert w.h.state is HearingState.CLOSED
    assert "hearing.close" in audits(effects)
    with pytest.raises(Conflict):
        w.do("med", OpenHearing())


def test_the_record_and_detail_say_when_the_hearing_opened_and_ended() -> None:
    """The set-up page of an ended hearing says when it opened and ended (not only when it was
    scheduled): each transition stamps its instant, kept through a store round trip."""
    w = world(open_=False)
    assert (w.h.opened_at, w.h.ended_at) == (None, None)
    opened = w.now
    w.do("med", OpenHearing())
    w.now += 3_600_000
    w.do("med", CloseHearing())
    assert decode_hearing(encode_hearing(w.h)) == w.h
    shown = detail(w.h, w.now)
    assert (shown.opened_at, shown.ended_at) == (opened, opened + 3_600_000)


def test_invite_stores_only_hashes_and_redeem_once() -> None:
    w = world()
    a = w.side("A")
    issued = w.invite("Ann", Role.PARTY, a)
    raw = encode_hearing(w.h)
    secret = issued.token.split(".")[2]
    assert secret.encode() not in raw and issued.access_code.encode() not in raw
    assert issued.link_path.endswith(issued.token) and "#" in issued.link_path
    effects = w.do(SYSTEM, RedeemInvitation(token=issued.token, access_code="abcde fghjk"))
    assert w.h.participants[issued.participant].room == LOBBY
    assert any(isinstance(e, Reply) for e in effects)
    again = w.do(SYSTEM, RedeemInvitation(token=issued.token, access_code=issued.access_code))
    assert [type(e.error) for e in again if isinstance(e, Fail)] == [Unauthenticated]


def test_invite_rules() -> None:
    w = world()
    a = w.side("A")
    with pytest.raises(Invalid):
        w.do("med", InviteParticipant(name="x", role=Role.PARTY))
    with pytest.raises(Invalid):
        w.do("med", InviteParticipant(name="x", role=Role.OBSERVER, side=a))
    with pytest.raises(Invalid):
        w.do("med", InviteParticipant(name="x", role=Role.MEDIATOR))
    pid = w.join("a1", Role.PARTY, a)
    with pytest.raises(Forbidden):
        w.do(pid, InviteParticipant(name="x", role=Role.OBSERVER))
    with pytest.raises(Forbidden):
        w.do(pid, AddSide(name="Z"))


def test_wrong_code_counted_then_rate_limited() -> None:
    w = world()
    issued = w.invite("Ann", Role.OBSERVER, None)
    for attempt in range(5):
        effects = w.do(SYSTEM, RedeemInvitation(token=issued.token, access_code="WRONG"))
        fail = next(e.error for e in effects if isinstance(e, Fail))
        if attempt < 4:  # the true reason, each time, and how many tries are left
            assert isinstance(fail, Unauthenticated) and fail.reason == "access_code_wrong"
            assert (fail.tries_left, fail.lock_s) == (4 - attempt, w.env.policy.code_block_ms // 1000)
            assert fail.envelope().tries_left == 4 - attempt
        else:  # the attempt that blocks the invitation says so at once
            assert isinstance(fail, RateLimited) and fail.reason == "too_many_attempts"
            assert fail.retry_after_s == w.env.policy.code_block_ms // 1000
        assert any(isinstance(e, Audit) and e.outcome is Outcome.DENIED for e in effects)
    effects = w.do(SYSTEM, RedeemInvitation(token=issued.token, access_code=issued.access_code))
    [blocked] = [e.error for e in effects if isinstance(e, Fail)]
    assert isinstance(blocked, RateLimited) and blocked.reason == "too_many_attempts"
    w.now += w.env.policy.code_block_ms
    # After the block, the count starts again: a full set of tries before the next one.
    effects = w.do(SYSTEM, RedeemInvitation(token=issued.token, access_code="WRONG"))
    [again] = [e.error for e in effects if isinstance(e, Fail)]
    assert again.reason == "access_code_wrong" and again.tries_left == 4
    w.do(SYSTEM, RedeemInvitation(token=issued.token, access_code=issued.access_code))


def test_expired_revoked_and_forged_tokens() -> None:
    w = world()
    issued = w.invite("Ann", Role.OBSERVER, None)
    forged = issued.token[:-4] + "AAAA"
    # Without the genuine secret: one answer for everything (a prober learns nothing).
    with pytest.raises(Unauthenticated) as refused:
        w.do(SYSTEM, RedeemInvitation(token=forged, access_code=issued.access_code))
    assert refused.value.reason == "invitation_invalid"
    other = issued.token.replace(w.h.id, "nothearing", 1)
    with pytest.raises(Unauthenticated) as refused:
        w.do(SYSTEM, RedeemInvitation(token=other, access_code=issued.access_code))
    assert refused.value.reason == "invitation_invalid"
    # With it: the true reason, so the holder knows what to ask the mediator for, and the
    # refusal audited with whose invitation it was (as a wrong access code is).
    def refused_as(token: str, code: str, reason: str) -> None:
        effects = w.do(SYSTEM, RedeemInvitation(token=token, access_code=code))
        [fail] = [e.error for e in effects if isinstance(e, Fail)]
        assert isinstance(fail, Unauthenticated) and fail.reason == reason
        [audit] = [e for e in effects if isinstance(e, Audit)]
        assert (audit.action, audit.outcome) == ("participant.redeem", Outcome.DENIED)
        assert audit.details == {"participant": w.h.invitations[audit.resource_id].participant,
                                 "reason": fail.message}
        assert token.split(".")[-1] not in str(audit.details) and code not in str(audit.details)

    w.now += w.env.policy.invitation_ttl_ms
    refused_as(issued.token, issued.access_code, "invitation_expired")
    w.now -= w.env.policy.invitation_ttl_ms
    w.do("med", RemoveParticipant(participant=issued.participant))
    # Removal revoked the invitation; the person is told (and the audit says) why: removed.
    refused_as(issued.token, issued.access_code, "participant_removed")
    assert w.h.invitations[issued.invitation].revoked
    used = w.invite("Bob", Role.OBSERVER, None)
    w.do(SYSTEM, RedeemInvitation(token=used.token, access_code=used.access_code))
    refused_as(used.token, used.access_code, "invitation_used")
    late = w.invite("Cy", Role.OBSERVER, None)
    w.do("med", End())
    refused_as(late.token, late.access_code, "hearing_ended")
    assert w.h.participants[late.participant].status is ParticipantStatus.INVITED


def test_a_used_link_says_so_only_with_its_access_code() -> None:
    # A walkthrough: a wrong code on a used link was told "already used… if it was not you,
    # someone else may have your link and access code" (the code was only mistyped), and a
    # link alone learnt that its person had joined.
    w = world()
    used = w.invite("Bob", Role.OBSERVER, None)
    w.do(SYSTEM, RedeemInvitation(token=used.token, access_code=used.access_code))
    limit = w.env.policy.max_code_failures

    def answer(code: str) -> SignallingError:
        [fail] = [e.error for e in w.do(SYSTEM, RedeemInvitation(token=used.token, access_code=code))
                  if isinstance(e, Fail)]
        return fail

    wrong = answer("WRONG-CODE1")
    assert (wrong.reason, wrong.tries_left) == ("access_code_wrong", limit - 1)
    assert w.h.invitations[used.invitation].failures == 1
    assert answer(used.access_code).reason == "invitation_used"
    for _ in range(limit - 1):
        answer("WRONG-CODE1")
    # Blocked as an unused link is: not even the right code is told anything until it ends.
    blocked = answer(used.access_code)
    assert isinstance(blocked, RateLimited) and blocked.reason == "too_many_attempts"
    w.now = w.h.invitations[used.invitation].blocked_until or 0
    assert answer(used.access_code).reason == "invitation_used"


def test_locked_hearing_admits_nobody_new() -> None:
    w = world()
    issued = w.invite("Ann", Role.OBSERVER, None)
    waiting = w.join("obs", Role.OBSERVER, None, admit=None)
    w.do("med", Lock(locked=True))
    effects = w.do(SYSTEM, RedeemInvitation(token=issued.token, access_code=issued.access_code))
    [refused] = [e.error for e in effects if isinstance(e, Fail)]
    assert isinstance(refused, Conflict) and refused.reason == "hearing_locked"
    assert w.h.participants[issued.participant].status is ParticipantStatus.INVITED
    # The mediator is told who was turned away; the refusal is audited.
    [told] = [e for e in effects if isinstance(e, Deliver)]
    assert told.to == "med" and told.message == Notice(kind=NoticeKind.LOCKED_OUT, text="Ann")
    assert [(a.action, a.outcome) for a in effects if isinstance(a, Audit)] == [
        ("participant.redeem", Outcome.DENIED)]
    with pytest.raises(Conflict):
        w.do("med", Admit(participant=waiting))
    w.do("med", Lock(locked=False))
    w.do("med", Admit(participant=waiting))
    assert w.h.participants[waiting].room == PLENARY


# ------------------------------------------------------------------ rooms


def test_admit_deny_and_lobby_sees_only_itself() -> None:
    w = world()
    a = w.side("A")
    p1 = w.join("a1", Role.PARTY, a, admit=None)
    p2 = w.join("a2", Role.COUNSEL, a, admit=None)
    effects = w.do("med", Admit(participant=p1, room=PLENARY))
    assert "participant.admit" in audits(effects)
    assert [type(d.message) for d in deliveries(effects, p2)] == []
    effects = w.do("med", Deny(participant=p2))
    assert w.h.participants[p2].status is ParticipantStatus.DENIED
    assert any(isinstance(e, CloseSessions) and e.participant == p2 for e in effects)
    to_p2 = deliveries(effects, p2)
    assert {type(d.message) for d in to_p2} <= {YouUpdate, PeerPlan, Notice}
    with pytest.raises(Forbidden):
        w.do(p2, Hand(raised=True))
    with pytest.raises(Conflict):
        w.do("med", Admit(participant=p1))


@pytest.mark.parametrize("cmd", [
    Admit(participant="med"), Deny(participant="med"), Move(participant="med", room=LOBBY),
    CaucusCreate(name="x"), CaucusClose(room="x"), Shuttle(room=PLENARY),
    CaucusTimer(room="x", seconds=5), Broadcast(text="hi"), Recall(), Lock(locked=True),
    Remove(participant="med"), End(), KnockDismiss(participant="med"),
])
def test_party_cannot_use_mediator_controls(cmd: object) -> None:
    w, _ = standard()
    for who in ("a1", "b2"):
        with pytest.raises(Forbidden):
            w.do(who, cmd)
    with pytest.raises(Forbidden):
        w.do(OTHER_MEDIATOR, cmd)
    with pytest.raises(Forbidden):
        w.do(ADMIN, cmd)


def test_participant_of_another_hearing_is_refused() -> None:
    w, ids = standard()
    stranger = Principal(kind=PrincipalKind.PARTICIPANT, id=ids["a1"], role=Role.PARTY,
                         hearing="otherhearing")
    with pytest.raises(Forbidden):
        w.do(stranger, ChatSend(text="hello"))


def test_move_to_caucus_plans_and_presence() -> None:
    w, ids = standard()
    c = caucus(w, "B caucus", w.sides["B"])
    effects = w.do("med", Move(participant=ids["b1"], room=c))
    plans = [(d.to, d.message) for d in deliveries(effects) if isinstance(d.message, PeerPlan)]
    # the caucus side (b1 now alone in c) is told first, with its drops
    assert plans[0][0] == ids["b1"]
    assert set(plans[0][1].drop) == {ids["a1"], ids["a2"], ids["b2"], "med"}
    assert "room.move" in audits(effects)
    with pytest.raises(Conflict):
        w.do("med", Move(participant=ids["a1"], room=c))  # side A into side B's caucus
    effects = w.do("med", Shuttle(room=c))
    plans = [(d.to, d.message) for d in deliveries(effects) if isinstance(d.message, PeerPlan)]
    assert [to for to, _ in plans][:2] == ["med", ids["b1"]] or \
        {to for to, _ in plans[:2]} == {"med", ids["b1"]}
    offer = {to: p.connect for to, p in plans if p.connect}
    assert offer["med"][0].offerer is True and offer[ids["b1"]][0].offerer is False
    assert all(isinstance(d.message, RoomUpdate | PeerPlan | YouUpdate | BoardUpdate)
               for d in deliveries(effects))


def test_leaving_a_caucus_the_confidential_side_drops_first() -> None:
    w, ids = standard()
    c = caucus(w, "B", w.sides["B"])
    w.do("med", Move(participant=ids["b1"], room=c))
    w.do("med", Move(participant=ids["b2"], room=c))
    w.do("med", Shuttle(room=c))
    effects = w.do("med", Move(participant=ids["b2"], room=PLENARY))
    order = [d.to for d in deliveries(effects) if isinstance(d.message, PeerPlan)]
    assert set(order[:2]) == {"med", ids["b1"]}  # still in the caucus: they drop b2 first
    assert set(order[2:]) == {ids["b2"], ids["a1"], ids["a2"]}
    first = next(d.message for d in deliveries(effects) if isinstance(d.message, PeerPlan))
    assert first.drop == [ids["b2"]] and first.connect == []
    everything = [d for d in deliveries(effects) if d.to in (ids["a1"], ids["a2"])]
    assert all(not isinstance(d.message, RoomUpdate) or d.message.room.id == PLENARY
               for d in everything)


def test_move_back_to_lobby_and_mediator_never_in_lobby() -> None:
    w, ids = standard()
    w.do("med", Move(participant=ids["a2"], room=LOBBY))
    assert w.h.participants[ids["a2"]].room == LOBBY
    with pytest.raises(Conflict):
        w.do("med", Move(participant="med", room=LOBBY))
    with pytest.raises(NotFound):
        w.do("med", Move(participant=ids["a1"], room="nowhere"))
    with pytest.raises(NotFound):
        w.do("med", Move(participant="nobody", room=PLENARY))


def test_close_caucus_returns_members_to_plenary_and_recall() -> None:
    w, ids = standard()
    ca, cb = caucus(w, "A", w.sides["A"]), caucus(w, "B", w.sides["B"])
    w.do("med", Move(participant=ids["a1"], room=ca))
    w.do("med", Move(participant=ids["a2"], room=ca))
    w.do("med", Move(participant=ids["b1"], room=cb))
    w.do("med", CaucusClose(room=ca))
    assert ca not in w.h.rooms
    assert w.h.participants[ids["a1"]].room == PLENARY
    with pytest.raises(Invalid):
        w.do("med", CaucusClose(room=PLENARY))
    w.do("med", Shuttle(room=cb))
    w.do("med", Recall())
    assert all(p.room == PLENARY for p in w.h.participants.values())


def test_caucus_timer_fires_notice_once() -> None:
    w, ids = standard()
    c = caucus(w)
    w.do("med", Move(participant=ids["b1"], room=c))
    w.do("med", CaucusTimer(room=c, seconds=60))
    assert w.h.rooms[c].deadline == w.now + 60_000
    w.now += 59_999
    assert not [d for d in deliveries(w.do("med", Sweep())) if isinstance(d.message, Notice)]
    w.now += 1
    notices = [d for d in deliveries(w.do("med", Sweep())) if isinstance(d.message, Notice)]
    assert {d.to for d in notices} == {ids["b1"], "med"}
    assert not [d for d in deliveries(w.do("med", Sweep())) if isinstance(d.message, Notice)]
    with pytest.raises(Invalid):
        w.do("med", CaucusTimer(room=PLENARY, seconds=5))


def test_broadcast_reaches_rooms_not_lobby() -> None:
    w, ids = standard()
    c = caucus(w)
    w.do("med", Move(participant=ids["b1"], room=c))
    w.do("med", Move(participant=ids["a2"], room=LOBBY))
    effects = w.do("med", Broadcast(text="Ten minutes"))
    got = {d.to for d in deliveries(effects) if isinstance(d.message, Notice)}
    assert got == {"med", ids["a1"], ids["b1"], ids["b2"]}


def test_remove_revokes_and_ends_sessions() -> None:
    w, ids = standard()
    was = w.h.participants[ids["b2"]].room
    effects = w.do("med", Remove(participant=ids["b2"]))
    assert w.h.participants[ids["b2"]].status is ParticipantStatus.REMOVED
    assert all(inv.revoked for inv in w.h.invitations.values()
               if inv.participant == ids["b2"])
    assert any(isinstance(e, CloseSessions) and e.participant == ids["b2"] for e in effects)
    assert "participant.remove" in audits(effects)
    # The entry says where they were removed from (the auditor reads "removed from the lobby").
    assert [e.details for e in effects if isinstance(e, Audit)
            and e.action == "participant.remove"] == [{"from": was}]
    with pytest.raises(Forbidden):
        w.do(ids["b2"], ChatSend(text="still here?"))
    with pytest.raises(Invalid):
        w.do("med", Remove(participant="med"))


def test_end_drops_everyone() -> None:
    w, ids = standard()
    effects = w.do("med", End())
    for pid in ids.values():
        plan = [d.message for d in deliveries(effects, pid) if isinstance(d.message, PeerPlan)]
        assert plan and plan[0].connect == [] and plan[0].keep == []
        assert any(isinstance(d.message, Notice) and d.message.kind is NoticeKind.ENDED
                   for d in deliveries(effects, pid))
    assert w.h.state is HearingState.CLOSED
    assert all(inv.revoked for inv in w.h.invitations.values())


# ------------------------------------------------------------------ participant actions


def test_knock_queue_visible_to_mediator_only() -> None:
    w, ids = standard()
    c = caucus(w)
    w.do("med", Move(participant=ids["b1"], room=c))
    effects = w.do(ids["b1"], Knock())
    q = [d for d in deliveries(effects) if isinstance(d.message, KnocksUpdate)]
    assert [d.to for d in q] == ["med"]
    assert q[0].message.knocks[0].participant == ids["b1"]  # type: ignore[union-attr]
    assert "room.knock" in audits(effects)
    assert w.do(ids["b1"], Knock()) == []  # idempotent
    w.do("med", KnockDismiss(participant=ids["b1"]))
    assert w.h.knocks == ()
    w.do(ids["b1"], Knock())
    w.do("med", Move(participant=ids["b1"], room=PLENARY))
    assert w.h.knocks == ()  # moving the knocker answers the knock
    with pytest.raises(Invalid):
        w.do("med", Knock())


def test_hand_mute_and_chat_stay_in_room() -> None:
    w, ids = standard()
    c = caucus(w)
    w.do("med", Move(participant=ids["b1"], room=c))
    w.do("med", Move(participant=ids["b2"], room=c))
    effects = w.do(ids["b1"], ChatSend(text="our bottom line"))
    assert {d.to for d in deliveries(effects)} == {ids["b1"], ids["b2"]}
    assert all(isinstance(d.message, ChatMessage) for d in deliveries(effects))
    assert "our bottom line" not in encode_hearing(w.h).decode()
    effects = w.do(ids["a1"], Hand(raised=True))
    assert {d.to for d in deliveries(effects) if isinstance(d.message, RoomUpdate)} == \
        {"med", ids["a1"], ids["a2"]}
    effects = w.do(ids["b2"], Mute(muted=True))
    assert {d.to for d in deliveries(effects) if isinstance(d.message, RoomUpdate)} == \
        {ids["b1"], ids["b2"]}
    w.do("med", Move(participant=ids["a2"], room=LOBBY))
    with pytest.raises(Forbidden):
        w.do(ids["a2"], ChatSend(text="anyone?"))


def test_peer_state_reports_are_audited_and_shown() -> None:
    w, ids = standard()
    effects = w.do(ids["a1"], PeerStateReport(peer=ids["b1"], state=PeerConnState.CONNECTED))
    audit = next(e for e in effects if isinstance(e, Audit))
    assert audit.action == "room.peer_state" and audit.details["same_room"] is True
    assert w.h.participants[ids["a1"]].links == {ids["b1"]: PeerConnState.CONNECTED}
    c = caucus(w)
    w.do("med", Move(participant=ids["b1"], room=c))
    assert w.h.participants[ids["a1"]].links == {}
    effects = w.do(ids["a1"], PeerStateReport(peer=ids["b1"], state=PeerConnState.CONNECTED))
    audit = next(e for e in effects if isinstance(e, Audit))
    assert audit.details["same_room"] is False
    assert w.h.participants[ids["a1"]].links == {}


def test_detail_and_rejects_unknown_commands() -> None:
    w, ids = standard()
    d = detail(w.h, w.now)
    assert {r.id for r in d.roster} == set(ids.values())
    with pytest.raises(Invalid):
        apply(w.h, MEDIATOR, object(), w.now, w.env)
