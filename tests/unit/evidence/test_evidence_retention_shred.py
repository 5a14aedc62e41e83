"""Which hearings evidence's sweep crypto-shreds (services/evidence/retention_shred.py): those
whose roster says their documents are destroyed, and no other, and the one id its audit event
has (pure, no store, no NATS)."""

from __future__ import annotations

import re

from proto.common import ID_PATTERN
from proto.signalling import Roster
from proto.ws import HearingState
from services.evidence.retention_shred import shred_event_id, to_shred


def _roster(hearing: str, state: HearingState, destroyed: bool = False) -> Roster:
    return Roster(hearing=hearing, state=state, mediator="med", revision=1,
                  documents_destroyed=destroyed)


def test_only_hearings_whose_roster_says_destroyed_are_shredded() -> None:
    rosters = {
        "kept": _roster("kept", HearingState.CLOSED),
        "open": _roster("open", HearingState.OPEN),
        "gone": _roster("gone", HearingState.CLOSED, destroyed=True),
        "later": _roster("later", HearingState.CLOSED, destroyed=True),
        "unknown": None,  # no roster (deleted, unreadable): nothing is destroyed on a guess
        "planted": _roster("other", HearingState.CLOSED, destroyed=True),  # not its own roster
    }
    assert to_shred(rosters) == ["gone", "later"]
    # What this process has shredded already is not visited again.
    assert to_shred(rosters, done={"gone"}) == ["later"]


def test_the_systems_shred_event_has_one_id_per_hearing_whoever_records_it() -> None:
    # Two evidence processes (or an announcement and a sweep pass) recording the shredding of
    # one hearing record the same event: the audit log keeps one entry per event id.
    assert shred_event_id("h-1") == shred_event_id("h-1")
    assert shred_event_id("h-1") != shred_event_id("h-2")
    longest = "x" * 64  # the longest hearing id still gives a valid event id
    for hearing in ("h-1", longest):
        assert re.fullmatch(ID_PATTERN, shred_event_id(hearing)), shred_event_id(hearing)
