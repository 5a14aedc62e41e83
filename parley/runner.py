"""Running one Parley process: logging, telemetry, signals, graceful shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from parley import gcwatch
from parley.config import CommonConfig
from parley.errors import ConfigError
from parley.logs import setup_logging
from parley.telemetry import setup_telemetry, shutdown_telemetry

log = logging.getLogger("parley.runner")
C = TypeVar("C", bound=CommonConfig)


async def wait_for_stop_signal() -> None:
    """Return on SIGINT or SIGTERM (the supervisor's stop)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def raise_open_files_limit() -> int:
    """Raise this process's soft limit on open files to the hard one; returns the new limit.

    Every WebSocket is a descriptor, and distributions often start processes with a soft limit
    (1,024) far below the hard one: a gateway holding thousands of sockets would fail with "Too
    many open files" long before memory or CPU ran out. Raising the soft limit up to the hard one
    needs no privilege; the hard limit is the operator's to set (systemd `LimitNOFILE`, compose
    `ulimits`).
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard and hard != resource.RLIM_INFINITY:  # "unlimited" is refused for files
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def run_process(
    name: str,
    load: Callable[[], C],
    serve: Callable[[C], Coroutine[Any, Any, None]],
) -> None:
    """Entry point body of `python -m <service>`: configure, serve until stopped, exit cleanly.

    `serve` runs until it returns (normally after `wait_for_stop_signal`). A configuration error
    prints one line and exits 2; the supervisor does not restart a process that exits 2.
    """
    try:
        config = load()
    except ConfigError as exc:
        print(f"parley-{name}: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)
    setup_logging(name, config.log_level)
    log.debug("open files limit %d", raise_open_files_limit())
    setup_telemetry(name, config.otel_endpoint, config.trace_file)
    gcwatch.install()
    try:
        asyncio.run(serve(config))
    except KeyboardInterrupt:
        pass
    finally:
        shutdown_telemetry()
    log.info("stopped")
