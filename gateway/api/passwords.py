"""Passwords: a staff member changes their own (`POST /api/v1/me/password`), an administrator
resets someone's (`POST /api/v1/accounts/{account}/password`).

Changing one's own: the current password is checked as a sign-in checks it (the same guard,
backoff and lockout, the same one "invalid credentials" reply, 401, audited as a failure; the
order is gateway/identity/password_change.py); the new one follows the one rule for new
passwords and differs from the current. Every other session and every API token of the account
end at once (the account epoch), each other session leaving the tombstone `password_changed`;
the session the change was made in stays (`accounts.change_password` keeps it, then it is moved
to the new epoch). Only a cookie session changes a password: an API token is refused (403).
This is also the step a person whose password an administrator set must take first, before
anything else, at sign-in (policy.py `allow_pending_password`).

Resetting someone's: the server makes a temporary password and shows it once (stored only
hashed). Safer than one the administrator types: it is never a reused or guessable one, and it
carries ~79 bits; the administrator knows it either way, so the account must choose its own at
its next sign-in, within PARLEY_TEMPORARY_PASSWORD_HOURS (after that it is refused with
`temporary_password_expired`, at sign-in and here, and the administrator resets it again; the
reply's account says until when). Every session and token of the account ends at once (tombstone
`password_reset`), any sign-in lockout is lifted, and TOTP stays as it was: signing in still
takes the authenticator (reset that separately if it is lost too). Audited, never with a secret.
"""

from __future__ import annotations

import contextlib
import logging
import re

import msgspec
from aiohttp import web
from nats.errors import Error as NatsError

from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity import accounts as acc
from gateway.identity.address_limit import client_address
from gateway.identity.authn import auth_of, identity_of, principal_of
from gateway.identity.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    TemporaryPasswordExpired,
)
from gateway.identity.handler_kit import account_info, audit, change_account
from gateway.identity.password_change import verify_change
from gateway.identity.passwords import temporary_password
from gateway.identity.policy import Grant, Predicate, Rule, staff
from gateway.identity.session_revoke import end_account_sessions
from gateway.identity.sessions import SessionEnd
from gateway.identity.state import IdentityState
from gateway.identity.temporary_passwords import temporary_password_expiry
from parley.failures import handled
from proto.audit import Outcome
from proto.common import ID_PATTERN, Role
from proto.identity import PasswordChangeRequest, PasswordResetRequest, PasswordResetResponse

log = logging.getLogger("parley.gateway.passwords")
_ID = re.compile(ID_PATTERN)
#: Any staff member, also before TOTP is set up and while a new password is owed.
OWN = Rule("me.password", (Grant(Predicate.STAFF),), allow_pending_mfa=True,
           allow_pending_password=True)


def register(routes: RouteTable) -> None:
    routes.route("POST", "/api/v1/me/password", access=OWN, tags=("identity",),
                 summary="change your own password (the current one required); your other "
                 "sessions and API tokens end", request=PasswordChangeRequest,
                 openapi={"status": 204})(change_own)
    routes.route("POST", "/api/v1/accounts/{account}/password",
                 access=staff("accounts.password_reset", Role.ADMIN), tags=("accounts",),
                 summary="reset an account's password to a temporary one (shown once); its "
                 "sessions and tokens end, and it chooses its own at next sign-in",
                 request=PasswordResetRequest, response=PasswordResetResponse)(reset)


async def change_own(request: web.Request) -> web.Response:
    ident = identity_of(request)
    body = await read_json(request, PasswordChangeRequest)
    auth = auth_of(request)
    principal = auth.principal
    assert principal is not None  # the route's rule admits staff only
    if auth.session is None or auth.session_key is None:
        raise Forbidden("a password is changed when signed in, not with an API token")
    found = await ident.accounts.get(principal.id)
    if found is None:
        raise AuthenticationFailed()
    account = found[0]
    address = client_address(request)
    now = ident.now_ms()
    try:
        new_hash = await ident.hash_work(lambda: verify_change(
            account, current=body.current, new=body.new, address=address, guard=ident.guard,
            hasher=ident.hasher, now_ms=now))
    except RateLimited as exc:
        await audit(request, actor=principal, action="account.password_change",
                    resource_type="account", resource_id=account.id, outcome=Outcome.DENIED,
                    details={"reason": exc.message, "address": ident.pseudonyms.of(address)})
        raise
    except AuthenticationFailed as exc:
        await _wrong_current(request, account, exc.lockout, address, now)
        raise AuthenticationFailed() from None
    except TemporaryPasswordExpired:
        await audit(request, actor=principal, action="account.password_change",
                    resource_type="account", resource_id=account.id, outcome=Outcome.DENIED,
                    details={"reason": "temporary password expired",
                             "address": ident.pseudonyms.of(address)})
        raise
    assert isinstance(new_hash, str)
    kept = auth.session.id

    def change(current: acc.Account) -> acc.Account:
        if current.password_hash != account.password_hash:
            raise Conflict("the password was changed meanwhile; sign in again")
        return acc.change_password(current, new_hash, now, keep_session=kept)

    before, after = await change_account(ident, account.id, change)
    await _move_on(ident, auth.session_key, after.epoch)
    ended = await _end_sessions(ident, after, SessionEnd.PASSWORD_CHANGED, keep=kept)
    await audit(request, actor=principal, action="account.password_change",
                resource_type="account", resource_id=account.id,
                details={"required": before.must_change_password, "sessions_ended": ended,
                         "epoch": after.epoch})
    return web.Response(status=204)


async def _wrong_current(request: web.Request, account: acc.Account, lockout: bool,
                         address: str, now: int) -> None:
    """Count the failure on the account (and its lockout) as a sign-in's; audit both."""
    ident = identity_of(request)
    locked = now + int(ident.config.signin_lockout_s * 1000) if lockout else None
    with contextlib.suppress(Conflict):
        await change_account(ident, account.id, lambda a: acc.record_failure(a, now, locked))
    where = ident.pseudonyms.of(address)
    await audit(request, actor=principal_of(request), action="account.password_change",
                resource_type="account", resource_id=account.id, outcome=Outcome.FAILED,
                details={"reason": "invalid credentials", "address": where})
    if lockout:
        await audit(request, actor=None, action="auth.lockout", resource_type="account",
                    resource_id=account.id, outcome=Outcome.DENIED,
                    details={"lockout_s": ident.config.signin_lockout_s, "address": where})


async def _move_on(ident: IdentityState, key: str, epoch: int) -> None:
    """This session now stands on the new epoch (until then the account keeps it: a lost race
    here only means the next password change would end it too)."""
    for _ in range(3):
        found = await ident.sessions.get(key)
        if found is None:
            return
        moved = msgspec.structs.replace(found[0], account_epoch=epoch)
        try:
            ident.session_mirror.remember(key, moved, await ident.sessions.update(key, moved,
                                                                                 found[1]))
            return
        except Conflict:
            continue


async def _end_sessions(ident: IdentityState, account: acc.Account, reason: SessionEnd, *,
                        keep: str | None = None) -> int:
    """The ended sessions stopped working already (the epoch): a failure here only loses the
    reason their pages are told, so it is logged, not raised."""
    ended = 0
    with handled(log, "passwords.end_sessions", NatsError, TimeoutError):
        ended = await end_account_sessions(ident, account.id, reason, keep=keep)
    return ended


async def reset(request: web.Request) -> web.Response:
    ident = identity_of(request)
    await read_json(request, PasswordResetRequest)
    principal = principal_of(request)
    account_id = request.match_info["account"]
    if not _ID.fullmatch(account_id):
        raise NotFound("no such account")
    temporary = temporary_password()
    hashed = await ident.hash_work(lambda: ident.hasher.hash(temporary))
    assert isinstance(hashed, str)
    now = ident.now_ms()
    expires = temporary_password_expiry(now, ident.config.temporary_password_hours)
    _, after = await change_account(ident, account_id,
                                    lambda a: acc.reset_password(a, hashed, now, expires_ms=expires))
    ident.guard.record_success(after.username)  # this process's backoff is lifted too
    ended = await _end_sessions(ident, after, SessionEnd.PASSWORD_RESET)
    await audit(request, actor=principal, action="account.password_reset",
                resource_type="account", resource_id=account_id,
                details={"username": after.username, "sessions_ended": ended,
                         "epoch": after.epoch, "expires_ms": expires})
    response = json_response(PasswordResetResponse(temporary_password=temporary,
                                                   account=account_info(after)))
    response.headers["Cache-Control"] = "no-store"
    return response
