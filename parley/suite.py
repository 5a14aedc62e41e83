"""`parley up`: the whole suite on its embedded defaults, under one supervisor."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nats.aio.client import Client

from parley.config import CommonConfig, env_field
from parley.credentials import credentials_file, ensure_credentials, server_environment
from parley.failures import note_failure
from parley.natsconn import connect
from parley.paths import NATS_CONFIG, nats_server_binary
from parley.provision import Provisioning, provision
from parley.supervisor import ChildSpec, Supervisor, data_path, ensure_port_free, python_module

log = logging.getLogger("parley.suite")

#: Start order; the gateway comes last so /readyz turns green only when the rest answer.
SERVICES = ("signalling", "evidence", "audit", "gateway")
_MODULES = {
    "signalling": "services.signalling",
    "evidence": "services.evidence",
    "audit": "services.audit",
    "gateway": "gateway",
}


@dataclass(frozen=True)
class SuiteConfig(CommonConfig):
    http_host: str = env_field("127.0.0.1", help="address the gateway listens on")
    http_port: int = env_field(8080, help="port of the gateway (web client, REST, WebSocket)")
    # The same variable as the gateway's absolute session lifetime: the sessions bucket's TTL
    # must never be shorter than a session may live.
    session_absolute_s: float = env_field(
        43200.0, help="absolute session lifetime in seconds (also the sessions bucket's TTL)"
    )


def nats_server_environment(data_dir: Path, port: int) -> dict[str, str]:
    """The variables infra/nats/parley.conf reads: loopback address, port, store, passwords."""
    store = data_dir / "nats" / "store"
    store.mkdir(parents=True, exist_ok=True)
    env = server_environment(ensure_credentials(data_dir))
    env.update(PARLEY_NATS_HOST="127.0.0.1", PARLEY_NATS_PORT=str(port),
               PARLEY_NATS_STORE_DIR=str(store))
    return env


def nats_server_argv() -> list[str]:
    return [str(nats_server_binary()), "-c", str(NATS_CONFIG)]


def nats_child(config: SuiteConfig, base_env: Mapping[str, str]) -> ChildSpec:
    env = dict(base_env)
    env.update(nats_server_environment(data_path(config.data_dir), config.nats_port))
    return ChildSpec("nats", nats_server_argv(), env, stop_timeout_s=15.0)


def service_child(config: SuiteConfig, name: str, base_env: Mapping[str, str]) -> ChildSpec:
    data_dir = data_path(config.data_dir)
    env = dict(base_env)
    env["PARLEY_DATA_DIR"] = str(data_dir)
    user = name if name != "gateway" else "gateway"
    env["PARLEY_NATS_CREDENTIALS"] = str(credentials_file(data_dir, user))
    env["PARLEY_NATS_URL"] = config.effective_nats_url
    env["PYTHONUNBUFFERED"] = "1"
    return ChildSpec(name, python_module(_MODULES[name]), env)


def _child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """What children inherit: the caller's environment minus another process's NATS identity."""
    env = {k: v for k, v in environ.items() if not k.startswith("PARLEY_NATS_PW_")}
    env.pop("PARLEY_NATS_CREDENTIALS", None)
    return env


async def wait_for_nats(config: SuiteConfig, deadline_s: float = 20.0) -> Client:
    creds = ensure_credentials(data_path(config.data_dir))["supervisor"]
    end = time.monotonic() + deadline_s
    while True:
        try:
            return await connect(config, "parley-supervisor", creds, max_reconnect_attempts=-1)
        except Exception as exc:  # not up yet (any connect failure): retry until the deadline
            if time.monotonic() > end:
                raise
            note_failure(log, "suite.wait_for_nats", exc, level=logging.DEBUG)
            await asyncio.sleep(0.1)


async def run_suite(
    config: SuiteConfig, stop: asyncio.Event, environ: Mapping[str, str] | None = None
) -> None:
    """Start everything, print the address, run until `stop` is set, then stop everything."""
    env = _child_environment(os.environ if environ is None else environ)
    data_dir = data_path(config.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not config.nats_url:
        ensure_port_free("127.0.0.1", config.nats_port, "PARLEY_NATS_PORT")
    ensure_port_free(config.http_host, config.http_port, "PARLEY_HTTP_PORT")

    run_dir = data_dir / "run"
    run_dir.mkdir(exist_ok=True)
    state_file = run_dir / "processes.json"
    supervisor: Supervisor

    def record(name: str, what: str) -> None:
        """Keep run/processes.json current: operators and tests find the children's pids there."""
        pids = {c.spec.name: c.process.pid for c in supervisor.children if c.process is not None}
        body = {"supervisor": os.getpid(), "children": pids,
                "http": f"http://{config.http_host}:{config.http_port}"}
        tmp = state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(body))
        tmp.replace(state_file)

    supervisor = Supervisor(on_event=record)
    try:
        if not config.nats_url:
            await supervisor.start(nats_child(config, env))
        nc = await wait_for_nats(config)
        try:
            touched = await provision(nc.jetstream(), Provisioning(session_ttl_s=config.session_absolute_s))
            log.info("provisioned", extra={"names": ",".join(touched)})
        finally:
            await nc.drain()
        for name in SERVICES:
            await supervisor.start(service_child(config, name, env))
        host = "localhost" if config.http_host in ("127.0.0.1", "0.0.0.0") else config.http_host  # noqa: S104
        print(f"Parley is starting at http://{host}:{config.http_port}/  (Ctrl-C stops it)",
              file=sys.stderr, flush=True)
        await stop.wait()
    finally:
        print("Parley is stopping…", file=sys.stderr, flush=True)
        await supervisor.stop()
        state_file.unlink(missing_ok=True)
