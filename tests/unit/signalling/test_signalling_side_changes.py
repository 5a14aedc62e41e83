"""Renaming and removing a side (services/signalling/sides.py), through the pure core.

A rename keeps the side's id (its people, caucus and documents stay tied to it) under the same
rules as adding one, and the caucus named after the side follows it; everyone who shows the
side (the mediator's board, the caucus's banner) is told at once. A side is removed only while
nobody belongs to it: the refusals come in the order of `REMOVAL_RULES`, each with its reason.
"""

from __future__ import annotations

import pytest
from sighelp import ADMIN, audits, caucus, deliveries, reply_of, world

from proto.common import Role
from proto.signalling import (
    AddSide,
    RemoveParticipant,
    RemoveSide,
    RenameSideCommand,
    SideRemoved,
    SideRenamed,
)
from proto.ws import BoardUpdate, CaucusClose, End, RoomUpdate
from services.signalling.effects import Audit
from services.signalling.errors import Conflict, Forbidden, NotFound
from services.signalling.sides import REMOVAL_RULES, removal_refusal


def test_a_rename_changes_name_and_colour_and_the_caucus_named_after_the_side() -> None:
    w = world()
    a = w.side("Claimant")
    w.side("Respondent")
    a1 = w.join("Ann", Role.PARTY, a)
    named = caucus(w, "Claimant caucus", a, move=True)
    chosen = caucus(w, "Breakout", a)
    effects = w.do("med", RenameSideCommand(side=a, name="Chan Holdings", colour="e"))
    reply = reply_of(effects)
    assert isinstance(reply, SideRenamed)
    assert (reply.side.id, reply.side.name, reply.side.colour) == (a, "Chan Holdings", "e")
    assert reply.caucuses_renamed == 1
    assert w.h.sides[a].name == "Chan Holdings" and w.h.sides[a].colour == "e"
    assert w.h.rooms[named].name == "Chan Holdings caucus"
    assert w.h.rooms[chosen].name == "Breakout"  # named otherwise by the mediator: kept
    [event] = [e for e in effects if isinstance(e, Audit)]
    assert (event.action, event.resource_type, event.resource_id) == ("hearing.side_rename", "side", a)
    assert event.details == {"name": "Chan Holdings", "colour": "e", "previous_name": "Claimant",
                             "previous_colour": "a", "caucuses_renamed": 1}
    # The board shows the new side; Ann's banner the caucus's new name in the new colour.
    [board] = [d.message for d in deliveries(effects, "med") if isinstance(d.message, BoardUpdate)]
    assert {(s.name, s.colour) for s in board.board.sides} == {("Chan Holdings", "e"),
                                                                ("Respondent", "b")}
    [room] = [d.message for d in deliveries(effects, a1) if isinstance(d.message, RoomUpdate)]
    assert (room.room.id, room.room.name, room.room.colour) == (named, "Chan Holdings caucus", "e")


def test_a_rename_follows_the_adding_rules_against_the_other_sides_only() -> None:
    w = world()
    a = w.side("Claimant")
    w.do("med", AddSide(name="Respondent", colour="c"))
    with pytest.raises(Conflict) as refused:
        w.do("med", RenameSideCommand(side=a, name="  respondent "))
    assert refused.value.reason == "side_name_taken"
    with pytest.raises(Conflict) as refused:
        w.do("med", RenameSideCommand(side=a, colour="c"))
    assert refused.value.reason == "side_colour_taken"
    assert w.h.sides[a].name == "Claimant" and w.h.sides[a].colour == "a"
    # Its own name, written otherwise, is no clash; its own name and colour again change nothing.
    w.do("med", RenameSideCommand(side=a, name="CLAIMANT"))
    assert w.h.sides[a].name == "CLAIMANT"
    same = w.do("med", RenameSideCommand(side=a, name="CLAIMANT", colour="a"))
    assert audits(same) == [] and isinstance(reply_of(same), SideRenamed)


def test_only_the_hearings_mediator_renames_or_removes_and_never_once_it_ended() -> None:
    w = world()
    a = w.side("Claimant")
    w.join("Ann", Role.PARTY, w.side("Respondent"))
    for who in ("Ann", ADMIN):
        for command in (RenameSideCommand(side=a, name="X"), RemoveSide(side=a)):
            with pytest.raises(Forbidden):
                w.do(who, command)
    for command in (RenameSideCommand(side="nope", name="X"), RemoveSide(side="nope")):
        with pytest.raises(NotFound):
            w.do("med", command)
    w.do("med", End())
    for command in (RenameSideCommand(side=a, name="X"), RemoveSide(side=a)):
        with pytest.raises(Conflict):
            w.do("med", command)
    assert w.h.sides[a].name == "Claimant"


def test_a_side_nobody_belongs_to_is_removed_and_the_board_says_so() -> None:
    w = world()
    a = w.side("Claimant")
    b = w.side("Respondent")
    effects = w.do("med", RemoveSide(side=b))
    assert reply_of(effects) == SideRemoved(side=b)
    assert list(w.h.sides) == [a]
    [event] = [e for e in effects if isinstance(e, Audit)]
    assert (event.action, event.resource_id, event.details) == (
        "hearing.side_remove", b, {"name": "Respondent", "colour": "b"})
    [board] = [d.message for d in deliveries(effects, "med") if isinstance(d.message, BoardUpdate)]
    assert [s.id for s in board.board.sides] == [a]
    # Its name and colour are free again.
    w.do("med", AddSide(name="Respondent", colour="b"))


def test_a_side_with_an_invitation_is_kept_until_the_invitation_is_revoked() -> None:
    w = world()
    a = w.side("Claimant")
    invited = w.invite("Ann", Role.PARTY, a)
    with pytest.raises(Conflict) as refused:
        w.do("med", RemoveSide(side=a))
    assert refused.value.reason == "side_invited"
    assert "revoke" in refused.value.message
    w.do("med", RemoveParticipant(participant=invited.participant))  # revoked, never used
    assert removal_refusal(w.h, a) is None
    w.do("med", RemoveSide(side=a))
    assert a not in w.h.sides


def test_a_side_someone_joined_stays_even_after_they_were_removed() -> None:
    w = world()
    a = w.side("Claimant")
    ann = w.join("Ann", Role.PARTY, a, admit=None)  # redeemed: waiting in the lobby
    with pytest.raises(Conflict) as refused:
        w.do("med", RemoveSide(side=a))
    assert refused.value.reason == "side_joined"
    w.do("med", RemoveParticipant(participant=ann))
    with pytest.raises(Conflict) as refused:
        w.do("med", RemoveSide(side=a))
    assert refused.value.reason == "side_joined"  # their documents and trail name the side
    assert a in w.h.sides


def test_a_side_with_a_caucus_is_kept_until_the_caucus_is_closed() -> None:
    w = world()
    a = w.side("Claimant")
    room = caucus(w, "Claimant caucus", a)
    with pytest.raises(Conflict) as refused:
        w.do("med", RemoveSide(side=a))
    assert refused.value.reason == "side_caucus"
    w.do("med", CaucusClose(room=room))
    w.do("med", RemoveSide(side=a))
    assert a not in w.h.sides


def test_the_removal_rules_are_checked_in_their_order() -> None:
    assert [r.reason for r in REMOVAL_RULES] == ["side_joined", "side_invited", "side_caucus"]
    w = world()
    a = w.side("Claimant")
    caucus(w, "Claimant caucus", a)
    w.invite("Bo", Role.COUNSEL, a)
    refusal = removal_refusal(w.h, a)
    assert refusal is not None and refusal.reason == "side_invited"  # before the caucus
    w.join("Ann", Role.PARTY, a, admit=None)
    refusal = removal_refusal(w.h, a)
    assert refusal is not None and refusal.reason == "side_joined"  # before the invitation
    assert removal_refusal(w.h, w.side("Respondent")) is None
