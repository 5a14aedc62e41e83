"""The WebSocket's AsyncAPI document: committed, current, and valid AsyncAPI 3.0.0.

Validated against the official JSON Schema of AsyncAPI 3.0.0 from the npm package
`@asyncapi/specs` (installed into .tools/asyncapi by scripts/ensure-test-tools.sh, or here if
missing); the schema is never copied into the repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest

from gateway.openapi import asyncapi
from proto import ws

ROOT = Path(__file__).resolve().parents[3]
SPECS_VERSION = "6.11.1"
TOOLS = ROOT / ".tools" / "asyncapi"
SCHEMA = TOOLS / "node_modules" / "@asyncapi" / "specs" / "schemas" / "3.0.0-without-$id.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    if not SCHEMA.exists():
        npm = shutil.which("npm")
        assert npm is not None, "npm is needed for the AsyncAPI schema: run scripts/ensure-test-tools.sh"
        subprocess.run([npm, "install", "--prefix", str(TOOLS), "--no-save", "--no-audit",
                        "--no-fund", f"@asyncapi/specs@{SPECS_VERSION}"],
                       check=True, capture_output=True, timeout=300)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _errors(validator: jsonschema.Draft7Validator, document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)]


def test_committed_document_is_current() -> None:
    assert asyncapi.DOCUMENT_PATH.read_text() == asyncapi.render(), \
        "run: python -m gateway.openapi --write"


def test_document_is_valid_asyncapi_3(validator: jsonschema.Draft7Validator) -> None:
    document = json.loads(asyncapi.DOCUMENT_PATH.read_text())
    assert document["asyncapi"] == "3.0.0"
    assert _errors(validator, document) == []


def test_the_schema_catches_a_broken_document(validator: jsonschema.Draft7Validator) -> None:
    """The validation has teeth: a wrong action or a missing channel address is refused."""
    document = json.loads(asyncapi.DOCUMENT_PATH.read_text())
    document["operations"]["sendServerMessage"]["action"] = "broadcast"
    assert _errors(validator, document) != []
    document = json.loads(asyncapi.DOCUMENT_PATH.read_text())
    document["info"].pop("version")
    assert _errors(validator, document) != []


def test_every_protocol_message_is_documented() -> None:
    document = asyncapi.build()
    messages = document["components"]["messages"]
    received = {ref["$ref"].rsplit("/", 1)[1]
                for ref in document["operations"]["receiveClientMessage"]["messages"]}
    sent = {ref["$ref"].rsplit("/", 1)[1]
            for ref in document["operations"]["sendServerMessage"]["messages"]}
    assert received == {k.__name__ for k in get_args(ws.ClientMessage)}
    assert sent == {k.__name__ for k in get_args(ws.ServerMessage)}
    assert all(m["summary"] for m in messages.values())
    assert "mediator only" in messages["Admit"]["summary"]
    assert "mediator only" not in messages["ChatSend"]["summary"]
