"""Shared fixtures: a real nats-server per test session, one real suite shared by the modules."""

from __future__ import annotations

import importlib
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client

from parley.provision import provision
from tests.harness import NatsServer, Suite, free_port


def pytest_collection_finish(session: pytest.Session) -> None:
    """Imports, before any test runs, the only hypothesis modules the suite imported later.

    pytest rewrites the asserts of hypothesis (a plugin) as it imports it, with ast.parse. A
    finaliser's warning raised meanwhile (a leaked socket found by the garbage collector) is
    formatted by pytest's hook, and the traceback module parses too: on CPython 3.11.7 the nested
    parse corrupts the outer one's depth count (python/cpython#106905), which failed a hypothesis
    test with "AST constructor recursion depth mismatch". (Not at conftest import: hypothesis
    refuses to read its unicode tables while plugins load.)"""
    for module in ("hypothesis.internal.conjecture.optimiser", "hypothesis.strategies._internal.regex"):
        importlib.import_module(module)


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """One real nats-server (Parley's config, generated credentials) for the whole session."""
    server = NatsServer(data_dir=tmp_path_factory.mktemp("nats-data"), port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def supervisor_nc(nats_server: NatsServer) -> AsyncIterator[Client]:
    """A provisioned server, connected as the supervisor user."""
    nc = await nats_server.connect("supervisor")
    await provision(nc.jetstream())
    yield nc
    await nc.drain()


def started_suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    """`parley up` as a subprocess, on the defaults; stopped with SIGINT at the end."""
    data_dir: Path = tmp_path_factory.mktemp("suite") / "data"
    running = Suite(data_dir=data_dir)
    running.start()
    yield running
    running.stop()


#: One suite for every module of the test run that needs nothing of its own: a suite's start
#: and stop cost about 7 s of CPU (five Python processes importing and provisioning), and
#: seventy modules each started one. The modules' tests make hearings and people of their own,
#: so they do not meet. A module that changes the suite (kills or restarts its processes, needs
#: a setting of its own, counts what the whole suite holds) is marked `own_suite`, or defines
#: a `suite` fixture of its own.
shared_suite = pytest.fixture(scope="session")(started_suite)


@pytest.fixture(scope="module")
def suite(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    """The run's shared suite, or (module marked `own_suite`) one for this module alone."""
    if request.node.get_closest_marker("own_suite") is None:
        yield request.getfixturevalue("shared_suite")
        return
    yield from started_suite(tmp_path_factory)


#: A zone that counts leap seconds: the C library's `gmtime` reads the kernel's clock 27 s off.
LEAP_ZONE = "right/Asia/Hong_Kong"


@pytest.fixture
def leap_second_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is one counting leap seconds (as some hosts are set up)."""
    if not Path("/usr/share/zoneinfo", LEAP_ZONE).is_file():
        pytest.skip(f"the host has no {LEAP_ZONE} zone")
    monkeypatch.setenv("TZ", LEAP_ZONE)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the web client's page tests `e2e`: `make test` runs them in a process of their own
    (scripts/run-tests.sh) with the services' few browser tests, beside everything else."""
    for item in items:
        if item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.e2e)
