"""The signalling process's configuration (`PARLEY_*` variables)."""

from __future__ import annotations

from dataclasses import dataclass

from parley.config import CommonConfig, env_field

from .effects import Policy
from .ice import IceSettings
from .retention import DAY_MS


@dataclass(frozen=True)
class SignallingConfig(CommonConfig):
    reconnect_grace_s: float = env_field(
        30.0, help="a participant whose connection drops keeps its room this long, then: lobby")
    sweep_interval_s: float = env_field(
        1.0, help="how often time-based rules run (reconnection grace, caucus timers)")
    gateway_timeout_s: float = env_field(
        15.0, help="a gateway silent this long (no heartbeat): its WebSockets count as closed")
    invitation_ttl_s: int = env_field(
        7 * 86400, help="default lifetime of an invitation (for a scheduled hearing, at least "
        "until a day after its start)")
    stun_urls: tuple[str, ...] = env_field((), help="STUN server URLs (comma-separated)")
    turn_urls: tuple[str, ...] = env_field((), help="TURN server URLs (comma-separated)")
    turn_secret: str = env_field("", help="coturn static-auth-secret for TURN REST credentials")
    turn_ttl_s: int = env_field(3600, help="lifetime of issued TURN credentials")
    ice_relay_only: bool = env_field(
        False, help="force relay-only ICE (parties never learn each other's addresses)")
    techcheck_max: int = env_field(8, help="tech checks (echo peers) running at once per process")
    techcheck_lifetime_s: float = env_field(120.0, help="a tech check ends itself after this")
    techcheck_per_hearing: int = env_field(
        4, help="tech checks the participants of one hearing may run at once per process")
    document_retention_days: float = env_field(
        0.0, help="an ended hearing's kept documents are destroyed (crypto-shredded) this many "
        "days after its end; 0 = kept until the mediator destroys them. Fractions are allowed "
        "(0.5 = 12 hours; tests use seconds' worth)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.sweep_interval_s <= 60:
            raise ValueError("PARLEY_SWEEP_INTERVAL_S must be in (0, 60]")
        if self.reconnect_grace_s < 0 or self.gateway_timeout_s <= 0:
            raise ValueError("PARLEY_RECONNECT_GRACE_S >= 0 and PARLEY_GATEWAY_TIMEOUT_S > 0")
        if not 60 <= self.invitation_ttl_s <= 90 * 86400:
            raise ValueError("PARLEY_INVITATION_TTL_S must be between 60 s and 90 days")
        if self.techcheck_max < 0 or self.techcheck_per_hearing < 1:
            raise ValueError("PARLEY_TECHCHECK_MAX must be >= 0, PARLEY_TECHCHECK_PER_HEARING >= 1")
        if not 0 <= self.document_retention_days <= 36500:
            raise ValueError("PARLEY_DOCUMENT_RETENTION_DAYS must be between 0 (kept until "
                             "destroyed by hand) and 36500 days")
        self.ice_settings()  # validates the ICE settings

    def ice_settings(self) -> IceSettings:
        return IceSettings(stun_urls=self.stun_urls, turn_urls=self.turn_urls,
                           turn_secret=self.turn_secret, ttl_s=self.turn_ttl_s,
                           relay_only=self.ice_relay_only)

    def policy(self) -> Policy:
        return Policy(reconnect_grace_ms=int(self.reconnect_grace_s * 1000),
                      invitation_ttl_ms=self.invitation_ttl_s * 1000,
                      document_retention_ms=round(self.document_retention_days * DAY_MS))
