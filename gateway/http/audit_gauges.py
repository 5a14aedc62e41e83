"""The audit log's gauges for the gateway's /metrics: read from the audit processes' `$SRV.STATS`
and the `AUDIT` stream's last sequence, every `AUDIT_POLL_S` seconds.

The sequencer and its standby both answer; the larger log is the sequencer's (a standby only
follows it), so its numbers are exported. Intake lag = the stream's last sequence minus the
sequence the log has committed up to: events acknowledged to their publishers but not yet in
the log (alert when it keeps growing).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from nats.aio.client import Client

from gateway.http.metrics import AUDIT_POLL_S, GatewayMetrics
from parley.failures import note_failure
from proto.audit import AUDIT_STREAM

log = logging.getLogger("parley.gateway.metrics")


def audit_numbers(replies: list[dict[str, Any]]) -> dict[str, int] | None:
    """The sequencer's `status` endpoint data among the replies of every audit process."""
    found = []
    for reply in replies:
        for endpoint in reply.get("endpoints") or []:
            data = endpoint.get("data")
            if endpoint.get("name") == "status" and isinstance(data, dict) and "log_size" in data:
                found.append({k: int(v) for k, v in data.items()})
    return max(found, key=lambda d: d["log_size"]) if found else None


async def _stats(nc: Client, wait_s: float = 0.5) -> list[dict[str, Any]]:
    inbox = nc.new_inbox()
    replies: list[dict[str, Any]] = []
    sub = await nc.subscribe(inbox)
    try:
        await nc.publish("$SRV.STATS.audit", b"", reply=inbox)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait_s):
                async for msg in sub.messages:
                    replies.append(json.loads(msg.data))
    finally:
        await sub.unsubscribe()
    return replies


async def poll_audit(nc: Client, metrics: GatewayMetrics, every_s: float = AUDIT_POLL_S) -> None:
    seen = False  # until the audit service first answers, ask every second
    while True:
        try:
            numbers = audit_numbers(await _stats(nc))
            seen = seen or numbers is not None
            if numbers is not None:
                last = (await nc.jetstream().stream_info(AUDIT_STREAM)).state.last_seq
                metrics.audit_log_size.set(numbers["log_size"])
                metrics.audit_intake_lag.set(max(0, last - numbers["intake_seq"]))
                age = numbers["checkpoint_age_ms"]
                metrics.audit_checkpoint_age.set(age / 1000 if age >= 0 else float("nan"))
                metrics.audit_signing_ok.set(numbers["signing_ok"])
        except Exception as exc:  # NATS down or audit not there yet: the gauges keep their value
            note_failure(log, "gateway.audit_gauges", exc, level=logging.DEBUG)
        await asyncio.sleep(every_s if seen else 1.0)
