"""Helpers for the identity integration tests (a unique module name, not a conftest).

- `forge_session(nc, …)`: write a session straight into `parley_sessions` (as the gateway would
  after a sign-in) for principals the API cannot make yet: hearing participants come with the
  invitations of the hearings issue. Returns (cookie secret, CSRF token).
- `audit_events(nc)`: every audit event the gateway has published so far.
- `raw(base_url, method, path, …)`: one request with exactly the headers given.
"""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import msgspec
from nats.aio.client import Client

from gateway.identity.session_store import kv_key_for_secret
from gateway.identity.sessions import SessionPolicy, csrf_token, new_session
from proto.audit import AuditEvent, decode_event
from proto.common import Role
from proto.principal import PrincipalKind

HIGH_LIMITS = {
    "PARLEY_RATE_ADDRESS_PER_S": "5000", "PARLEY_RATE_ADDRESS_BURST": "10000",
    "PARLEY_RATE_SESSION_PER_S": "5000", "PARLEY_RATE_SESSION_BURST": "10000",
}


async def forge_session(
    nc: Client, *, kind: PrincipalKind, subject: str, role: Role, hearing: str | None = None,
    side: str | None = None, expired: bool = False, account_epoch: int = 0,
) -> tuple[str, str]:
    now_ms = int(time.time() * 1000)
    secret, record = new_session(kind=kind, subject=subject, role=role, now_ms=now_ms,
                                 policy=SessionPolicy(), hearing=hearing, side=side,
                                 account_epoch=account_epoch)
    if expired:
        record = msgspec.structs.replace(record, expires_ms=now_ms - 1)
    kv = await nc.jetstream().key_value("parley_sessions")
    await kv.create(kv_key_for_secret(secret), msgspec.json.encode(record))
    return secret, csrf_token(secret)


async def audit_events(nc: Client, service: str = "gateway") -> list[AuditEvent]:
    js = nc.jetstream()
    sub = await js.subscribe(f"parley.v1.audit.event.{service}", ordered_consumer=True,
                             deliver_policy=None)
    events: list[AuditEvent] = []
    try:
        info = await sub.consumer_info()
        total = (info.num_pending or 0) + (
            info.delivered.consumer_seq if info.delivered else 0)
        while len(events) < total:
            msg = await sub.next_msg(timeout=5)
            events.append(decode_event(msg.data))
    finally:
        await sub.unsubscribe()
    return events


async def raw(base_url: str, method: str, path: str, *, headers: dict[str, str] | None = None,
              data: Any = None, json: Any = None) -> tuple[int, Any, dict[str, str]]:
    async with aiohttp.ClientSession(base_url=base_url) as http, http.request(
            method, path, headers=headers or {}, data=data, json=json) as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body, dict(response.headers)
