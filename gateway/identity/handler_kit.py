"""Shared pieces of the identity route handlers: audit, cookies, views."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from gateway.identity.accounts import Account
from gateway.identity.admin_guard import change_keeping_an_admin
from gateway.identity.sessions import SESSION_COOKIE, ApiTokenRecord
from gateway.identity.state import IdentityState
from gateway.state import state_of
from parley.auditpub import actor_of
from proto.audit import Actor, DetailValue, Outcome
from proto.identity import AccountInfo, TokenInfo
from proto.principal import Principal

ANONYMOUS_ACTOR = Actor(id="anonymous", kind="anonymous")


async def audit(
    request: web.Request, *, actor: Principal | Actor | None, action: str, resource_type: str,
    resource_id: str, outcome: Outcome = Outcome.ALLOWED,
    details: dict[str, DetailValue] | None = None,
) -> None:
    """Durably record one event; raises `AuditPublishError` (the action then fails: 503)."""
    await state_of(request).audit.record(
        actor=actor if actor is not None else ANONYMOUS_ACTOR, action=action,
        resource_type=resource_type, resource_id=resource_id, outcome=outcome, details=details,
    )


def actor(principal: Principal | None) -> Actor:
    return actor_of(principal)


def set_session_cookie(response: web.StreamResponse, secret: str, *, tls: bool,
                       max_age_s: float) -> None:
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="Strict", secure=tls,
                        path="/", max_age=int(max_age_s))


def clear_session_cookie(response: web.StreamResponse, *, tls: bool) -> None:
    response.del_cookie(SESSION_COOKIE, path="/", secure=tls, httponly=True, samesite="Strict")


def account_info(account: Account) -> AccountInfo:
    return AccountInfo(id=account.id, username=account.username, role=account.role,
                       display_name=account.display_name, created_ms=account.created_ms,
                       disabled=account.disabled, totp_enrolled=account.totp_confirmed,
                       recovery_codes_left=len(account.recovery_code_hashes),
                       last_signin_ms=account.last_signin_ms,
                       must_change_password=account.must_change_password,
                       temporary_password_expires_ms=account.password_expires_ms
                       if account.must_change_password else None)


def token_info(record: ApiTokenRecord) -> TokenInfo:
    return TokenInfo(id=record.id, name=record.name, role=record.role,
                     created_ms=record.created_ms, expires_ms=record.expires_ms,
                     revoked=record.revoked)


async def change_account(ident: IdentityState, account_id: str,
                         change: Callable[[Account], Account]) -> tuple[Account, Account]:
    """Apply a change the system makes to an account (a failed sign-in, a TOTP step), with
    compare-and-set, re-reading on a lost race; (before, after). One loop for every account
    change: admin_guard.py's, which also holds the last-admin rule should a change take an
    active administrator away (these never do, so no actor is named)."""
    return await change_keeping_an_admin(ident, account_id, change, actor_id=None)
