"""Entry point: `python -m services.evidence`."""

from __future__ import annotations

from parley.config import load_config
from parley.runner import run_process
from services.evidence.config import EvidenceConfig
from services.evidence.service import serve

if __name__ == "__main__":
    run_process("evidence", lambda: load_config(EvidenceConfig), serve)
