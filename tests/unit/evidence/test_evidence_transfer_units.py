"""Tickets, byte ranges and roster facts: the pure parts behind the evidence service."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from proto.signalling import Roster, RosterMember
from proto.ws import HearingState
from services.evidence.access import Action, Compartment, allowed, standing
from services.evidence.errors import TicketError
from services.evidence.ranges import resolve
from services.evidence.roster import facts_from_roster
from services.evidence.tickets import TicketBook

ALICE = Principal(kind=PrincipalKind.PARTICIPANT, id="alice", role=Role.PARTY, hearing="h",
                  side="A")
BOB = Principal(kind=PrincipalKind.PARTICIPANT, id="bob", role=Role.PARTY, hearing="h", side="A")


class _Grant:
    def __init__(self, principal: Principal) -> None:
        self.principal = principal


def test_ticket_is_single_use_even_when_presented_wrong() -> None:
    book: TicketBook[_Grant] = TicketBook(1000)
    issued = book.issue(_Grant(ALICE), now_ms=0)
    assert book.redeem(issued.id, issued.ticket, ALICE, now_ms=10).principal is ALICE
    with pytest.raises(TicketError):
        book.redeem(issued.id, issued.ticket, ALICE, now_ms=10)
    other = book.issue(_Grant(ALICE), now_ms=0)
    with pytest.raises(TicketError):
        book.redeem(other.id, "x" * 43, ALICE, now_ms=10)
    with pytest.raises(TicketError):  # the wrong guess consumed it
        book.redeem(other.id, other.ticket, ALICE, now_ms=10)


@pytest.mark.parametrize(("who", "now"), [(BOB, 10), (None, 10), (ALICE, 1000)])
def test_ticket_bound_to_its_principal_and_lifetime(who: Principal | None, now: int) -> None:
    book: TicketBook[_Grant] = TicketBook(1000)
    issued = book.issue(_Grant(ALICE), now_ms=0)
    with pytest.raises(TicketError):
        book.redeem(issued.id, issued.ticket, who, now_ms=now)
    assert len(book) == 0


def test_expired_tickets_are_pruned() -> None:
    book: TicketBook[_Grant] = TicketBook(1000)
    book.issue(_Grant(ALICE), now_ms=0)
    book.issue(_Grant(ALICE), now_ms=500)
    assert book.prune(1200) == 1 and len(book) == 1


@pytest.mark.parametrize(("header", "size", "want"), [
    (None, 10, (0, 10, False, True)),
    ("bytes=0-0", 10, (0, 1, True, True)),
    ("bytes=2-", 10, (2, 10, True, True)),
    ("bytes=-3", 10, (7, 10, True, True)),
    ("bytes=-30", 10, (0, 10, True, True)),
    ("bytes=5-100", 10, (5, 10, True, True)),
    ("bytes=10-", 10, (0, 0, True, False)),
    ("bytes=-0", 10, (0, 0, True, False)),
    ("bytes=5-2", 10, (0, 10, False, True)),  # invalid: ignored
    ("bytes=0-1,3-4", 10, (0, 10, False, True)),  # several ranges: ignored
    ("items=0-1", 10, (0, 10, False, True)),
    ("bytes=0-", 0, (0, 0, True, False)),
    ("bytes=-1", 0, (0, 0, True, False)),  # suffix of the empty document: 416, not 0--1/0
    ("bytes=-500", 0, (0, 0, True, False)),
    ("bytes=0-0", 0, (0, 0, True, False)),
])
def test_ranges(header: str | None, size: int, want: tuple[int, int, bool, bool]) -> None:
    r = resolve(header, size)
    assert (r.start, r.end, r.partial, r.satisfiable) == want


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
def test_satisfiable_ranges_stay_inside_the_document(size: int, a: int, b: int) -> None:
    r = resolve(f"bytes={min(a, b)}-{max(a, b)}", size)
    if r.satisfiable:
        assert 0 <= r.start <= r.end <= size


@given(st.integers(0, 3), st.sampled_from(["bytes=-{a}", "bytes={a}-", "bytes={a}-{b}"]),
       st.integers(0, 5), st.integers(0, 5))
def test_a_partial_answer_always_selects_a_byte(size: int, form: str, a: int, b: int) -> None:
    """A 206 with an empty selection would need `Content-Range: bytes x-(x-1)/n`: malformed."""
    r = resolve(form.format(a=a, b=max(a, b)), size)
    if r.partial and r.satisfiable:
        assert 0 <= r.start < r.end <= size


def _roster(**participants: RosterMember) -> Roster:
    return Roster(hearing="h", state=HearingState.OPEN, mediator="med", revision=3,
                  sides=["A", "B"], participants=participants)


def test_roster_facts() -> None:
    roster = _roster(alice=RosterMember(role=Role.PARTY, status="active", side="A"),
                     obs=RosterMember(role=Role.OBSERVER, status="active", in_room=True),
                     gone=RosterMember(role=Role.PARTY, status="removed", side="A"))
    facts = facts_from_roster("h", roster, ALICE)
    assert facts.member and facts.sides == {"A", "B"} and "med" in facts.mediators
    assert standing(ALICE, facts) is not None
    observer = Principal(kind=PrincipalKind.PARTICIPANT, id="obs", role=Role.OBSERVER,
                         hearing="h")
    assert facts_from_roster("h", roster, observer).observer_admitted
    gone = Principal(kind=PrincipalKind.PARTICIPANT, id="gone", role=Role.PARTY, hearing="h",
                     side="A")
    assert standing(gone, facts_from_roster("h", roster, gone)) is None  # removed: outsider
    forged_side = Principal(kind=PrincipalKind.PARTICIPANT, id="alice", role=Role.PARTY,
                            hearing="h", side="B")
    assert standing(forged_side, facts_from_roster("h", roster, forged_side)) is None
    assert standing(ALICE, facts_from_roster("h", None, ALICE)) is None
    mediator = Principal(kind=PrincipalKind.ACCOUNT, id="med", role=Role.MEDIATOR)
    assert standing(mediator, facts_from_roster("h", roster, mediator)) is not None


def test_closed_hearing_takes_no_uploads_but_stays_readable() -> None:
    roster = Roster(hearing="h", state=HearingState.CLOSED, mediator="med", revision=1,
                    sides=["A"], participants={"alice": RosterMember(
                        role=Role.PARTY, status="active", side="A")})
    facts = facts_from_roster("h", roster, ALICE)
    assert not allowed(ALICE, facts, Action.UPLOAD, Compartment.parse("joint"))
    assert allowed(ALICE, facts, Action.DOWNLOAD, Compartment.parse("joint"))
