"""When a hearing may be scheduled (pure).

A hearing is set up ahead of its start: the invitations carry the start, the lobby says when the
hearing is due, and an invitation to a scheduled hearing lives until a day after its start
(invitations.py). A start already in the past is almost always a typing slip (the wrong year,
month or AM/PM), and it would make the invitations expire earlier than the mediator thinks, so
it is refused with a reason the set-up page turns into a sentence. A start a few minutes past
is not a slip: a mediator setting up a hearing that begins now picks the current minute, and
the form takes a while to send. A hearing held at once needs no scheduled time at all.
"""

from __future__ import annotations

from .errors import Invalid

#: How far in the past a scheduled start may lie (ms) and still be taken as "now".
PAST_GRACE_MS = 15 * 60_000
SCHEDULED_IN_PAST = "scheduled_in_past"


def in_past(scheduled_at: int | None, now: int, grace_ms: int = PAST_GRACE_MS) -> bool:
    """A start more than `grace_ms` before `now` (a slip); no start at all is fine."""
    return scheduled_at is not None and scheduled_at < now - grace_ms


def check_start(scheduled_at: int | None, now: int, grace_ms: int = PAST_GRACE_MS) -> None:
    """Raise `Invalid` (reason `scheduled_in_past`) for a start more than `grace_ms` before
    `now`; no start at all is fine."""
    if in_past(scheduled_at, now, grace_ms):
        raise Invalid("the scheduled start is in the past", reason=SCHEDULED_IN_PAST)
