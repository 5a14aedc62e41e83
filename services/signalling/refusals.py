"""Audit action names of refused commands (the allowed ones name themselves in the core)."""

from __future__ import annotations

from proto.signalling import (
    AddSide,
    ChangeHearing,
    CloseHearing,
    CreateHearing,
    CreateHearingCommand,
    HandOverCommand,
    InviteParticipant,
    OpenHearing,
    RedeemInvitation,
    ReissueInvitationCommand,
    RemoveParticipant,
    RemoveSide,
    RenameMediator,
    RenameSideCommand,
    SessionConnected,
)
from proto.ws import (
    Admit,
    AdmitSide,
    Broadcast,
    CaucusClose,
    CaucusCreate,
    CaucusTimer,
    ChatSend,
    Deny,
    End,
    Knock,
    KnockDismiss,
    Leave,
    Lock,
    Move,
    PeerStateReport,
    Recall,
    Remove,
    Shuttle,
)

ACTIONS: dict[type, str] = {
    CreateHearing: "hearing.create", CreateHearingCommand: "hearing.create",
    RenameMediator: "hearing.mediator_rename", HandOverCommand: "hearing.mediator_handover",
    ChangeHearing: "hearing.details_change",
    OpenHearing: "hearing.open", CloseHearing: "hearing.close",
    End: "hearing.close", AddSide: "hearing.side_add", RenameSideCommand: "hearing.side_rename",
    RemoveSide: "hearing.side_remove", InviteParticipant: "participant.invite",
    RemoveParticipant: "participant.remove", Remove: "participant.remove",
    ReissueInvitationCommand: "participant.reissue",
    RedeemInvitation: "participant.redeem", SessionConnected: "participant.connect",
    Admit: "participant.admit", AdmitSide: "participant.admit", Deny: "participant.deny", Move: "room.move",
    Shuttle: "room.shuttle", CaucusCreate: "room.caucus_create",
    CaucusClose: "room.caucus_close", CaucusTimer: "room.timer", Broadcast: "room.broadcast",
    Recall: "room.recall", Lock: "hearing.lock", Knock: "room.knock",
    KnockDismiss: "room.knock_dismiss", ChatSend: "room.chat", PeerStateReport: "room.peer_state",
    Leave: "participant.leave",
}


def action_for(command: object) -> str:
    return ACTIONS.get(type(command), "hearing.command")
