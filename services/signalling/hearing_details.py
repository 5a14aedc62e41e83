"""A hearing's details after it was created: its title, start and time zone (a pure handler).

Hearings are rescheduled all the time (a party's counsel is unavailable, the venue's day moves,
a matter is renamed once the parties are known), so the hearing's mediator may change any of
the three until the hearing ends (`ChangeHearing`, a merge patch). The refusals, in the order
they are checked (`CHANGE_RULES`; the first that holds is the answer), after "only this
hearing's mediator" (access.py):

* `hearing_ended`: a closed hearing keeps the details it was held under, as its audit trail
  does;
* `scheduled_in_past`: a new start further in the past than a new hearing's may be
  (schedule.py). Only a start that changes is checked: a hearing that began yesterday and runs
  over several days may still be renamed.

Taking the start away (`scheduled_at: null`: the new date is not fixed yet) takes its zone with
it, unless the patch names one. What follows a change:

* every page of the hearing shows it at once: the title, start and zone are in each person's
  own view (`SelfView`), so membership.presence sends everyone connected a `you` update (the
  lobby's waiting screen, a room's header, the mediator's console);
* invitations not used yet that were issued with the default lifetime (until a day after the
  start: invitations.expiry) follow a later start, so a link sent for the 3rd still opens on the
  10th the hearing moved to; none is ever shortened, and a lifetime the mediator chose stays;
* its calendar file is an update of the one sent before (`details_changes`, its SEQUENCE);
* it is audited `hearing.details_change`, with what changed beside what it was (`title` and
  `previous_title`, as a side's rename records its names; the start and its zone together,
  `scheduled_at`, `time_zone` and their `previous_…`, when either changed: a time is read in
  its zone), and how many invitations now last longer.

A patch that changes nothing is answered with the hearing as it is, with no audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from proto.signalling import ChangeHearing
from proto.ws import HearingState

from . import schedule
from .access import Ctx, mediator
from .effects import Audit, DetailValue, Effect, Reply
from .errors import Conflict, Invalid, SignallingError
from .invitations import AFTER_START_MS
from .model import Hearing, Invitation
from .view import summary

Result = tuple[Hearing, list[Effect]]
HEARING_ENDED = "hearing_ended"
#: The details a patch may change, in the order the audit event lists them.
FIELDS = ("title", "scheduled_at", "time_zone")


@dataclass(frozen=True, slots=True)
class ChangeRule:
    reason: str
    error: type[SignallingError]
    message: str
    #: (the hearing before, the hearing as the patch would leave it, now) → refused
    holds: Callable[[Hearing, Hearing, int], bool]


def _ended(before: Hearing, after: Hearing, now: int) -> bool:
    return before.state is HearingState.CLOSED


def _start_in_past(before: Hearing, after: Hearing, now: int) -> bool:
    return after.scheduled_at != before.scheduled_at and schedule.in_past(after.scheduled_at, now)


CHANGE_RULES: tuple[ChangeRule, ...] = (
    ChangeRule(HEARING_ENDED, Conflict, "the hearing has ended: its details stay as they were",
               _ended),
    ChangeRule(schedule.SCHEDULED_IN_PAST, Invalid, "the scheduled start is in the past",
               _start_in_past),
)


def change_refusal(before: Hearing, after: Hearing, now: int) -> ChangeRule | None:
    """The first rule that refuses changing `before` into `after`, or None when it may."""
    return next((rule for rule in CHANGE_RULES if rule.holds(before, after, now)), None)


def patched(h: Hearing, cmd: ChangeHearing) -> Hearing:
    """`h` with the patch's fields (those it names; a start taken away takes its zone)."""
    title = h.title if cmd.title is msgspec.UNSET else cmd.title
    start = h.scheduled_at if cmd.scheduled_at is msgspec.UNSET else cmd.scheduled_at
    zone = h.time_zone if cmd.time_zone is msgspec.UNSET else cmd.time_zone
    if cmd.scheduled_at is None and cmd.time_zone is msgspec.UNSET:
        zone = None
    return msgspec.structs.replace(h, title=title, scheduled_at=start, time_zone=zone)


def _follows(inv: Invitation, before: Hearing) -> bool:
    """Pending, and its lifetime was set by the start (flagged, or, for an invitation issued
    before the flag existed, ending exactly a day after the old start)."""
    if inv.used_at is not None or inv.revoked:
        return False
    return inv.default_lifetime or (before.scheduled_at is not None
                                    and inv.expires_at == before.scheduled_at + AFTER_START_MS)


def follow_start(before: Hearing, after: Hearing) -> tuple[Hearing, int]:
    """`after` with its pending default-lifetime invitations lasting until a day after its new
    start (never shorter than they were); and how many were lengthened."""
    if after.scheduled_at is None:
        return after, 0
    until = after.scheduled_at + AFTER_START_MS
    longer = {iid: msgspec.structs.replace(inv, expires_at=until)
              for iid, inv in after.invitations.items()
              if _follows(inv, before) and inv.expires_at < until}
    if not longer:
        return after, 0
    return msgspec.structs.replace(after, invitations={**after.invitations, **longer}), len(longer)


def change_details(ctx: Ctx, cmd: ChangeHearing) -> Result:
    mediator(ctx.h, ctx.principal)
    before = ctx.h
    after = patched(before, cmd)
    refusal = change_refusal(before, after, ctx.now)
    if refusal is not None:
        raise refusal.error(refusal.message, reason=refusal.reason)
    changed = [f for f in FIELDS if getattr(after, f) != getattr(before, f)]
    if not changed:
        return before, [Reply(summary(before))]
    after, extended = follow_start(before, after)
    after = msgspec.structs.replace(after, details_changes=before.details_changes + 1)
    if "scheduled_at" in changed or "time_zone" in changed:  # a time is read in its zone
        changed = [f for f in FIELDS if f in changed or f != "title"]
    details: dict[str, DetailValue] = {}
    for name in changed:
        details[name] = getattr(after, name)
        details[f"previous_{name}"] = getattr(before, name)
    details["invitations_extended"] = extended
    return after, [Audit("hearing.details_change", "hearing", before.id, details=details),
                   Reply(summary(after))]


HANDLERS: dict[type, Callable[[Ctx, Any], Result]] = {
    ChangeHearing: change_details,
}
