"""The OpenAPI 3.1 document, generated from the route table and the `proto` types.

`python -m gateway.openapi --write` regenerates gateway/openapi/openapi.json (committed); the drift test
fails when the committed copy differs from what the routes and contracts produce.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec

from gateway.http.routes import RouteTable
from proto.errors import ErrorReply

DOCUMENT_PATH = Path(__file__).parent / "openapi.json"
_REF = "#/components/schemas/{name}"


def _path_parameters(path: str) -> list[dict[str, Any]]:
    # `{name}` is an opaque id; `{name:regex}` (a file path under /static/) is any text.
    return [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"} if not regex
         else {"type": "string"}}
        for name, regex in re.findall(r"{(\w+)(:[^}]+)?}", path)
    ]


def openapi_path(path: str) -> str:
    return re.sub(r"{(\w+):[^}]+}", r"{\1}", path)


def build(routes: RouteTable) -> dict[str, Any]:
    types: list[Any] = [ErrorReply]
    for route in routes:
        types += [t for t in (route.request, route.response) if t is not None and t not in types]
    (refs, components) = msgspec.json.schema_components(types, ref_template=_REF)
    ref_of = dict(zip(types, refs, strict=True))
    error = {"description": "error", "content": {"application/json": {"schema": ref_of[ErrorReply]}}}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        op: dict[str, Any] = {"summary": route.summary, "operationId": route.name or route.key,
                              "tags": list(route.tags),
                              "x-parley-access": route.access.name}
        params = _path_parameters(route.path) + list(route.openapi.get("parameters", []))
        if params:
            op["parameters"] = params
        if route.request is not None:
            op["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": ref_of[route.request]}}}
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
        paths.setdefault(openapi_path(route.path), {})[route.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Parley API", "version": "1.0.0",
                 "description": "Secure virtual mediation hearings: the gateway's REST surface."},
        "paths": paths,
        "components": {"schemas": components},
    }


def render(routes: RouteTable) -> str:
    return json.dumps(build(routes), indent=2, sort_keys=True) + "\n"
