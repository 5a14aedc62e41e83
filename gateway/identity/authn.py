"""Authentication and the coarse authorization check, as one aiohttp middleware (DESIGN §2, §8).

Longer than 300 lines: the order of the checks below is the security argument, and it reads
best in one file, with the credential resolution it depends on.

For every matched route:
1. Resolve the principal: `Authorization: Bearer prl_…` if the header is present (a malformed one
   is refused, never ignored), else the `parley_session` cookie. Each credential is checked
   against the watched copy of `parley_sessions`/`parley_accounts` (see gateway/identity/kv_mirror.py),
   including the account's epoch, so a disabled account or revoked token stops working on every
   gateway process. Presented-but-invalid credentials make the caller anonymous, with a reason;
   a cookie whose session the gateway ended (session_revoke.py), or whose account an
   administrator disabled, also with why it ended, which the 401 carries as `reason`
   (hearing_ended, removed, denied, replaced, disabled).
2. The per-session token bucket (the per-address one runs earlier, gateway/identity/address_limit.py).
3. Routes any caller may use (`anyone` grants) stop here: no CSRF, credentials optional.
4. CSRF: a state-changing request authenticated by the cookie must carry `Parley-CSRF`.
5. `policy.decide(route.access, principal, context)`; a denial is 401 (anonymous) or 403 and is
   an audit event `auth.denied` naming who, which route and why — except a 401 on the few
   routes in `UNAUDITED_PROBES` asked without a bearer token (see there).

Handlers read the result with `principal_of(request)` / `auth_of(request)`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Final

import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler
from nats.errors import Error as NatsError

from gateway.http.errors import error_response
from gateway.http.routes import Route
from gateway.identity.accounts import Account, check_current
from gateway.identity.address_limit import client_address, refused_too_often
from gateway.identity.errors import (
    AuthenticationFailed,
    Conflict,
    CsrfFailed,
    SessionEnded,
    SessionExpired,
)
from gateway.identity.policy import Predicate, RequestContext, Rule, decide
from gateway.identity.ratelimit import retry_after
from gateway.identity.session_store import kv_key_for_secret
from gateway.identity.sessions import (
    CSRF_HEADER,
    SESSION_COOKIE,
    ApiTokenRecord,
    SessionEnd,
    SessionRecord,
    check_api_token,
    check_csrf,
    check_session,
    csrf_required,
    parse_api_token,
    parse_authorization,
    parse_session_cookie,
    session_principal,
    token_principal,
    touch,
)
from gateway.identity.state import IdentityState, account_mirror_key, token_mirror_key
from gateway.state import state_of
from parley.errors import ServiceFailure
from parley.failures import handled, note_failure
from proto.common import ID_PATTERN, Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind

log = logging.getLogger("parley.gateway.authn")
AUTH_KEY = "parley.auth"
_ID_RE = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class Auth:
    """What the request proved. `failure` says why presented credentials were refused."""

    principal: Principal | None = None
    via: str | None = None  # "cookie" or "bearer"
    secret: str | None = None  # the cookie secret (CSRF is derived from it); never logged
    session_key: str | None = None
    session: SessionRecord | None = None
    mfa_complete: bool = True
    #: The account must choose its own password before anything else (policy.py).
    password_change_required: bool = False
    failure: str | None = None
    #: Why the presented cookie's session was ended (`SessionEnd`), from its tombstone.
    ended: str | None = None


ANONYMOUS = Auth()

# Routes whose 401 to a browser (no Authorization header) is the expected answer, not a
# refusal worth an auditor's time, so it is not audited. The web client asks `GET /api/v1/me`
# on every page load (a participant's, the join and tech check pages) to learn whether anyone
# is signed in; "no one" is the normal reply, and auditing it filled the log with false
# "Denied" entries. That holds with a session cookie that no longer holds too: a browser keeps
# its cookie after the session ended (the hearing closed, it expired, it was signed out
# elsewhere), so the join page of a second hearing would be refused on every load. The probe
# grants nothing and tells nothing but "no one"; the same cookie used on any other route is
# audited there. A bearer token is presented deliberately by a program: refused, it is
# audited here too, as is every other route's denial and every 403.
UNAUDITED_PROBES: Final = frozenset({"GET /api/v1/me"})


def auth_of(request: web.Request) -> Auth:
    auth: Auth = request.get(AUTH_KEY, ANONYMOUS)
    return auth


def principal_of(request: web.Request) -> Principal | None:
    """The signed-in principal of this request, or None (anonymous)."""
    return auth_of(request).principal


def require_principal(request: web.Request) -> Principal:
    """The signed-in principal of this request; `unauthenticated` when there is none."""
    principal = principal_of(request)
    if principal is None:
        raise ServiceFailure(ErrorCode.UNAUTHENTICATED, "sign-in required")
    return principal


def identity_of(request: web.Request) -> IdentityState:
    identity = state_of(request).identity
    if identity is None:
        raise ServiceFailure(ErrorCode.UNAVAILABLE, "identity is not ready")
    return identity


def matched_route(request: web.Request) -> Route | None:
    return state_of(request).routes.declaration_of(request)


async def current_account(ident: IdentityState, account_id: str, epoch: int = 0) -> Account:
    """The account from the watched copy, or read through to KV (created a moment ago, or
    older in the copy than `epoch`, a credential's: changed a moment ago on another process)."""
    key = account_mirror_key(account_id)
    found = await ident.account_mirror.read_through(key, lambda: ident.accounts.get(account_id))
    if found is not None and isinstance(found[0], Account) and found[0].epoch < epoch:
        found = await ident.accounts.get(account_id)
        if found is not None:
            ident.account_mirror.remember(key, *found)
    account = None if found is None else found[0]
    if not isinstance(account, Account):
        raise AuthenticationFailed()
    return account


async def _from_token(ident: IdentityState, header: str) -> Auth:
    token_id, secret = parse_api_token(parse_authorization(header) or "")
    found = await ident.account_mirror.read_through(
        token_mirror_key(token_id), lambda: ident.accounts.get_token(token_id))
    record = None if found is None else found[0]
    if not isinstance(record, ApiTokenRecord):
        raise AuthenticationFailed()
    check_api_token(record, secret, ident.now_ms())
    account = await current_account(ident, record.owner)
    check_current(account, record.account_epoch)
    return Auth(principal=token_principal(record), via="bearer",
                password_change_required=account.must_change_password)


async def _from_cookie(ident: IdentityState, value: str) -> Auth:
    secret = parse_session_cookie(value)
    key = kv_key_for_secret(secret)
    found = await ident.session_mirror.read_through(key, lambda: ident.sessions.get(key))
    now = ident.now_ms()
    if found is None:
        await _raise_if_ended(ident, key, now)
        raise SessionExpired()
    record, revision = found
    check_session(record, now, ident.policy)
    pending_password = False
    if record.kind is PrincipalKind.ACCOUNT:
        account = await current_account(ident, record.subject, record.account_epoch)
        if account.disabled:  # said at once, before the disable has ended the stored session
            raise SessionEnded(SessionEnd.DISABLED.value)
        check_current(account, record.account_epoch, record.id)
        pending_password = account.must_change_password
    touched = touch(record, now, ident.policy)
    if touched is not None:
        try:
            new_revision = await ident.sessions.update(key, touched, revision)
            ident.session_mirror.remember(key, touched, new_revision)
        except Conflict:  # a concurrent touch or sign-out elsewhere: keep the old record
            log.debug("session touch skipped")
        except (NatsError, TimeoutError) as exc:
            # The session is valid on the watched copy; its last-seen time is a refresh that the
            # next request retries. A slow KV (a loaded node) must not fail this request.
            note_failure(log, "session.touch", exc, level=logging.DEBUG)
    return Auth(principal=session_principal(record), via="cookie", secret=secret,
                session_key=key, session=record, mfa_complete=record.mfa_complete,
                password_change_required=pending_password)


async def _raise_if_ended(ident: IdentityState, key: str, now_ms: int) -> None:
    """`SessionEnded` with the reason when the gateway ended this session and it would not have
    expired yet; an unreadable tombstone counts as none (the answer is then "expired")."""
    ended = None
    with handled(log, "session.tombstone.decode", msgspec.DecodeError, msgspec.ValidationError):
        ended = await ident.sessions.ended(key)
    if ended is not None and now_ms < ended.expires_ms:
        raise SessionEnded(ended.reason.value)


def presents_credential(request: web.Request) -> bool:
    """Whether the request carries a credential at all (valid or not): a session cookie or an
    `Authorization` header."""
    return "Authorization" in request.headers or SESSION_COOKIE in request.cookies


def audits_denial(route_key: str, code: ErrorCode, bearer_presented: bool) -> bool:
    """Whether a denial is audited: always, but for a 401 on an `UNAUDITED_PROBES` route
    asked without a bearer token (the browser's "who am I?" probe, with no session cookie or
    one whose session has ended)."""
    return (bearer_presented or code is not ErrorCode.UNAUTHENTICATED
            or route_key not in UNAUDITED_PROBES)


async def resolve(ident: IdentityState, request: web.Request) -> Auth:
    if not presents_credential(request):
        return ANONYMOUS
    header = request.headers.get("Authorization")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not ident.nc.is_connected:  # the watched copy may be stale: refuse rather than guess
        raise ServiceFailure(ErrorCode.UNAVAILABLE, "session store unavailable")
    try:
        if header is not None:
            return await _from_token(ident, header)
        return await _from_cookie(ident, cookie or "")
    except AuthenticationFailed as exc:
        return Auth(failure=exc.message, ended=exc.reason if isinstance(exc, SessionEnded) else None)


def _open_to_anyone(rule: Rule) -> bool:
    return any(grant.predicate is Predicate.ANYONE for grant in rule.grants)


async def _deny(request: web.Request, route: Route, auth: Auth, code: ErrorCode, reason: str,
                hearing: str | None) -> web.Response:
    """Audit the denial (who, which route and path, why; anonymous callers by their address's
    pseudonym; once per source and period, then a count; not the probes of `audits_denial`),
    then answer 401/403."""
    details: dict[str, str | int | float | bool | None] = {"method": request.method,
                                                           "path": request.path[:200]}
    if auth.failure is not None:
        details["credential"] = auth.failure
    denials = state_of(request).denials
    if denials is not None and audits_denial(route.key, code, "Authorization" in request.headers):
        await denials.refused(principal=auth.principal, address=client_address(request),
                              action="auth.denied", resource_type="route",
                              resource_id=route.key, reason=reason, kind=code.value,
                              hearing=hearing, details=details)
    if code is ErrorCode.UNAUTHENTICATED:
        return error_response(code, auth.failure or "sign-in required", reason=auth.ended)
    return error_response(code, reason)


@web.middleware
async def authn_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    route = matched_route(request)
    if route is None:
        if request.match_info.http_exception is not None:
            return await handler(request)  # 404/405: aiohttp's own answer, no handler runs
        # A handler reached without a declaration: fail closed rather than run it unchecked.
        log.error("route without an access declaration", extra={"path": request.path})
        return error_response(ErrorCode.FORBIDDEN, "forbidden")
    rule: Rule = route.access
    ident = state_of(request).identity
    if ident is None:
        if _open_to_anyone(rule):
            return await handler(request)
        raise ServiceFailure(ErrorCode.UNAVAILABLE, "identity is not ready")
    auth = await resolve(ident, request)
    request[AUTH_KEY] = auth
    principal = auth.principal
    if principal is not None and route.rate != "assets":
        bucket = principal.session or principal.id
        own = {"tiles": ident.tile_buckets, "audit": ident.audit_buckets}.get(route.rate)
        wait = own.take("s:" + bucket) if own is not None else ident.session_buckets.take(bucket)
        if wait > 0:
            await refused_too_often(request, principal, route.key)
            return error_response(ErrorCode.RATE_LIMITED, "too many requests",
                                  retry_after_s=retry_after(wait))
    if _open_to_anyone(rule):
        return await handler(request)
    raw_hearing = request.match_info.get("hearing")
    hearing = raw_hearing if raw_hearing and _ID_RE.fullmatch(raw_hearing) else None
    if auth.via == "cookie" and csrf_required(request.method, cookie_authenticated=True):
        try:
            check_csrf(auth.secret or "", request.headers.get(CSRF_HEADER))
        except CsrfFailed as exc:
            return await _deny(request, route, auth, ErrorCode.FORBIDDEN, exc.message, hearing)
    mediated: frozenset[str] = frozenset()
    if hearing is not None and principal is not None and principal.role is Role.MEDIATOR \
            and principal.kind is PrincipalKind.ACCOUNT:
        mediated = await ident.mediated_hearings(principal)
    context = RequestContext(hearing=hearing, mediated_hearings=mediated,
                             mfa_complete=auth.mfa_complete,
                             password_change_required=auth.password_change_required)
    decision = decide(rule, principal, context)
    if not decision.allowed:
        return await _deny(request, route, auth, decision.code or ErrorCode.FORBIDDEN,
                           decision.reason, hearing)
    return await handler(request)
