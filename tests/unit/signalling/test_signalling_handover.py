"""Handing a hearing over to another mediator (services/signalling/handover.py), and what an
offline mediator is shown as: nobody hears you through a page that is gone."""

from __future__ import annotations

import msgspec
import pytest
from sighelp import ADMIN, MEDIATOR, OTHER_MEDIATOR, World, audits, world

from proto.common import Role
from proto.signalling import HANDED_AWAY_DAYS, CloseHearing, HandOverCommand
from proto.ws import (
    Admit,
    End,
    PeerConnState,
    PeerPlan,
    PeerStateReport,
    RoomUpdate,
    YouUpdate,
)
from services.signalling.core import apply
from services.signalling.effects import Audit, CloseSessions, Deliver
from services.signalling.errors import Conflict, Forbidden
from services.signalling.handover import HANDED_OVER, former_mediator, handed_away
from services.signalling.model import PLENARY
from services.signalling.view import detail, room_view, snapshot, summary

TO_MED2 = HandOverCommand(account=OTHER_MEDIATOR.id, mediator_name="Mr Lee")


def _linked(w: World) -> str:
    """A party in plenary with the mediator, each reporting a connected link to the other."""
    party = w.join("Pat", Role.PARTY, w.side("A"))
    w.do("med", PeerStateReport(peer=party, state=PeerConnState.CONNECTED))
    w.do(party, PeerStateReport(peer="med", state=PeerConnState.CONNECTED))
    return party


def _hearers_of(w: World, party: str) -> list[str]:
    return [m.id for m in room_view(w.h, PLENARY).members if party in m.links]


def test_a_mediator_whose_page_closed_hears_nobody() -> None:
    w = world()
    party = _linked(w)
    assert _hearers_of(w, party) == ["med"]
    w.disconnect("med")
    view = room_view(w.h, PLENARY)
    mediator = next(m for m in view.members if m.id == "med")
    assert not mediator.connected and mediator.links == []
    assert _hearers_of(w, party) == []
    assert w.h.participants["med"].links == {} and w.h.participants[party].links == {}


def test_an_admin_hands_the_hearing_over_and_the_parties_see_the_new_mediator() -> None:
    w = world()
    party = _linked(w)
    w.disconnect("med")  # disabled: its socket closed
    assert snapshot(w.h, party).you.mediator == "med"
    effects = w.do(ADMIN, TO_MED2)
    assert w.h.mediator == OTHER_MEDIATOR.id and "med" not in w.h.participants
    new = w.h.participants[OTHER_MEDIATOR.id]
    assert (new.name, new.role, new.room, new.conns) == ("Mr Lee", Role.MEDIATOR, PLENARY, ())
    assert audits(effects) == ["hearing.mediator_handover"]
    audit = next(e for e in effects if isinstance(e, Audit))
    assert audit.details == {"from": "med", "from_name": "", "to": OTHER_MEDIATOR.id,
                             "mediator": OTHER_MEDIATOR.id, "mediator_name": "Mr Lee"}
    told = [e.message for e in effects if isinstance(e, Deliver) and e.to == party]
    # Named, and by id: the party's page tells its person who mediates now (notices.js).
    assert any(isinstance(m, YouUpdate) and m.you.mediator_name == "Mr Lee"
               and m.you.mediator == OTHER_MEDIATOR.id for m in told)
    assert any(isinstance(m, RoomUpdate) and [x.name for x in m.room.members
                                              if x.role is Role.MEDIATOR] == ["Mr Lee"]
               for m in told)
    assert not any(isinstance(e, CloseSessions) for e in effects)  # nobody to close

    # The new mediator acts; the old one holds nothing.
    w.principals["med2"] = OTHER_MEDIATOR
    w.connect("med2")
    assert w.h.participants[OTHER_MEDIATOR.id].conns
    with pytest.raises(Forbidden):
        apply(w.h, MEDIATOR, End(), w.now, w.env)
    w.do("med2", End())
    assert w.h.state == "closed"


def test_a_connected_old_mediator_is_closed_out_and_its_peers_drop_it() -> None:
    w = world()
    party = _linked(w)
    effects = w.do(ADMIN, TO_MED2)
    closes = [e for e in effects if isinstance(e, CloseSessions)]
    assert closes == [CloseSessions("med", HANDED_OVER, keep_sessions=True)]
    plans = [e.message for e in effects if isinstance(e, Deliver) and e.to == party
             and isinstance(e.message, PeerPlan)]
    assert plans and plans[-1].drop == ["med"]
    assert former_mediator(w.h, MEDIATOR) and not former_mediator(w.h, OTHER_MEDIATOR)


def test_only_an_admin_hands_over_an_open_hearing_and_repeating_it_changes_nothing() -> None:
    w = world()
    for who in (MEDIATOR, OTHER_MEDIATOR):
        with pytest.raises(Forbidden):
            apply(w.h, who, TO_MED2, w.now, w.env)
    w.do(ADMIN, TO_MED2)
    again, effects = apply(w.h, ADMIN, TO_MED2, w.now, w.env)
    assert again == w.h and not any(isinstance(e, Audit) for e in effects)
    w.principals["med2"] = OTHER_MEDIATOR
    w.do("med2", CloseHearing())
    with pytest.raises(Conflict):
        apply(w.h, ADMIN, HandOverCommand(account="med3", mediator_name=""), w.now, w.env)


def test_the_new_mediator_admits_from_the_lobby() -> None:
    w = world()
    a = w.side("A")
    party = w.join("Pat", Role.PARTY, a, admit=None)
    w.do(ADMIN, TO_MED2)
    w.principals["med2"] = OTHER_MEDIATOR
    w.connect("med2")
    w.do("med2", Admit(participant=party))
    assert w.h.participants[party].room == PLENARY


def test_the_record_keeps_the_handover_for_the_former_mediator_and_its_list() -> None:
    w = world()
    w.do(ADMIN, TO_MED2)
    record = w.h.handovers[-1]
    assert (record.former, record.to, record.to_name, record.at) == (
        "med", OTHER_MEDIATOR.id, "Mr Lee", w.now)
    # Its detail names the former mediator (its notes are credited to it by name).
    assert [(f.id, f.name) for f in detail(w.h, w.now).former_mediators] == [("med", "")]
    # Its former mediator's list says where it went, and when, for HANDED_AWAY_DAYS.
    gone = handed_away(w.h, "med", w.now + 1000)
    assert gone is not None and (gone.id, gone.to_name, gone.at) == (w.h.id, "Mr Lee", w.now)
    assert handed_away(w.h, "med", w.now + HANDED_AWAY_DAYS * 86_400_000 + 1) is None
    assert handed_away(w.h, OTHER_MEDIATOR.id, w.now) is None
    # Handed back: it is the old mediator's again, listed as such and no longer a former one.
    w.principals["med2"] = OTHER_MEDIATOR
    w.do(ADMIN, HandOverCommand(account="med", mediator_name="Ms Chan"))
    assert handed_away(w.h, "med", w.now) is None
    assert [(f.id, f.name) for f in detail(w.h, w.now).former_mediators] == [
        (OTHER_MEDIATOR.id, "Mr Lee")]


def test_each_participant_view_names_the_former_mediators_and_nothing_else_of_it() -> None:
    """A party reads the joint documents a former mediator uploaded: its own view names that
    mediator (id and name: the id is already each document's `uploaded_by`), so the page
    credits them by name; nothing else of the hand-over (to whom, when) reaches it."""
    w = world()
    party = w.join("Pat", Role.PARTY, w.side("A"))
    w.h = msgspec.structs.replace(w.h, participants={**w.h.participants, "med": msgspec.structs.replace(
        w.h.participants["med"], name="Mei Ling Chan")})
    assert snapshot(w.h, party).you.former_mediators == []
    effects = w.do(ADMIN, TO_MED2)
    told = [e.message for e in effects if isinstance(e, Deliver) and e.to == party]
    you = next(m.you for m in told if isinstance(m, YouUpdate))
    assert [(f.id, f.name) for f in you.former_mediators] == [("med", "Mei Ling Chan")]
    assert snapshot(w.h, party).you.former_mediators == you.former_mediators
    sent = msgspec.json.decode(msgspec.json.encode(you))["former_mediators"]
    assert sent == [{"id": "med", "name": "Mei Ling Chan"}]
    # Handed back to her: she is the mediator again, a former one no more.
    w.do(ADMIN, HandOverCommand(account="med", mediator_name="Mei Ling Chan"))
    assert [(f.id, f.name) for f in snapshot(w.h, party).you.former_mediators] == [
        (OTHER_MEDIATOR.id, "Mr Lee")]


def test_the_new_mediator_is_told_from_whom_and_when_they_took_it_over() -> None:
    """The new mediator's list and set-up say "Took over from Mei Ling Chan on …": the
    hearing's summary and detail carry the latest hand-over to the mediator it has now, by the
    former mediator's name then; a hearing never handed over, or handed back, carries none."""
    w = world()
    w.h = msgspec.structs.replace(w.h, participants={**w.h.participants, "med": msgspec.structs.replace(
        w.h.participants["med"], name="Mei Ling Chan")})
    assert summary(w.h).took_over is None and detail(w.h, w.now).took_over is None
    w.do(ADMIN, TO_MED2)
    for took in (summary(w.h).took_over, detail(w.h, w.now).took_over):
        assert took is not None and (took.from_name, took.at) == ("Mei Ling Chan", w.now)
    sent = msgspec.json.decode(msgspec.json.encode(summary(w.h)))["took_over"]
    assert sent == {"from_name": "Mei Ling Chan", "at": w.now}
    w.now += 60_000
    w.do(ADMIN, HandOverCommand(account="med", mediator_name="Mei Ling Chan"))
    took = detail(w.h, w.now).took_over
    assert took is not None and (took.from_name, took.at) == ("Mr Lee", w.now)
