"""The shell every service process shares: connect, register endpoints, serve until stopped."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import msgspec
from nats.aio.client import Client
from nats.js import JetStreamContext

from parley.auditpub import AuditPublisher
from parley.config import CommonConfig
from parley.micro import RequestContext, ServiceHost
from parley.natsconn import connect
from parley.runner import wait_for_stop_signal
from proto.health import Health

log = logging.getLogger("parley.service")

C = TypeVar("C", bound=CommonConfig)
Cleanup = Callable[[], Awaitable[None]]


#: A service's own view of its health: (healthy?, why not). Shown by the gateway's /readyz.
HealthCheck = Callable[[], tuple[bool, str]]


def _always_healthy() -> tuple[bool, str]:
    return True, ""


@dataclass
class ServiceContext(Generic[C]):
    config: C
    nc: Client
    js: JetStreamContext
    host: ServiceHost
    audit: AuditPublisher
    health_check: HealthCheck = _always_healthy


class _Empty(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


async def serve_service(
    name: str,
    config: C,
    setup: Callable[[ServiceContext[C]], Awaitable[Cleanup | None]],
    *,
    version: str = "1.0.0",
) -> None:
    """Run service `name` until SIGTERM/SIGINT; `setup` registers its endpoints."""
    nc = await connect(config, f"parley-{name}")
    js = nc.jetstream()
    host = ServiceHost(nc, name, version=version, description=f"Parley {name} service")
    ctx = ServiceContext(config=config, nc=nc, js=js, host=host,
                         audit=AuditPublisher(js, name))

    async def health(_: RequestContext, __: _Empty) -> Health:
        healthy, detail = ctx.health_check()
        return Health(service=name, status="ok" if healthy else "unavailable", version=version,
                      detail=detail[:200])

    host.endpoint("health", _Empty, health)
    cleanup = await setup(ctx)
    await host.start()
    log.info("ready", extra={"nats": config.effective_nats_url})
    try:
        await wait_for_stop_signal()
    finally:
        log.info("stopping")
        await host.stop()
        if cleanup is not None:
            await cleanup()
        await nc.drain()
