"""`python -m gateway.openapi [--write]`: check (or rewrite) the committed API documents.

Both are generated: OpenAPI from the route table (gateway/openapi/openapi.json) and AsyncAPI from
proto/ws.py (gateway/openapi/asyncapi.json). Kept apart from document.py: the route table needs
the whole app, which itself serves the documents, so only this entry point imports gateway.app.
"""

from __future__ import annotations

import argparse
import sys

from gateway.app import build_routes
from gateway.openapi import asyncapi, document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write or check the gateway's API documents")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    documents = {document.DOCUMENT_PATH: document.render(build_routes()),
                 asyncapi.DOCUMENT_PATH: asyncapi.render()}
    stale = []
    for path, text in documents.items():
        if args.write:
            path.write_text(text)
        elif not path.exists() or path.read_text() != text:
            stale.append(path.name)
    if stale:
        print(f"gateway/openapi/{', '.join(stale)} out of date: run python -m gateway.openapi --write",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
