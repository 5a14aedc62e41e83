"""The evidence service process: its NATS endpoints over the pure core."""

from __future__ import annotations

from dataclasses import dataclass

from parley.config import CommonConfig
from parley.service import Cleanup, ServiceContext, serve_service


@dataclass(frozen=True)
class EvidenceConfig(CommonConfig):
    pass


async def _setup(ctx: ServiceContext[EvidenceConfig]) -> Cleanup | None:
    return None


async def serve(config: EvidenceConfig) -> None:
    await serve_service("evidence", config, _setup)
