"""ICE servers with time-limited TURN credentials (coturn's "TURN REST API" shared-secret scheme).

coturn, started with `use-auth-secret` and `static-auth-secret=<secret>`, accepts
username = "<expiry unix seconds>:<participant id>" and
password = base64(HMAC-SHA1(secret, username)), until the expiry passes. So the service issues
per-participant credentials without talking to coturn, and a leaked credential dies on its own.
With `relay_only` the client is told `iceTransportPolicy: "relay"`, so parties never learn each
other's addresses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from proto.signalling import IceConfig, IcePolicy, IceServer


@dataclass(frozen=True, slots=True)
class IceSettings:
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    turn_secret: str = ""
    ttl_s: int = 3600
    relay_only: bool = False

    def __post_init__(self) -> None:
        if self.turn_urls and not self.turn_secret:
            raise ValueError("TURN servers need a shared secret")
        if not 60 <= self.ttl_s <= 86400 * 7:
            raise ValueError("TURN credential TTL must be between 60 s and 7 days")
        if self.relay_only and not self.turn_urls:
            raise ValueError("relay-only needs at least one TURN server")


def turn_credential(secret: str, username: str) -> str:
    mac = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def ice_config(settings: IceSettings, participant: str, now_s: int) -> IceConfig:
    """The RTCConfiguration fragment for one participant at Unix time `now_s` (seconds)."""
    servers: list[IceServer] = []
    expires: int | None = None
    if settings.stun_urls and not settings.relay_only:
        servers.append(IceServer(urls=list(settings.stun_urls)))
    if settings.turn_urls:
        expires = now_s + settings.ttl_s
        username = f"{expires}:{participant}"
        servers.append(IceServer(urls=list(settings.turn_urls), username=username,
                                 credential=turn_credential(settings.turn_secret, username)))
    return IceConfig(ice_servers=servers,
                     ice_transport_policy="relay" if settings.relay_only else "all",
                     expires_at=expires * 1000 if expires is not None else None)


def ice_policy(settings: IceSettings) -> IcePolicy:
    """What the admin console shows of `settings`: everything but the TURN secret."""
    return IcePolicy(relay_only=settings.relay_only, stun_urls=list(settings.stun_urls),
                     turn_urls=list(settings.turn_urls), turn_credential_ttl_s=settings.ttl_s)
