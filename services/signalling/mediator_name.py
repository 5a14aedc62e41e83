"""The mediator's name in a hearing after the hearing was created: a pure handler.

The name starts as the display name on the mediator's account when the hearing is created
(core.create). When that display name changes (an admin edits the account, or the mediator its
own), the gateway sends `RenameMediator` and each of the mediator's hearings that has not ended
takes the new name: parties waiting in a lobby for tomorrow's hearing see the name the mediator
has now. The views are recomputed from the record (membership.presence), so every page that
shows the mediator (lobby line, "who can hear you", tiles, the board) is updated live. A closed
hearing keeps the name it was held under, as its audit trail does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from proto.common import Role
from proto.principal import PrincipalKind
from proto.signalling import RenameMediator

from .access import Ctx, not_closed
from .effects import Audit, Effect
from .errors import Forbidden, Invalid
from .model import Hearing, put_participant


def rename_mediator(ctx: Ctx, cmd: RenameMediator) -> tuple[Hearing, list[Effect]]:
    """Only an admin or that mediator's own account renames it; a participant never can."""
    who, h = ctx.principal, ctx.h
    if who.kind is not PrincipalKind.ACCOUNT or not (
            who.role is Role.ADMIN or (who.role is Role.MEDIATOR and who.id == cmd.mediator)):
        raise Forbidden("only an admin or the mediator changes the mediator's name")
    if cmd.mediator != h.mediator:
        raise Invalid("not this hearing's mediator")
    not_closed(h)
    me = h.participants[h.mediator]
    if me.name == cmd.name:
        return h, []
    return put_participant(h, msgspec.structs.replace(me, name=cmd.name)), [
        Audit("hearing.mediator_rename", "hearing", h.id,
              details={"mediator": me.id, "mediator_name": cmd.name})]


HANDLERS: dict[type, Callable[[Ctx, Any], tuple[Hearing, list[Effect]]]] = {
    RenameMediator: rename_mediator,
}
