"""The committed JSON Schemas and OpenAPI document must match what the code generates."""

from __future__ import annotations

import json

from gateway.app import build_routes
from gateway.openapi.document import DOCUMENT_PATH, openapi_path, render
from proto.catalog import SCHEMA_DIR, schemas


def test_json_schemas_match_committed_copies() -> None:
    generated = schemas()
    committed = {p.name: p.read_text() for p in SCHEMA_DIR.glob("*.json")}
    assert sorted(generated) == sorted(committed), "run: python -m proto.catalog --write"
    for name, text in generated.items():
        assert committed[name] == text, f"{name} drifted: run python -m proto.catalog --write"


def test_openapi_matches_committed_copy() -> None:
    assert DOCUMENT_PATH.read_text() == render(build_routes()), "run: python -m gateway.openapi --write"


def test_openapi_lists_every_route_with_its_access_rule() -> None:
    document = json.loads(DOCUMENT_PATH.read_text())
    routes = list(build_routes())
    assert len(routes) >= 4
    for route in routes:
        operation = document["paths"][openapi_path(route.path)][route.method.lower()]
        assert operation["x-parley-access"]
        assert "4XX" in operation["responses"]
