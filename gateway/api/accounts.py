"""`/api/v1/accounts` (admins only): create, list, disable/enable, change role, reset TOTP, and
set the display name (the name people see, e.g. the mediator in a hearing's lobby); and
`PATCH /api/v1/me`, where any staff member sets its own display name. A mediator's new name
reaches every hearing of theirs that has not ended (signalling `rename_mediator`); it is sent
whenever a request names it, changed or not, so repeating a request whose hearings could not be
updated (signalling unavailable: 503 after the account was saved) finishes the job.

Disable, role change and TOTP reset bump the account's epoch: every session and token issued
under an older epoch stops working on every gateway process as soon as the watched copy of
`parley_accounts` carries the change (see gateway/identity/kv_mirror.py), and so do the
WebSockets opened with them (gateway/ws/credential_watch.py: a mediator's console closes, and
signalling takes the mediator for gone at once). Disabling also ends the account's stored
sessions, each leaving a tombstone, so a page holding one is told "disabled" (the sign-in page
says the account was disabled by an administrator), not "session expired". An admin cannot disable or
demote their own account, nor the last active admin (`accounts.check_keeps_an_admin`, held
under concurrency by gateway/identity/admin_guard.py: of two admins disabling each other at
once, one is refused): the refusal is a `conflict` whose `reason` (`self_disable`,
`self_demote`, `last_admin`) the page turns into its own sentence, and it is audited
(`account.update`, outcome `denied`). Resetting one's own TOTP is allowed: it signs the admin
out, who then enrols a new authenticator at sign-in.
"""

from __future__ import annotations

import logging
import re

from aiohttp import web
from nats.errors import Error as NatsError

from gateway.api.service_call import SIGNALLING
from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity import accounts as acc
from gateway.identity.admin_guard import change_keeping_an_admin
from gateway.identity.authn import identity_of, principal_of
from gateway.identity.errors import AdminLockout, NotFound
from gateway.identity.handler_kit import account_info, audit, change_account
from gateway.identity.policy import staff
from gateway.identity.session_revoke import end_account_sessions
from gateway.identity.sessions import SessionEnd
from gateway.identity.state import IdentityState, account_mirror_key
from gateway.identity.temporary_passwords import temporary_password_expiry
from parley.failures import handled
from parley.ids import new_ulid
from proto.audit import Outcome
from proto.common import ID_PATTERN, Role
from proto.identity import (
    AccountCreateRequest,
    AccountInfo,
    AccountListResponse,
    AccountPatchRequest,
    ProfilePatchRequest,
)
from proto.signalling import MediatorRenamed, RenameMediator

TAGS = ("accounts",)
log = logging.getLogger("parley.gateway.accounts")
_ID = re.compile(ID_PATTERN)


def register(routes: RouteTable) -> None:
    @routes.route("GET", "/api/v1/accounts", access=staff("accounts.list", Role.ADMIN),
                  tags=TAGS, summary="every staff account", response=AccountListResponse)
    async def list_accounts(request: web.Request) -> web.Response:
        accounts = await identity_of(request).accounts.list_accounts()
        return json_response(AccountListResponse(accounts=tuple(account_info(a) for a in accounts)))

    @routes.route("POST", "/api/v1/accounts", access=staff("accounts.create", Role.ADMIN),
                  tags=TAGS, summary="create a staff account (it enrols TOTP at first sign-in)",
                  request=AccountCreateRequest, response=AccountInfo, openapi={"status": 201})
    async def create_account(request: web.Request) -> web.Response:
        ident = identity_of(request)
        body = await read_json(request, AccountCreateRequest)
        now = ident.now_ms()
        account = await ident.hash_work(lambda: acc.create_account(
            account_id=new_ulid(now), username=body.username, role=Role(body.role.value),
            password=body.password, hasher=ident.hasher, now_ms=now,
            display_name=body.display_name, password_expires_ms=temporary_password_expiry(
                now, ident.config.temporary_password_hours)))
        assert isinstance(account, acc.Account)
        revision = await ident.accounts.create(account)
        ident.account_mirror.remember(account_mirror_key(account.id), account, revision)
        await audit(request, actor=principal_of(request), action="account.create",
                    resource_type="account", resource_id=account.id,
                    details={"role": account.role.value, "username": account.username,
                             "display_name": account.display_name})
        return json_response(account_info(account), status=201)

    @routes.route("PATCH", "/api/v1/accounts/{account}",
                  access=staff("accounts.update", Role.ADMIN), tags=TAGS,
                  summary="disable/enable (revokes sessions and tokens at once), role, reset TOTP, "
                  "display name",
                  request=AccountPatchRequest, response=AccountInfo)
    async def update_account(request: web.Request) -> web.Response:
        ident = identity_of(request)
        body = await read_json(request, AccountPatchRequest)
        principal = principal_of(request)
        assert principal is not None
        account_id = request.match_info["account"]
        if not _ID.fullmatch(account_id):
            raise NotFound("no such account")
        now = ident.now_ms()

        def change(current: acc.Account) -> acc.Account:
            account = current
            if body.disabled is True and not account.disabled:
                account = acc.disable(account, now)
            elif body.disabled is False and account.disabled:
                account = acc.enable(account, now)
            if body.role is not None:
                account = acc.change_role(account, Role(body.role.value), now)
            if body.reset_totp:
                account = acc.reset_totp(account, now)
            if body.display_name is not None:
                account = acc.set_display_name(account, body.display_name, now)
            return account

        try:
            before, after = await change_keeping_an_admin(ident, account_id, change,
                                                          actor_id=principal.id)
        except AdminLockout as refused:
            await audit(request, actor=principal, action="account.update",
                        resource_type="account", resource_id=account_id,
                        outcome=Outcome.DENIED, details={"reason": refused.reason or ""})
            raise
        if after is not before:
            await audit(request, actor=principal, action="account.update",
                        resource_type="account", resource_id=account_id,
                        details={"disabled": after.disabled, "role": after.role.value,
                                 "reset_totp": bool(body.reset_totp),
                                 "display_name": after.display_name, "epoch": after.epoch})
        if after.disabled and not before.disabled:
            await _end_sessions(ident, after)
        if body.display_name is not None:
            await _rename_in_hearings(request, after)
        return json_response(account_info(after))

    @routes.route("PATCH", "/api/v1/me", access=staff("me.update"), tags=("identity",),
                  summary="a staff member sets its own display name", request=ProfilePatchRequest,
                  response=AccountInfo)
    async def update_profile(request: web.Request) -> web.Response:
        ident = identity_of(request)
        body = await read_json(request, ProfilePatchRequest)
        principal = principal_of(request)
        assert principal is not None
        now = ident.now_ms()
        before, after = await change_account(
            ident, principal.id, lambda a: acc.set_display_name(a, body.display_name, now))
        if after is not before:
            await audit(request, actor=principal, action="account.update",
                        resource_type="account", resource_id=principal.id,
                        details={"display_name": after.display_name})
        await _rename_in_hearings(request, after)
        return json_response(account_info(after))

    del list_accounts, create_account, update_account, update_profile


async def _end_sessions(ident: IdentityState, account: acc.Account) -> None:
    """A disabled account's sessions end now, each telling its cookie why. They stopped working
    already (the epoch): a failure here only loses that reason, so it is logged, not raised."""
    with handled(log, "accounts.disable.end_sessions", NatsError, TimeoutError):
        await end_account_sessions(ident, account.id, SessionEnd.DISABLED)


async def _rename_in_hearings(request: web.Request, account: acc.Account) -> None:
    """A mediator's hearings that have not ended show its display name as it is now."""
    if account.role is Role.MEDIATOR:
        await SIGNALLING.ask(request, "rename_mediator", RenameMediator(
            mediator=account.id, name=account.display_name), MediatorRenamed)
