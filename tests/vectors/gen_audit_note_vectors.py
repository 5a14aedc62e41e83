"""Generate the signed-note vectors the in-page verifier is tested with: tests/vectors/audit/notes.json.

    .venv/bin/python tests/vectors/gen_audit_note_vectors.py

A small real log (the Python store and signer, fixed seeds), its checkpoint note, an entry with
its inclusion proof, a consistency proof from an older size, the same checkpoint re-signed by an
attacker's key under the same name, and 16 cosignature lines of the largest supported size. The
JavaScript tests (tests/js/audit_verifier.test.mjs) must accept what Python signed and reject
the rest; tests/unit/audit/test_audit_js_verifier.py checks this file is what the code makes.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from proto.audit import Actor, AuditEvent, Outcome, Resource
from proto.auditlog import MAX_NOTE_SIGNATURE_BYTES
from services.audit.checkpoint import Checkpoint, sign_checkpoint
from services.audit.entry import record_for
from services.audit.keys import NoteSigner
from services.audit.log import LogStore

OUT = Path(__file__).parent / "audit" / "notes.json"
ORIGIN = "vectors.parley.example/audit/0a1b2c3d"
SIGNER = NoteSigner(ORIGIN, bytes(range(32)))
ATTACKER = NoteSigner(ORIGIN, bytes(range(1, 33)))
OTHER = NoteSigner("witness.example/w", bytes(range(2, 34)))


def _event(i: int) -> AuditEvent:
    return AuditEvent(
        id=f"ev{i:06d}", time=1_700_000_000_000 + 1000 * i, actor=Actor(id=f"acct{i % 3}"),
        action="document.download", resource=Resource(type="document", id=f"doc{i % 4}"),
        outcome=Outcome.ALLOWED, service="evidence", hearing="h1", details={"n": i},
    )


def b64(items: list[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in items]


def vectors() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = LogStore.open(Path(tmp) / "log.db")
        store.append([record_for(_event(i)) for i in range(37)])
        old_size, old_root = 21, store.root(21)
        size, root = store.size, store.root()
        note = sign_checkpoint(Checkpoint(ORIGIN, size, root), SIGNER)
        index = 13
        entry = store.entries(index, index + 1)[0].decode()
        inclusion = b64(store.inclusion_proof(index, size))
        consistency = b64(store.consistency_proof(old_size, size))
        store.close()
    big = base64.b64encode(bytes(MAX_NOTE_SIGNATURE_BYTES)).decode()
    cosigs = "".join(f"\u2014 witness{n}.example.org/w{'x' * 200} {big}\n" for n in range(16))
    return {
        "origin": ORIGIN, "vkey": SIGNER.verifier.vkey, "key_id": f"{SIGNER.key_id:08x}",
        "other_vkey": OTHER.verifier.vkey, "size": size, "root": base64.b64encode(root).decode(),
        "checkpoint": note,
        "resigned_by_other": sign_checkpoint(Checkpoint(ORIGIN, size, root), ATTACKER),
        "sixteen_cosignatures": cosigs,
        "entry": {"index": index, "entry": entry,
                  "proof": {"index": index, "size": size, "hashes": inclusion}},
        "old_size": old_size, "old_root": base64.b64encode(old_root).decode(),
        "consistency": {"first": old_size, "second": size, "hashes": consistency},
    }


def render() -> str:
    return json.dumps(vectors(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
