"""Create the JetStream stream and KV buckets of DESIGN §3, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, replace

from nats.js import JetStreamContext
from nats.js.api import (
    DiscardPolicy,
    KeyValueConfig,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError

from proto.audit import AUDIT_STREAM, AUDIT_SUBJECT_PREFIX

ACCOUNTS_BUCKET = "parley_accounts"
SESSIONS_BUCKET = "parley_sessions"
HEARINGS_BUCKET = "parley_hearings"
#: The audit sequencer's lease (services/audit/leadership.py): its max age is the lease.
AUDIT_LEADER_BUCKET = "parley_audit_leader"


@dataclass(frozen=True)
class Provisioning:
    session_ttl_s: float = 12 * 3600.0
    replicas: int = 1
    #: How long the stream keeps duplicate-detection state for `Nats-Msg-Id`.
    audit_dedup_window_s: float = 600.0
    #: The audit sequencer's lease; must equal the audit service's PARLEY_AUDIT_LEASE_S.
    audit_lease_s: float = 3.0


def _buckets(p: Provisioning) -> list[KeyValueConfig]:
    return [
        KeyValueConfig(bucket=ACCOUNTS_BUCKET, history=5, storage=StorageType.FILE,
                       replicas=p.replicas, direct=True),
        KeyValueConfig(bucket=SESSIONS_BUCKET, history=1, ttl=p.session_ttl_s,
                       storage=StorageType.FILE, replicas=p.replicas, direct=True),
        KeyValueConfig(bucket=HEARINGS_BUCKET, history=10, storage=StorageType.FILE,
                       replicas=p.replicas, direct=True),
        KeyValueConfig(bucket=AUDIT_LEADER_BUCKET, history=1, ttl=p.audit_lease_s,
                       storage=StorageType.FILE, replicas=p.replicas, direct=True),
    ]


def audit_stream_config(p: Provisioning) -> StreamConfig:
    # Limits retention with no limits: the stream is the durable intake the audit log can be
    # rebuilt from, so nothing is dropped; discard NEW makes a full disk fail the publish (and so
    # the action) instead of silently losing old events.
    return StreamConfig(
        name=AUDIT_STREAM,
        subjects=[f"{AUDIT_SUBJECT_PREFIX}.*"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.NEW,
        num_replicas=p.replicas,
        duplicate_window=p.audit_dedup_window_s,
        max_msg_size=64 * 1024 + 4096,
        allow_direct=True,
    )


async def provision(js: JetStreamContext, p: Provisioning | None = None) -> list[str]:
    """Create what is missing, update what exists; returns the names it touched."""
    p = p or Provisioning()
    touched = []
    stream = audit_stream_config(p)
    try:
        await js.stream_info(AUDIT_STREAM)
        await js.update_stream(stream)
    except NotFoundError:
        await js.add_stream(stream)
    touched.append(AUDIT_STREAM)
    for bucket in _buckets(p):
        try:
            await js.key_value(bucket.bucket)
        except NotFoundError:
            await js.create_key_value(bucket)
        else:
            await _align_ttl(js, bucket)
        touched.append(bucket.bucket)
    return touched


async def _align_ttl(js: JetStreamContext, bucket: KeyValueConfig) -> None:
    """An existing bucket takes the configured TTL (its stream's max age). The TTL is a rule, not
    a tuning: the audit lease *is* the leader bucket's TTL (a holder configured for 10 s renewing
    every 2.5 s in a bucket left at 3 s can lose its key to a standby while it still believes
    it leads), and no session may outlive the sessions bucket. Created once and never updated,
    a changed PARLEY_AUDIT_LEASE_S or PARLEY_SESSION_ABSOLUTE_S would silently not apply."""
    info = await js.stream_info(f"KV_{bucket.bucket}")
    wanted = bucket.ttl or 0.0
    if abs((info.config.max_age or 0.0) - wanted) > 1e-3:
        await js.update_stream(replace(info.config, max_age=wanted))
