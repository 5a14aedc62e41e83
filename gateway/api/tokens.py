"""`/api/v1/tokens`: bearer API tokens for scripts and the auditors' CLI.

A token is shown once, stored hashed (`token.<id>` in `parley_accounts`), carries its creator's
role and account epoch (a role change, TOTP reset or disable invalidates it), and is revocable.
Staff list and revoke their own tokens; an admin may revoke anyone's.
"""

from __future__ import annotations

import re

from aiohttp import web

from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity.authn import current_account, identity_of, principal_of
from gateway.identity.errors import Conflict, NotFound
from gateway.identity.handler_kit import audit, token_info
from gateway.identity.policy import staff
from gateway.identity.sessions import new_api_token, revoke_api_token
from gateway.identity.state import token_mirror_key
from proto.common import Role
from proto.identity import TokenCreateRequest, TokenCreateResponse, TokenListResponse
from proto.principal import Principal

TAGS = ("identity",)
_TOKEN_ID = re.compile(r"[0-9a-f]{16}")


def _staff(request: web.Request) -> Principal:
    principal = principal_of(request)
    assert principal is not None  # the route's rule admits staff only
    return principal


def register(routes: RouteTable) -> None:
    @routes.route("POST", "/api/v1/tokens", access=staff("tokens.create"), tags=TAGS,
                  summary="create a bearer API token (shown once) with the caller's role",
                  request=TokenCreateRequest, response=TokenCreateResponse,
                  openapi={"status": 201})
    async def create_token(request: web.Request) -> web.Response:
        ident = identity_of(request)
        body = await read_json(request, TokenCreateRequest)
        principal = _staff(request)
        account = await current_account(ident, principal.id)
        token, record = new_api_token(owner=account.id, role=account.role, name=body.name,
                                      now_ms=ident.now_ms(), account_epoch=account.epoch,
                                      ttl_s=body.expires_in_s)
        revision = await ident.accounts.create_token(record)
        ident.account_mirror.remember(token_mirror_key(record.id), record, revision)
        await audit(request, actor=principal, action="token.create", resource_type="token",
                    resource_id=record.id, details={"expires_ms": record.expires_ms})
        return json_response(TokenCreateResponse(token=token, info=token_info(record)), 201)

    @routes.route("GET", "/api/v1/tokens", access=staff("tokens.list"), tags=TAGS,
                  summary="the caller's API tokens (never their secrets)",
                  response=TokenListResponse)
    async def list_tokens(request: web.Request) -> web.Response:
        ident = identity_of(request)
        records = await ident.accounts.list_tokens(_staff(request).id)
        return json_response(TokenListResponse(tokens=tuple(token_info(r) for r in records)))

    @routes.route("DELETE", "/api/v1/tokens/{token}", access=staff("tokens.revoke"), tags=TAGS,
                  summary="revoke an API token at once (own tokens; an admin: any)",
                  openapi={"status": 204})
    async def revoke_token(request: web.Request) -> web.Response:
        ident = identity_of(request)
        principal = _staff(request)
        token_id = request.match_info["token"]
        found = await ident.accounts.get_token(token_id) if _TOKEN_ID.fullmatch(token_id) else None
        if found is None or (found[0].owner != principal.id and principal.role is not Role.ADMIN):
            raise NotFound("no such token")
        record, revision = found
        if not record.revoked:
            revoked = revoke_api_token(record, ident.now_ms())
            try:
                new_revision = await ident.accounts.update_token(revoked, revision)
            except Conflict:
                raise Conflict("token changed concurrently; try again") from None
            ident.account_mirror.remember(token_mirror_key(record.id), revoked, new_revision)
            await audit(request, actor=principal, action="token.revoke", resource_type="token",
                        resource_id=record.id, details={"owner": record.owner})
        return web.Response(status=204)

    del create_token, list_tokens, revoke_token
