"""Test harness: free ports, deadline polling, and the real suite as a subprocess.

Everything runs on 127.0.0.1 with free ports and temporary directories, so parallel runs never
collide. Nothing here sleeps hoping for the best: `wait_until` polls a condition with a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import nats
from nats.aio.client import Client

from parley.credentials import load_credentials
from parley.suite import nats_server_argv, nats_server_environment

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


#: Listening ports for the processes a test starts are picked below the kernel's ephemeral
#: range. A port the kernel hands out for `bind(0)` is one it may, a moment later, give an
#: outgoing connection (a NATS route, a client socket) as its local port: a cluster test's
#: second gateway then found "its" port taken and never started. Below the range, only
#: another listener can take it, and each pick is checked free by binding it.
_LISTEN_PORTS = range(20000, min(_ephemeral_range()[0], 32768))
#: The ports handed out lately by this process: a pick is checked free by binding it, but the
#: ports of one cluster are all picked before any is listened on, so a check cannot tell two
#: picks of the same port apart ("the cluster's client and route ports must all differ" failed
#: a CI run). Only the last RECENT are remembered: a port handed out long ago is free again.
_RECENT_PORTS: deque[int] = deque(maxlen=1000)


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on, outside the ephemeral range (random, checked)."""
    for _ in range(200):
        port = random.choice(_LISTEN_PORTS)  # spreading test ports, not a secret
        if port in _RECENT_PORTS:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _RECENT_PORTS.append(port)
        return port
    with socket.socket() as sock:  # a crowded range: let the kernel choose
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    _RECENT_PORTS.append(port)
    return port


def wait_until_sync(condition: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05,
                    what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


async def wait_until(condition: Callable[[], Awaitable[T | None]], timeout: float = 10.0,
                     interval: float = 0.05, what: str = "condition") -> T:
    """Poll `condition` until it returns something truthy (returned), or raise at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            result = await condition()
            if result:
                return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def freeze(pid: int, timeout: float = 5.0) -> None:
    """SIGSTOP `pid` and return once every one of its threads is stopped.

    `kill` only queues the signal: each thread stops on its next return to user space, so a
    busy machine can let the process answer one more request after `kill` returned (CI caught a
    frozen nats-server's PONG arriving). Reading each thread's state ('T') closes that window."""
    os.kill(pid, signal.SIGSTOP)

    def stopped() -> bool:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/stat") as fh:
                    if fh.read().rpartition(")")[2].split()[0] not in ("T", "t"):
                        return False
            except FileNotFoundError:  # a thread that ended
                continue
        return True

    wait_until_sync(stopped, timeout=timeout, interval=0.005, what=f"process {pid} stopped")


def terminate(process: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if the process outlives `timeout`."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class NatsServer:
    """A real nats-server with Parley's infra config and generated credentials."""

    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def credentials_path(self, user: str) -> Path:
        return self.data_dir / "nats" / "credentials" / f"{user}.json"

    def start(self) -> None:
        env = dict(os.environ, **nats_server_environment(self.data_dir, self.port))
        # The child keeps its own copy of the log's descriptor: ours is closed at once.
        with (self.data_dir / "nats-server.log").open("ab") as log:
            self.process = subprocess.Popen(nats_server_argv(), env=env, stdout=log, stderr=log)
        wait_until_sync(self._accepting, timeout=10, what="nats-server to listen")

    def _accepting(self) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        terminate(self.process)

    async def connect(self, user: str, **options: Any) -> Client:
        creds = load_credentials(self.credentials_path(user))
        return await nats.connect(self.url, user=creds.user, password=creds.password,
                                  inbox_prefix=creds.inbox_prefix, connect_timeout=2,
                                  max_reconnect_attempts=options.pop("max_reconnect_attempts", 0),
                                  **options)

    def service_env(self, user: str, **extra: str) -> dict[str, str]:
        """Environment for a service process connecting to this server as `user`."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
        env.update(PARLEY_DATA_DIR=str(self.data_dir), PARLEY_NATS_URL=self.url,
                   PARLEY_NATS_CREDENTIALS=str(self.credentials_path(user)),
                   PYTHONUNBUFFERED="1")
        env.update(extra)
        return env


@dataclass
class ServiceProcess:
    """One Parley process (`python -m <module>`) started directly, for focused integration tests."""

    module: str
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", self.module], env=self.env,
                                            stdout=log, stderr=log, cwd=REPO)

    def stop(self) -> None:
        terminate(self.process)

    def kill9(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


#: How long a suite (`parley up`) may take to answer /readyz 200, by default. A quiet two-core
#: machine takes about 4 s; a slow one beside the other half of the test run (suites, Chromium)
#: took over 60 s, so the wait is generous: a wait that returns at the first 200 costs nothing
#: when things are quick, and a suite that cannot start fails at once with its log.
SUITE_READY_S = 180.0


class SuiteNotReady(AssertionError):
    """A suite that did not become ready: its `parley up` exited, or /readyz stayed short of 200."""


@dataclass
class Suite:
    """`parley up` as a subprocess: the real supervisor, nats-server and the four services."""

    data_dir: Path
    http_port: int = field(default_factory=free_port)
    nats_port: int = field(default_factory=free_port)
    metrics_port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
        env.update(PARLEY_DATA_DIR=str(self.data_dir), PARLEY_HTTP_PORT=str(self.http_port),
                   PARLEY_NATS_PORT=str(self.nats_port),
                   PARLEY_METRICS_PORT=str(self.metrics_port), PYTHONUNBUFFERED="1")
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}-suite.log"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "parley.cli", "up"],
                                            env=self.env, stdout=log, stderr=log, cwd=REPO)

    def processes(self) -> dict[str, int]:
        state = self.data_dir / "run" / "processes.json"
        try:
            return dict(json.loads(state.read_text())["children"])
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def all_pids(self) -> list[int]:
        assert self.process is not None
        return [self.process.pid, *self.processes().values()]

    async def ready(self, timeout: float | None = None) -> dict[str, Any]:
        """/readyz's answer once it is 200 (within `timeout`, SUITE_READY_S by default).

        A `parley up` that exits, or a wait that runs out, raises with the end of its log."""
        async def check() -> dict[str, Any] | None:
            if self.process is not None and self.process.poll() is not None:
                raise SuiteNotReady(f"`parley up` exited ({self.process.returncode})\n"
                                    + self.log_tail())
            with contextlib.suppress(aiohttp.ClientError, OSError, asyncio.TimeoutError):
                async with aiohttp.ClientSession() as http, \
                        http.get(f"{self.base_url}/readyz") as r:
                    return dict(await r.json()) if r.status == 200 else None
            return None

        limit = SUITE_READY_S if timeout is None else timeout
        deadline = time.monotonic() + limit
        while (answer := await check()) is None:
            if time.monotonic() > deadline:
                raise SuiteNotReady(f"/readyz not 200 within {limit:.0f}s\n" + self.log_tail())
            await asyncio.sleep(0.1)
        return answer

    def stop(self, timeout: float = 15.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    async def connect(self, user: str) -> Client:
        creds = load_credentials(self.data_dir / "nats" / "credentials" / f"{user}.json")
        return await nats.connect(f"nats://127.0.0.1:{self.nats_port}", user=creds.user,
                                  password=creds.password, inbox_prefix=creds.inbox_prefix,
                                  connect_timeout=2)


@contextlib.contextmanager
def running_suite(data_dir: Path, **extra_env: str) -> Iterator[Suite]:
    suite = Suite(data_dir=data_dir, extra_env=dict(extra_env))
    suite.start()
    try:
        yield suite
    finally:
        suite.stop()
