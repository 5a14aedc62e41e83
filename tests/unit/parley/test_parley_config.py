from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from gateway.config import GatewayConfig
from parley.config import CommonConfig, describe, env_field, load_config
from parley.errors import ConfigError


def test_defaults_without_environment() -> None:
    config = load_config(CommonConfig, {})
    assert config.data_dir == Path(".parley")
    assert config.effective_nats_url == "nats://127.0.0.1:4222"


def test_variables_are_cast_by_type() -> None:
    config = load_config(GatewayConfig, {
        "PARLEY_HTTP_PORT": "9000", "PARLEY_NATS_PORT": "4333", "PARLEY_DATA_DIR": "/tmp/x",
        "PARLEY_READY_SERVICES": "audit, evidence", "PARLEY_SERVICE_TIMEOUT_S": "2.5",
    })
    assert config.http_port == 9000
    assert config.effective_nats_url == "nats://127.0.0.1:4333"
    assert config.data_dir == Path("/tmp/x")
    assert config.ready_services == ("audit", "evidence")
    assert config.service_timeout_s == 2.5


@pytest.mark.parametrize(("env", "named"), [
    ({"PARLEY_HTTP_PORT": "eighty"}, "PARLEY_HTTP_PORT"),
    ({"PARLEY_NATS_PORT": "70000"}, "PARLEY_NATS_PORT"),
    ({"PARLEY_LOG_LEVEL": "chatty"}, "PARLEY_LOG_LEVEL"),
    ({"PARLEY_TLS_CERT": "/c.pem"}, "PARLEY_TLS_KEY"),
])
def test_bad_values_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(GatewayConfig, env)


def test_bool_parsing_is_strict() -> None:
    @dataclass(frozen=True)
    class Flags(CommonConfig):
        relay_only: bool = env_field(False, help="x")

    assert load_config(Flags, {"PARLEY_RELAY_ONLY": "yes"}).relay_only is True
    with pytest.raises(ConfigError, match="PARLEY_RELAY_ONLY"):
        load_config(Flags, {"PARLEY_RELAY_ONLY": "maybe"})


def test_config_is_frozen() -> None:
    config = load_config(CommonConfig, {})
    with pytest.raises(AttributeError):
        config.nats_port = 1  # type: ignore[misc]


def test_describe_lists_every_variable_for_the_readme() -> None:
    names = [row[0] for row in describe(GatewayConfig)]
    assert "PARLEY_HTTP_PORT" in names and "OTEL_EXPORTER_OTLP_ENDPOINT" in names
