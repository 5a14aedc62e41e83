"""Running one Parley process: logging, telemetry, signals, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

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
    setup_telemetry(name, config.otel_endpoint, config.trace_file)
    try:
        asyncio.run(serve(config))
    except KeyboardInterrupt:
        pass
    finally:
        shutdown_telemetry()
    log.info("stopped")
