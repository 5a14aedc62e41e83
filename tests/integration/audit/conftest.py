"""Fixtures for the audit integration tests: a fresh nats-server and the real audit process."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import pytest
from nats.aio.client import Client

from parley.ids import new_ulid
from parley.provision import provision
from parley.rpc import call, request_raw
from proto.audit import Actor, AuditEvent, Outcome, Resource, audit_subject, encode_event
from proto.common import Role
from proto.principal import Principal, PrincipalKind
from tests.harness import NatsServer, ServiceProcess, free_port, wait_until

ORIGIN = "test.parley.example/audit"
AUDITOR = Principal(kind=PrincipalKind.ACCOUNT, id="auditor1", role=Role.AUDITOR, session="s1")
ADMIN = Principal(kind=PrincipalKind.ACCOUNT, id="admin1", role=Role.ADMIN, session="s2")


def make_event(i: int, *, prefix: str = "e", hearing: str = "h1") -> AuditEvent:
    return AuditEvent(
        id=f"{prefix}{i:08d}", time=1_700_000_000_000 + i, actor=Actor(id=f"acct{i % 5}"),
        action="document.view", resource=Resource(type="document", id=f"doc{i % 7}"),
        outcome=Outcome.ALLOWED, service="supervisor", hearing=hearing, details={"n": i},
    )


@dataclass
class AuditWorld:
    """A fresh server, the audit process (restartable) and clients to drive it."""

    tmp: Path
    server: NatsServer
    publisher: Client
    gateway: Client
    processes: list[ServiceProcess] = field(default_factory=list)

    @property
    def process(self) -> ServiceProcess:
        return self.processes[-1]

    def start_audit(self, **env: str) -> ServiceProcess:
        extra = {"PARLEY_AUDIT_ORIGIN": ORIGIN, **env}
        proc = ServiceProcess("services.audit", self.server.service_env("audit", **extra),
                              self.tmp / f"audit-{len(self.processes)}.log")
        proc.start()
        self.processes.append(proc)
        return proc

    async def publish(self, event: AuditEvent) -> None:
        await self.publisher.jetstream().publish(
            audit_subject("supervisor"), encode_event(event), headers={"Nats-Msg-Id": event.id})

    async def call(self, verb: str, request: Any, reply: type[Any], principal: Principal = AUDITOR,
                   timeout: float = 5.0) -> Any:
        return await call(self.gateway, "audit", verb, request, reply, principal=principal,
                          timeout=timeout)

    async def raw(self, verb: str, request: Any, principal: Principal = AUDITOR) -> bytes:
        msg = await request_raw(self.gateway, "audit", verb, msgspec.json.encode(request),
                                principal=principal)
        return bytes(msg.data)

    async def status(self) -> Any:
        from proto.auditlog import AuditStatus, NoArguments

        return await self.call("status", NoArguments(), AuditStatus, timeout=1.0)

    def logged_ids(self) -> list[str]:
        """Every event id in the log, one per entry, read from the SQLite file (read-only)."""
        conn = sqlite3.connect(f"file:{log_db(self)}?mode=ro", uri=True)
        try:
            return [r[0] for r in conn.execute("SELECT event_id FROM entries ORDER BY idx")]
        finally:
            conn.close()

    async def wait_logged(self, event_ids: set[str], timeout: float = 30.0) -> None:
        """Until every id is in the log."""
        async def present() -> bool:
            return event_ids <= set(self.logged_ids())

        await wait_until(present, timeout=timeout, interval=0.1, what="events in the audit log")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[AuditWorld]:
    server = NatsServer(data_dir=tmp_path / "data", port=free_port())
    server.data_dir.mkdir()
    server.start()
    supervisor = await server.connect("supervisor")
    await provision(supervisor.jetstream())
    gateway = await server.connect("gateway")
    w = AuditWorld(tmp=tmp_path, server=server, publisher=supervisor, gateway=gateway)
    try:
        yield w
    finally:
        for proc in w.processes:
            proc.stop()
        await gateway.close()
        await supervisor.close()
        server.stop()


def log_db(world: AuditWorld) -> Path:
    return world.server.data_dir / "audit" / "log.db"


def new_id() -> str:
    return new_ulid()


__all__ = ["ADMIN", "AUDITOR", "ORIGIN", "AuditWorld", "log_db", "make_event", "new_id"]
