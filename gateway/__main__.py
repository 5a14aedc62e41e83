"""Entry point: `python -m gateway`."""

from __future__ import annotations

from gateway.app import serve
from gateway.config import GatewayConfig
from parley.config import load_config
from parley.runner import run_process

if __name__ == "__main__":
    run_process("gateway", lambda: load_config(GatewayConfig), serve)
