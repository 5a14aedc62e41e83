"""The gateway process's configuration (`PARLEY_*` variables)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gateway.http.pacing import Pace
from gateway.identity.ratelimit import REDEEM_ADDRESS_FREE_FAILURES
from parley.config import CommonConfig, env_field


@dataclass(frozen=True)
class GatewayConfig(CommonConfig):
    http_host: str = env_field("127.0.0.1", help="address the gateway listens on")
    http_port: int = env_field(8080, help="port of the gateway (web client, REST, WebSocket)")
    tls_cert: Path | None = env_field(None, help="PEM certificate: serve HTTPS (with PARLEY_TLS_KEY)")
    tls_key: Path | None = env_field(None, help="PEM private key for PARLEY_TLS_CERT")
    metrics_host: str = env_field(
        "127.0.0.1", help="address of the separate /metrics listener (never the public one)")
    metrics_port: int = env_field(
        0, help="port of the /metrics listener (Prometheus text); 0 serves no metrics; with "
                "--cluster the second gateway's is the next port")
    client_idle_s: float = env_field(
        30.0, help="a client silent this long while sending a body, a connection without a "
                   "complete request head this long, an idle keep-alive connection, or a "
                   "WebSocket with no complete frame (pongs count) this long, is cut off")
    client_min_rate: float = env_field(
        1024.0, help="bytes per second a request body must average (after the grace time)")
    client_rate_grace_s: float = env_field(
        10.0, help="seconds a request body may take before PARLEY_CLIENT_MIN_RATE applies")
    evidence_tls_ca: Path | None = env_field(
        None, help="CA certificate (PEM) evidence's internal TLS port is checked against")
    max_json_bytes: int = env_field(65536, help="largest JSON request body accepted")
    max_header_bytes: int = env_field(8190, help="largest request line or header field")
    max_headers: int = env_field(64, help="most request headers accepted")
    service_timeout_s: float = env_field(5.0, help="how long the gateway waits for a service")
    ready_services: tuple[str, ...] = env_field(
        ("signalling", "evidence", "audit"), help="services /readyz requires (comma-separated)"
    )
    # --- identity and access ---
    session_idle_s: float = env_field(1800.0, help="a session ends after this many idle seconds")
    session_absolute_s: float = env_field(
        43200.0, help="a session ends this many seconds after sign-in, whatever its activity"
    )
    session_touch_s: float = env_field(
        60.0, help="how often (seconds) an active session's last-seen time is written to KV"
    )
    rate_address_per_s: float = env_field(
        20.0, help="requests per second per client address, every route (token bucket refill)"
    )
    rate_address_burst: float = env_field(200.0, help="burst of requests per client address")
    rate_session_per_s: float = env_field(
        10.0, help="requests per second per session or API token, every route"
    )
    rate_session_burst: float = env_field(100.0, help="burst of requests per session or token")
    rate_tiles_per_s: float = env_field(
        500.0, help="requests per second per session and per address to the audit log's tiles"
    )
    rate_tiles_burst: float = env_field(5000.0, help="burst of tile requests (a tile reader's walk)")
    rate_audit_per_s: float = env_field(
        40.0, help="requests per second per session and per address to the audit log's searches,"
                   " names and proofs (one report is tens of searches)"
    )
    rate_audit_burst: float = env_field(
        400.0, help="burst of audit log reads (an auditor going through reports)")
    rate_assets_per_s: float = env_field(
        100.0, help="requests per second per client address for the web client's files"
    )
    rate_assets_burst: float = env_field(
        1000.0, help="burst of web client file requests (a first page load fetches ~90 files)")
    denial_audit_period_s: float = env_field(
        60.0, help="refusals from one source are audited once per period, then as one count"
    )
    address_pseudonym_period: str = env_field(
        "month", help="client addresses enter the audit log as HMAC pseudonyms under a key"
        " rotated per 'month' or 'day' (keys under <data>/gateway/address-keys)"
    )
    signin_free_failures: int = env_field(
        3, help="failed sign-ins per username before backoff (1 s, doubling) starts"
    )
    signin_lockout_after: int = env_field(
        10, help="consecutive failed sign-ins that lock a username (audited as auth.lockout)"
    )
    signin_lockout_s: float = env_field(900.0, help="how long a locked username stays locked")
    signin_address_free_failures: int = env_field(
        10, help="failed sign-ins per client address before that address backs off"
    )
    redeem_address_free_failures: int = env_field(
        REDEEM_ADDRESS_FREE_FAILURES,
        help="wrong invitation links or access codes per client address before that address"
             " backs off (1 s, doubling); each invitation also blocks itself after a few"
             " wrong codes, so this one only stops an address trying many links"
    )
    signin_concurrency: int = env_field(
        2, help="password verifications run at once (each argon2id holds 32 MiB)"
    )
    bootstrap_ttl_s: int = env_field(
        86400, help="lifetime of the one-time first-admin secret printed on first start"
    )
    temporary_password_hours: float = env_field(
        72.0, help="how long a password an administrator set (a new account, a reset) signs"
                   " in before its holder chooses their own; later it is refused and the"
                   " administrator resets it again"
    )
    # --- hearings and the WebSocket ---
    ws_heartbeat_s: float = env_field(
        5.0, help="how often this gateway tells signalling its WebSockets are alive")
    ws_max_frame_bytes: int = env_field(
        69632, help="largest WebSocket frame a client may send (an SDP plus its envelope)")
    ws_rate_per_s: float = env_field(50.0, help="WebSocket messages per second per socket")
    ws_rate_burst: float = env_field(200.0, help="burst of WebSocket messages per socket")
    ws_flood_close_after: int = env_field(
        50, help="messages refused for rate in a row before the socket is closed")
    ws_queue_max: int = env_field(
        2000, help="server messages queued for a slow socket before it is closed")
    ws_join_timeout_s: float = env_field(
        10.0, help="a new WebSocket must send its `join` within this many seconds")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.ws_heartbeat_s <= 0 or self.ws_rate_per_s <= 0 or self.ws_rate_burst < 1 \
                or not 1024 <= self.ws_max_frame_bytes <= 1024 * 1024 \
                or self.ws_queue_max < 10 or self.ws_flood_close_after < 1:
            raise ValueError("PARLEY_WS_* settings out of range")
        if self.client_idle_s <= 0 or self.client_min_rate <= 0 or self.client_rate_grace_s < 0:
            raise ValueError("PARLEY_CLIENT_IDLE_S and PARLEY_CLIENT_MIN_RATE must be > 0")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("set both PARLEY_TLS_CERT and PARLEY_TLS_KEY, or neither")
        if not 1024 <= self.max_json_bytes <= 16 * 1024 * 1024:
            raise ValueError("PARLEY_MAX_JSON_BYTES must be between 1 KiB and 16 MiB")
        if not 0 < self.session_touch_s < self.session_idle_s <= self.session_absolute_s:
            raise ValueError("need 0 < PARLEY_SESSION_TOUCH_S < PARLEY_SESSION_IDLE_S "
                             "<= PARLEY_SESSION_ABSOLUTE_S")
        if min(self.rate_address_per_s, self.rate_session_per_s, self.rate_tiles_per_s,
               self.rate_audit_per_s, self.rate_assets_per_s) <= 0 \
                or min(self.rate_address_burst, self.rate_session_burst, self.rate_tiles_burst,
                       self.rate_audit_burst, self.rate_assets_burst) < 1:
            raise ValueError("PARLEY_RATE_* must be > 0 (bursts >= 1)")
        if self.address_pseudonym_period not in ("month", "day"):
            raise ValueError("PARLEY_ADDRESS_PSEUDONYM_PERIOD must be month or day")
        if not 1 <= self.denial_audit_period_s <= 3600:
            raise ValueError("PARLEY_DENIAL_AUDIT_PERIOD_S must be between 1 and 3600")
        if self.signin_lockout_after < 1 or self.signin_concurrency < 1:
            raise ValueError("PARLEY_SIGNIN_LOCKOUT_AFTER and PARLEY_SIGNIN_CONCURRENCY must be >= 1")
        if self.redeem_address_free_failures < 1:
            raise ValueError("PARLEY_REDEEM_ADDRESS_FREE_FAILURES must be >= 1")
        if not 0 < self.temporary_password_hours <= 8760:
            raise ValueError("PARLEY_TEMPORARY_PASSWORD_HOURS must be > 0 and at most 8760")

    @property
    def pace(self) -> Pace:
        """The idle timeout and minimum rate of every read of client bytes."""
        return Pace(self.client_idle_s, self.client_min_rate, self.client_rate_grace_s)

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None
