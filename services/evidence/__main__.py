"""Entry point: `python -m services.evidence`."""

from __future__ import annotations

from parley.config import load_config
from parley.heap import keep_large_buffers
from parley.runner import run_process
from services.evidence.config import EvidenceConfig
from services.evidence.service import serve

if __name__ == "__main__":
    keep_large_buffers()  # every streamed megabyte would otherwise be fresh, faulted-in memory
    run_process("evidence", lambda: load_config(EvidenceConfig), serve)
