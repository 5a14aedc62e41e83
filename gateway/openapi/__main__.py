"""`python -m gateway.openapi [--write]`: check (or rewrite) the committed OpenAPI document.

Kept apart from document.py: it needs the whole app's route table, which itself serves the
document, so only this entry point imports gateway.app.
"""

from __future__ import annotations

import argparse
import sys

from gateway.app import build_routes
from gateway.openapi.document import DOCUMENT_PATH, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write or check gateway/openapi/openapi.json")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    text = render(build_routes())
    if args.write:
        DOCUMENT_PATH.write_text(text)
        return 0
    if not DOCUMENT_PATH.exists() or DOCUMENT_PATH.read_text() != text:
        print("gateway/openapi/openapi.json is out of date: run python -m gateway.openapi --write",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
