"""`/api/v1/auth/totp/*`: TOTP enrolment of a staff account (mandatory before anything else).

Enrol returns a new secret and its otpauth:// URI; confirm checks a first code (wrong guesses back
off like sign-in), returns the recovery codes once, and completes this session's second factor.
"""

from __future__ import annotations

import msgspec
from aiohttp import web

from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity import accounts as acc
from gateway.identity.address_limit import client_address
from gateway.identity.authn import auth_of, identity_of, principal_of
from gateway.identity.errors import AuthenticationFailed, Conflict, Forbidden, InvalidInput
from gateway.identity.handler_kit import audit, change_account
from gateway.identity.policy import Grant, Predicate, Rule
from gateway.identity.qr import qr_svg
from proto.audit import Outcome
from proto.identity import (
    TotpConfirmRequest,
    TotpConfirmResponse,
    TotpEnrollRequest,
    TotpEnrollResponse,
)

TAGS = ("identity",)
#: Enrolment, `me` and sign-out are the only things a staff session may do before TOTP.
ENROL = Rule("auth.totp", (Grant(Predicate.STAFF),), allow_pending_mfa=True)


def register(routes: RouteTable) -> None:
    routes.route("POST", "/api/v1/auth/totp/enroll", access=ENROL, tags=TAGS,
                 summary="begin TOTP enrolment: a new secret and its otpauth:// URI",
                 request=TotpEnrollRequest, response=TotpEnrollResponse)(totp_enroll)
    routes.route("POST", "/api/v1/auth/totp/confirm", access=ENROL, tags=TAGS,
                 summary="confirm TOTP with a first code → recovery codes (shown once)",
                 request=TotpConfirmRequest, response=TotpConfirmResponse)(totp_confirm)


async def totp_enroll(request: web.Request) -> web.Response:
    ident = identity_of(request)
    await read_json(request, TotpEnrollRequest)
    principal = principal_of(request)
    assert principal is not None
    now = ident.now_ms()
    pending: dict[str, str] = {}

    def begin(account: acc.Account) -> acc.Account:
        updated, secret, uri = acc.begin_totp_enrolment(account, ident.box, now)
        pending.update(secret=secret, uri=uri)
        return updated

    await change_account(ident, principal.id, begin)
    await audit(request, actor=principal, action="auth.totp_enroll_begin",
                resource_type="account", resource_id=principal.id)
    return json_response(TotpEnrollResponse(otpauth_uri=pending["uri"],
                                            secret=pending["secret"],
                                            qr_svg=qr_svg(pending["uri"])))


async def totp_confirm(request: web.Request) -> web.Response:
    ident = identity_of(request)
    body = await read_json(request, TotpConfirmRequest)
    auth = auth_of(request)
    principal = auth.principal
    assert principal is not None
    now = ident.now_ms()
    found = await ident.accounts.get(principal.id)
    if found is None:
        raise AuthenticationFailed()
    address = client_address(request)
    ident.guard.check(found[0].username, address)  # 10^6 codes: back off wrong guesses
    codes: list[str] = []

    def confirm(account: acc.Account) -> acc.Account:
        updated, fresh = acc.confirm_totp(account, body.code, ident.box, now)
        codes.extend(fresh)
        return updated

    try:
        await change_account(ident, principal.id, confirm)
    except AuthenticationFailed:
        ident.guard.record_failure(found[0].username, address)
        await audit(request, actor=principal, action="auth.totp_enroll",
                    resource_type="account", resource_id=principal.id,
                    outcome=Outcome.FAILED, details={"reason": "wrong code"})
        raise InvalidInput("wrong authentication code") from None
    if auth.session_key is not None:
        await _complete_mfa(request, auth.session_key)
    await audit(request, actor=principal, action="auth.totp_enroll", resource_type="account",
                resource_id=principal.id)
    return json_response(TotpConfirmResponse(recovery_codes=tuple(codes)))


async def _complete_mfa(request: web.Request, key: str) -> None:
    """TOTP just proved possession: this session may now do everything its role allows."""
    ident = identity_of(request)
    for _ in range(3):
        found = await ident.sessions.get(key)
        if found is None:
            raise Forbidden("session ended")
        upgraded = msgspec.structs.replace(found[0], mfa_complete=True)
        try:
            ident.session_mirror.remember(key, upgraded,
                                          await ident.sessions.update(key, upgraded, found[1]))
            return
        except Conflict:
            continue
    raise Conflict("session changed concurrently; sign in again")

