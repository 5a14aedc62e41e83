"""The audit service process: its NATS endpoints over the pure core."""

from __future__ import annotations

from dataclasses import dataclass

from parley.config import CommonConfig
from parley.service import Cleanup, ServiceContext, serve_service


@dataclass(frozen=True)
class AuditConfig(CommonConfig):
    pass


async def _setup(ctx: ServiceContext[AuditConfig]) -> Cleanup | None:
    return None


async def serve(config: AuditConfig) -> None:
    await serve_service("audit", config, _setup)
