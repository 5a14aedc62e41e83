"""What a process's NATS connection logs: the expected at info, what needs a look as a warning.

A service started beside nats-server finds it not listening for a moment, and every clean stop
closes the connection: neither is a fault, so neither is a warning an operator learns to ignore.
A connection lost after it was made is one.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from parley.config import CommonConfig, load_config
from parley.natsconn import connect
from tests.harness import NatsServer, free_port


def _config(server: NatsServer, port: int) -> CommonConfig:
    return load_config(CommonConfig, server.service_env("gateway") | {
        "PARLEY_NATS_URL": f"nats://127.0.0.1:{port}"})


def _records(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "parley.nats"]


async def test_a_server_not_up_yet_and_a_clean_close_are_info(
        nats_server: NatsServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="parley.nats")
    nobody = free_port()  # nothing listens here: the connection is refused until the deadline
    with pytest.raises((OSError, asyncio.TimeoutError, Exception)):
        await asyncio.wait_for(connect(_config(nats_server, nobody), "early",
                                       max_reconnect_attempts=2), 10)
    early = _records(caplog)
    assert any(level == logging.INFO and "not reachable yet" in text for level, text in early), early
    assert not [text for level, text in early if level >= logging.WARNING], early

    caplog.clear()
    client = await connect(_config(nats_server, nats_server.port), "clean")
    await client.close()
    closing = _records(caplog)
    assert (logging.INFO, "nats connection closed") in closing, closing
    assert not [text for level, text in closing if level >= logging.WARNING], closing


async def test_a_connection_lost_after_it_was_made_is_a_warning(
        nats_server: NatsServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="parley.nats")
    # A server of its own, so stopping it leaves the session's server to the other tests.
    own = NatsServer(data_dir=nats_server.data_dir, port=free_port())
    own.start()
    client = await connect(_config(own, own.port), "dropped")
    try:
        own.stop()
        lost = (logging.WARNING, "nats disconnected")
        for _ in range(100):
            if lost in _records(caplog):
                break
            await asyncio.sleep(0.05)
        assert lost in _records(caplog), _records(caplog)
    finally:
        await client.close()
