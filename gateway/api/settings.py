"""`GET /api/v1/settings`: the institution's current security settings, for the admin console.

Read-only: settings are the operator's `PARLEY_*` variables; this shows what is in force.
"""

from __future__ import annotations

from aiohttp import web

from gateway.http.body import json_response
from gateway.http.routes import RouteTable
from gateway.identity.policy import staff
from gateway.state import state_of
from proto.common import Role
from proto.identity import InstitutionSettings


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/settings", access=staff("settings.read", Role.ADMIN),
                  tags=("identity",), response=InstitutionSettings,
                  summary="the gateway's security settings in force (admin, read-only)")
    async def settings(request: web.Request) -> web.Response:
        c = state_of(request).config
        return json_response(InstitutionSettings(
            session_idle_s=c.session_idle_s, session_absolute_s=c.session_absolute_s,
            rate_session_per_s=c.rate_session_per_s, rate_address_per_s=c.rate_address_per_s,
            rate_tiles_per_s=c.rate_tiles_per_s, denial_audit_period_s=c.denial_audit_period_s,
            address_pseudonym_period=c.address_pseudonym_period, tls=c.tls))
