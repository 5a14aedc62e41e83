"""Fixtures for evidence integration tests: a real `moto_server` process and both stores."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from minio import Minio

from services.evidence.store.base import ObjectStore
from services.evidence.store.local import LocalFolderStore
from services.evidence.store.s3 import MIN_PART_SIZE, S3Store
from tests.harness import Suite


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3-protocol server process on a free loopback port, for the whole session."""
    port = _free_port()
    exe = Path(sys.executable).parent / "moto_server"
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.05)
    yield f"127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def make_client(endpoint: str) -> Minio:
    return Minio(endpoint, access_key="testing", secret_key="testing", secure=False,
                 region="us-east-1")


def new_bucket(endpoint: str, *, object_lock: bool = False) -> str:
    name = f"ev-{secrets.token_hex(6)}"
    make_client(endpoint).make_bucket(name, object_lock=object_lock)
    return name


@pytest.fixture
def minio_client(moto_endpoint: str) -> Minio:
    return make_client(moto_endpoint)


@pytest.fixture
def bucket_factory(moto_endpoint: str) -> Callable[..., str]:
    """`bucket_factory(object_lock=False)` creates a fresh bucket on the moto server."""
    return lambda object_lock=False: new_bucket(moto_endpoint, object_lock=object_lock)


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    """The contract suite runs once per backend."""
    backend: ObjectStore
    if request.param == "local":
        backend = LocalFolderStore(tmp_path / "store")
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        backend = S3Store(make_client(endpoint), new_bucket(endpoint), part_size=MIN_PART_SIZE)
    yield backend
    await backend.close()


# --- the real suite, once per backend (e2e tests) --------------------------------------------

#: Fast sweeping and generous rate limits, so faults are cleaned up within a test's deadline and
#: the compartment matrix is not throttled; a long reconnection grace, so the observer admitted
#: over a WebSocket (evidence_world.py) stays admitted after that socket closes.
E2E_ENV = {
    "PARLEY_READY_SERVICES": "evidence,signalling",  # hearings are made through the API
    "PARLEY_RECONNECT_GRACE_S": "3600",
    "PARLEY_EVIDENCE_SWEEP_INTERVAL_S": "0.5",
    "PARLEY_EVIDENCE_SWEEP_MAX_AGE_S": "2",
    "PARLEY_EVIDENCE_UPLOAD_IDLE_S": "15",
    "PARLEY_EVIDENCE_MAX_DOCUMENT_BYTES": str(64 * 1024 * 1024),
    "PARLEY_RATE_ADDRESS_PER_S": "10000", "PARLEY_RATE_ADDRESS_BURST": "10000",
    "PARLEY_RATE_SESSION_PER_S": "10000", "PARLEY_RATE_SESSION_BURST": "10000",
}


@pytest.fixture(scope="module", params=["local", "s3"])
def evidence_suite(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Suite, dict[str, str]]]:
    """`parley up` with evidence on the local folder, or on S3 (a real moto_server process)."""
    data_dir: Path = tmp_path_factory.mktemp(f"suite-{request.param}") / "data"
    env = dict(E2E_ENV)
    where: dict[str, str] = {"backend": request.param}
    if request.param == "s3":
        endpoint = request.getfixturevalue("moto_endpoint")
        bucket = new_bucket(endpoint)
        env.update(PARLEY_EVIDENCE_BACKEND="s3", PARLEY_EVIDENCE_S3_ENDPOINT=endpoint,
                   PARLEY_EVIDENCE_S3_BUCKET=bucket, PARLEY_EVIDENCE_S3_ACCESS_KEY="testing",
                   PARLEY_EVIDENCE_S3_SECRET_KEY="testing", PARLEY_EVIDENCE_S3_PART_SIZE_MIB="5")
        where.update(s3_endpoint=endpoint, s3_bucket=bucket)
    else:
        where["store_dir"] = str(data_dir / "evidence" / "store")
    running = Suite(data_dir=data_dir, extra_env=env)
    running.start()
    yield running, where
    running.stop()
