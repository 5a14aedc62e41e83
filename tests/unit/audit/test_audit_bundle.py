"""Export bundles from a real log, verified offline by `parley-audit`, untouched and tampered."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from proto.audit import Actor, AuditEvent, Outcome, Resource
from proto.auditlog import EventQuery
from services.audit.bundle import range_bundle, selection_bundle
from services.audit.bundle_verify import verify_bundle
from services.audit.entry import record_for
from services.audit.keys import NoteSigner
from services.audit.log import LogStore, StoredCheckpoint
from services.audit.signer import CheckpointIssuer
from services.audit.verify_cli import main

ORIGIN = "parley.example.org/audit"
SIGNER = NoteSigner(ORIGIN, bytes(range(32)))


def event(i: int) -> AuditEvent:
    return AuditEvent(
        id=f"ev{i:06d}", time=1_700_000_000_000 + i, actor=Actor(id=f"acct{i % 3}"),
        action="document.download", resource=Resource(type="document", id=f"doc{i % 4}"),
        outcome=Outcome.ALLOWED, service="evidence", hearing="h1", details={"n": i},
    )


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> tuple[LogStore, StoredCheckpoint, StoredCheckpoint]:
    store = LogStore.open(tmp_path_factory.mktemp("log") / "log.db")
    issuer = CheckpointIssuer(store, SIGNER)
    store.append([record_for(event(i)) for i in range(45)])
    old = issuer.issue(1)
    store.append([record_for(event(i)) for i in range(45, 103)])
    return store, old, issuer.issue(2)


def write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(lines))
    return path


@pytest.fixture
def vkey_file(tmp_path: Path) -> Path:
    path = tmp_path / "log.vkey"
    path.write_text(SIGNER.verifier.vkey + "\n")
    return path


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.mark.parametrize(("begin", "end"), [(0, 103), (10, 30), (0, 1), (64, 103), (5, 5)])
def test_range_bundle_verifies(log: tuple[LogStore, StoredCheckpoint, StoredCheckpoint],
                               begin: int, end: int, tmp_path: Path, vkey_file: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    store, _, cp = log
    lines = list(range_bundle(store, begin, end, cp, SIGNER.verifier.vkey,
                              query=EventQuery(actor="acct1")))
    report = verify_bundle(lines, SIGNER.verifier, keep_events=True)
    assert (report.count, report.begin, report.end) == (end - begin, begin, end)
    assert [i for i, _ in report.events] == list(range(begin, end))
    assert report.filter_matches == sum(1 for i in range(begin, end) if i % 3 == 1)
    assert run("verify", write(tmp_path / "b.jsonl", lines), "--vkey", vkey_file, "--list") == 0
    out = capsys.readouterr().out
    assert out.startswith("OK:") and f"[{begin}, {end}) of 103" in out and "pinned" in out


def test_selection_bundle_verifies(log: tuple[LogStore, StoredCheckpoint, StoredCheckpoint],
                                   tmp_path: Path, vkey_file: Path) -> None:
    store, _, cp = log
    lines = list(selection_bundle(store, [3, 77, 50, 102], cp, SIGNER.verifier.vkey))
    assert verify_bundle(lines, SIGNER.verifier).count == 4
    assert run("verify", write(tmp_path / "s.jsonl", lines), "--vkey", vkey_file) == 0


def _entry_lines(lines: list[bytes]) -> tuple[bytes, list[bytes], bytes]:
    return lines[0], lines[1:-1], lines[-1]


def _change_byte(lines: list[bytes]) -> list[bytes]:
    head, entries, tail = _entry_lines(lines)
    obj = json.loads(entries[3])
    data = bytearray(base64.b64decode(obj["entry"]))
    data[data.index(b"acct") + 4] ^= 1  # acct0 -> acct1: still a valid event
    obj["entry"] = base64.b64encode(bytes(data)).decode()
    entries[3] = json.dumps(obj).encode() + b"\n"
    return [head, *entries, tail]


def _remove(lines: list[bytes]) -> list[bytes]:
    head, entries, tail = _entry_lines(lines)
    return [head, *entries[:4], *entries[5:], tail]


def _remove_and_fix_counts(lines: list[bytes]) -> list[bytes]:
    head, entries, _tail = _entry_lines(lines)
    h = json.loads(head)
    h["count"] -= 1
    h["end"] -= 1
    return [json.dumps(h).encode() + b"\n", *entries[:-1],
            json.dumps({"end_of_bundle": True, "count": h["count"]}).encode() + b"\n"]


def _insert(lines: list[bytes]) -> list[bytes]:
    head, entries, tail = _entry_lines(lines)
    return [head, *entries[:2], entries[2], *entries[2:], tail]


def _swap(lines: list[bytes]) -> list[bytes]:
    head, entries, tail = _entry_lines(lines)
    entries[1], entries[2] = entries[2], entries[1]
    return [head, *entries, tail]


def _swap_contents(lines: list[bytes]) -> list[bytes]:
    head, entries, tail = _entry_lines(lines)
    a, b = json.loads(entries[1]), json.loads(entries[2])
    a["entry"], b["entry"] = b["entry"], a["entry"]
    entries[1], entries[2] = json.dumps(a).encode() + b"\n", json.dumps(b).encode() + b"\n"
    return [head, *entries, tail]


def _header(mutate: Callable[[dict[str, object]], None]) -> Callable[[list[bytes]], list[bytes]]:
    def apply(lines: list[bytes]) -> list[bytes]:
        h = json.loads(lines[0])
        mutate(h)
        return [json.dumps(h).encode() + b"\n", *lines[1:]]

    return apply


def _bad_signature(h: dict[str, object]) -> None:
    note = str(h["checkpoint"])
    head, blob = note.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[20] ^= 1
    h["checkpoint"] = f"{head} {base64.b64encode(bytes(raw)).decode()}\n"


OTHER = NoteSigner(ORIGIN, bytes(32))


def _other_key(h: dict[str, object]) -> None:
    text = str(h["checkpoint"]).split("\n\n")[0] + "\n"
    from services.audit.note import sign_note

    h["checkpoint"] = sign_note(text, OTHER)
    h["vkey"] = OTHER.verifier.vkey


def _other_vkey_only(h: dict[str, object]) -> None:
    h["vkey"] = OTHER.verifier.vkey


def _left_proof(h: dict[str, object]) -> None:
    proof = h["range_proof"]
    assert isinstance(proof, dict)
    proof["left"] = proof["left"][:-1]


TAMPERS: dict[str, tuple[Callable[[list[bytes]], list[bytes]], str]] = {
    "change a byte": (_change_byte, "RootMismatchError"),
    "remove an entry": (_remove, "EntryOrderError"),
    "remove and fix the counts": (_remove_and_fix_counts, "InvalidProofError"),
    "insert a duplicate": (_insert, "EntryOrderError"),
    "swap two lines": (_swap, "EntryOrderError"),
    "swap two entries' contents": (_swap_contents, "RootMismatchError"),
    "replace the signature": (_header(_bad_signature), "BadSignatureError"),
    "replace the key and re-sign": (_header(_other_key), "KeyMismatchError"),
    "replace the key only": (_header(_other_vkey_only), "KeyMismatchError"),
    "drop a range-proof hash": (_header(_left_proof), "InvalidProofError"),
    "truncate (lose the trailer)": (lambda ls: ls[:-1], "BundleFormatError"),
    "truncate mid-line": (lambda ls: [*ls[:-2], ls[-2][:30]], "BundleFormatError"),
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_tampered_range_bundle_fails(log: tuple[LogStore, StoredCheckpoint, StoredCheckpoint],
                                     name: str, tmp_path: Path, vkey_file: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    store, _, cp = log
    lines = list(range_bundle(store, 8, 40, cp, SIGNER.verifier.vkey))
    mutate, error = TAMPERS[name]
    path = write(tmp_path / "t.jsonl", mutate(list(lines)))
    assert run("verify", path, "--vkey", vkey_file) == 1
    # First what it means and what to do, in a sentence; then the check that failed.
    said, detail = capsys.readouterr().err.splitlines()
    assert said.startswith("FAIL: This bundle ") and said.endswith(AGAIN), said
    assert error not in said and "root" not in said, said
    assert detail.startswith(f"detail: {error}:"), detail


AGAIN = "Do not rely on it; export it again from the server."


def test_a_changed_entry_is_told_in_a_sentence_the_auditor_can_act_on(
        log: tuple[LogStore, StoredCheckpoint, StoredCheckpoint], tmp_path: Path, vkey_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`parley-audit verify` on a bundle with one entry changed after export: the sentence names
    the entry where the proofs can (a selection: each entry has its own), else the range; the
    technical detail follows; the exit status is 1."""
    store, _, cp = log
    changed = _change_byte(list(range_bundle(store, 8, 40, cp, SIGNER.verifier.vkey)))
    assert run("verify", write(tmp_path / "r.jsonl", changed), "--vkey", vkey_file) == 1
    said, detail = capsys.readouterr().err.splitlines()
    assert said == ("FAIL: This bundle does not match its signed checkpoint: one of its entries (8 to 39) or "
                    f"the range proof was changed or removed after export. {AGAIN}"), said
    assert detail.startswith("detail: RootMismatchError: entries [8, 40) with the range proof: computed root ")
    changed = _change_byte(list(selection_bundle(store, range(0, 100, 9), cp, SIGNER.verifier.vkey)))
    assert run("verify", write(tmp_path / "s.jsonl", changed), "--vkey", vkey_file) == 1
    said, detail = capsys.readouterr().err.splitlines()
    assert said == ("FAIL: This bundle does not match its signed checkpoint: entry 27 or its proof was "
                    f"changed or removed after export. {AGAIN}"), said
    assert detail.startswith("detail: RootMismatchError: line 5: inclusion of entry 27"), detail


def test_verify_refuses_without_a_pinned_key(
    log: tuple[LogStore, StoredCheckpoint, StoredCheckpoint], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """An attacker changes an entry, rebuilds the tree and re-signs with their own key, placed in
    the bundle's header: with no pinned key that must not verify; with the pin it is caught."""
    monkeypatch.setenv("PARLEY_AUDIT_HOME", str(tmp_path / "home"))
    store, _, cp = log
    forged_store = LogStore.open(tmp_path / "forged.db")
    events = [event(i) for i in range(10)]
    events[3] = msgspec.structs.replace(events[3], outcome=Outcome.DENIED)
    forged_store.append([record_for(e) for e in events])
    forged_cp = CheckpointIssuer(forged_store, OTHER).issue(3)
    forged = list(range_bundle(forged_store, 0, 10, forged_cp, OTHER.verifier.vkey))
    path = write(tmp_path / "forged.jsonl", forged)
    assert run("verify", path) == 2
    assert "no pinned verifier key" in capsys.readouterr().err
    good = tmp_path / "good.vkey"
    good.write_text(SIGNER.verifier.vkey + "\n")
    assert run("pin", good) == 0
    assert f"{SIGNER.verifier.key_id:08x}" in capsys.readouterr().out
    assert run("verify", path) == 1
    said, detail = capsys.readouterr().err.splitlines()
    assert said.startswith("FAIL: This bundle was signed with another key than the one you pinned"), said
    assert detail.startswith("detail: KeyMismatchError:"), detail
    honest = list(range_bundle(store, 0, 10, cp, SIGNER.verifier.vkey))
    assert run("verify", write(tmp_path / "honest.jsonl", honest)) == 0


@pytest.mark.parametrize("name", ["change a byte", "swap two entries' contents", "insert a duplicate"])
def test_tampered_selection_bundle_fails(log: tuple[LogStore, StoredCheckpoint, StoredCheckpoint],
                                         name: str, tmp_path: Path, vkey_file: Path) -> None:
    store, _, cp = log
    lines = list(selection_bundle(store, range(0, 100, 9), cp, SIGNER.verifier.vkey))
    path = write(tmp_path / "t.jsonl", TAMPERS[name][0](lines))
    assert run("verify", path, "--vkey", vkey_file) == 1


def test_consistency_and_receipt_commands(
    log: tuple[LogStore, StoredCheckpoint, StoredCheckpoint], tmp_path: Path, vkey_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, old, new = log
    (tmp_path / "old").write_text(old.note)
    (tmp_path / "new").write_text(new.note)
    proof = store.consistency_proof(old.size, new.size)
    (tmp_path / "proof.json").write_text(json.dumps(
        {"first": old.size, "second": new.size,
         "hashes": [base64.b64encode(h).decode() for h in proof]}))
    assert run("consistency", tmp_path / "old", tmp_path / "new", tmp_path / "proof.json",
               "--vkey", vkey_file) == 0
    assert "extends" in capsys.readouterr().out
    (tmp_path / "proof.txt").write_text(
        "\n".join(base64.b64encode(h).decode() for h in proof[:-1]) + "\n")
    assert run("consistency", tmp_path / "old", tmp_path / "new", tmp_path / "proof.txt",
               "--vkey", vkey_file) == 1
    assert run("consistency", tmp_path / "new", tmp_path / "old", tmp_path / "proof.json",
               "--vkey", vkey_file) == 1
    assert run("consistency", tmp_path / "missing", tmp_path / "old", tmp_path / "proof.json",
               "--vkey", vkey_file) == 2

    from services.audit.receipt import format_receipt

    (tmp_path / "r.tlog-proof").write_text(
        format_receipt(12, store.inclusion_proof(12, new.size), new.note))
    (tmp_path / "entry12").write_bytes(store.entries(12, 13)[0])
    (tmp_path / "entry13").write_bytes(store.entries(13, 14)[0])
    assert run("receipt", tmp_path / "r.tlog-proof", tmp_path / "entry12", "--vkey", vkey_file) == 0
    assert run("receipt", tmp_path / "r.tlog-proof", tmp_path / "entry13", "--vkey", vkey_file) == 1
