"""The set-up page's roster (services/signalling/view.py `detail`) carries when each person first
joined, whichever of their invitations they used: a person who joined, was sent a new link and
was then removed is someone removed by the mediator, not an invitation withdrawn."""

from __future__ import annotations

from sighelp import World, world

from proto.common import Role
from proto.signalling import (
    InvitationIssued,
    ReissueInvitationCommand,
    RemoveParticipant,
    RosterEntry,
)
from services.signalling.effects import Reply
from services.signalling.view import detail


def _entry(w: World, pid: str) -> RosterEntry:
    return next(e for e in detail(w.h, w.now).roster if e.id == pid)


def test_someone_who_joined_then_got_a_new_link_and_was_removed_still_reads_as_joined() -> None:
    w = world()
    a = w.side("A")
    pid = w.join("Ann", Role.PARTY, a)
    joined = _entry(w, pid).joined_at
    assert joined is not None
    effects = w.do("med", ReissueInvitationCommand(participant=pid))
    assert any(isinstance(e, Reply) and isinstance(e.value, InvitationIssued) for e in effects)
    w.do("med", RemoveParticipant(participant=pid))
    entry = _entry(w, pid)
    # The latest invitation (the new link) was withdrawn with the removal; the person had joined.
    assert (entry.status, entry.invitation) == ("removed", "revoked")
    assert entry.joined_at == joined


def test_someone_never_joined_has_no_join_time() -> None:
    w = world()
    a = w.side("A")
    w.invite("Bo", Role.PARTY, a)
    [entry] = [e for e in detail(w.h, w.now).roster if e.name == "Bo"]
    assert entry.joined_at is None
    w.do("med", RemoveParticipant(participant=entry.id))
    [entry] = [e for e in detail(w.h, w.now).roster if e.name == "Bo"]
    assert (entry.status, entry.invitation, entry.joined_at) == ("removed", "revoked", None)
