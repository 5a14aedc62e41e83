"""The gateway process's configuration (`PARLEY_*` variables)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parley.config import CommonConfig, env_field


@dataclass(frozen=True)
class GatewayConfig(CommonConfig):
    http_host: str = env_field("127.0.0.1", help="address the gateway listens on")
    http_port: int = env_field(8080, help="port of the gateway (web client, REST, WebSocket)")
    tls_cert: Path | None = env_field(None, help="PEM certificate: serve HTTPS (with PARLEY_TLS_KEY)")
    tls_key: Path | None = env_field(None, help="PEM private key for PARLEY_TLS_CERT")
    max_json_bytes: int = env_field(65536, help="largest JSON request body accepted")
    max_header_bytes: int = env_field(8190, help="largest request line or header field")
    max_headers: int = env_field(64, help="most request headers accepted")
    service_timeout_s: float = env_field(5.0, help="how long the gateway waits for a service")
    ready_services: tuple[str, ...] = env_field(
        ("signalling", "evidence", "audit"), help="services /readyz requires (comma-separated)"
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("set both PARLEY_TLS_CERT and PARLEY_TLS_KEY, or neither")
        if not 1024 <= self.max_json_bytes <= 16 * 1024 * 1024:
            raise ValueError("PARLEY_MAX_JSON_BYTES must be between 1 KiB and 16 MiB")

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None
