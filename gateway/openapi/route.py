"""Serves the committed OpenAPI document at `/api/v1/openapi.json`."""

from __future__ import annotations

from aiohttp import web

from gateway.http.routes import RouteTable
from gateway.identity.policy import anyone
from gateway.openapi.document import DOCUMENT_PATH


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/openapi.json", access=anyone("openapi"),
                  summary="this OpenAPI document", tags=("operations",))
    async def openapi_document(request: web.Request) -> web.Response:
        return web.Response(body=DOCUMENT_PATH.read_bytes(), content_type="application/json")
