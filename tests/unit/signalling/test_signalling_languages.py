"""Cross-border hearings through the pure core: an invitation keeps the language the mediator
wrote it in (its link names it, so the person's pages open in it), and a side's caucus left with
its default name stores no text in anyone's language: each reader's screen names it after the
side (`RoomView.side_name`), so it also follows a side rename, while a typed name stays as typed.
"""

from __future__ import annotations

import msgspec
import pytest
from sighelp import audits, caucus, deliveries, reply_of, world

from proto.common import Language, Role
from proto.signalling import (
    InvitationIssued,
    InviteeRole,
    InviteParticipant,
    RenameSideCommand,
    SideRenamed,
)
from proto.ws import BoardUpdate, CaucusCreate, RoomUpdate
from services.signalling.effects import Audit, Reply
from services.signalling.errors import Invalid
from services.signalling.model import decode_hearing, encode_hearing
from services.signalling.view import board


def test_an_invitation_keeps_its_language_and_its_link_names_it() -> None:
    w = world()
    a = w.side("Claimant")
    effects = w.do("med", InviteParticipant(name="陳大文", role=InviteeRole.PARTY, side=a,
                                            language=Language.ZH_HANT))
    issued = reply_of(effects)
    assert isinstance(issued, InvitationIssued)
    assert issued.language is Language.ZH_HANT
    assert issued.link_path == f"/join#t={issued.token}&lang=zh-Hant"
    # Kept with the invitation (through the store's encoding too), and in the audit trail.
    stored = decode_hearing(encode_hearing(w.h)).invitations[issued.invitation]
    assert stored.language is Language.ZH_HANT
    [event] = [e for e in effects if isinstance(e, Audit)]
    assert event.details["language"] == "zh-Hant"
    # Not chosen: no language in the link (the person's browser decides), as before.
    plain = w.invite("Ann", Role.PARTY, a)
    assert plain.language is None and plain.link_path == f"/join#t={plain.token}"
    assert w.h.invitations[plain.invitation].language is None


def test_only_the_languages_parley_speaks_are_accepted() -> None:
    body = b'{"name": "Ann", "role": "party", "side": "s1", "language": "%s"}'
    for lang in ("en", "zh-Hant", "zh-Hans"):
        assert msgspec.json.decode(body % lang.encode(), type=InviteParticipant).language == lang
    for wrong in ("fr", "zh", "zh-hant", "ZH-HANT", ""):
        with pytest.raises(msgspec.ValidationError):
            msgspec.json.decode(body % wrong.encode(), type=InviteParticipant)


def test_a_default_named_caucus_stores_no_text_and_is_named_after_its_side() -> None:
    w = world()
    a = w.side("Claimant")
    w.side("Respondent")
    ann = w.join("Ann", Role.PARTY, a)
    effects = w.do("med", CaucusCreate(side=a, move_side=True))
    room = next(e.value.room for e in effects if isinstance(e, Reply))  # type: ignore[attr-defined]
    assert w.h.rooms[room].name == ""
    [event] = [e for e in effects if isinstance(e, Audit) and e.action == "room.caucus_create"]
    assert event.details["name"] == "" and event.details["side"] == a
    # Ann's banner and the mediator's board get the side's name to name it in their language.
    [seen] = [d.message.room for d in deliveries(effects, ann) if isinstance(d.message, RoomUpdate)]
    assert (seen.id, seen.name, seen.side_name) == (room, "", "Claimant")
    [shown] = [d.message.board for d in deliveries(effects, "med") if isinstance(d.message, BoardUpdate)]
    [on_board] = [r for r in shown.rooms if r.id == room]
    assert (on_board.name, on_board.side_name) == ("", "Claimant")
    # A name the mediator typed is kept as typed, and needs no side name.
    typed = caucus(w, "Claimant caucus (morning)", a)
    [view] = [r for r in board(w.h).rooms if r.id == typed]
    assert (view.name, view.side_name) == ("Claimant caucus (morning)", None)


def test_a_caucus_without_a_side_must_be_named() -> None:
    w = world()
    with pytest.raises(Invalid):
        w.do("med", CaucusCreate())
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"type": "caucus.create", "name": "   "}', type=CaucusCreate)
    assert [r.name for r in w.h.rooms.values()] == ["Lobby", "Plenary"]


def test_a_side_rename_renames_its_default_named_caucus_without_touching_it() -> None:
    w = world()
    a = w.side("Claimant")
    ann = w.join("Ann", Role.PARTY, a)
    default = caucus(w, "", a, move=True)
    typed = caucus(w, "Claimant caucus", a)  # typed so (or stored so by an earlier release)
    kept = caucus(w, "Breakout", a)
    effects = w.do("med", RenameSideCommand(side=a, name="Chan Holdings"))
    reply = reply_of(effects)
    assert isinstance(reply, SideRenamed) and reply.caucuses_renamed == 2
    assert [w.h.rooms[r].name for r in (default, typed, kept)] == ["", "Chan Holdings caucus", "Breakout"]
    [seen] = [d.message.room for d in deliveries(effects, ann) if isinstance(d.message, RoomUpdate)]
    assert (seen.id, seen.name, seen.side_name) == (default, "", "Chan Holdings")
    # A colour alone renames nothing.
    again = w.do("med", RenameSideCommand(side=a, colour="e"))
    assert "hearing.side_rename" in audits(again)
    assert reply_of(again).caucuses_renamed == 0  # type: ignore[attr-defined]
