"""The signalling service process: hearing store, executor, endpoints, sweeper, tech checks."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from parley.service import Cleanup, ServiceContext, serve_service

from . import beats, nats_adapter, sweeper
from .config import SignallingConfig
from .effects import Env
from .shell import Executor
from .store import HearingStore
from .techcheck_pool import TechChecks

log = logging.getLogger("parley.signalling")

__all__ = ["SignallingConfig", "serve"]


async def _setup(ctx: ServiceContext[SignallingConfig]) -> Cleanup | None:
    config = ctx.config
    store = await HearingStore.open(ctx.js)
    await store.start()
    count = await store.rederive_all()
    log.info("hearings loaded", extra={"hearings": count})
    ex = Executor(store, ctx.nc, ctx.audit, Env(policy=config.policy()))
    checks = TechChecks(config.ice_settings(), max_checks=config.techcheck_max,
                        lifetime_s=config.techcheck_lifetime_s,
                        per_hearing=config.techcheck_per_hearing)
    nats_adapter.register(ctx.host, ex, config.ice_settings(), checks)
    heartbeats = await beats.listen(ctx.nc, store, ex.now_ms)
    task = asyncio.create_task(
        sweeper.run(ex, config.sweep_interval_s, int(config.gateway_timeout_s * 1000)),
        name="signalling-sweeper")

    async def cleanup() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await heartbeats.unsubscribe()
        await checks.close_all()
        await store.stop()

    return cleanup


async def serve(config: SignallingConfig) -> None:
    await serve_service("signalling", config, _setup)
