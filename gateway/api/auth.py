"""`/api/v1/auth/*` and `/api/v1/me`: sign-in, sign-out, first-run bootstrap (TOTP: totp.py).

Sign-in (DESIGN §8): the order of checks is `identity.signin.attempt_sign_in` (backoff before
hashing; dummy hash for unknown users; one 401 for every cause, but a disabled account whose
password and code are right: 403 `account_disabled`; a temporary password past its time, the
same way: 403 `temporary_password_expired`). argon2 runs in a worker thread,
at most PARLEY_SIGNIN_CONCURRENCY at once. Every outcome is audited before the reply; a failed
audit publish fails the sign-in (and removes the session it would have created). An account
whose password an administrator set signs in with `password_change_required`: its session may
only choose its own (gateway/api/passwords.py), read `me` and sign out, then enrol if it must.
"""

from __future__ import annotations

import contextlib

from aiohttp import web

from gateway.http.body import json_response, read_json
from gateway.http.routes import RouteTable
from gateway.identity import accounts as acc
from gateway.identity.address_limit import client_address
from gateway.identity.authn import auth_of, identity_of
from gateway.identity.bootstrap import check_bootstrap
from gateway.identity.errors import (
    AccountDisabled,
    AuthenticationFailed,
    CodeReplayed,
    Conflict,
    InvalidInput,
    RateLimited,
    TemporaryPasswordExpired,
)
from gateway.identity.handler_kit import (
    account_info,
    audit,
    change_account,
    clear_session_cookie,
)
from gateway.identity.policy import anyone, signed_in
from gateway.identity.session_open import discard, hand_over, open_session
from gateway.identity.sessions import csrf_token
from gateway.identity.signin import SignInResult, attempt_sign_in
from gateway.identity.state import account_mirror_key
from parley.errors import AuditPublishError
from parley.ids import new_ulid
from proto.audit import Actor, Outcome
from proto.common import Role
from proto.identity import (
    BootstrapRequest,
    BootstrapResponse,
    MeResponse,
    SignInRequest,
    SignInResponse,
)
from proto.principal import PrincipalKind

TAGS = ("identity",)


def register(routes: RouteTable) -> None:
    routes.route("POST", "/api/v1/auth/signin", access=anyone("auth.signin"), tags=TAGS,
                 summary="staff sign-in (password + TOTP or recovery code) → session cookie",
                 request=SignInRequest, response=SignInResponse,
                 openapi={"request_constraint": {"not": {"required": ["totp", "recovery_code"]},
                                                 "description": "totp or recovery_code, not "
                                                                "both"}})(signin)
    routes.route("POST", "/api/v1/auth/signout",
                 access=signed_in("auth.signout", allow_pending_mfa=True,
                                  allow_pending_password=True), tags=TAGS,
                 summary="end this cookie session", openapi={"status": 204})(signout)
    routes.route("GET", "/api/v1/me", access=signed_in("me", allow_pending_mfa=True,
                                                         allow_pending_password=True), tags=TAGS,
                 summary="who am I: role, hearing, side; the CSRF token of a cookie session",
                 response=MeResponse)(me)
    routes.route("POST", "/api/v1/auth/bootstrap", access=anyone("auth.bootstrap"), tags=TAGS,
                 summary="first run: create the first admin with the one-time secret",
                 request=BootstrapRequest, response=BootstrapResponse,
                 openapi={"status": 201})(bootstrap)


async def signin(request: web.Request) -> web.Response:
    ident = identity_of(request)
    body = await read_json(request, SignInRequest)
    address = client_address(request)
    found = await ident.accounts.by_username(body.username)
    account, revision = found if found is not None else (None, 0)
    now = ident.now_ms()
    result = await _check_credentials(request, body, account, address, now)
    account = result.account
    try:
        new_revision = await ident.accounts.update(account, revision)
    except Conflict:
        # Lost a race with another update: a TOTP step or recovery code might be reused.
        raise AuthenticationFailed() from None
    ident.account_mirror.remember(account_mirror_key(account.id), account, new_revision)
    opened = await open_session(
        ident, kind=PrincipalKind.ACCOUNT, subject=account.id, role=account.role, now_ms=now,
        account_epoch=account.epoch, mfa_complete=result.mfa_complete)
    try:
        await audit(request, actor=Actor(id=account.id, role=account.role),
                    action="auth.signin", resource_type="account", resource_id=account.id,
                    details={"session": opened.record.id, "mfa_complete": result.mfa_complete,
                             "password_change_required": account.must_change_password,
                             "recovery_code_used": result.used_recovery_code,
                             "address": ident.pseudonyms.of(address)})
    except AuditPublishError:
        await discard(ident, opened)
        raise
    response = json_response(SignInResponse(
        id=account.id, role=account.role, csrf_token=opened.csrf_token,
        expires_ms=opened.record.expires_ms, mfa_complete=result.mfa_complete,
        password_change_required=account.must_change_password))
    hand_over(response, ident, opened)
    return response


async def _check_credentials(request: web.Request, body: SignInRequest, account: acc.Account | None,
                             address: str, now: int) -> SignInResult:
    """Password and second factor (argon2 in a worker thread); every refusal audited.

    A wrong password, unknown user or wrong code answers one message; a TOTP code already used
    answers its own (it proves the password right, so says nothing an attacker lacks).
    """
    ident = identity_of(request)
    resource = account.id if account is not None else "unknown"

    def work() -> SignInResult:
        return attempt_sign_in(
            account, username=body.username, address=address, password=body.password,
            totp_code=body.totp, recovery_code=body.recovery_code, guard=ident.guard,
            hasher=ident.hasher, box=ident.box, now_ms=now)

    try:
        result = await ident.hash_work(work)
    except RateLimited as exc:
        await audit(request, actor=None, action="auth.signin", resource_type="account",
                    resource_id=resource, outcome=Outcome.DENIED,
                    details={"reason": exc.message, "address": ident.pseudonyms.of(address)})
        raise
    except AuthenticationFailed as exc:
        await _refused(request, account, exc, address, now)
        raise (CodeReplayed() if isinstance(exc, CodeReplayed) else AuthenticationFailed()) from None
    except AccountDisabled:  # both factors right: its holder is told (signin.py step 4)
        await audit(request, actor=None, action="auth.signin", resource_type="account",
                    resource_id=resource, outcome=Outcome.DENIED,
                    details={"reason": "account disabled", "address": ident.pseudonyms.of(address)})
        raise
    except TemporaryPasswordExpired:  # the right temporary password, past its time (step 4)
        await audit(request, actor=None, action="auth.signin", resource_type="account",
                    resource_id=resource, outcome=Outcome.DENIED,
                    details={"reason": "temporary password expired",
                             "address": ident.pseudonyms.of(address)})
        raise
    assert isinstance(result, SignInResult)
    return result


async def _refused(request: web.Request, account: acc.Account | None, exc: AuthenticationFailed,
                   address: str, now: int) -> None:
    """Count the failure on the account (and its lockout), and audit both."""
    ident = identity_of(request)
    resource = account.id if account is not None else "unknown"
    if account is not None:
        locked = now + int(ident.config.signin_lockout_s * 1000) if exc.lockout else None
        with contextlib.suppress(Conflict):
            await change_account(ident, account.id, lambda a: acc.record_failure(a, now, locked))
    reason = "code reused" if isinstance(exc, CodeReplayed) else "invalid credentials"
    await audit(request, actor=None, action="auth.signin", resource_type="account",
                resource_id=resource, outcome=Outcome.FAILED,
                details={"reason": reason, "address": ident.pseudonyms.of(address)})
    if exc.lockout:
        await audit(request, actor=None, action="auth.lockout", resource_type="account",
                    resource_id=resource, outcome=Outcome.DENIED,
                    details={"lockout_s": ident.config.signin_lockout_s,
                             "address": ident.pseudonyms.of(address)})


async def signout(request: web.Request) -> web.Response:
    ident = identity_of(request)
    auth = auth_of(request)
    if auth.session_key is None or auth.session is None:
        raise InvalidInput("only cookie sessions sign out; revoke a token with DELETE")
    known = ident.session_mirror.get(auth.session_key)
    await ident.sessions.delete(auth.session_key)
    ident.session_mirror.forget(auth.session_key, known[1] if known else 0)
    await audit(request, actor=auth.principal, action="auth.signout", resource_type="session",
                resource_id=auth.session.id)
    response = web.Response(status=204)
    clear_session_cookie(response, tls=ident.config.tls)
    return response


async def me(request: web.Request) -> web.Response:
    ident = identity_of(request)
    auth = auth_of(request)
    principal = auth.principal
    assert principal is not None
    username, display_name = None, ""
    if principal.kind is PrincipalKind.ACCOUNT:
        found = ident.account_mirror.get(account_mirror_key(principal.id))
        if found is not None and isinstance(found[0], acc.Account):
            username, display_name = found[0].username, found[0].display_name
    return json_response(MeResponse(
        kind=principal.kind, id=principal.id, role=principal.role, username=username,
        display_name=display_name,
        hearing=principal.hearing, side=principal.side, mfa_complete=auth.mfa_complete,
        password_change_required=auth.password_change_required,
        csrf_token=csrf_token(auth.secret) if auth.secret else None))


async def bootstrap(request: web.Request) -> web.Response:
    ident = identity_of(request)
    body = await read_json(request, BootstrapRequest)
    now = ident.now_ms()
    found = await ident.accounts.get_bootstrap()
    try:
        check_bootstrap(found[0] if found else None, body.secret, now)
        if found is None or await ident.accounts.any_account():
            raise AuthenticationFailed()
        await ident.accounts.consume_bootstrap(found[1])  # single use, even under a race
    except (AuthenticationFailed, Conflict):
        await audit(request, actor=None, action="account.bootstrap", resource_type="account",
                    resource_id="unknown", outcome=Outcome.DENIED,
                    details={"address": ident.pseudonyms.of(client_address(request))})
        raise AuthenticationFailed("invalid or used bootstrap secret") from None
    account = await ident.hash_work(lambda: acc.create_account(
        account_id=new_ulid(now), username=body.username, role=Role.ADMIN,
        password=body.password, hasher=ident.hasher, now_ms=now,
        must_change_password=False))  # the first administrator chose it
    assert isinstance(account, acc.Account)
    await ident.accounts.create(account)
    await audit(request, actor=Actor(id="bootstrap", kind="system"),
                action="account.bootstrap", resource_type="account", resource_id=account.id,
                details={"role": account.role.value, "username": account.username})
    return json_response(BootstrapResponse(account=account_info(account)), status=201)
