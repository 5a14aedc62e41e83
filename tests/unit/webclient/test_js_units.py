"""The web client's pure JavaScript modules, tested by Node's own runner (`node --test`).

Each `tests/js/*.test.mjs` imports a module from gateway/webclient/js/ exactly as the browser
does (ES modules, no build step); this test runs them all and fails with Node's report.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NODE = shutil.which("node")


def test_javascript_units() -> None:
    if NODE is None:
        pytest.fail("node (>= 20) is needed for the web client's JavaScript tests (make test installs it)")
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "js").glob("*.test.mjs"))
    assert files, "no JavaScript tests found"
    done = subprocess.run([NODE, "--test", *files], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
