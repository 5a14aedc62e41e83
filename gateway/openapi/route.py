"""Serves the committed API documents: `/api/v1/openapi.json` (REST), `/api/v1/asyncapi.json` (WS)."""

from __future__ import annotations

from aiohttp import web

from gateway.http.routes import RouteTable
from gateway.identity.policy import anyone
from gateway.openapi import asyncapi, document


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/openapi.json", access=anyone("openapi"),
                  summary="this OpenAPI document", tags=("operations",))
    async def openapi_document(request: web.Request) -> web.Response:
        return web.Response(body=document.DOCUMENT_PATH.read_bytes(),
                            content_type="application/json")

    @routes.route("GET", "/api/v1/asyncapi.json", access=anyone("asyncapi"),
                  summary="the AsyncAPI 3.0 document of the hearing WebSocket (/api/v1/ws)",
                  tags=("operations",))
    async def asyncapi_document(request: web.Request) -> web.Response:
        return web.Response(body=asyncapi.DOCUMENT_PATH.read_bytes(),
                            content_type="application/json")
