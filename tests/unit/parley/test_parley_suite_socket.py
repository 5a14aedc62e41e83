"""The single-host suite puts evidence's byte port on a Unix socket, unless told otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.paths import MAX_SOCKET_PATH
from parley.suite import evidence_socket_env


def test_a_short_data_dir_gets_a_socket_in_its_run_folder(tmp_path: Path) -> None:
    assert evidence_socket_env(tmp_path, "evidence", {}) == {
        "PARLEY_EVIDENCE_HTTP_SOCKET": str(tmp_path.resolve() / "run" / "evidence-http.sock")}


@pytest.mark.parametrize("var", ["PARLEY_EVIDENCE_HTTP_SOCKET", "PARLEY_EVIDENCE_HTTP_PORT",
                                 "PARLEY_EVIDENCE_HTTP_ADVERTISE",
                                 "PARLEY_EVIDENCE_HTTP_TLS_CERT"])
def test_an_operators_choice_of_port_or_socket_stands(tmp_path: Path, var: str) -> None:
    assert evidence_socket_env(tmp_path, "evidence", {var: ""}) == {}


def test_a_path_too_long_for_a_socket_keeps_tcp(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * MAX_SOCKET_PATH)
    assert evidence_socket_env(deep, "evidence", {}) == {}
