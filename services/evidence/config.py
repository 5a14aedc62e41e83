"""The evidence service's configuration (`PARLEY_EVIDENCE_*`), checked when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parley.config import CommonConfig, env_field
from parley.paths import MAX_SOCKET_PATH


@dataclass(frozen=True)
class EvidenceConfig(CommonConfig):
    evidence_backend: str = env_field("local", help="document store: local (a folder) or s3")
    evidence_dir: Path | None = env_field(
        None, help="local store folder; empty = <PARLEY_DATA_DIR>/evidence/store")
    evidence_master_key_file: Path | None = env_field(
        None, help="master key file (0600, created on first run); empty = "
                   "<PARLEY_DATA_DIR>/evidence/master.key")
    evidence_s3_endpoint: str = env_field(
        "", help="S3 endpoint host:port (SeaweedFS, AWS S3 or another S3 server), for backend s3")
    evidence_s3_bucket: str = env_field("parley-evidence", help="S3 bucket (created if missing)")
    evidence_s3_access_key: str = env_field("", help="S3 access key")
    evidence_s3_secret_key: str = env_field("", help="S3 secret key (never logged)")
    evidence_s3_region: str = env_field("us-east-1", help="S3 region")
    evidence_s3_secure: bool = env_field(False, help="use HTTPS to reach the S3 endpoint")
    evidence_s3_object_lock: bool = env_field(
        False, help="content objects under object lock (WORM); the bucket needs lock enabled")
    evidence_s3_retention_days: int = env_field(
        0, help="object-lock retention of content objects, in days (0 = bucket default)")
    evidence_s3_keys_bucket: str = env_field(
        "", help="bucket for hearing key records, without object lock (created if missing); "
                 "empty = beside the content, old versions pruned on every write")
    evidence_s3_part_size_mib: int = env_field(8, help="multipart part size in MiB (>= 5)")
    evidence_max_document_bytes: int = env_field(
        2 * 1024**3, help="largest document accepted, in bytes")
    evidence_max_documents_per_hearing: int = env_field(
        1000, help="most document versions one hearing may hold")
    evidence_ticket_ttl_s: float = env_field(
        30.0, help="lifetime of an upload/download ticket (single use) in seconds")
    evidence_http_host: str = env_field(
        "127.0.0.1", help="address of evidence's internal byte-stream port (gateway only)")
    evidence_http_port: int = env_field(0, help="internal byte-stream port; 0 = any free port")
    evidence_http_tls_cert: Path | None = env_field(
        None, help="PEM certificate: the internal byte port serves TLS (with ..._TLS_KEY)")
    evidence_http_tls_key: Path | None = env_field(
        None, help="PEM private key of PARLEY_EVIDENCE_HTTP_TLS_CERT")
    evidence_http_socket: Path | None = env_field(
        None, help="serve the internal byte port on this Unix socket (0600) instead of TCP, "
                   "for a gateway on the same host; advertised as http+unix:// (`parley up` "
                   "on one host: <data dir>/run/evidence-http.sock)")
    evidence_http_advertise: str = env_field(
        "", help="base URL the gateway uses to reach this instance; empty = http://host:port "
                 "(or the socket's http+unix:// URL)")
    evidence_upload_idle_s: float = env_field(
        86400.0, help="a resumable upload with no byte for this long (seconds) is swept")
    evidence_max_uploads_per_hearing: int = env_field(
        20, help="most resumable uploads in progress at once in one hearing")
    evidence_sweep_interval_s: float = env_field(
        300.0, help="how often staged leftovers of failed uploads are swept, in seconds")
    evidence_sweep_max_age_s: float = env_field(
        3600.0, help="staged data left this long (seconds) is swept; an upload's commit must "
                     "begin within half of it")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.evidence_backend not in ("local", "s3"):
            raise ValueError("PARLEY_EVIDENCE_BACKEND must be local or s3")
        if self.evidence_backend == "s3" and not self.evidence_s3_endpoint:
            raise ValueError("PARLEY_EVIDENCE_S3_ENDPOINT is required for the s3 backend")
        if self.evidence_s3_part_size_mib < 5:
            raise ValueError("PARLEY_EVIDENCE_S3_PART_SIZE_MIB must be at least 5")
        if self.evidence_max_document_bytes < 0 or self.evidence_max_documents_per_hearing < 1:
            raise ValueError("evidence limits must be positive")
        if not 0 < self.evidence_ticket_ttl_s <= 3600:
            raise ValueError("PARLEY_EVIDENCE_TICKET_TTL_S must be in (0, 3600]")
        if self.evidence_upload_idle_s <= 0 or self.evidence_max_uploads_per_hearing < 1:
            raise ValueError("PARLEY_EVIDENCE_UPLOAD_IDLE_S and _MAX_UPLOADS_PER_HEARING must "
                             "be positive")
        if (self.evidence_http_tls_cert is None) != (self.evidence_http_tls_key is None):
            raise ValueError("set both PARLEY_EVIDENCE_HTTP_TLS_CERT and ..._TLS_KEY, or neither")
        if self.evidence_http_socket is not None:
            if self.evidence_http_tls_cert is not None:
                raise ValueError("PARLEY_EVIDENCE_HTTP_SOCKET is for a co-located gateway: "
                                 "no TLS on it (unset ..._TLS_CERT or the socket)")
            if not self.evidence_http_socket.is_absolute() \
                    or len(str(self.evidence_http_socket).encode()) > MAX_SOCKET_PATH:
                raise ValueError("PARLEY_EVIDENCE_HTTP_SOCKET must be an absolute path of at "
                                 f"most {MAX_SOCKET_PATH} bytes")
        if self.evidence_sweep_interval_s <= 0 or self.evidence_sweep_max_age_s <= 0:
            raise ValueError("PARLEY_EVIDENCE_SWEEP_* must be positive")

    @property
    def store_dir(self) -> Path:
        return self.evidence_dir or Path(self.data_dir) / "evidence" / "store"

    @property
    def master_key_path(self) -> Path:
        return self.evidence_master_key_file or Path(self.data_dir) / "evidence" / "master.key"
