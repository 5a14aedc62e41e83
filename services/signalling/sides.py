"""Adding a side to a hearing (pure handler). Sides are told apart by name and by colour on every
screen (the board's chips, caucus banners, the documents' tabs), so two alike are refused: a
confidence shared with the wrong one of two "Claimant" sides is a mix-up nobody can undo. A side
given no colour takes the first one free."""

from __future__ import annotations

import msgspec

from proto.signalling import AddSide, SideAdded, SideView
from proto.ws import COLOURS

from .access import Ctx, mediator, not_closed
from .effects import Audit, Effect, Reply
from .errors import Conflict
from .model import Hearing, Side

Result = tuple[Hearing, list[Effect]]


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def add_side(ctx: Ctx, cmd: AddSide) -> Result:
    mediator(ctx.h, ctx.principal)
    not_closed(ctx.h)
    if len(ctx.h.sides) >= ctx.env.policy.max_sides:
        raise Conflict("too many sides")
    if _key(cmd.name) in {_key(s.name) for s in ctx.h.sides.values()}:
        raise Conflict("a side of that name exists in this hearing", reason="side_name_taken")
    taken = {s.colour for s in ctx.h.sides.values()}
    if cmd.colour is not None and cmd.colour in taken:
        raise Conflict("another side of this hearing has that colour", reason="side_colour_taken")
    colour = cmd.colour or next((c for c in COLOURS if c not in taken),
                                COLOURS[len(ctx.h.sides) % len(COLOURS)])
    side = Side(id=ctx.env.new_id(), name=cmd.name, colour=colour)
    h = msgspec.structs.replace(ctx.h, sides={**ctx.h.sides, side.id: side})
    return h, [Audit("hearing.side_add", "side", side.id, details={"name": side.name, "colour": colour}),
               Reply(SideAdded(side=SideView(id=side.id, name=side.name, colour=colour)))]
