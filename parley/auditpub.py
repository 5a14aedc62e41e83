"""Publishing audit events to the JetStream stream `AUDIT` (DESIGN §7, intake).

The publish waits for JetStream's acknowledgement: an event that was not stored raises
`AuditPublishError`, and the caller fails the action it records. `Nats-Msg-Id` is the event id,
so a retried publish is stored once (the stream's duplicate window).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import NotRequired, TypedDict, Unpack

from nats.errors import Error as NatsError
from nats.js import JetStreamContext

from parley.errors import AuditPublishError
from parley.ids import new_ulid
from parley.telemetry import current_trace_id
from proto.audit import (
    Actor,
    AuditEvent,
    DetailValue,
    Outcome,
    Resource,
    audit_subject,
    encode_event,
)
from proto.principal import Principal

log = logging.getLogger("parley.audit")


def actor_of(principal: Principal | None) -> Actor:
    if principal is None:
        return Actor(id="anonymous", kind="anonymous")
    return Actor(id=principal.id, role=principal.role, side=principal.side, kind=principal.kind.value)


class EventFields(TypedDict):
    """What a caller says about an event; the publisher adds id, time, service and trace id."""

    actor: Principal | Actor | None
    action: str
    resource_type: str
    resource_id: str
    outcome: Outcome
    hearing: NotRequired[str | None]
    details: NotRequired[Mapping[str, DetailValue] | None]


class AuditPublisher:
    def __init__(
        self,
        js: JetStreamContext,
        service: str,
        *,
        clock: Callable[[], float] = time.time,
        timeout_s: float = 5.0,
    ) -> None:
        self._js = js
        self._service = service
        self._subject = audit_subject(service)
        self._clock = clock
        self._timeout_s = timeout_s

    def build(self, **fields: Unpack[EventFields]) -> AuditEvent:
        actor = fields["actor"]
        details = fields.get("details")
        now_ms = int(self._clock() * 1000)
        return AuditEvent(
            id=new_ulid(now_ms),
            time=now_ms,
            actor=actor if isinstance(actor, Actor) else actor_of(actor),
            action=fields["action"],
            resource=Resource(type=fields["resource_type"], id=fields["resource_id"]),
            outcome=fields["outcome"],
            service=self._service,
            hearing=fields.get("hearing"),
            trace_id=current_trace_id(),
            details=dict(details or {}),
        )

    async def publish(self, event: AuditEvent) -> None:
        try:
            await self._js.publish(
                self._subject,
                encode_event(event),
                timeout=self._timeout_s,
                headers={"Nats-Msg-Id": event.id},
            )
        except (NatsError, TimeoutError) as exc:
            log.error("audit publish failed", extra={"event_id": event.id, "action": event.action})
            raise AuditPublishError(f"audit event {event.id} not stored: {type(exc).__name__}") from exc

    async def record(self, **fields: Unpack[EventFields]) -> AuditEvent:
        """Build and durably publish one event; raises `AuditPublishError` if not stored."""
        event = self.build(**fields)
        await self.publish(event)
        return event
