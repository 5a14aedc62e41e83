"""A new link for someone on the roster, and what redeeming one does (pure; core.py redeems).

A new link ("reissue") is for a person who lost theirs, or whose link was used on another device
or in a session since lost: the same participant (id, name, role, side, and so the same audit
identity) gets a fresh invitation (new token secret, new access code, the language of their last
one), and every earlier invitation of theirs not yet used is revoked. Who may get one
(`REISSUE_RULES`, by status; the hearing must not have ended):

* `invited`, `active`: yes;
* `denied`: no (`participant_denied`): the mediator turned them away; inviting them anew is a
  deliberate new decision, not a lost link;
* `removed`: no (`participant_removed`): removal is final.

Redeeming a reissued link when the person had joined before: **this device takes over.** A
participant is one person with one place in the hearing (one room, one tile, one peer in every
mesh, keyed by participant id); two devices of the same person would fight over it. The person
asked the mediator for a new link because the old device or session is lost or should not be
used, so the old one is the one to end: its sessions are ended (`CloseSessions`, reason
`replaced`; the gateway revokes them before opening the new session), its sockets leave the
hearing at once (`conns` cleared, so nothing from them is relayed), and the person waits in the
lobby to be admitted again: the mediator sees who arrived on the new device before anyone hears
them. A locked hearing still lets them in to the lobby if they had been admitted before (the lock
keeps out people new to the hearing, as `core_controls.place` does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from proto.common import Role
from proto.signalling import ReissueInvitationCommand

from . import invitations
from .access import Ctx, mediator, not_closed
from .effects import Audit, CloseSessions, DetailValue, Effect, Reply
from .errors import Conflict, Invalid, Unauthenticated
from .model import (
    LOBBY,
    MAX_INVITATIONS,
    Hearing,
    ParticipantStatus,
    get_participant,
    put_participant,
    set_status,
)

Result = tuple[Hearing, list[Effect]]


@dataclass(frozen=True, slots=True)
class ReissueRefusal:
    reason: str
    message: str


#: Whether a participant of each status may be given a new link (None: yes; else why not).
REISSUE_RULES: dict[ParticipantStatus, ReissueRefusal | None] = {
    ParticipantStatus.INVITED: None,
    ParticipantStatus.ACTIVE: None,
    ParticipantStatus.DENIED: ReissueRefusal(
        "participant_denied", "this person was not admitted: invite them anew if they should join"),
    ParticipantStatus.REMOVED: ReissueRefusal(
        "participant_removed", "this person was removed: invite them anew if they should join"),
}

#: The close reason the old device's sockets are given when a new link is redeemed.
REPLACED = "replaced"


def reissue(ctx: Ctx, cmd: ReissueInvitationCommand) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    p = get_participant(ctx.h, cmd.participant)
    if p.role is Role.MEDIATOR:
        raise Invalid("the mediator joins with their account, not an invitation")
    refusal = REISSUE_RULES[p.status]
    if refusal is not None:
        raise Conflict(refusal.message, reason=refusal.reason)
    if len(ctx.h.invitations) >= MAX_INVITATIONS:
        raise Conflict("this hearing holds too many invitations")
    mine = sorted((i for i in ctx.h.invitations.values() if i.participant == p.id),
                  key=lambda i: i.expires_at)
    language = mine[-1].language if mine else None
    h, revoked = invitations.revoke_unused_for(ctx.h, p.id)
    h, issued = invitations.issue_for(h, p.id, cmd.expires_in_s, language, ctx.now, ctx.env)
    return h, [Audit("participant.reissue", "participant", p.id, details={
        "invitation": issued.invitation, "revoked": ",".join(revoked), "status": p.status.value,
        "language": language, "expires_at": issued.expires_at}), Reply(issued)]


def arrive(h: Hearing, pid: str, now: int) -> tuple[Hearing, list[CloseSessions]]:
    """Participant `pid` redeemed an invitation: an invited one becomes active in the lobby; an
    active one (a reissued link) takes over on this device (the module notes): its earlier
    sessions end (the effects returned). Anyone else's invitation was withdrawn."""
    who = h.participants[pid]
    if who.status is ParticipantStatus.INVITED:
        p = msgspec.structs.replace(set_status(who, ParticipantStatus.ACTIVE), room=LOBBY)
        return put_participant(h, p), []
    if who.status is not ParticipantStatus.ACTIVE:  # denied since the link was issued
        raise Unauthenticated("the invitation was withdrawn",
                              reason=invitations.Refusal.REVOKED)
    p = msgspec.structs.replace(who, room=LOBBY, hand=False, conns=(),
                                disconnected_at=now if who.conns else who.disconnected_at)
    return put_participant(h, p), [CloseSessions(p.id, REPLACED)]


def details(takeover: list[CloseSessions]) -> dict[str, DetailValue]:
    """What the redemption's audit event adds: that it ended the person's earlier sessions."""
    return {"replaced": True} if takeover else {}


HANDLERS: dict[type, Callable[[Ctx, Any], Result]] = {
    ReissueInvitationCommand: reissue,
}
