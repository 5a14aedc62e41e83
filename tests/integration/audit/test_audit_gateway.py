"""The audit routes on the real suite (`parley up`): gateway events reach the log, auditors
query and prove, and a REAL export fetched through the API verifies with the real
`parley-audit` command, untouched, and fails naming why once tampered."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from proto.audit import Actor, AuditEvent, Outcome, Resource, audit_subject, encode_event
from tests.harness import Suite, wait_until
from tests.people import People, staff_people

CLI = [sys.executable, "-m", "services.audit.verify_cli"]


def verify(path: Path, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    """`parley-audit verify` with no saved pin (a fresh home): only --vkey pins the key."""
    env = {**os.environ, "PARLEY_AUDIT_HOME": str(path.parent / "audit-home")}
    return subprocess.run([*CLI, "verify", str(path), *map(str, extra)], capture_output=True,
                          text=True, timeout=60, env=env)


async def _get(people: People, path: str) -> tuple[int, Any, bytes]:
    async with people.auditor.session(bearer=True) as http, http.get(path) as r:
        body = await r.read()
        parsed = json.loads(body) if r.content_type == "application/json" else None
        return r.status, parsed, body


async def _export(people: People, body: dict[str, Any]) -> bytes:
    async with people.auditor.session(bearer=True) as http, \
            http.post("/api/v1/audit/exports", json=body) as r:
        assert r.status == 200, await r.text()
        return await r.read()


@pytest.fixture
async def people(suite: Suite) -> People:
    await suite.ready()
    people = await staff_people(suite)
    if not getattr(suite, "_audit_bulk", False):
        await _publish_bulk(suite)
        suite._audit_bulk = True  # type: ignore[attr-defined]
    return people


async def _publish(suite: Suite, events: list[AuditEvent]) -> None:
    """Publish audit events as a service would, a hundred in flight at a time."""
    nc = await suite.connect("supervisor")
    try:
        js = nc.jetstream()
        for start in range(0, len(events), 100):
            await asyncio.gather(*(js.publish(audit_subject("supervisor"), encode_event(e),
                                              headers={"Nats-Msg-Id": e.id})
                                   for e in events[start:start + 100]))
    finally:
        await nc.drain()


async def _publish_bulk(suite: Suite) -> None:
    """Enough events for an export of several NATS-sized parts."""
    await _publish(suite, [AuditEvent(id=f"bulk{i:06d}", time=1_700_000_000_000 + i,
                                      actor=Actor(id="acctX"), action="document.view",
                                      resource=Resource(type="document", id=f"d{i}"),
                                      outcome=Outcome.ALLOWED, service="supervisor",
                                      hearing="hBulk", details={"pad": "x" * 300})
                           for i in range(2500)])


async def test_gateway_events_reach_the_log_and_only_auditors_read_it(people: People) -> None:
    status, _ = await people.admin.call("GET", "/api/v1/audit/events")
    assert status == 403  # an admin sees nothing of the log

    async def denial_logged() -> dict[str, Any] | None:
        code, page, _ = await _get(people, "/api/v1/audit/events?action=auth.denied&limit=1000"
                                   f"&actor={people.admin.account_id}")
        assert code == 200
        for row in page["events"]:
            entry = json.loads(row["entry"])
            if entry["resource"]["id"] == "GET /api/v1/audit/events":
                found: dict[str, Any] = entry
                return found
        return None

    entry = await wait_until(denial_logged, timeout=20, what="the admin's denial in the log")
    assert entry["outcome"] == "denied" and entry["service"] == "gateway"
    code, page, _ = await _get(people, "/api/v1/audit/events?action=auth.")
    assert code == 200 and any(json.loads(r["entry"])["action"] == "auth.signin"
                               for r in page["events"])

    async def query_logged() -> bool:  # the auditor's own query is itself an audit event
        _, page, _ = await _get(people, f"/api/v1/audit/events?action=audit.query"
                                f"&actor={people.auditor.account_id}")
        return len(page["events"]) > 0

    await wait_until(query_logged, timeout=20, what="audit.query in the log")


async def test_query_parameters_are_the_schema_names(people: People) -> None:
    """The parameters the OpenAPI document lists are EventQuery's names, and they filter."""
    async def found() -> dict[str, Any] | None:
        code, page, _ = await _get(people, "/api/v1/audit/events?resource_type=document"
                                   "&resource_id=d7&time_from=1700000000000&time_to=1700000000100")
        assert code == 200
        return page if page["events"] else None

    page = await wait_until(found, timeout=20, what="the bulk event d7 in the log")
    entries = [json.loads(r["entry"]) for r in page["events"]]
    assert [e["resource"] for e in entries] == [{"type": "document", "id": "d7"}]
    assert entries[0]["time"] == 1_700_000_000_007


@pytest.mark.parametrize("query", [
    "limit=0", "limit=1001", "limit=abc", "cursor=-1", "cursor=01", "time_from=yesterday",
    "hearing=a%20b", "action=DROP", "nope=1", "limit=1&limit=2", "time_from=5&time_to=4",
    "resource_id=" + "x" * 300, "time_from=2024-01-01T00:00:00", "resource_type=Bad-Type",
    "resource=document", "from=5", "with_invitations=true", "actor=p1&with_invitations=yes",
    "actor=p1&person=Ana&with_invitations=true",
])
async def test_bad_query_parameters_are_400_json(people: People, query: str) -> None:
    code, body, _ = await _get(people, f"/api/v1/audit/events?{query}")
    assert code == 400 and body["error"]["code"] == "invalid", (query, code, body)


@pytest.mark.parametrize("path", [
    "/api/v1/audit/proofs/inclusion", "/api/v1/audit/proofs/inclusion?index=x",
    "/api/v1/audit/proofs/inclusion?index=99999999&size=1",
    "/api/v1/audit/proofs/consistency?from=5&to=2", "/api/v1/audit/proofs/consistency?to=2",
    "/api/v1/audit/entries/abc/receipt", "/api/v1/audit/log/tile/0/1234",
    "/api/v1/audit/log/tile/0/999/x",
])
async def test_bad_proof_requests_are_4xx_json(people: People, path: str) -> None:
    code, body, _ = await _get(people, path)
    assert 400 <= code < 500 and body["error"]["code"] in ("invalid", "not_found"), (path, body)


async def test_proofs_receipts_and_tiles_verify(people: People, tmp_path: Path) -> None:
    code, old, _ = await _get(people, "/api/v1/audit/checkpoint")
    assert code == 200 and old["size"] > 0
    _, _, vkey = await _get(people, "/api/v1/audit/vkey")
    (tmp_path / "vkey").write_bytes(vkey)
    await people.auditor.call("GET", "/api/v1/audit/events?limit=1", bearer=True)  # grow the log

    async def grown() -> dict[str, Any] | None:
        _, new, _ = await _get(people, "/api/v1/audit/checkpoint")
        return new if new["size"] > old["size"] else None

    new = await wait_until(grown, timeout=10, what="a newer checkpoint")
    code, _, raw = await _get(people, f"/api/v1/audit/proofs/consistency?from={old['size']}"
                                  f"&to={new['size']}")
    assert code == 200
    (tmp_path / "old").write_text(old["note"])
    (tmp_path / "new").write_text(new["note"])
    (tmp_path / "proof").write_bytes(raw)
    ok = subprocess.run([*CLI, "consistency", tmp_path / "old", tmp_path / "new",
                         tmp_path / "proof", "--vkey", tmp_path / "vkey"], capture_output=True,
                        text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    # A receipt for entry 5 verifies with the exact entry bytes (from the events query).
    _, page, _ = await _get(people, "/api/v1/audit/events?cursor=4&limit=1")
    assert page["events"][0]["index"] == 5
    (tmp_path / "entry").write_bytes(page["events"][0]["entry"].encode())
    code, _, receipt = await _get(people, "/api/v1/audit/entries/5/receipt")
    assert code == 200 and receipt.startswith(b"c2sp.org/tlog-proof@v1\n")
    (tmp_path / "receipt").write_bytes(receipt)
    ok = subprocess.run([*CLI, "receipt", tmp_path / "receipt", tmp_path / "entry", "--vkey",
                         tmp_path / "vkey"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "entry").write_bytes(page["events"][0]["entry"].encode().replace(b'"', b" ", 1))
    bad = subprocess.run([*CLI, "receipt", tmp_path / "receipt", tmp_path / "entry", "--vkey",
                          tmp_path / "vkey"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "RootMismatchError" in bad.stderr
    # tlog-tiles: the first full level-0 tile holds the first 256 leaf hashes.
    code, _, tile = await _get(people, "/api/v1/audit/log/tile/0/000")
    assert code == 200 and len(tile) == 256 * 32
    code, _, bundle = await _get(people, "/api/v1/audit/log/tile/entries/000")
    assert code == 200 and bundle[2:2 + int.from_bytes(bundle[:2], "big")].startswith(b"{")
    code, _, note = await _get(people, "/api/v1/audit/log/checkpoint")
    # No origin configured: the first start derived a unique one (host + random suffix).
    origin = note.decode().split("\n")[0]
    assert code == 200 and re.fullmatch(r"[^/]+/audit/[0-9a-f]{8}", origin)
    assert vkey.decode().startswith(origin + "+")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _change_entry(line: bytes) -> bytes:
    obj = json.loads(line)
    entry = base64.b64decode(obj["entry"])
    pos = entry.index(b'"time":') + len(b'"time":') + 3  # a digit of the time: 0<->1, 8<->9...
    entry = entry[:pos] + bytes([entry[pos] ^ 0x01]) + entry[pos + 1:]  # one byte, still an event
    obj["entry"] = base64.b64encode(entry).decode()
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


def _header(lines: list[bytes], **changes: Any) -> list[bytes]:
    head = json.loads(lines[0])
    head.update(changes)
    return [(json.dumps(head, separators=(",", ":")) + "\n").encode(), *lines[1:]]


def _resign(lines: list[bytes]) -> list[bytes]:
    head = json.loads(lines[0])
    body, sig = head["checkpoint"].split("\n\n")
    name, blob = sig.strip().split(" ")[1:]
    raw = bytearray(base64.b64decode(blob))
    raw[10] ^= 0xFF
    return _header(lines, checkpoint=f"{body}\n\n— {name} {base64.b64encode(raw).decode()}\n")


def _other_key(lines: list[bytes]) -> list[bytes]:
    from services.audit.keys import NoteSigner

    return _header(lines, vkey=NoteSigner.generate("parley.example/audit").verifier.vkey)


Tamper = Callable[[list[bytes]], list[bytes]]

TAMPERS: dict[str, tuple[Tamper, str]] = {
    "change one byte": (lambda ls: [ls[0], _change_entry(ls[1]), *ls[2:]], "RootMismatchError"),
    "remove an entry": (lambda ls: [ls[0], ls[1], *ls[3:]], "EntryOrderError"),
    "insert an entry": (lambda ls: [ls[0], ls[1], ls[1], *ls[2:]], "EntryOrderError"),
    "swap two": (lambda ls: [ls[0], ls[2], ls[1], *ls[3:]], "EntryOrderError"),
    "bad signature": (_resign, "BadSignatureError"),
    "another key": (_other_key, "KeyMismatchError"),
    "truncated": (lambda ls: ls[:-1], "BundleFormatError"),
    "cut mid-line": (lambda ls: [*ls[:-2], ls[-2][:40]], "BundleFormatError"),
}


async def test_real_export_verifies_and_every_tamper_fails(people: People, tmp_path: Path) -> None:
    _, _, vkey = await _get(people, "/api/v1/audit/vkey")
    (tmp_path / "vkey").write_bytes(vkey)
    data = await _export(people, {})
    lines = _lines(data)
    assert len(data) > 1_000_000  # several NATS parts, streamed
    assert json.loads(lines[-1]) == {"end_of_bundle": True, "count": len(lines) - 2}
    (tmp_path / "bundle.jsonl").write_bytes(data)
    ok = verify(tmp_path / "bundle.jsonl", "--vkey", tmp_path / "vkey")
    assert ok.returncode == 0, ok.stderr
    assert "none changed, removed, inserted or reordered" in ok.stdout
    for name, (tamper, error) in TAMPERS.items():
        path = tmp_path / f"{name.replace(' ', '-')}.jsonl"
        path.write_bytes(b"".join(tamper(lines)))
        bad = verify(path, "--vkey", tmp_path / "vkey")
        assert bad.returncode == 1 and error in bad.stderr, (name, bad.stderr)
        # what it means and what to do first, in words; the check that failed after it
        said, detail = bad.stderr.splitlines()
        assert said.startswith("FAIL: This bundle ") and said.endswith(
            "Do not rely on it; export it again from the server."), (name, said)
        assert detail.startswith(f"detail: {error}: "), (name, detail)
    # Without a pinned key nothing verifies, not even the genuine bundle (exit 2).
    bad = verify(tmp_path / "bundle.jsonl")
    assert bad.returncode == 2 and "no pinned verifier key" in bad.stderr, bad.stderr


async def test_filtered_and_range_exports_verify(people: People, tmp_path: Path) -> None:
    _, _, vkey = await _get(people, "/api/v1/audit/vkey")
    (tmp_path / "vkey").write_bytes(vkey)
    selection = await _export(people, {"filter": {"hearing": "hBulk", "resource_id": "d7"}})
    (tmp_path / "sel.jsonl").write_bytes(selection)
    ok = verify(tmp_path / "sel.jsonl", "--list", "--vkey", tmp_path / "vkey")
    assert ok.returncode == 0, ok.stderr
    assert "1 selected entries" in ok.stdout and "document/d7" in ok.stdout
    ranged = await _export(people, {"begin": 3, "end": 40})
    (tmp_path / "range.jsonl").write_bytes(ranged)
    ok = verify(tmp_path / "range.jsonl", "--vkey", tmp_path / "vkey")
    assert ok.returncode == 0 and "indices [3, 40)" in ok.stdout, ok.stderr
    async with people.auditor.session(bearer=True) as http:
        for body in ({"begin": 5, "end": 2}, {"begin": 0, "filter": {}}, {"end": 10**12},
                     {"filter": {"limit": 0}}, {"surprise": 1},
                     # a person's report: its uses name no actor, no bundle could be checked
                     {"filter": {"actor": "p1", "with_invitations": True}}):
            async with http.post("/api/v1/audit/exports", json=body) as r:
                assert r.status == 400, (body, r.status)
                assert (await r.json())["error"]["code"] == "invalid"


async def test_a_hearing_of_more_names_than_a_page_is_named_in_full(suite: Suite,
                                                                   people: People) -> None:
    """A hearing with more people and documents than one page of names (1,000) holds: the
    pages, each at most `limit`, in name order with no name twice, give every one, and end
    with no `next_cursor`; a cursor the service did not give is refused in words."""
    hearing, invited, documents = "hManyNames", 1_040, 25
    named = [("participant.invite", "participant", f"p{i:05d}", {"name": f"Person {i:05d}",
                                                                 "role": "party"})
             for i in range(invited)]
    named += [("document.upload", "document", f"d{i:03d}",
               {"filename": f"Exhibit {i:03d}.pdf", "version": "v1", "compartment": "joint"})
              for i in range(documents)]
    await _publish(suite, [
        AuditEvent(id=f"names{i:06d}", time=1_700_000_100_000 + i,
                   actor=Actor(id="acctMed", role="mediator"), action=action,  # type: ignore[arg-type]
                   resource=Resource(type=rtype, id=rid), outcome=Outcome.ALLOWED,
                   service="supervisor", hearing=hearing, details=details)
        for i, (action, rtype, rid, details) in enumerate(named)])

    async def pages(limit: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            query = f"hearing={hearing}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            code, page, _ = await _get(people, f"/api/v1/audit/names?{query}")
            assert code == 200, page
            assert len(page["names"]) <= limit
            out.append(page)
            cursor = page.get("next_cursor")
            if cursor is None:
                return out

    async def all_logged() -> list[dict[str, Any]] | None:
        found = await pages(1000)
        return found if sum(len(p["names"]) for p in found) == invited + documents else None

    first = await wait_until(all_logged, timeout=60, what="every name of the hearing in the log")
    assert [len(p["names"]) for p in first] == [1000, invited + documents - 1000]
    assert "next_cursor" in first[0] and "next_cursor" not in first[1]
    listed = [(n["name"], n["kind"], n["id"]) for p in first for n in p["names"]]
    assert listed == sorted(listed) and len(set(listed)) == len(listed)
    assert {i for _, kind, i in listed if kind == "person"} == {f"p{i:05d}" for i in range(invited)}
    assert {i for _, kind, i in listed if kind == "document"} == {f"d{i:03d}" for i in range(documents)}
    # Smaller pages give the same names in the same order.
    small = await pages(300)
    assert [len(p["names"]) for p in small] == [300, 300, 300, 165]
    assert [(n["name"], n["kind"], n["id"]) for p in small for n in p["names"]] == listed
    code, body, _ = await _get(people, f"/api/v1/audit/names?hearing={hearing}&cursor=bm90LWEtY3Vyc29y")
    assert code == 400 and body["error"]["code"] == "invalid", body
    assert "ask for the first page again" in body["error"]["message"], body
