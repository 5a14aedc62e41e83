"""nats-server + one signalling process + one gateway process, on loopback, for the benchmark."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from pathlib import Path

import aiohttp
import psutil

from parley.provision import provision
from tests.harness import NatsServer, ServiceProcess, free_port, wait_until

#: Setup and load must not trip the per-address / per-session / per-socket limits on loopback.
LIMITS = {
    "PARLEY_RATE_ADDRESS_PER_S": "1000000", "PARLEY_RATE_ADDRESS_BURST": "1000000",
    "PARLEY_RATE_SESSION_PER_S": "1000000", "PARLEY_RATE_SESSION_BURST": "1000000",
    "PARLEY_READY_SERVICES": "signalling", "PARLEY_LOG_LEVEL": "WARNING",
    # Ten thousand sockets joining on a machine shared with other work: a connect may queue
    # behind thousands of others. Setup is not measured; a move that took this long would show
    # in the percentiles anyway.
    "PARLEY_SERVICE_TIMEOUT_S": "60",
}


class Stack:
    """The real processes; quacks like tests.harness.Suite for tests.people."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.nats = NatsServer(data_dir=root / "data", port=free_port())
        self.http_port = free_port()
        self.procs: dict[str, ServiceProcess] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    async def start(self) -> None:
        self.nats.data_dir.mkdir(parents=True)
        self.nats.start()
        nc = await self.nats.connect("supervisor")
        await provision(nc.jetstream())
        await nc.drain()
        for module, user, extra in (("services.signalling", "signalling", {}),
                                    ("gateway", "gateway", {"PARLEY_HTTP_PORT": str(self.http_port)})):
            env = self.nats.service_env(user, **LIMITS, **extra)
            proc = ServiceProcess(module, env, self.root / f"{user}.log")
            proc.start()
            self.procs[user] = proc
        await self.ready()

    async def ready(self, timeout: float = 180.0) -> None:
        async def check() -> bool:
            async with aiohttp.ClientSession() as http, http.get(f"{self.base_url}/readyz") as r:
                return r.status == 200

        await wait_until(check, timeout=timeout, interval=0.2, what="/readyz")

    def log(self) -> str:
        return self.procs["gateway"].log()

    def gc_pauses(self) -> str:
        """The gateway's and signalling's logged garbage-collection pauses so far
        (parley/gcwatch.py logs each over 50 ms of CPU, as JSON lines): count, by generation,
        and the longest."""
        out = []
        for name, proc in self.procs.items():
            pauses = []
            for line in proc.log().splitlines():
                if "garbage collection held" in line:
                    with contextlib.suppress(ValueError, KeyError):
                        record = json.loads(line)
                        pauses.append((int(record["generation"]), float(record["cpu_ms"])))
            gens = Counter(g for g, _ in pauses)
            longest = max((ms for _, ms in pauses), default=0.0)
            out.append(f"{name}: {len(pauses)} GC pauses over 50 ms "
                       f"(by generation {dict(sorted(gens.items()))}, longest {longest:.0f} ms CPU)")
        return "; ".join(out)

    def rss(self) -> int:
        return sum(self.rss_by_process().values())

    def rss_by_process(self) -> dict[str, int]:
        return {name: psutil.Process(p.process.pid).memory_info().rss
                for name, p in self.procs.items() if p.process is not None}

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.stop()
        self.nats.stop()
