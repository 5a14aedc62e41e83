"""Configuration: one frozen dataclass per process, loaded once from `PARLEY_*` variables.

Each field `foo_bar` of a config dataclass is read from `PARLEY_FOO_BAR` (unless its metadata
names another variable) and cast by its annotation. No other module reads `os.environ` for
configuration; processes receive their config object and pass it down.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from parley.errors import ConfigError

T = TypeVar("T")
PREFIX = "PARLEY_"


def env_field(default: Any, *, var: str | None = None, help: str = "") -> Any:
    """A config field with a default, an optional explicit variable name and a README line."""
    meta = {"var": var, "help": help}
    if isinstance(default, list | dict | set):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def variable_name(f: dataclasses.Field[Any]) -> str:
    var = f.metadata.get("var")
    return str(var) if var else PREFIX + f.name.upper()


def _cast(raw: str, annotation: Any, var: str) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if raw == "":
            return None
        return _cast(raw, args[0], var)
    if origin is tuple:
        (item_type, *_rest) = typing.get_args(annotation)
        return tuple(_cast(part.strip(), item_type, var) for part in raw.split(",") if part.strip())
    try:
        if annotation is bool:
            lowered = raw.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError("expected true or false")
        if annotation is int:
            return int(raw)
        if annotation is float:
            return float(raw)
        if annotation is Path:
            return Path(raw).expanduser()
        if annotation is str:
            return raw
    except ValueError as exc:
        raise ConfigError(f"{var}={raw!r} is not valid: {exc}") from None
    raise ConfigError(f"{var}: unsupported type {annotation!r}")


def load_config(cls: type[T], environ: Mapping[str, str] | None = None) -> T:
    """Build `cls` from the environment, raising `ConfigError` naming the bad variable."""
    env = os.environ if environ is None else environ
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        var = variable_name(f)
        if var in env:
            values[f.name] = _cast(env[var], hints[f.name], var)
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc)) from None


def describe(cls: type[Any]) -> list[tuple[str, str, str]]:
    """(variable, default, help) for every field: the README's configuration table."""
    rows = []
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else ""
        shown = ",".join(map(str, default)) if isinstance(default, tuple) else str(default)
        rows.append((variable_name(f), shown, str(f.metadata.get("help", ""))))
    return rows


@dataclass(frozen=True)
class CommonConfig:
    """What every Parley process shares: where data lives and how to reach NATS."""

    data_dir: Path = env_field(Path(".parley"), help="all state: NATS store, keys, evidence, audit log")
    nats_url: str = env_field(
        "", help="NATS URL, or several comma-separated (a cluster); empty = the embedded server")
    nats_port: int = env_field(4222, help="port of the embedded nats-server (127.0.0.1)")
    nats_credentials: Path | None = env_field(
        None, help="this process's NATS credentials file (set by the supervisor)"
    )
    nats_tls_ca: Path | None = env_field(
        None, help="CA certificate (PEM) the NATS servers' certificates are checked against: TLS to NATS")
    log_level: str = env_field("INFO", help="DEBUG, INFO, WARNING or ERROR")
    otel_endpoint: str = env_field(
        "", var="OTEL_EXPORTER_OTLP_ENDPOINT", help="OTLP/HTTP collector; empty = no export"
    )
    trace_file: Path | None = env_field(
        None, help="also write finished spans as JSON lines to this file (debugging, tests)"
    )

    def __post_init__(self) -> None:
        if not 1 <= self.nats_port <= 65535:
            raise ValueError(f"PARLEY_NATS_PORT={self.nats_port} is not a port")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError(f"PARLEY_LOG_LEVEL={self.log_level!r} is not a log level")

    @property
    def effective_nats_url(self) -> str:
        return self.nats_url or f"nats://127.0.0.1:{self.nats_port}"

    @property
    def nats_servers(self) -> list[str]:
        """Every NATS URL this process may connect to (a cluster's nodes, or the one server)."""
        return [url.strip() for url in self.effective_nats_url.split(",") if url.strip()]
