"""The name a version is saved under is the same whoever names it: the page, for a file it holds
(js/documents/versions.js `versionFileName`), or the gateway, for one the browser saves itself
(`…/content?label=`, gateway/api/documents.py `labelled_name`, in Content-Disposition)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gateway.api.documents import content_disposition, labelled_name

ROOT = Path(__file__).resolve().parents[3]
#: (stored name, version number, tag of a narrower version or None)
VECTORS = [("Lease.pdf", 2, None), ("Heads of terms.pdf", 1, "our side"),
           ("bundle.tar.gz", 1, None), ("README", 1, None), (".profile", 3, "confidential"),
           ("調解 記錄.docx", 4, "我方"), ("a.", 1, None), ("x.y.z", 12, "保密")]
_NAMES_IN_JS = """
import { fileLabel, versionFileName } from "./gateway/webclient/js/documents/versions.js";
const vectors = JSON.parse(process.argv[1]);
console.log(JSON.stringify(vectors.map(([name, number, tag]) =>
  [fileLabel(number, false, tag), versionFileName(name, number, false, tag)])));
"""


def test_the_gateway_names_a_version_as_the_page_does() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (>= 20) is needed to compare with the page's names")
    done = subprocess.run([node, "--input-type=module", "-e", _NAMES_IN_JS, json.dumps(VECTORS)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    for (name, _, _), (label, saved) in zip(VECTORS, json.loads(done.stdout), strict=True):
        assert labelled_name(name, label) == saved, (name, label)
    assert labelled_name("Lease.pdf", None) == "Lease.pdf"  # the latest keeps its own name


def test_a_labelled_name_is_said_safely() -> None:
    said = content_disposition(labelled_name("調解 記錄.docx", "v4, 我方"))
    assert said == ('attachment; filename="______(v4,___).docx"; '
                    "filename*=UTF-8''%E8%AA%BF%E8%A7%A3%20%E8%A8%98%E9%8C%84%20%28v4%2C%20"
                    "%E6%88%91%E6%96%B9%29.docx")
