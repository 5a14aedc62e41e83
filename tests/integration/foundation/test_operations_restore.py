"""docs/operations.md's backup and restore, done for real on `parley up`.

Back up = copy the stopped suite's data directory. Restore = put the copy in a fresh directory
(here without the audit log, as if only the NATS store, the documents and the keys were saved)
and start there: every document downloads intact, the audit log is rebuilt from the stream, and
the checkpoint signed before the backup is proved consistent with the one after (offline, with
`parley-audit consistency`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.harness import Suite, wait_until
from tests.integration.signalling.sigclient import seat
from tests.people import staff_people

CLI = [sys.executable, "-m", "services.audit.verify_cli"]


async def _get(base: str, headers: dict[str, str], path: str) -> tuple[int, Any, bytes]:
    async with aiohttp.ClientSession(base_url=base, headers=headers) as http, http.get(path) as r:
        raw = await r.read()
        body = await r.json() if r.content_type == "application/json" else None
        return r.status, body, raw


@pytest.mark.slow
async def test_backup_restore_into_a_fresh_data_dir(tmp_path: Path) -> None:
    first = Suite(data_dir=tmp_path / "first" / "data")
    first.data_dir.parent.mkdir()
    first.start()
    try:
        await first.ready()
        people = await staff_people(first)
        cast = await seat(first, people, sides=2, per_side=1)
        documents = {}
        for name in ("A1", "B1"):
            data = os.urandom(150_000)
            async with aiohttp.ClientSession(base_url=first.base_url,
                                             headers=cast.members[name].headers()) as http, \
                    http.post(f"/api/v1/hearings/{cast.hearing}/documents", data=data, headers={
                        "Parley-Filename": f"{name}.pdf", "Parley-Compartment": "joint",
                        "Content-Type": "application/pdf"}) as r:
                assert r.status == 201, await r.text()
                documents[(await r.json())["document"]] = hashlib.sha256(data).hexdigest()
        auditor = people.auditor.headers(bearer=True)
        code, before, _ = await _get(first.base_url, auditor, "/api/v1/audit/checkpoint")
        assert code == 200 and before["size"] > 0
    finally:
        assert first.stop() == 0
    # A stopped suite leaves no socket behind: the copy below is the runbook's backup as it is.
    assert not list(first.data_dir.rglob("*.sock"))

    restored = tmp_path / "restored" / "data"
    shutil.copytree(first.data_dir, restored, symlinks=True)
    for db in (restored / "audit").glob("log*.db*"):
        db.unlink()  # only the stream, documents and keys were backed up: the log is rebuilt
    second = Suite(data_dir=restored)
    second.start()
    try:
        await second.ready()
        mediator = dataclasses.replace(people.mediator, base_url=second.base_url)
        for document, digest in documents.items():
            code, _, raw = await _get(second.base_url, mediator.headers(),
                                      f"/api/v1/hearings/{cast.hearing}/documents/{document}/content")
            assert code == 200 and hashlib.sha256(raw).hexdigest() == digest

        async def rebuilt() -> dict[str, Any] | None:
            code, after, _ = await _get(second.base_url, auditor, "/api/v1/audit/checkpoint")
            return after if code == 200 and after["size"] > before["size"] else None

        after = await wait_until(rebuilt, timeout=30, what="the rebuilt log's checkpoint")
        _, _, proof = await _get(second.base_url, auditor, "/api/v1/audit/proofs/consistency"
                                 f"?from={before['size']}&to={after['size']}")
        _, _, vkey = await _get(second.base_url, auditor, "/api/v1/audit/vkey")
        for name, content in (("old", before["note"].encode()), ("new", after["note"].encode()),
                              ("proof", proof), ("vkey", vkey)):
            (tmp_path / name).write_bytes(content)
        ok = subprocess.run([*CLI, "consistency", tmp_path / "old", tmp_path / "new",
                             tmp_path / "proof", "--vkey", tmp_path / "vkey"],
                            capture_output=True, text=True, timeout=60, check=False)
        assert ok.returncode == 0, ok.stderr
    finally:
        second.stop()
