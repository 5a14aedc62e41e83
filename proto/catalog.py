"""Every wire message type, for the committed JSON Schemas (proto/schema/) and their drift test.

Add a contract here when you add it to proto/; `python -m proto.catalog --write` regenerates the
schemas and `tests/unit/proto/test_proto_schema_drift.py` fails until they are committed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from proto.audit import AuditEvent
from proto.errors import ErrorReply
from proto.health import Health, Liveness, Readiness
from proto.principal import Principal

SCHEMA_DIR = Path(__file__).parent / "schema"

MESSAGES: list[type[Any]] = [ErrorReply, Principal, AuditEvent, Health, Liveness, Readiness]


def _extend() -> None:
    """Contracts of the other areas join here as their modules exist."""
    import importlib

    for module_name in ("proto.identity", "proto.signalling", "proto.ws", "proto.evidence",
                        "proto.auditlog"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for item in getattr(module, "WIRE_MESSAGES", ()):
            if item not in MESSAGES:
                MESSAGES.append(item)


def schemas() -> dict[str, str]:
    _extend()
    out = {}
    for message in MESSAGES:
        schema = msgspec.json.schema(message)
        out[f"{message.__name__}.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write or check proto/schema/*.json")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    generated = schemas()
    if args.write:
        SCHEMA_DIR.mkdir(exist_ok=True)
        for stale in SCHEMA_DIR.glob("*.json"):
            if stale.name not in generated:
                stale.unlink()
        for name, text in generated.items():
            (SCHEMA_DIR / name).write_text(text)
        return 0
    drift = [n for n, t in generated.items()
             if not (SCHEMA_DIR / n).exists() or (SCHEMA_DIR / n).read_text() != t]
    if drift:
        print("schemas out of date: " + ", ".join(drift), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
