"""A caucus timer over the real WebSocket of a running suite: time added ("Add 5 minutes") goes
onto the deadline the server holds, whatever the time of the request, and reaches the party's
page and the mediator's board; a timer out of bounds is refused with a code and a reason the
console turns into a sentence, and changes nothing."""

from __future__ import annotations

import asyncio

from proto.ws import (
    MAX_TIMER_S,
    Admit,
    BoardUpdate,
    CaucusCreate,
    CaucusTimer,
    ErrorMessage,
    PeerPlan,
    RoomUpdate,
    ServerMessage,
)
from tests.harness import Suite
from tests.integration.signalling.sigclient import WsClient, seat
from tests.people import staff_people


def deadline_of(room: str, m: ServerMessage) -> int | None:
    """The deadline `m` gives `room` (a party's room view or the mediator's board); -1: none."""
    if isinstance(m, RoomUpdate) and m.room is not None and m.room.id == room:
        return m.room.deadline
    if isinstance(m, BoardUpdate):
        return next((r.deadline for r in m.board.rooms if r.id == room), -1)
    return -1


async def told(client: WsClient, room: str, deadline: int | None, since: int) -> None:
    await client.wait(lambda m: deadline_of(room, m) == deadline, since=since,
                      what=f"the deadline {deadline}")


async def test_time_added_goes_onto_the_deadline_set_and_bounds_are_refused(suite: Suite) -> None:
    people = await staff_people(suite)
    cast = await seat(suite, people, sides=1, per_side=1)
    a = cast.members["A1"]
    med = await WsClient(suite.base_url, people.mediator.headers(), cast.hearing,
                         people.mediator.account_id).connect()
    party = await WsClient(suite.base_url, a.headers(), cast.hearing, a.id).connect()
    try:
        await med.send(Admit(participant=a.id))
        await party.wait(lambda m: isinstance(m, PeerPlan) and m.room == "plenary", what="admitted")
        since = len(party.inbox)
        await med.send(CaucusCreate(side=cast.sides[0], move_side=True))
        moved = await party.wait(lambda m: isinstance(m, PeerPlan) and m.room != "plenary",
                                 since=since, what="moved to the side's caucus")
        assert isinstance(moved, PeerPlan)
        room = moved.room

        since = len(party.inbox)
        await med.send(CaucusTimer(room=room, seconds=20 * 60))
        view = await party.wait(lambda m: deadline_of(room, m) not in (-1, None), since=since,
                                what="the timer set")
        set_deadline = deadline_of(room, view)
        assert isinstance(set_deadline, int)

        # Some time later (as the console's clock has it), "Add 5 minutes": onto the deadline.
        await asyncio.sleep(1.2)
        since_med, since = len(med.inbox), len(party.inbox)
        await med.send(CaucusTimer(room=room, seconds=300, extend=True))
        await told(party, room, set_deadline + 300_000, since)
        await told(med, room, set_deadline + 300_000, since_med)

        # Past 24 hours from now: refused with its reason; the deadline stays.
        extended = set_deadline + 300_000
        since_refusals = since_med = len(med.inbox)
        await med.send(CaucusTimer(room=room, seconds=MAX_TIMER_S, extend=True))
        refused = await med.error_after(since_med)
        assert (refused.code, refused.reason, refused.about) == ("invalid", "timer_too_long",
                                                                 "caucus.timer")
        assert "24 hours" in refused.message
        # A negative or over-long length never reaches the service: the field is named.
        for seconds in (-60, MAX_TIMER_S + 1):
            since_med = len(med.inbox)
            await med.send_raw(f'{{"type":"caucus.timer","room":"{room}","seconds":{seconds}}}')
            bad = await med.error_after(since_med)
            assert isinstance(bad, ErrorMessage) and bad.code == "invalid", bad
            assert "$.seconds" in bad.message, bad.message
        assert {deadline_of(room, m) for m in med.inbox[since_refusals:]} <= {-1, extended}
        assert {deadline_of(room, m) for m in party.inbox[since:]} <= {-1, extended}
    finally:
        await med.close()
        await party.close()
