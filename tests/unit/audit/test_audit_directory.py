"""The log's own directory (services/audit/directory.py, names_table.py): a staff account is named
by its display name with its user name beside it, follows renames (an administrator's, or the
person's own), falls back to its user name when the display name is removed, and a refused
change names nothing; the same fold in one batch, across batches and when an older names table
is rebuilt on open; a side follows its renames."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from proto.audit import Actor, AuditEvent, Outcome, Resource
from proto.auditlog import EventQuery
from services.audit.directory import NameRow, fold
from services.audit.entry import LogRecord, record_for
from services.audit.log import LogStore

ACCOUNT = "01JACCTMEDIATOR0000000000A"
_counter = iter(range(1_000_000))


def _account(action: str, outcome: Outcome = Outcome.ALLOWED, **details: str) -> LogRecord:
    i = next(_counter)
    return record_for(AuditEvent(
        id=f"a{i:05d}", time=1_700_000_000_000 + i, actor=Actor(id="01JADMIN", role="admin"),  # type: ignore[arg-type]
        action=action, resource=Resource(type="account", id=ACCOUNT), outcome=outcome,  # type: ignore[arg-type]
        service="gateway", details=dict(details)))


def _replay(*records: LogRecord) -> NameRow | None:
    row = None
    for record in records:
        row = fold(row, record) or row
    return row


def test_an_account_is_named_by_its_display_name_with_its_user_name_beside_it() -> None:
    row = fold(None, _account("account.create", role="mediator", username="anna.lee",
                              display_name="Ms Anna Lee"))
    assert row == NameRow(kind="person", id=ACCOUNT, hearing="", name="Ms Anna Lee",
                          role="mediator", side=None, username="anna.lee")
    # No display name at creation: its user name, until it gets one.
    plain = _account("account.create", role="mediator", username="mediator", display_name="")
    assert fold(None, plain) == NameRow("person", ACCOUNT, "", "mediator", "mediator", None,
                                        "mediator")
    # The first administrator, made with the setup secret.
    first = fold(None, _account("account.bootstrap", role="admin", username="root"))
    assert first is not None and (first.name, first.username, first.role) == ("root", "root",
                                                                              "admin")


def test_renames_are_followed_and_a_removed_name_falls_back_to_the_user_name() -> None:
    created = _account("account.create", role="mediator", username="mediator", display_name="")
    # An administrator's change carries every field; the person's own only the name.
    by_admin = _account("account.update", disabled="false", role="mediator",
                        display_name="Ms Mei Ling Chan")
    own = _account("account.update", display_name="Dr Mei Ling Chan")
    row = _replay(created, by_admin, own)
    assert row is not None and (row.name, row.username, row.role) == (
        "Dr Mei Ling Chan", "mediator", "mediator")
    assert _replay(created, by_admin, _account("account.update", display_name="")) == NameRow(
        "person", ACCOUNT, "", "mediator", "mediator", None, "mediator")
    # A role change keeps the name; a refused change is no change at all.
    promoted = _replay(created, by_admin, _account("account.update", role="admin",
                                                   display_name="Ms Mei Ling Chan"))
    assert promoted is not None and (promoted.name, promoted.role) == ("Ms Mei Ling Chan", "admin")
    refused = _account("account.update", Outcome.DENIED, display_name="Not Her Name")
    assert fold(row, refused) is None
    # An update with no account row before it (a log begun after the account): its new name,
    # and no user name to fall back on.
    orphan = fold(None, _account("account.update", display_name="Ms Orphan"))
    assert orphan is not None and (orphan.name, orphan.username) == ("Ms Orphan", None)
    assert fold(None, _account("account.update", display_name="")) is None


def _names(store: LogStore) -> dict[str, tuple[str, str | None]]:
    return {r.id: (r.name, r.username) for r, _ in store.names(kind="person")}


def test_the_store_follows_renames_in_one_batch_across_batches_and_on_rebuild(
        tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    store = LogStore.open(path)
    store.append([_account("account.create", role="mediator", username="mediator",
                           display_name=""),
                  _account("account.update", display_name="Ms Mei Ling Chan")])
    assert _names(store) == {ACCOUNT: ("Ms Mei Ling Chan", "mediator")}
    store.append([_account("account.update", display_name="")])
    assert _names(store) == {ACCOUNT: ("mediator", "mediator")}
    store.append([_account("account.update", role="mediator", display_name="Dr Mei Ling Chan")])
    assert _names(store) == {ACCOUNT: ("Dr Mei Ling Chan", "mediator")}
    # Found by either name; by id (the console asks for one account's current name).
    assert store.person_ids("mei ling") == [ACCOUNT] == store.person_ids("MEDIATOR")
    assert store.count(EventQuery(person="mediator")) == 4
    assert [r.name for r, _ in store.names(ident=ACCOUNT)] == ["Dr Mei Ling Chan"]
    assert store.names(ident="01JNOBODY") == []
    store.close()

    # A names table an older release wrote (user names only, no user name column): rebuilt.
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE names")
    conn.execute("CREATE TABLE names (kind TEXT NOT NULL, id TEXT NOT NULL, hearing TEXT NOT NULL,"
                 " name TEXT NOT NULL, role TEXT, side TEXT, idx INTEGER NOT NULL,"
                 " PRIMARY KEY (kind, id, hearing))")
    conn.execute("INSERT INTO names VALUES ('person', ?, '', 'mediator', 'mediator', NULL, 0)",
                 (ACCOUNT,))
    conn.execute("DELETE FROM meta WHERE key = 'names_schema'")
    conn.commit()
    conn.close()
    again = LogStore.open(path)
    assert _names(again) == {ACCOUNT: ("Dr Mei Ling Chan", "mediator")}
    again.close()


def test_a_side_is_named_by_its_latest_name() -> None:
    def side(action: str, name: str) -> LogRecord:
        i = next(_counter)
        return record_for(AuditEvent(
            id=f"s{i:05d}", time=1_700_000_000_000 + i, actor=Actor(id="med"),
            action=action, resource=Resource(type="side", id="sideC"),  # type: ignore[arg-type]
            outcome=Outcome.ALLOWED, service="signalling", hearing="h1",
            details={"name": name}))

    row = _replay(side("hearing.side_add", "Claimant"),
                  side("hearing.side_rename", "Claimant (Lam Holdings)"))
    assert row == NameRow("side", "sideC", "h1", "Claimant (Lam Holdings)", None, None)


def test_a_caucus_named_by_default_is_named_after_its_side() -> None:
    """A side's caucus left with its default name is recorded with no name (each screen names
    it in its reader's language): its row keeps the side so the auditor's screen can name it;
    a caucus with neither a name nor a side names nothing."""
    def created(room: str, **details: str | None) -> LogRecord:
        i = next(_counter)
        return record_for(AuditEvent(
            id=f"r{i:05d}", time=1_700_000_000_000 + i, actor=Actor(id="med"),
            action="room.caucus_create", resource=Resource(type="room", id=room),  # type: ignore[arg-type]
            outcome=Outcome.ALLOWED, service="signalling", hearing="h1", details=dict(details)))

    assert fold(None, created("r1", name="", side="sideC")) == NameRow(
        "room", "r1", "h1", "", None, "sideC")
    assert fold(None, created("r2", name="Breakout", side="sideC")) == NameRow(
        "room", "r2", "h1", "Breakout", None, "sideC")
    assert fold(None, created("r3", name="", side=None)) is None
