"""The signalling service process: its NATS endpoints over the pure core."""

from __future__ import annotations

from dataclasses import dataclass

from parley.config import CommonConfig
from parley.service import Cleanup, ServiceContext, serve_service


@dataclass(frozen=True)
class SignallingConfig(CommonConfig):
    pass


async def _setup(ctx: ServiceContext[SignallingConfig]) -> Cleanup | None:
    return None


async def serve(config: SignallingConfig) -> None:
    await serve_service("signalling", config, _setup)
