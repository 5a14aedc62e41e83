"""The README's promises: the two commands, and a configuration table that matches the code."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from tests.harness import REPO


def _config_table_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("config_table", REPO / "scripts" / "config_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quick_start_is_exactly_make_up_and_make_test() -> None:
    readme = (REPO / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\s*(make \w+)\s*$", quick, flags=re.MULTILINE)
    assert commands == ["make up", "make test"]


def test_configuration_table_matches_the_code() -> None:
    module = _config_table_module()
    readme = (REPO / "README.md").read_text()
    assert module.render(readme) == readme, "run: python scripts/config_table.py --write"


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_readme_is_present_at_the_root() -> None:
    assert Path(REPO / "README.md").stat().st_size > 2000


def test_compose_sets_only_variables_the_code_reads() -> None:
    """A misspelt variable in docker-compose.yml would be silently ignored in production."""
    module = _config_table_module()
    known = {row.split("|")[1].strip(" `") for row in module.table().splitlines()[2:]}
    nats_server_side = {"PARLEY_NATS_HOST", "PARLEY_NATS_PORT", "PARLEY_NATS_STORE_DIR"}
    compose = (REPO / "docker-compose.yml").read_text()
    used = set(re.findall(r"^\s+(PARLEY_[A-Z0-9_]+|OTEL_[A-Z_]+):", compose, flags=re.MULTILINE))
    assert used, "no variables found"
    unknown = {v for v in used - known - nats_server_side if not v.startswith("PARLEY_NATS_PW_")}
    assert not unknown, f"docker-compose.yml sets variables no process reads: {sorted(unknown)}"
