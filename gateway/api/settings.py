"""`GET /api/v1/settings`: the institution's current security settings, for the admin console.

Read-only: settings are the operator's `PARLEY_*` variables; this shows what is in force. The
gateway's own come from its configuration; the ICE policy (relay-only or not, STUN and TURN
servers) is the signalling service's, asked for on each read so it is the one participants get.
"""

from __future__ import annotations

from aiohttp import web

from gateway.api.service_call import SIGNALLING
from gateway.http.body import json_response
from gateway.http.routes import RouteTable
from gateway.identity.policy import staff
from gateway.state import state_of
from parley.errors import ServiceFailure
from proto.common import Role
from proto.errors import ErrorCode
from proto.identity import InstitutionSettings
from proto.signalling import IcePolicy, IcePolicyRequest


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/settings", access=staff("settings.read", Role.ADMIN),
                  tags=("identity",), response=InstitutionSettings,
                  summary="the gateway's security settings in force (admin, read-only)")
    async def settings(request: web.Request) -> web.Response:
        c = state_of(request).config
        ice: IcePolicy | None
        try:
            ice = await SIGNALLING.ask(request, "ice_policy", IcePolicyRequest(), IcePolicy)
        except ServiceFailure as failure:
            if failure.code is not ErrorCode.UNAVAILABLE:
                raise
            ice = None  # the page still shows the gateway's settings, and says ICE is unknown
        return json_response(InstitutionSettings(
            session_idle_s=c.session_idle_s, session_absolute_s=c.session_absolute_s,
            rate_session_per_s=c.rate_session_per_s, rate_address_per_s=c.rate_address_per_s,
            rate_tiles_per_s=c.rate_tiles_per_s, denial_audit_period_s=c.denial_audit_period_s,
            address_pseudonym_period=c.address_pseudonym_period, tls=c.tls, ice=ice))
