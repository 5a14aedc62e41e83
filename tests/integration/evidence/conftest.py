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
