"""NATS credentials: one random password per process, generated into the data dir on first run."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from parley.secretfile import create_private_file, read_private_file

#: Every NATS user of the suite; infra/nats/parley.conf grants each its own subjects.
NATS_USERS = ("supervisor", "gateway", "signalling", "evidence", "audit")


@dataclass(frozen=True)
class NatsCredentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never print the password, even by accident
        return f"NatsCredentials(user={self.user!r}, password=<redacted>)"

    @property
    def inbox_prefix(self) -> str:
        """Per-process reply inbox prefix; the server lets each user subscribe only to its own."""
        return f"_INBOX_{self.user}"


def credentials_dir(data_dir: Path) -> Path:
    return data_dir / "nats" / "credentials"


def credentials_file(data_dir: Path, user: str) -> Path:
    return credentials_dir(data_dir) / f"{user}.json"


def ensure_credentials(data_dir: Path) -> dict[str, NatsCredentials]:
    """Load every user's credentials, generating the missing ones (idempotent)."""
    directory = credentials_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    result = {}
    for user in NATS_USERS:
        path = credentials_file(data_dir, user)
        if not path.exists():
            # A leading letter: nats-server parses a $VARIABLE that starts with a digit as a
            # number (e.g. "5E…" fails to parse and the server refuses to start).
            body = {"user": user, "password": "p" + secrets.token_urlsafe(32)}
            create_private_file(path, json.dumps(body).encode())
        result[user] = load_credentials(path)
    return result


def load_credentials(path: Path) -> NatsCredentials:
    body = json.loads(read_private_file(path))
    return NatsCredentials(user=str(body["user"]), password=str(body["password"]))


def server_environment(creds: dict[str, NatsCredentials]) -> dict[str, str]:
    """The variables infra/nats/parley.conf reads for the users' passwords."""
    return {f"PARLEY_NATS_PW_{user.upper()}": c.password for user, c in creds.items()}
