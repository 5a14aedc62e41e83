"""A hearing's people as the log knows them (services/audit/names_table.py): its participants,
named by their invitations, and the staff accounts that acted in it, the mediator above all
(an account, named once in no hearing, so a hearing's names used to leave it out), by their
account's name and role as they are now. An administrator who created a hearing for a mediator
is one of its people, and so is that mediator before acting; a staff account refused in it is
not; a mediator an administrator handed the hearing over to is one before acting, beside the one
before. The same after an older names table is rebuilt on open."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import msgspec
import pytest

from proto.audit import Actor, AuditEvent, Outcome, Resource
from services.audit.directory import NameRow
from services.audit.entry import LogRecord, record_for
from services.audit.errors import NameCursorError
from services.audit.log import LogStore
from services.audit.names_table import PAGE_BYTES, decode_cursor, encode_cursor, page, sort_key

MEDIATOR = "01JACCTMEDIATOR0000000000A"
OTHER = "01JACCTMEDIATOR0000000000B"
ADMIN = "01JACCTADMIN00000000000000"
_counter = iter(range(1_000_000))


def _event(action: str, actor: str, actor_role: str, rtype: str, rid: str, *,
           hearing: str | None = None, outcome: Outcome = Outcome.ALLOWED,
           **details: Any) -> LogRecord:
    i = next(_counter)
    return record_for(AuditEvent(
        id=f"e{i:05d}", time=1_700_000_000_000 + i, actor=Actor(id=actor, role=actor_role),  # type: ignore[arg-type]
        action=action, resource=Resource(type=rtype, id=rid), outcome=outcome,
        service="signalling", hearing=hearing, details=details))


def _story() -> list[LogRecord]:
    return [
        _event("account.bootstrap", ADMIN, "admin", "account", ADMIN, role="admin",
               username="root"),
        _event("account.create", ADMIN, "admin", "account", MEDIATOR, role="mediator",
               username="alee", display_name="Ms Anna Lee"),
        _event("account.create", ADMIN, "admin", "account", OTHER, role="mediator",
               username="bwong", display_name="Mr Ben Wong"),
        _event("hearing.create", MEDIATOR, "mediator", "hearing", "h1", hearing="h1",
               mediator=MEDIATOR, mediator_name="Ms Anna Lee", title="Lam v. Chen"),
        _event("hearing.side_add", MEDIATOR, "mediator", "side", "sClaim", hearing="h1",
               name="Claimant"),
        _event("participant.invite", MEDIATOR, "mediator", "participant", "pAna", hearing="h1",
               name="Ana Chen", role="counsel", side="sClaim"),
        # Another mediator tries to open it and is refused: not one of its people.
        _event("hearing.open", OTHER, "mediator", "hearing", "h1", hearing="h1",
               outcome=Outcome.DENIED),
        # An administrator creates a hearing for the other mediator, who has not acted in it.
        _event("hearing.create", ADMIN, "admin", "hearing", "h2", hearing="h2",
               mediator=OTHER, mediator_name="", title="Ho v. Ng"),
    ]


def _people(store: LogStore, hearing: str, **query: Any) -> dict[str, tuple[str, str | None]]:
    rows = store.names(hearing=hearing, **query)
    return {r.id: (r.name, r.role) for r, _ in rows if r.kind == "person"}


def test_a_hearing_s_people_include_the_staff_who_acted_in_it(tmp_path: Path) -> None:
    store = LogStore.open(tmp_path / "log.db")
    store.append(_story())
    assert _people(store, "h1", kind="person") == {
        "pAna": ("Ana Chen", "counsel"), MEDIATOR: ("Ms Anna Lee", "mediator")}
    assert _people(store, "h2", kind="person") == {
        ADMIN: ("root", "admin"), OTHER: ("Mr Ben Wong", "mediator")}
    # As rows of that hearing; by name or user name too; never among its sides or documents.
    rows = store.names(hearing="h1", kind="person")
    assert {r.hearing for r, _ in rows} == {"h1"} and [r.name for r, _ in rows] == [
        "Ana Chen", "Ms Anna Lee"]
    assert _people(store, "h1", name="alee") == {MEDIATOR: ("Ms Anna Lee", "mediator")}
    assert _people(store, "h1", ident=MEDIATOR) == {MEDIATOR: ("Ms Anna Lee", "mediator")}
    assert [r.kind for r, _ in store.names(hearing="h1", kind="side")] == ["side"]
    assert {r.kind for r, _ in store.names(hearing="h1")} == {"hearing", "side", "person"}
    # Outside a hearing an account is named once, as before.
    assert [r.hearing for r, _ in store.names(ident=MEDIATOR)] == [""]
    # A rename is followed: the account's name as it is now.
    store.append([_event("account.update", MEDIATOR, "mediator", "account", MEDIATOR,
                         display_name="Dr Anna Lee")])
    assert _people(store, "h1", kind="person")[MEDIATOR] == ("Dr Anna Lee", "mediator")
    store.close()


def test_an_older_names_table_is_rebuilt_with_the_hearings_staff(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    store = LogStore.open(path)
    store.append(_story())
    store.close()
    # What the release before wrote: names of version 2, no `hearing_actors`.
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE hearing_actors")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'names_schema'")
    conn.commit()
    conn.close()
    again = LogStore.open(path)
    assert _people(again, "h1", kind="person") == {
        "pAna": ("Ana Chen", "counsel"), MEDIATOR: ("Ms Anna Lee", "mediator")}
    assert _people(again, "h2", kind="person") == {
        ADMIN: ("root", "admin"), OTHER: ("Mr Ben Wong", "mediator")}
    again.close()


def _handover(hearing: str, old: str, new: str, name: str) -> LogRecord:
    return _event("hearing.mediator_handover", ADMIN, "admin", "hearing", hearing,
                  hearing=hearing, **{"from": old, "from_name": "", "to": new, "mediator": new,
                                      "mediator_name": name})


def test_a_mediator_a_hand_over_seated_is_one_of_its_people_before_acting(
        tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    store = LogStore.open(path)
    store.append([*_story(), _handover("h1", MEDIATOR, OTHER, "Mr Ben Wong")])
    both = {"pAna": ("Ana Chen", "counsel"), MEDIATOR: ("Ms Anna Lee", "mediator"),
            OTHER: ("Mr Ben Wong", "mediator"), ADMIN: ("root", "admin")}
    assert _people(store, "h1", kind="person") == both
    store.close()
    # A names table of the release before (version 3) is rebuilt with it.
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM hearing_actors")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'names_schema'")
    conn.commit()
    conn.close()
    again = LogStore.open(path)
    assert _people(again, "h1", kind="person") == both
    again.close()


def test_a_hearing_s_names_page_by_page_are_all_of_them_once(tmp_path: Path) -> None:
    """Pages of one name each (the hearing's staff among them) give what one read gives, in
    the same order; a page continues after the last name of the one before, so a name added
    meanwhile before it shifts nothing; a cursor the service did not write is refused."""
    store = LogStore.open(tmp_path / "log.db")
    store.append(_story())
    store.append([_event("participant.invite", MEDIATOR, "mediator", "participant", f"p{i}",
                         hearing="h1", name="Bo Lam", role="party") for i in range(3)])
    whole = [r for r, _ in store.names(hearing="h1")]
    paged: list[NameRow] = []
    after = None
    while page := store.names(hearing="h1", limit=1, after=after):
        paged.append(page[0][0])
        after = decode_cursor(encode_cursor(sort_key(page[0][0])))
        if len(paged) == 2:  # a name before the cursor, added between two pages
            store.append([_event("participant.invite", MEDIATOR, "mediator", "participant",
                                 "pAaron", hearing="h1", name="Aaron Ho", role="party")])
    assert paged == whole and len(whole) == 7  # the hearing, its side, Ana, 3 Bo Lams, Ms Lee
    assert [r.name for r in whole][:5] == ["Ana Chen", "Bo Lam", "Bo Lam", "Bo Lam", "Claimant"]
    for forged in ("bm90LWEtY3Vyc29y", "W10", "@@"):
        with pytest.raises(NameCursorError):
            decode_cursor(forged)
    store.close()


def test_a_page_of_long_names_stays_well_under_a_nats_message(tmp_path: Path) -> None:
    """A thousand names of 200 characters (CJK: three bytes each, with a side and a role as
    long) would be nearly 2 MB, over NATS's 1 MB message: a page ends once its names pass
    `PAGE_BYTES`, with the cursor after its last name, and the pages still give every name
    once, in order. A page of short names is bounded by `limit` alone, as before."""
    long = "調解會議" * 50
    store = LogStore.open(tmp_path / "log.db")
    store.append(_story())
    store.append([_event("participant.invite", MEDIATOR, "mediator", "participant", f"p{i:04d}",
                         hearing="h1", name=f"{i:04d}{long}", role=long, side=long)
                  for i in range(1000)])
    whole = [r.id for r, _ in store.names(hearing="h1", limit=2000)]
    assert len(whole) == 1004
    seen: list[str] = []
    sizes: list[int] = []
    cursor = None
    while True:
        after = None if cursor is None else decode_cursor(cursor)
        reply = page(store.names(hearing="h1", limit=1001, after=after), 1000)
        sizes.append(len(msgspec.json.encode(reply)))
        seen += [n.id for n in reply.names]
        cursor = reply.next_cursor
        if cursor is None:
            break
    assert seen == whole
    assert len(sizes) > 1 and max(sizes) <= PAGE_BYTES + 4096 < 1024 * 1024, sizes
    # Short names: a page is `limit` of them, the cursor after the last.
    short = page(store.names(hearing="h2", limit=2), 1)
    assert [n.name for n in short.names] == ["Ho v. Ng"] and short.next_cursor is not None
    assert page(store.names(hearing="h2", limit=4), 3).next_cursor is None
    store.close()


def test_the_names_route_documents_that_long_names_make_a_page_shorter() -> None:
    """The OpenAPI text of the names route's `limit` says a page may hold fewer names than
    asked for (long ones: at most PAGE_BYTES of them), and to follow next_cursor: a client that
    took "at most N names" at its word would stop after the first short page."""
    spec = json.loads((Path(__file__).parents[3] / "gateway/openapi/openapi.json").read_text())
    params = {p["name"]: p for p in spec["paths"]["/api/v1/audit/names"]["get"]["parameters"]}
    text = params["limit"]["description"]
    assert f"{PAGE_BYTES // 1024} KiB" in text and "fewer" in text and "next_cursor" in text
