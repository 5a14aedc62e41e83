"""The first-run banner names the `parley` command as the reader can type it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gateway.identity.state import parley_command


def _venv(root: Path, with_parley: bool) -> Path:
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text("")
    if with_parley:
        (bin_dir / "parley").write_text("")
    return bin_dir / "python"


def test_from_the_checkout_it_is_the_venv_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(_venv(tmp_path, True)))
    monkeypatch.chdir(tmp_path)
    assert parley_command() == ".venv/bin/parley"


def test_elsewhere_it_is_the_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(_venv(tmp_path / "app", True)))
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path / "other")
    assert parley_command() == str(tmp_path / "app" / ".venv" / "bin" / "parley")


def test_without_an_installed_command_it_is_the_bare_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(_venv(tmp_path, False)))
    monkeypatch.chdir(tmp_path)
    assert parley_command() == "parley"
