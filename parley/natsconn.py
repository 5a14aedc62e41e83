"""Connecting a process to NATS: its own user, its own inbox prefix, reconnecting for ever."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client

from parley.config import CommonConfig
from parley.credentials import NatsCredentials, load_credentials
from parley.errors import ConfigError
from parley.futures import retrieved

log = logging.getLogger("parley.nats")
T = TypeVar("T")

#: NATS away, or a stream electing a leader after a node restarted: the same request may well
#: succeed in a moment, so the caller is told "unavailable" (retry), not "internal error".
NATS_UNAVAILABLE: tuple[type[Exception], ...] = (
    nats.js.errors.NoStreamResponseError, nats.js.errors.ServiceUnavailableError,
    nats.errors.NoRespondersError, nats.errors.TimeoutError, nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError, nats.errors.FlushTimeoutError,
    nats.errors.OutboundBufferLimitError)
#: `patiently`'s back-off between two tries: doubling from the first to the last.
RETRY_FIRST_S, RETRY_LAST_S = 0.1, 2.0


def credentials_for(config: CommonConfig) -> NatsCredentials:
    if config.nats_credentials is None:
        raise ConfigError("PARLEY_NATS_CREDENTIALS is not set: every process connects with a user")
    try:
        return load_credentials(config.nats_credentials)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"PARLEY_NATS_CREDENTIALS: cannot read credentials: {exc}") from None


def client_tls(config: CommonConfig) -> ssl.SSLContext:
    """Verify the NATS server against the suite's CA before any password is sent."""
    try:
        context = ssl.create_default_context(cafile=str(config.nats_tls_ca))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"PARLEY_NATS_TLS_CA: cannot load the CA certificate: {exc}") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


async def connect(
    config: CommonConfig, name: str, creds: NatsCredentials | None = None, **options: Any
) -> Client:
    """Connect with reconnect-forever semantics (a restarted nats-server is found again).

    What is expected is logged at info, what an operator should look at as a warning: a server
    not reachable before the first connection (the supervisor starts the services beside
    nats-server, which takes a moment) and the disconnection of our own close are expected; an
    error or a dropped connection after the first connection is not."""
    creds = creds or credentials_for(config)
    client = Client()
    starting = True

    async def on_error(exc: Exception) -> None:
        if starting and isinstance(exc, (OSError, asyncio.TimeoutError)):
            log.info("nats not reachable yet: %s", exc.__class__.__name__)
        else:
            log.warning("nats error: %s", exc.__class__.__name__)

    async def on_disconnect() -> None:
        if client.is_closed:
            log.info("nats connection closed")
        else:
            log.warning("nats disconnected")

    async def on_reconnect() -> None:
        log.info("nats reconnected")

    settings: dict[str, Any] = {
        "servers": config.nats_servers,
        "name": name,
        "user": creds.user,
        "password": creds.password,
        "inbox_prefix": creds.inbox_prefix,
        "max_reconnect_attempts": -1,
        "reconnect_time_wait": 0.25,
        "connect_timeout": 2,
        "allow_reconnect": True,
        "error_cb": on_error,
        "disconnected_cb": on_disconnect,
        "reconnected_cb": on_reconnect,
    }
    if config.nats_tls_ca is not None:
        settings["tls"] = client_tls(config)
    settings.update(options)
    await client.connect(**settings)
    starting = False
    return client


#: How long a flush is left to nats-py once its caller gave up (`_pong`): far past the point
#: where nats-py's own ping timer finds a silent server stale and reconnects, which drops every
#: PONG it was still waiting for.
PONG_PATIENCE_S = 3600
_abandoned: set[asyncio.Future[None]] = set()


def _forget(flushing: asyncio.Future[None]) -> None:
    _abandoned.discard(flushing)
    retrieved(flushing)  # an abandoned flush's failure is no one's to report


async def _pong(nc: Client, timeout: float) -> None:
    """A PING and its PONG, waited for at most `timeout` seconds; FlushTimeoutError past it.

    Not `nc.flush(timeout)`: in nats-py (2.16 and before) a flush that times out cancels its
    PONG future but leaves it queued, and when the server's PONG comes after all (a server that
    stalled, then recovered) `future.set_result` raises InvalidStateError in the middle of the
    connection's parser. Reproduced against a nats-server stopped (SIGSTOP) for longer than the
    timeout and resumed: from then on every request on that connection timed out while it still
    reported itself connected (a gateway's REST calls answered 503 for minutes, until restarted).
    So the flush is given a patience no server outlives without a reconnect, and only our wait
    is bounded: the late PONG resolves a future that is still pending."""
    flushing = asyncio.ensure_future(nc.flush(timeout=PONG_PATIENCE_S))
    try:
        await asyncio.wait_for(asyncio.shield(flushing), timeout)
    except TimeoutError:
        raise nats.errors.FlushTimeoutError from None
    finally:
        if not flushing.done():  # timed out or cancelled: left to finish on its own
            _abandoned.add(flushing)
            flushing.add_done_callback(_forget)


async def server_has_seen(nc: Client, timeout: int) -> None:
    """Return once the server has processed every command `nc` sent before the call.

    `Client.flush()` alone does not promise that in nats-py (2.16 and all 2.x before it): it writes
    its PING straight onto the socket, ahead of commands (SUB, PUB) still queued for the client's
    flusher task, so its PONG can come back before the server has read them. Traced with
    `nats-server -DV`: SUB queued, PING, PONG, another connection's PUB, then the SUB: the
    message was lost (4 tries in 100 on an idle machine). The first flush kicks the flusher; once
    its queue is written (`pending_data_size` is 0 again) a second PING follows those commands on
    the socket, and the server answers in order, so its PONG proves them processed. Each of the
    three waits is bounded by `timeout` seconds, and a timeout leaves the connection sound (`_pong`).

    "Written" means the flusher took the buffer that held them: nats-py hands its whole pending
    list to the transport and starts a new one. Waiting for the pending size to reach 0 instead
    never ended on a busy connection (a gateway seating 10,000 sockets: other coroutines queue
    more between two looks), so a socket's join failed after the timeout.
    """
    queued = nc._pending  # the list our commands are in, until the flusher takes it
    await _pong(nc, timeout)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while nc._pending is queued and nc.pending_data_size > 0:  # not written yet
        if loop.time() >= deadline:
            raise nats.errors.FlushTimeoutError
        await asyncio.sleep(0.001)
    await _pong(nc, timeout)


async def patiently(call: Callable[[], Awaitable[T]], *, what: str, patience_s: float) -> T:
    """`call()`, tried again while NATS answers "unavailable" (NATS_UNAVAILABLE: a node
    restarting, a JetStream stream or KV bucket electing its leader, which takes seconds) for up
    to `patience_s`; then that error is raised. For a process's own work (starting up, taking a
    role), not for a request someone waits on: that one answers "unavailable, retry"."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience_s
    pause = RETRY_FIRST_S
    while True:
        try:
            return await call()
        except NATS_UNAVAILABLE as exc:
            if loop.time() + pause >= deadline:
                raise
            log.warning("nats unavailable: retrying", extra={"what": what,
                                                             "error": type(exc).__name__})
        await asyncio.sleep(pause)
        pause = min(pause * 2, RETRY_LAST_S)
