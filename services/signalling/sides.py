"""A hearing's sides: adding, renaming and removing one (pure handlers; the rules first).

Sides are told apart by name and by colour on every screen (the board's chips, caucus banners,
the documents' tabs), so two alike are refused, when a side is added and when one is renamed: a
confidence shared with the wrong one of two "Claimant" sides is a mix-up nobody can undo. A side
given no colour takes the first one free.

Renaming keeps the side's id, so everything tied to it (its people, its caucus, its documents'
compartments, the audit trail) stays tied to it. A caucus of that side named by default stores
no name (every screen names it after the side, in its reader's language), so it follows the
rename by itself; one whose stored name begins with the side's old name (typed so, or a default
name stored as text by an earlier release: "{side} caucus", "{side}單方會談") begins with the
new one instead; a caucus the mediator named otherwise keeps its name. Both count as renamed.

Removing is for a side added by mistake, before anyone belongs to it. The refusals, in the
order they are checked (`REMOVAL_RULES`; the first that holds is the answer):

* `side_joined`: someone of the side has joined (redeemed an invitation), even if removed
  since: their documents and the audit trail name the side, so it stays on the record;
* `side_invited`: someone of the side holds an invitation not revoked: revoke it first;
* `side_caucus`: a caucus is held for the side: close it first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from proto.signalling import (
    AddSide,
    RemoveSide,
    RenameSideCommand,
    SideAdded,
    SideRemoved,
    SideRenamed,
    SideView,
)
from proto.ws import COLOURS, RoomKind

from .access import Ctx, mediator, not_closed
from .effects import Audit, Effect, Reply
from .errors import Conflict, NotFound
from .model import Hearing, Participant, ParticipantStatus, Room, Side

Result = tuple[Hearing, list[Effect]]
SIDE_NAME_TAKEN = "side_name_taken"
SIDE_COLOUR_TAKEN = "side_colour_taken"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def side_name_taken(h: Hearing, name: str, *, other_than: str | None = None) -> bool:
    """Another side of `h` has this name (spacing and case aside)."""
    return any(_key(s.name) == _key(name) for s in h.sides.values() if s.id != other_than)


def side_colour_taken(h: Hearing, colour: str, *, other_than: str | None = None) -> bool:
    return any(s.colour == colour for s in h.sides.values() if s.id != other_than)


def _unique(h: Hearing, name: str, colour: str | None, other_than: str | None = None) -> None:
    if side_name_taken(h, name, other_than=other_than):
        raise Conflict("a side of that name exists in this hearing", reason=SIDE_NAME_TAKEN)
    if colour is not None and side_colour_taken(h, colour, other_than=other_than):
        raise Conflict("another side of this hearing has that colour", reason=SIDE_COLOUR_TAKEN)


def _side(h: Hearing, side_id: str) -> Side:
    side = h.sides.get(side_id)
    if side is None:
        raise NotFound("no such side in this hearing")
    return side


def _view(side: Side) -> SideView:
    return SideView(id=side.id, name=side.name, colour=side.colour)


# ---------------------------------------------------------------- the removal rules, as data

def _people(h: Hearing, side: str) -> list[Participant]:
    return [p for p in h.participants.values() if p.side == side]


def someone_joined(h: Hearing, side: str) -> bool:
    """Someone of the side redeemed an invitation (active, denied, or removed afterwards)."""
    used = {inv.participant for inv in h.invitations.values() if inv.used_at is not None}
    return any(p.id in used or p.status in (ParticipantStatus.ACTIVE, ParticipantStatus.DENIED)
               for p in _people(h, side))


def someone_invited(h: Hearing, side: str) -> bool:
    """Someone of the side is still on the roster (an invitation not revoked)."""
    return any(p.status is not ParticipantStatus.REMOVED for p in _people(h, side))


def caucus_held(h: Hearing, side: str) -> bool:
    return any(r.kind is RoomKind.CAUCUS and r.side == side for r in h.rooms.values())


@dataclass(frozen=True, slots=True)
class RemovalRule:
    reason: str
    message: str
    holds: Callable[[Hearing, str], bool]


REMOVAL_RULES: tuple[RemovalRule, ...] = (
    RemovalRule("side_joined", "people of this side have joined the hearing: the side stays "
                "on its record", someone_joined),
    RemovalRule("side_invited", "people of this side are invited: revoke their invitations "
                "first", someone_invited),
    RemovalRule("side_caucus", "a caucus is held for this side: close it first", caucus_held),
)


def removal_refusal(h: Hearing, side: str) -> RemovalRule | None:
    """The first rule that keeps `side` in `h`, or None when it may be removed."""
    return next((rule for rule in REMOVAL_RULES if rule.holds(h, side)), None)


# ---------------------------------------------------------------- handlers

def add_side(ctx: Ctx, cmd: AddSide) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    if len(ctx.h.sides) >= ctx.env.policy.max_sides:
        raise Conflict("too many sides")
    _unique(ctx.h, cmd.name, cmd.colour)
    taken = {s.colour for s in ctx.h.sides.values()}
    colour = cmd.colour or next((c for c in COLOURS if c not in taken),
                                COLOURS[len(ctx.h.sides) % len(COLOURS)])
    side = Side(id=ctx.env.new_id(), name=cmd.name, colour=colour)
    h = msgspec.structs.replace(ctx.h, sides={**ctx.h.sides, side.id: side})
    return h, [Audit("hearing.side_add", "side", side.id, details={"name": side.name, "colour": colour}),
               Reply(SideAdded(side=_view(side)))]


def renamed_caucuses(h: Hearing, side: str, old: str, new: str) -> dict[str, Room]:
    """The side's caucuses whose stored name begins with its old name ("<old>…"), named after
    its new name ("<new>…"). Default-named ones (no stored name) need no change."""
    if old == new:
        return {}
    return {r.id: msgspec.structs.replace(r, name=(new + r.name[len(old):])[:200])
            for r in h.rooms.values()
            if r.kind is RoomKind.CAUCUS and r.side == side and r.name and r.name.startswith(old)}


def default_named_caucuses(h: Hearing, side: str) -> int:
    """How many of the side's caucuses are named by default (after the side, as it is now)."""
    return sum(r.kind is RoomKind.CAUCUS and r.side == side and not r.name for r in h.rooms.values())


def rename_side(ctx: Ctx, cmd: RenameSideCommand) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    side = _side(ctx.h, cmd.side)
    name = cmd.name if cmd.name is not None else side.name
    colour = cmd.colour if cmd.colour is not None else side.colour
    _unique(ctx.h, name, colour, other_than=side.id)
    if (name, colour) == (side.name, side.colour):
        return ctx.h, [Reply(SideRenamed(side=_view(side)))]
    after = msgspec.structs.replace(side, name=name, colour=colour)
    rooms = renamed_caucuses(ctx.h, side.id, side.name, name)
    renamed = len(rooms) + (default_named_caucuses(ctx.h, side.id) if name != side.name else 0)
    h = msgspec.structs.replace(ctx.h, sides={**ctx.h.sides, side.id: after},
                                rooms={**ctx.h.rooms, **rooms})
    return h, [Audit("hearing.side_rename", "side", side.id, details={
        "name": name, "colour": colour, "previous_name": side.name,
        "previous_colour": side.colour, "caucuses_renamed": renamed}),
        Reply(SideRenamed(side=_view(after), caucuses_renamed=renamed))]


def remove_side(ctx: Ctx, cmd: RemoveSide) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    side = _side(ctx.h, cmd.side)
    refusal = removal_refusal(ctx.h, side.id)
    if refusal is not None:
        raise Conflict(refusal.message, reason=refusal.reason)
    sides = {sid: s for sid, s in ctx.h.sides.items() if sid != side.id}
    return msgspec.structs.replace(ctx.h, sides=sides), [
        Audit("hearing.side_remove", "side", side.id,
              details={"name": side.name, "colour": side.colour}),
        Reply(SideRemoved(side=side.id))]
