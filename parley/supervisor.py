"""The process supervisor behind `parley up`: NATS first, then the services, restarted on crash.

Rules:
- nats-server starts first and stops last; the streams and buckets are provisioned before any
  service starts.
- A child that exits is logged and restarted with exponential backoff (0.5 s doubling to 10 s,
  reset after 30 s of healthy running). Exit code 2 means "configuration error": not restarted.
- Children die with the supervisor even if it is killed (Linux parent-death signal), so no
  orphan survives; on SIGINT/SIGTERM every child gets SIGTERM, then SIGKILL after a grace period:
  all services at once, then the nats-servers (tiers), so stopping a cluster takes one grace
  period, not one per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from parley.errors import PortInUseError

log = logging.getLogger("parley.supervisor")

CONFIG_ERROR_EXIT = 2
_PR_SET_PDEATHSIG = 1


def stop_with_parent(sig: signal.Signals) -> None:
    """Ask Linux to send `sig` to this process when its parent exits (no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, sig)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    stop_with_parent(signal.SIGTERM)
    os.setpgrp()  # own process group: a Ctrl-C in the terminal reaches only the supervisor


def ensure_port_free(host: str, port: int, variable: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            raise PortInUseError(port, variable) from None


@dataclass
class ChildSpec:
    name: str
    argv: list[str]
    env: Mapping[str, str]
    stop_timeout_s: float = 8.0
    #: Children stop tier by tier, highest first: the services (1) before what they need (0).
    tier: int = 1


@dataclass
class Child:
    spec: ChildSpec
    process: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff_s: float = 0.5
    gave_up: bool = False
    exited: asyncio.Event = field(default_factory=asyncio.Event)


class Supervisor:
    """Starts children in order and keeps them running until `stop()`."""

    def __init__(self, *, on_event: Callable[[str, str], None] | None = None) -> None:
        self._children: list[Child] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._on_event = on_event or (lambda name, what: None)

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def children(self) -> list[Child]:
        return list(self._children)

    def pid_of(self, name: str) -> int | None:
        for child in self._children:
            if child.spec.name == name and child.process is not None:
                return child.process.pid
        return None

    async def start(self, spec: ChildSpec) -> Child:
        child = Child(spec)
        self._children.append(child)
        await self._spawn(child)
        self._tasks.append(asyncio.create_task(self._watch(child), name=f"watch-{spec.name}"))
        return child

    async def _spawn(self, child: Child) -> None:
        child.exited.clear()
        child.process = await asyncio.create_subprocess_exec(
            *child.spec.argv, env=dict(child.spec.env), preexec_fn=_die_with_parent,
            stdin=asyncio.subprocess.DEVNULL,
        )
        child.started_at = time.monotonic()
        log.info("started", extra={"child": child.spec.name, "pid": child.process.pid})
        self._on_event(child.spec.name, "started")

    async def _watch(self, child: Child) -> None:
        while True:
            assert child.process is not None
            code = await child.process.wait()
            child.exited.set()
            if self._stopping:
                return
            log.warning("exited", extra={"child": child.spec.name, "exit_code": code})
            self._on_event(child.spec.name, f"exited {code}")
            if code == CONFIG_ERROR_EXIT:
                child.gave_up = True
                log.error("configuration error: not restarting", extra={"child": child.spec.name})
                return
            if time.monotonic() - child.started_at > 30:
                child.backoff_s = 0.5
            await asyncio.sleep(child.backoff_s)
            child.backoff_s = min(child.backoff_s * 2, 10.0)
            if self.stopping:
                return
            child.restarts += 1
            await self._spawn(child)

    async def stop(self) -> None:
        """Stop children by tier, highest first (so NATS, tier 0, stops last); a tier at once."""
        self._stopping = True
        for tier in sorted({c.spec.tier for c in self._children}, reverse=True):
            await asyncio.gather(*(self._stop_child(c) for c in self._children if c.spec.tier == tier))
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def stop_children(self, names: set[str]) -> None:
        for child in reversed(self._children):
            if child.spec.name in names:
                await self._stop_child(child)

    async def _stop_child(self, child: Child) -> None:
        process = child.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), child.spec.stop_timeout_s)
        except TimeoutError:
            log.warning("did not stop in time: killing", extra={"child": child.spec.name})
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


def python_module(module: str) -> list[str]:
    return [sys.executable, "-m", module]


def data_path(path: Path) -> Path:
    return path.expanduser().resolve()
