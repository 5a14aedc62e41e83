"""What the hearings' live side keeps per gateway process: rosters, sockets, instance id."""

from __future__ import annotations

import asyncio
import itertools
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nats.aio.subscription import Subscription

from gateway.identity.ratelimit import AddressBackoff, redeem_address_backoff
from gateway.ws.deliveries import Deliveries
from gateway.ws.keepalive import Keepalive
from gateway.ws.roster_cache import RosterCache

if TYPE_CHECKING:
    from gateway.ws.credential_watch import CredentialWatch
    from gateway.ws.session import WsSession


@dataclass
class HearingsState:
    rosters: RosterCache
    deliveries: Deliveries[WsSession]
    #: Pings quiet sockets, closes silent ones.
    keepalive: Keepalive
    #: This process's id; every socket id starts with it (signalling's liveness check).
    instance: str = field(default_factory=lambda: secrets.token_hex(8))
    sockets: dict[str, WsSession] = field(default_factory=dict)
    #: Wrong invitation links and codes per client address, keyed as sign-in's (IPv6 by its
    #: /64); its threshold is PARLEY_REDEEM_ADDRESS_FREE_FAILURES (ws/wiring.py).
    redeem_backoff: AddressBackoff = field(default_factory=lambda: AddressBackoff(
        redeem_address_backoff(), asyncio.get_running_loop().time))
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _heartbeat: asyncio.Task[None] | None = None
    _keepalive_task: asyncio.Task[None] | None = None
    #: Re-checks open sockets' credentials when they change (None until identity is up).
    credentials: CredentialWatch | None = None
    _credential_task: asyncio.Task[None] | None = None
    _documents: Subscription | None = None

    def new_conn_id(self) -> str:
        return f"{self.instance}-{next(self._serial)}"

