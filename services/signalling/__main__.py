"""Entry point: `python -m services.signalling`."""

from __future__ import annotations

from parley.config import load_config
from parley.runner import run_process
from services.signalling.config import SignallingConfig
from services.signalling.service import serve

if __name__ == "__main__":
    run_process("signalling", lambda: load_config(SignallingConfig), serve)
