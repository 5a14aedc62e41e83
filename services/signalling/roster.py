"""The roster read model (pure): what other processes may know of a hearing, derived from it."""

from __future__ import annotations

from proto.signalling import Roster, RosterMember

from .model import LOBBY, Hearing, ParticipantStatus


def derive(h: Hearing, revision: int) -> Roster:
    members = {
        p.id: RosterMember(role=p.role, status=p.status.value, side=p.side,
                           in_room=p.status is ParticipantStatus.ACTIVE
                           and p.room not in (None, LOBBY))
        for p in h.participants.values()
    }
    return Roster(hearing=h.id, state=h.state, mediator=h.mediator, revision=revision,
                  sides=sorted(h.sides), participants=members,
                  documents_destroyed=h.documents_destroyed)
