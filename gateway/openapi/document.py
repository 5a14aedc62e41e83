"""The OpenAPI 3.1 document, generated from the route table and the `proto` types.

`python -m gateway.openapi --write` regenerates gateway/openapi/openapi.json (committed); the drift
test fails when the committed copy differs from what the routes and contracts produce.

Authentication is declared per operation from the route's access rule: open routes need nothing;
the others take the session cookie (plus the `Parley-CSRF` header on state-changing methods) or
an API token as a bearer token.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec

from gateway.http.routes import Route, RouteTable
from gateway.identity.policy import Predicate
from gateway.identity.sessions import CSRF_HEADER, SESSION_COOKIE, csrf_required
from gateway.openapi import examples
from proto.errors import ErrorReply

DOCUMENT_PATH = Path(__file__).parent / "openapi.json"
_REF = "#/components/schemas/{name}"

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "session": {
        "type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
        "description": "the HttpOnly session cookie set by POST /api/v1/auth/signin (staff) or "
                       "POST /api/v1/invitations/redeem (participants)",
    },
    "csrf": {
        "type": "apiKey", "in": "header", "name": CSRF_HEADER,
        "description": "with the session cookie on POST, PUT, PATCH and DELETE: the csrf_token "
                       "of the sign-in (or redeem) reply, also given by GET /api/v1/me",
    },
    "bearer": {
        "type": "http", "scheme": "bearer",
        "description": "an API token (POST /api/v1/tokens): `Authorization: Bearer prl_…`; "
                       "no CSRF header needed",
    },
}


_ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}


def _path_parameters(path: str, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    """Every `{name}` of the path: an opaque id unless the route says otherwise."""
    out = []
    # `{name}` is an opaque id; `{name:regex}` (a file path under /static/, a client view) is
    # any text.
    for name, regex in re.findall(r"{(\w+)(:[^}]+)?}", path):
        description, example = examples.PATH.get(name, ("", ""))
        # A client page (not under /api/) is the same shell for any path: its router shows the
        # not-found screen, so its parameters are plain text.
        plain = regex or not path.startswith("/api/")
        schema = schemas.get(name, {"type": "string"} if plain else _ID_SCHEMA)
        typed: str | int = int(example) if schema.get("type") == "integer" \
            and example.isdigit() else example
        out.append({"name": name, "in": "path", "required": True, "description": description,
                    "example": typed, "schema": schema})
    return out


def openapi_path(path: str) -> str:
    """An aiohttp path as OpenAPI writes it: `{name:regex}` → `{name}`."""
    return re.sub(r"{(\w+):[^}]+}", r"{\1}", path)


def _security(route: Route) -> list[dict[str, list[str]]]:
    if any(grant.predicate is Predicate.ANYONE for grant in route.access.grants):
        return []
    cookie: dict[str, list[str]] = {"session": []}
    if csrf_required(route.method, cookie_authenticated=True):
        cookie["csrf"] = []
    return [cookie, {"bearer": []}]


def _request_body(route: Route, ref: dict[str, Any]) -> dict[str, Any]:
    assert route.request is not None
    doc = (route.request.__doc__ or "").strip().split("\n\n")[0]
    schema = ref
    if "request_constraint" in route.openapi:  # a rule the type alone cannot state
        schema = {"allOf": [ref, route.openapi["request_constraint"]]}
    media: dict[str, Any] = {"schema": schema}
    example = examples.BODIES.get(route.request.__name__)
    if example is not None:
        media["example"] = example
    return {"required": True, "description": doc or route.summary,
            "content": {"application/json": media}}


def _operation(route: Route, ref_of: dict[Any, dict[str, Any]],
               error: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": route.summary, "operationId": route.name or route.key,
                          "tags": list(route.tags), "x-parley-access": route.access.name,
                          "security": _security(route)}
    params = _path_parameters(route.path, route.openapi.get("path_schemas", {})) \
        + list(route.openapi.get("parameters", []))
    if params:
        op["parameters"] = params
    if route.request is not None:
        op["requestBody"] = _request_body(route, ref_of[route.request])
    elif "requestBody" in route.openapi:
        op["requestBody"] = route.openapi["requestBody"]
    produces = route.openapi.get("produces", "application/json")
    ok: dict[str, Any] = {"description": "success"}
    if route.response is not None:
        ok["content"] = {produces: {"schema": ref_of[route.response]}}
    elif produces != "application/json":
        ok["content"] = {produces: {"schema": {"type": "string"}}}
    status = str(route.openapi.get("status", 200))
    op["responses"] = {status: ok, "4XX": error, "5XX": error}
    if "requestBody" in op:
        op["responses"]["413"] = {**error, "description": "the body is larger than this "
                                  "operation accepts (no schema-valid JSON body is)"}
    return op


def build(routes: RouteTable) -> dict[str, Any]:
    types: list[Any] = [ErrorReply]
    for route in routes:
        types += [t for t in (route.request, route.response) if t is not None and t not in types]
    (refs, components) = msgspec.json.schema_components(types, ref_template=_REF)
    ref_of = dict(zip(types, refs, strict=True))
    error = {"description": "the error envelope: a code from a closed set and a sentence",
             "content": {"application/json": {"schema": ref_of[ErrorReply]}}}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(openapi_path(route.path), {})[route.method.lower()] = _operation(
            route, ref_of, error)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Parley API", "version": "1.0.0",
                 "description": "Secure virtual mediation hearings: the gateway's REST surface. "
                                "The WebSocket protocol of /api/v1/ws is the AsyncAPI document "
                                "at /api/v1/asyncapi.json. README.md, \"Using the API\", walks "
                                "through a first session."},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": SECURITY_SCHEMES},
    }


def render(routes: RouteTable) -> str:
    return json.dumps(build(routes), indent=2, sort_keys=True) + "\n"
