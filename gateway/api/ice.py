"""`GET /api/v1/ice-servers` and `POST /api/v1/techcheck` (DESIGN §5: ICE, tech check)."""

from __future__ import annotations

import re

from aiohttp import web

from gateway.api.hearing_access import IN_HEARING
from gateway.api.service_call import SIGNALLING
from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity.authn import principal_of
from parley.errors import ServiceFailure
from proto.common import ID_PATTERN
from proto.errors import ErrorCode
from proto.principal import PrincipalKind
from proto.signalling import (
    IceConfig,
    IceServersRequest,
    Scoped,
    TechCheckAnswer,
    TechCheckOffer,
)

TAGS = ("hearings",)
_ID = re.compile(ID_PATTERN)
HEARING_QUERY = {"name": "hearing", "in": "query", "required": False,
                 "description": "staff mediators name the hearing; participants need not",
                 "example": "01JDA8Q3V6ZC4B1N9XK2M7R5TE",
                 "schema": {"type": "string", "pattern": ID_PATTERN}}


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/ice-servers", access=IN_HEARING, response=IceConfig,
                  summary="STUN/TURN servers with time-limited credentials (RTCConfiguration)",
                  tags=TAGS, openapi={"parameters": [HEARING_QUERY]})
    async def ice_servers(request: web.Request) -> web.Response:
        principal = principal_of(request)
        assert principal is not None
        hearing = principal.hearing if principal.kind is PrincipalKind.PARTICIPANT \
            else request.query.get("hearing")
        if not hearing or not _ID.fullmatch(hearing):
            raise ServiceFailure(ErrorCode.INVALID, "name the hearing (?hearing=)")
        config = await SIGNALLING.ask(request, "ice", Scoped(hearing=hearing, body=IceServersRequest()),
                           IceConfig)
        response = json_response(config)
        response.headers["Cache-Control"] = "no-store"
        return response

    @routes.route("POST", "/api/v1/techcheck", access=IN_HEARING, request=TechCheckOffer,
                  response=TechCheckAnswer, tags=TAGS,
                  summary="tech check: offer SDP → answer SDP of a server peer that echoes "
                          "your media and reports RTT, jitter and loss on a 'stats' channel")
    async def techcheck(request: web.Request) -> web.Response:
        offer = await read_json(request, TechCheckOffer)
        answer = await SIGNALLING.ask(request, "techcheck", offer, TechCheckAnswer)
        return json_response(answer)
