"""Entry point: `python -m services.audit`."""

from __future__ import annotations

from parley.config import load_config
from parley.runner import run_process
from services.audit.service import AuditConfig, serve

if __name__ == "__main__":
    run_process("audit", lambda: load_config(AuditConfig), serve)
