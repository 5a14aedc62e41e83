"""The mediator's name in a hearing: taken from the create command the gateway sends, shown on
every view and chat line, audited; a hearing without one (or with the placeholder every hearing
held before staff had display names) shows no name, so screens say the role."""

from __future__ import annotations

import typing

import msgspec
import pytest
from sighelp import ADMIN, MEDIATOR, OTHER_MEDIATOR, World, audits, det_env

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import CreateHearing, CreateHearingCommand, OpenHearing, RenameMediator
from proto.text import clean_text
from proto.ws import (
    MEDIATOR_COMMANDS,
    Admit,
    ChatMessage,
    ChatSend,
    ClientMessage,
    End,
    RoomUpdate,
    YouUpdate,
)
from services.signalling.core import apply, create
from services.signalling.effects import Audit, Deliver
from services.signalling.errors import Conflict, Forbidden, Invalid
from services.signalling.model import LEGACY_MEDIATOR_NAME, Hearing, shown_name
from services.signalling.view import detail, self_view, snapshot

AUDITOR = Principal(kind=PrincipalKind.ACCOUNT, id="aud", role=Role.AUDITOR)


def _world(h: Hearing) -> World:
    w = World(h=h, env=det_env(), principals={"med": MEDIATOR})
    w.connect("med")
    w.do("med", OpenHearing())
    return w


def _hearing(name: str | None) -> Hearing:
    cmd = CreateHearing(title="Matter") if name is None \
        else CreateHearingCommand(title="Matter", mediator_name=name)
    h, effects = create(MEDIATOR, cmd, 1_000_000, det_env())
    assert audits(effects) == ["hearing.create"]
    audit = next(e for e in effects if isinstance(e, Audit))
    assert audit.details is not None
    assert audit.details["mediator_name"] == ("" if name is None else clean_text(name))
    return h


def test_the_mediator_is_named_as_the_command_says_on_every_view() -> None:
    w = _world(_hearing(" Ms Anna Lee\u202e "))
    a = w.side("A")
    party = w.join("Pat Party", Role.PARTY, a, admit=None)  # waits in the lobby
    lobby = snapshot(w.h, party)
    assert lobby.you.mediator_name == "Ms Anna Lee" and lobby.room is None
    w.do("med", Admit(participant=party))
    seen = snapshot(w.h, party)
    assert seen.room is not None
    assert {m.id: m.name for m in seen.room.members}["med"] == "Ms Anna Lee"
    board = snapshot(w.h, "med").board
    assert board is not None
    assert "Ms Anna Lee" in [m.name for r in board.rooms for m in r.members]
    assert {e.id: e.name for e in detail(w.h, w.now).roster}["med"] == "Ms Anna Lee"
    lines = [e.message for e in w.do("med", ChatSend(text="Welcome"))
             if isinstance(e, Deliver) and isinstance(e.message, ChatMessage) and e.to == party]
    assert [m.name for m in lines] == ["Ms Anna Lee"]


@pytest.mark.parametrize("name", [None, "", LEGACY_MEDIATOR_NAME])
def test_a_mediator_without_a_name_is_shown_with_none(name: str | None) -> None:
    h = _hearing(name)
    if name == LEGACY_MEDIATOR_NAME:  # a record written before display names existed
        assert h.participants["med"].name == LEGACY_MEDIATOR_NAME
    w = _world(h)
    party = w.join("Pat Party", Role.OBSERVER)
    assert self_view(w.h, w.h.participants[party]).mediator_name == ""
    room = snapshot(w.h, party).room
    assert room is not None
    assert {m.id: m.name for m in room.members} == {"med": "", party: "Pat Party"}
    # Only a mediator's placeholder is no name: a party may be called "Mediator".
    other = w.join(LEGACY_MEDIATOR_NAME, Role.OBSERVER)
    assert shown_name(w.h.participants[other]) == LEGACY_MEDIATOR_NAME


def test_the_command_bounds_and_cleans_the_name() -> None:
    def decode(body: dict[str, object]) -> CreateHearingCommand:
        return msgspec.json.decode(msgspec.json.encode(body), type=CreateHearingCommand)

    assert decode({"title": "T", "mediator_name": "Dr\x00 Chan"}).mediator_name == "Dr Chan"
    for bad in ("x" * 101, "\u200b\u202e"):
        with pytest.raises(msgspec.ValidationError):
            decode({"title": "T", "mediator_name": bad})
    # The REST request has no such field: the name comes from the mediator's account only.
    with pytest.raises(msgspec.ValidationError, match="mediator_name"):
        msgspec.json.decode(b'{"title": "T", "mediator_name": "Someone"}', type=CreateHearing)


def test_no_command_a_participant_may_send_carries_a_name() -> None:
    """A participant cannot rename anyone: the only WebSocket commands with a name field (a
    caucus's) are the mediator's. The REST side: tests/integration/identity (PATCH /api/v1/me and
    /api/v1/accounts refuse participants)."""
    commands = typing.get_args(ClientMessage)
    named = {c for c in commands
             if any("name" in f.name for f in msgspec.structs.fields(c))}
    assert named and named <= set(MEDIATOR_COMMANDS)


def test_a_rename_reaches_every_page_live_and_is_audited() -> None:
    w = _world(_hearing("Ms Anna Lee"))
    a = w.side("A")
    waiting = w.join("Pat Party", Role.PARTY, a, admit=None)
    seated = w.join("Chris Counsel", Role.COUNSEL, a)
    effects = w.do(ADMIN, RenameMediator(mediator="med", name="Dr Anna Lee\u200b"))
    assert audits(effects) == ["hearing.mediator_rename"]
    you = [e.message.you for e in effects
           if isinstance(e, Deliver) and isinstance(e.message, YouUpdate) and e.to == waiting]
    assert [v.mediator_name for v in you] == ["Dr Anna Lee"]
    rooms = [e.message.room for e in effects
             if isinstance(e, Deliver) and isinstance(e.message, RoomUpdate) and e.to == seated]
    assert [{m.id: m.name for m in r.members}["med"] for r in rooms] == ["Dr Anna Lee"]
    assert w.do(MEDIATOR, RenameMediator(mediator="med", name="Dr Anna Lee")) == []  # no change


def test_only_an_admin_or_the_mediator_renames_and_never_an_ended_hearing() -> None:
    w = _world(_hearing("Ms Anna Lee"))
    party = w.join("Pat Party", Role.OBSERVER)
    for who in (w.principals[party], OTHER_MEDIATOR, AUDITOR):
        with pytest.raises(Forbidden):
            apply(w.h, who, RenameMediator(mediator="med", name="Mallory"), w.now, w.env)
    with pytest.raises(Invalid):  # another mediator's name is not this hearing's
        apply(w.h, ADMIN, RenameMediator(mediator="med2", name="X"), w.now, w.env)
    w.do("med", End())
    with pytest.raises(Conflict):
        apply(w.h, ADMIN, RenameMediator(mediator="med", name="Dr Anna Lee"), w.now, w.env)
    assert w.h.participants["med"].name == "Ms Anna Lee"
