"""A new link for someone already on the roster (services/signalling/joining.py): the same
participant gets a fresh invitation, earlier unused ones stop working, and redeeming it on a new
device ends the old device's sessions and puts the person in the lobby."""

from __future__ import annotations

import pytest
from sighelp import ADMIN, OTHER_MEDIATOR, SYSTEM, audits, world

from proto.common import Language, Role
from proto.principal import Principal
from proto.signalling import (
    InvitationIssued,
    InviteParticipant,
    RedeemInvitation,
    ReissueInvitationCommand,
    RemoveParticipant,
)
from proto.ws import Admit, Deny, End, Lock
from services.signalling.effects import Audit, CloseSessions, Fail, Reply
from services.signalling.errors import Conflict, Forbidden, Invalid, Unauthenticated
from services.signalling.joining import REISSUE_RULES
from services.signalling.model import LOBBY, PLENARY, ParticipantStatus


def _reissue(w: object, pid: str, who: str | Principal = "med") -> InvitationIssued:
    effects = w.do(who, ReissueInvitationCommand(participant=pid))  # type: ignore[attr-defined]
    issued = next(e.value for e in effects if isinstance(e, Reply))
    assert isinstance(issued, InvitationIssued)
    return issued


def _refusal(effects: list[object]) -> Exception | None:
    return next((e.error for e in effects if isinstance(e, Fail)), None)


def _redeem(w: object, issued: InvitationIssued) -> list[object]:
    return w.do(SYSTEM, RedeemInvitation(  # type: ignore[attr-defined,no-any-return]
        token=issued.token, access_code=issued.access_code))


def _redeem_refused(w: object, issued: InvitationIssued) -> str | None:
    """The refusal's reason, whether the core raised it or returned it as `Fail`."""
    try:
        effects = _redeem(w, issued)
    except Unauthenticated as exc:
        return exc.reason
    failure = _refusal(effects)
    return getattr(failure, "reason", None)


def test_reissue_for_someone_invited_revokes_the_old_link_and_keeps_the_person() -> None:
    w = world()
    a = w.side("A")
    effects = w.do("med", InviteParticipant(name="Ann", role=Role.PARTY, side=a,
                                            language=Language.ZH_HANT))
    first = next(e.value for e in effects if isinstance(e, Reply))
    assert isinstance(first, InvitationIssued)
    before = w.h.participants[first.participant]
    effects = w.do("med", ReissueInvitationCommand(participant=first.participant))
    second = next(e.value for e in effects if isinstance(e, Reply))
    assert isinstance(second, InvitationIssued)
    # The same person: id, name, role, side; a new invitation, secret and code; same language.
    assert second.participant == first.participant
    assert w.h.participants[first.participant] == before
    assert second.invitation != first.invitation and second.token != first.token
    assert second.language is Language.ZH_HANT and second.link_path.endswith("&lang=zh-Hant")
    assert w.h.invitations[first.invitation].revoked
    assert not w.h.invitations[second.invitation].revoked
    # Audited once, naming what it revoked, never a secret.
    [audit] = [e for e in effects if isinstance(e, Audit)]
    assert (audit.action, audit.resource_id) == ("participant.reissue", first.participant)
    assert audit.details["revoked"] == first.invitation
    assert audit.details["invitation"] == second.invitation
    for secret in (second.token, second.token.split(".")[-1], second.access_code):
        assert secret not in str(audit.details)
    # The old link is withdrawn as replaced (its page says to use the latest message); the
    # new one joins the same participant.
    assert w.h.invitations[first.invitation].replaced
    assert _redeem_refused(w, first) == "invitation_replaced"
    _redeem(w, second)
    assert w.h.participants[first.participant].status is ParticipantStatus.ACTIVE
    assert len(w.h.participants) == 2  # the mediator and Ann: nobody new


def test_new_link_redeemed_on_a_new_device_takes_over_from_the_old_one() -> None:
    w = world()
    a = w.side("A")
    pid = w.join("Ann", Role.PARTY, a)  # redeemed, connected, admitted to plenary
    w.join("Bo", Role.PARTY, a)
    assert w.h.participants[pid].room == PLENARY and w.h.participants[pid].conns
    issued = _reissue(w, pid)
    # Issuing changes nothing for the person until the link is used.
    assert w.h.participants[pid].room == PLENARY and w.h.participants[pid].conns
    effects = _redeem(w, issued)
    p = w.h.participants[pid]
    assert p.status is ParticipantStatus.ACTIVE and p.id == pid
    # The old device's sockets are out of the room at once and its sessions end ("replaced").
    assert p.room == LOBBY and p.conns == () and not p.hand
    assert [e for e in effects if isinstance(e, CloseSessions)] == [CloseSessions(pid, "replaced")]
    assert w.h.rooms[PLENARY].epoch > 0
    [audit] = [e for e in effects if isinstance(e, Audit) and e.action == "participant.redeem"]
    assert audit.details == {"participant": pid, "replaced": True}
    # The new device connects to the same participant and is admitted again by the mediator.
    w.connect(pid)
    w.do("med", Admit(participant=pid, room=PLENARY))
    assert w.h.participants[pid].room == PLENARY


def test_new_link_for_someone_admitted_before_works_in_a_locked_hearing() -> None:
    w = world()
    a = w.side("A")
    pid = w.join("Ann", Role.PARTY, a)
    fresh = w.invite("Cy", Role.PARTY, a)
    w.do("med", Lock(locked=True))
    issued = _reissue(w, pid)
    _redeem(w, issued)
    assert w.h.participants[pid].room == LOBBY
    # Someone never admitted is still kept out by the lock.
    assert _redeem_refused(w, fresh) == "hearing_locked"


def test_who_may_get_a_new_link() -> None:
    w = world()
    a = w.side("A")
    assert REISSUE_RULES[ParticipantStatus.INVITED] is None
    assert REISSUE_RULES[ParticipantStatus.ACTIVE] is None
    # Only this hearing's mediator: a party, an admin, another mediator cannot.
    pid = w.join("Ann", Role.PARTY, a)
    for who in (w.principals[pid], ADMIN, OTHER_MEDIATOR):
        with pytest.raises(Forbidden):
            w.do(who, ReissueInvitationCommand(participant=pid))
    assert audits(w.log).count("participant.reissue") == 0
    with pytest.raises(Invalid):
        w.do("med", ReissueInvitationCommand(participant="med"))
    # Someone denied or removed: refused with the reason the page shows.
    lobby = w.join("Bo", Role.PARTY, a, admit=None)
    w.do("med", Deny(participant=lobby))
    with pytest.raises(Conflict) as refused:
        w.do("med", ReissueInvitationCommand(participant=lobby))
    assert refused.value.reason == "participant_denied"
    gone = w.invite("Cy", Role.PARTY, a)
    w.do("med", RemoveParticipant(participant=gone.participant))
    with pytest.raises(Conflict) as refused:
        w.do("med", ReissueInvitationCommand(participant=gone.participant))
    assert refused.value.reason == "participant_removed"
    # A link issued before a denial stops working with it; one replaced before the denial is
    # not said to have a newer link (the newer one does not work either).
    late = w.join("Di", Role.PARTY, a, admit=None)
    older = _reissue(w, late)
    spare = _reissue(w, late)
    w.do("med", Deny(participant=late))
    assert _redeem_refused(w, spare) == "invitation_revoked"
    assert _redeem_refused(w, older) == "invitation_revoked"
    assert w.h.participants[late].status is ParticipantStatus.DENIED
    # The hearing ended: no new links.
    w.do("med", End())
    with pytest.raises(Conflict):
        w.do("med", ReissueInvitationCommand(participant=pid))
