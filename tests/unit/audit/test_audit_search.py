"""Search over the log: every filter, person by name (names the log introduced), newest first,
totals, and the names table filled in the same transaction (or backfilled for an older log)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from proto.audit import Actor, AuditEvent, Outcome, Resource
from proto.auditlog import EventQuery
from services.audit.entry import record_for
from services.audit.log import LogStore


def _ev(i: int, action: str, actor: str, rtype: str, rid: str, outcome: Outcome = Outcome.ALLOWED,
        **details: str) -> AuditEvent:
    return AuditEvent(id=f"e{i:04d}", time=1_700_000_000_000 + 1000 * i, actor=Actor(id=actor),
                      action=action, resource=Resource(type=rtype, id=rid), outcome=outcome,
                      service="signalling", hearing="h1", details=dict(details))


EVENTS = [
    _ev(0, "hearing.side_add", "med", "side", "sideC", name="Claimant"),
    _ev(1, "participant.invite", "med", "participant", "pAna", name="Ana Chen", role="counsel",
        side="sideC"),
    _ev(2, "participant.invite", "med", "participant", "pBo", name="Bo Lam", role="party",
        side="sideC"),
    _ev(3, "document.upload", "pAna", "document", "doc1", filename="Expert report v2.pdf"),
    _ev(4, "room.move", "med", "participant", "pAna"),
    *[_ev(5 + i, "document.download", "pBo", "document", "doc1") for i in range(7)],
    _ev(12, "document.denied", "pBo", "document", "doc9", Outcome.DENIED, reason="missing"),
]


def _store(path: Path) -> LogStore:
    store = LogStore.open(path)
    store.append([record_for(e) for e in EVENTS])
    return store


def _ids(store: LogStore, **query: object) -> list[str]:
    rows, _ = store.query(EventQuery(**query))  # type: ignore[arg-type]
    return [e.decode()[7:12] for _, e in rows]


def test_filters_person_by_name_outcome_and_totals(tmp_path: Path) -> None:
    store = _store(tmp_path / "log.db")
    assert store.count(EventQuery(person="ana")) == 3  # invited, uploaded, moved
    assert store.count(EventQuery(person="CHEN", action="room.move")) == 1
    assert store.count(EventQuery(person="nobody here")) == 0
    assert store.count(EventQuery(outcome="denied")) == 1
    assert store.count(EventQuery(resource_type="document", resource_id="doc1")) == 8
    assert store.count(EventQuery(resource_id="doc1")) == 8
    names = {row.name: row for row, _ in store.names(hearing="h1")}
    assert names["Ana Chen"].role == "counsel" and names["Ana Chen"].side == "sideC"
    assert names["Expert report v2.pdf"].kind == "document"
    assert [r.id for r, _ in store.names(name="report", kind="document")] == ["doc1"]
    assert [r.id for r, _ in store.names(name="%")] == []  # LIKE wildcards are escaped


def test_newest_first_pages_are_stable(tmp_path: Path) -> None:
    store = _store(tmp_path / "log.db")
    seen: list[int] = []
    cursor = None
    while True:
        rows, cursor = store.query(EventQuery(action="document.download", order="desc", limit=3,
                                              cursor=cursor))
        seen += [i for i, _ in rows]
        if cursor is None:
            break
    assert seen == list(range(11, 4, -1))


def test_an_older_log_gets_its_names_backfilled(tmp_path: Path) -> None:
    _store(tmp_path / "log.db").close()
    conn = sqlite3.connect(tmp_path / "log.db")
    conn.execute("DELETE FROM names")
    conn.commit()
    conn.close()
    store = LogStore.open(tmp_path / "log.db")
    assert store.person_ids("bo l") == ["pBo"]


def test_single_filter_totals_from_tallies_match_counting(tmp_path: Path) -> None:
    store = _store(tmp_path / "log.db")
    store.append([record_for(_ev(20 + i, "document.view", "pAna", "document", "doc1"))
                  for i in range(3)])
    for query in (EventQuery(action="document."), EventQuery(outcome="allowed"),
                  EventQuery(actor="pBo"), EventQuery(hearing="h1"),
                  EventQuery(resource_type="document"), EventQuery(action="nope.none")):
        _, _, total = store.search(query)
        assert total == store.count(query), query
    conn = sqlite3.connect(tmp_path / "log.db")
    conn.execute("DELETE FROM tallies")
    conn.commit()
    conn.close()
    again = LogStore.open(tmp_path / "log.db")  # backfilled on open
    assert again.search(EventQuery(outcome="allowed"))[2] == again.count(EventQuery(outcome="allowed"))


def test_a_person_search_finds_every_use_of_their_invitations(tmp_path: Path) -> None:
    """Redemptions name the invitation, not the person (refused ones too, and the gateway's
    entry of one): a search by the person's name finds them through the entries that issued
    the invitations (the first link and each new one), paged and counted like the rest, and
    an export pinned below a reissue leaves out the new link's uses."""
    store = _store(tmp_path / "log.db")
    store.append([record_for(e) for e in [
        _ev(20, "participant.invite", "med", "participant", "pCy", name="Cy Wong", role="party",
            invitation="invCy1"),
        _ev(21, "participant.redeem", "anonymous", "invitation", "invCy1", Outcome.DENIED,
            reason="access_code", participant="pCy"),
        _ev(22, "participant.redeem", "anonymous", "invitation", "invCy1", Outcome.DENIED,
            reason="access code not accepted", kind="redeem.unauthenticated"),
        _ev(23, "participant.redeem", "anonymous", "invitation", "invCy1"),
        _ev(24, "participant.redeem", "anonymous", "invitation", "invOther"),
        _ev(25, "participant.reissue", "med", "participant", "pCy", invitation="invCy2"),
        _ev(26, "participant.redeem", "anonymous", "invitation", "invCy2"),
        _ev(27, "participant.reissue", "med", "participant", "pCy", Outcome.DENIED),
    ]])
    indexes = [13, 14, 15, 16, 18, 19, 20]  # all but the other invitation's use (17)
    assert store.count(EventQuery(person="cy wong")) == len(indexes)
    seen: list[int] = []
    cursor = None
    while True:
        rows, cursor, total = store.search(EventQuery(person="CY", limit=2, cursor=cursor))
        assert total == len(indexes)
        seen += [i for i, _ in rows]
        if cursor is None:
            break
    assert seen == indexes
    assert store.count(EventQuery(person="cy", action="participant.redeem")) == 4
    assert store.count(EventQuery(person="cy"), below=19) == 5  # up to the new link
    assert _ids(store, person="ana", action="participant.redeem") == []


def test_an_actor_with_their_invitations_is_a_persons_report(tmp_path: Path) -> None:
    """`with_invitations`: what the person did and every use of the invitations issued to them
    (the first link and each new one, refused uses too), each entry once, paged and counted,
    and nothing done to them (their invitation, a move by the mediator): a person's report."""
    store = _store(tmp_path / "log.db")
    store.append([record_for(e) for e in [
        _ev(20, "participant.invite", "med", "participant", "pCy", name="Cy Wong", role="party",
            invitation="invCy1"),
        _ev(21, "participant.redeem", "anonymous", "invitation", "invCy1", Outcome.DENIED,
            reason="access_code", participant="pCy"),
        _ev(22, "participant.redeem", "pCy", "invitation", "invCy1"),  # named by both: once
        _ev(23, "document.download", "pCy", "document", "doc1"),
        _ev(24, "participant.redeem", "anonymous", "invitation", "invOther"),
        _ev(25, "participant.reissue", "med", "participant", "pCy", invitation="invCy2"),
        _ev(26, "room.move", "med", "participant", "pCy"),
        _ev(27, "participant.redeem", "anonymous", "invitation", "invCy2", Outcome.DENIED,
            reason="used", participant="pCy"),
    ]])
    indexes = [14, 15, 16, 20]
    report = EventQuery(actor="pCy", with_invitations=True)
    assert store.count(report) == len(indexes)
    assert store.count(EventQuery(actor="pCy")) == 2  # without: their own entries only
    seen: list[int] = []
    cursor = None
    while True:
        rows, cursor, total = store.search(EventQuery(actor="pCy", with_invitations=True, limit=3,
                                                      cursor=cursor))
        assert total == len(indexes)
        seen += [i for i, _ in rows]
        if cursor is None:
            break
    assert seen == indexes
    rows, _, _ = store.search(EventQuery(actor="pCy", with_invitations=True, order="desc"))
    assert [i for i, _ in rows] == indexes[::-1]
    # The uses alone (the attempts a report counts), and as of an earlier log (before the new link).
    uses = EventQuery(actor="pCy", with_invitations=True, resource_type="invitation",
                      action="participant.redeem")
    assert store.count(uses) == 3
    assert store.count(report, below=19) == 3
    # A staff account, issued no invitation: its own entries, as the actor filter finds them.
    assert store.count(EventQuery(actor="med", with_invitations=True)) == store.count(EventQuery(actor="med"))
