"""How identity and access plug into the gateway app, kept out of gateway/app.py.

- `MIDDLEWARES`: per-address rate limit, then authentication + CSRF + the route's access rule.
- `install(app)`: open the stores and watched copies at start-up (and print the one-time
  bootstrap secret on a first run); close them at clean-up.
"""

from __future__ import annotations

from aiohttp import web

from gateway.identity.address_limit import address_rate_limit_middleware
from gateway.identity.authn import authn_middleware
from gateway.identity.state import announce_bootstrap, open_identity
from gateway.state import STATE

MIDDLEWARES = (address_rate_limit_middleware, authn_middleware)


async def _start(app: web.Application) -> None:
    state = app[STATE]
    state.identity = await open_identity(state.config, state.nc)
    config = state.config
    host = "localhost" if config.http_host in ("127.0.0.1", "0.0.0.0") else config.http_host  # noqa: S104
    scheme = "https" if config.tls else "http"
    await announce_bootstrap(state.identity, f"{scheme}://{host}:{config.http_port}")


async def _stop(app: web.Application) -> None:
    identity = app[STATE].identity
    if identity is not None:
        await identity.close()


def install(app: web.Application) -> None:
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
