"""The in-page verifier's JavaScript tests (tests/js, Node's test runner), run by pytest.

The JS checks the same RFC 6962 vectors and corruptions as the Python verifier, and the notes
the Python signer makes (tests/vectors/audit/notes.json, regenerated here to prove it is fresh).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.vectors.gen_audit_note_vectors import OUT, render

ROOT = Path(__file__).resolve().parents[3]


def test_note_vectors_are_what_the_python_signer_makes() -> None:
    assert OUT.read_text(encoding="utf-8") == render(), "run tests/vectors/gen_audit_note_vectors.py"


def test_js_verifier_under_node() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (>= 20) is needed for the in-page verifier's tests")
    done = subprocess.run([node, "--test", "tests/js/audit_verifier.test.mjs"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout
