"""Start, restart on the same data dir, SIGINT, port conflicts, and one trace across processes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.harness import REPO, Suite, free_port, pid_alive, wait_until, wait_until_sync


async def test_restart_reuses_data_dir_and_sigint_stops_everything(tmp_path: Path) -> None:
    trace_file = tmp_path / "spans.jsonl"
    data_dir = tmp_path / "data"
    first = Suite(data_dir=data_dir, extra_env={"PARLEY_TRACE_FILE": str(trace_file)})
    first.start()
    try:
        await first.ready()
        creds_before = (data_dir / "nats" / "credentials" / "gateway.json").read_text()
        assert (data_dir / "nats" / "credentials" / "gateway.json").stat().st_mode & 0o777 == 0o600

        # One request through the gateway that calls services over NATS: one trace id.
        trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
        headers = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
        async with aiohttp.ClientSession() as http, \
                http.get(first.base_url + "/readyz", headers=headers) as response:
            assert response.status == 200

        def spans() -> list[dict[str, str]]:
            if not trace_file.exists():
                return []
            return [json.loads(line) for line in trace_file.read_text().splitlines()]

        def traced() -> bool:
            services = {s["service"] for s in spans() if s["trace_id"] == trace_id}
            return {"parley-gateway", "parley-signalling", "parley-audit"} <= services

        wait_until_sync(traced, timeout=10, what="spans from gateway and services")
        server_span = next(s for s in spans()
                           if s["trace_id"] == trace_id and s["service"] == "parley-signalling")
        assert server_span["name"] == "signalling.health" and server_span["parent_id"]
    finally:
        pids = first.all_pids()
        first.stop()
    wait_until_sync(lambda: not any(pid_alive(p) for p in pids), timeout=10,
                    what="every process of the suite to exit after SIGINT")

    second = Suite(data_dir=data_dir, http_port=first.http_port, nats_port=first.nats_port)
    second.start()
    try:
        await second.ready()
        assert (data_dir / "nats" / "credentials" / "gateway.json").read_text() == creds_before
    finally:
        second.stop()


async def test_port_in_use_names_the_variable(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for variable, env in (("PARLEY_HTTP_PORT", {"PARLEY_HTTP_PORT": str(port),
                                                    "PARLEY_NATS_PORT": str(free_port())}),
                              ("PARLEY_NATS_PORT", {"PARLEY_NATS_PORT": str(port),
                                                    "PARLEY_HTTP_PORT": str(free_port())})):
            result = subprocess.run(
                [sys.executable, "-m", "parley.cli", "up"], cwd=REPO, capture_output=True,
                text=True, timeout=30, env={"PATH": "/usr/bin:/bin", "PARLEY_DATA_DIR": str(tmp_path / "d"), **env},
            )
            assert result.returncode == 1
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1, result.stderr
            assert variable in lines[0] and str(port) in lines[0]


async def test_bad_configuration_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parley.cli", "up"], cwd=REPO, capture_output=True, text=True,
        timeout=30, env={"PATH": "/usr/bin:/bin", "PARLEY_HTTP_PORT": "http"},
    )
    assert result.returncode == 2
    assert "PARLEY_HTTP_PORT" in result.stderr and "Traceback" not in result.stderr


async def test_readyz_is_503_when_a_service_is_missing(tmp_path: Path) -> None:
    suite = Suite(data_dir=tmp_path / "data", extra_env={"PARLEY_READY_SERVICES": "signalling,nosuch"})
    suite.start()
    try:
        async def not_ready() -> dict[str, object] | None:
            async with aiohttp.ClientSession() as http, http.get(suite.base_url + "/readyz") as r:
                body = await r.json()
                return body if r.status == 503 and any(
                    c["name"] == "signalling" and c["status"] == "ok" for c in body["components"]) else None

        body = await wait_until(not_ready, timeout=30, what="/readyz 503")
        states = {c["name"]: c["status"] for c in body["components"]}
        assert states["nosuch"] == "unavailable"
    finally:
        suite.stop()


async def test_suite_stops_when_its_parent_dies(tmp_path: Path) -> None:
    """`timeout make up` or a closed terminal kills only the parent: nothing may be left running."""
    import os
    import signal

    suite = Suite(data_dir=tmp_path / "data")
    launcher = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time; subprocess.Popen([sys.executable, '-m', 'parley.cli', 'up']); "
         "time.sleep(600)"],
        cwd=REPO, env=suite.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        await suite.ready()
        state = json.loads((suite.data_dir / "run" / "processes.json").read_text())
        pids = [state["supervisor"], *state["children"].values()]
        os.kill(launcher.pid, signal.SIGKILL)
        launcher.wait()
        wait_until_sync(lambda: not any(pid_alive(p) for p in pids), timeout=20,
                        what="the orphaned suite to stop")
    finally:
        launcher.kill()
        launcher.wait()
