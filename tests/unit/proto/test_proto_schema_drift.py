"""The committed JSON Schemas and OpenAPI document must match what the code generates."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from gateway.app import build_routes
from gateway.openapi.document import DOCUMENT_PATH, openapi_path, render
from gateway.openapi.examples import BODIES
from proto.auditlog import EventQuery
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


def _operations() -> list[tuple[str, dict[str, Any]]]:
    document = json.loads(DOCUMENT_PATH.read_text())
    return [(f"{method.upper()} {path}", op) for path, ops in document["paths"].items()
            for method, op in ops.items()]


def test_every_parameter_and_body_is_described_with_an_example() -> None:
    missing = []
    for key, op in _operations():
        for param in op.get("parameters", []):
            if not param.get("description") or "example" not in param:
                missing.append(f"{key}: parameter {param['name']}")
        body = op.get("requestBody")
        if body is not None:
            media = next(iter(body["content"].values()))
            if not body.get("description") or "example" not in media:
                missing.append(f"{key}: request body")
    assert missing == []


def test_body_examples_are_valid_requests() -> None:
    """Each example decodes as its own request type (an example cannot rot)."""
    checked = 0
    for route in build_routes():
        if route.request is not None:
            msgspec.convert(BODIES[route.request.__name__], route.request)
            checked += 1
    assert checked == len({r.request for r in build_routes() if r.request is not None}) > 10


def test_security_follows_the_access_rule() -> None:
    document = json.loads(DOCUMENT_PATH.read_text())
    schemes = document["components"]["securitySchemes"]
    assert schemes["csrf"] == {"type": "apiKey", "in": "header", "name": "Parley-CSRF",
                               "description": schemes["csrf"]["description"]}
    assert schemes["session"]["in"] == "cookie" and schemes["bearer"]["scheme"] == "bearer"
    ops = dict(_operations())
    assert ops["POST /api/v1/auth/signin"]["security"] == []
    assert ops["GET /api/v1/hearings"]["security"] == [{"session": []}, {"bearer": []}]
    assert ops["POST /api/v1/hearings"]["security"] == [{"session": [], "csrf": []}, {"bearer": []}]


def test_audit_event_query_parameters_are_the_schema_fields() -> None:
    document = json.loads(DOCUMENT_PATH.read_text())
    listed = {p["name"] for p in document["paths"]["/api/v1/audit/events"]["get"]["parameters"]}
    assert listed == {f.name for f in msgspec.structs.fields(EventQuery)}


def test_a_float_fields_bounds_are_floats() -> None:
    """`Annotated[float, Meta(ge=0)]` and `…Meta(ge=0.0)` are equal, so Python's cache of
    Annotated types hands whichever was made first to both: the schema would then write
    `"minimum": 0` or `0.0` depending on which module was imported first (a schema that drifts
    with import order). Every bound of a float is written as a float."""
    import typing

    schemas()  # every contract module imported

    def structs(base: type) -> list[type]:
        return [c for sub in base.__subclasses__() for c in (sub, *structs(sub))]

    found = 0
    for message in {c for c in structs(msgspec.Struct) if c.__module__.startswith("proto.")}:
        for name, hint in typing.get_type_hints(message, include_extras=True).items():
            union = typing.get_origin(hint) is not typing.Annotated and typing.get_args(hint)
            for arm in typing.get_args(hint) if union else (hint,):
                if typing.get_origin(arm) is not typing.Annotated:
                    continue
                kind, *metas = typing.get_args(arm)
                for meta in metas:
                    if kind is float and isinstance(meta, msgspec.Meta):
                        for bound in (meta.ge, meta.gt, meta.le, meta.lt):
                            found += bound is not None
                            assert bound is None or isinstance(bound, float), (message, name)
    assert found >= 5
