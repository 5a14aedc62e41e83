"""`parley compose-init`: every secret docker-compose.yml needs, fresh, before the first `up`.

Writes beside docker-compose.yml (never overwriting what exists, so a second run changes nothing
and a rotated secret is the operator's explicit act: delete the file, run again):

    .env                         0600  NATS passwords, S3 keys, TURN secret, public host, uid/gid
    secrets/nats-<user>.json     0600  each process's NATS user and password (matching .env)
    secrets/s3.json              0600  SeaweedFS S3 identity (the evidence service's key pair)
    secrets/tls/                       a private CA, certificates for the NATS nodes, evidence's
                                       internal port and the gateway; keys 0600 (parley.tlsfiles)
    data/<service>/              0700  the services' state, owned by the operator's uid (the
                                       containers run as that uid, so they can read the 0600 files);
                                       data/audit-key/ is shared by the audit sequencer and its
                                       standby: the first to start creates the signing key there

There is no default password anywhere: compose refuses to start (`${VAR:?}`) without `.env`.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from parley.credentials import NATS_USERS
from parley.secretfile import create_private_file
from parley.tlsfiles import ensure_tls

#: Compose service names of the NATS nodes (certificate names and route URLs in the compose file).
NATS_NODES = ("nats-1", "nats-2", "nats-3")
DATA_DIRS = ("gateway", "evidence", "audit-1", "audit-2", "audit-key")


def _password() -> str:
    # A leading letter: nats-server reads a $VARIABLE starting with a digit as a number.
    return "p" + secrets.token_urlsafe(32)


def env_values(public_host: str, uid: int, gid: int) -> dict[str, str]:
    """Fresh secrets, and the names compose interpolates (no default password anywhere)."""
    values = {f"PARLEY_NATS_PW_{user.upper()}": _password() for user in NATS_USERS}
    values.update(
        PARLEY_S3_ACCESS_KEY="parley" + secrets.token_hex(8),
        PARLEY_S3_SECRET_KEY=secrets.token_urlsafe(32),
        PARLEY_TURN_SECRET=secrets.token_urlsafe(32),
        PARLEY_PUBLIC_HOST=public_host,
        PARLEY_AUDIT_ORIGIN=f"{public_host}/audit",
        PARLEY_UID=str(uid),
        PARLEY_GID=str(gid),
    )
    return values


def render_env(values: dict[str, str]) -> str:
    lines = ["# Written by `parley compose-init`. Secret: mode 0600, never commit it."]
    lines += [f"{k}={v}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def parse_env(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def s3_identities(access_key: str, secret_key: str) -> dict[str, object]:
    """SeaweedFS's S3 identity file: the one key pair evidence uses, nothing anonymous."""
    return {"identities": [{
        "name": "parley-evidence",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
    }]}


def compose_init(directory: Path, public_host: str = "localhost") -> list[str]:
    """Create what is missing under `directory`; returns one line per file, saying what it did."""
    directory = directory.resolve()
    report = []
    env_path = directory / ".env"
    if env_path.exists():
        values = parse_env(env_path.read_text())
        report.append(f"kept    {env_path}")
    else:
        values = env_values(public_host, os.getuid(), os.getgid())
        create_private_file(env_path, render_env(values).encode())
        report.append(f"created {env_path}")

    secrets_dir = directory / "secrets"
    secrets_dir.mkdir(mode=0o700, exist_ok=True)
    for user in NATS_USERS:
        body = {"user": user, "password": values[f"PARLEY_NATS_PW_{user.upper()}"]}
        path = secrets_dir / f"nats-{user}.json"
        made = create_private_file(path, json.dumps(body).encode())
        report.append(f"{'created' if made else 'kept   '} {path}")
    s3 = secrets_dir / "s3.json"
    made = create_private_file(s3, json.dumps(s3_identities(
        values["PARLEY_S3_ACCESS_KEY"], values["PARLEY_S3_SECRET_KEY"])).encode())
    report.append(f"{'created' if made else 'kept   '} {s3}")

    tls = ensure_tls(secrets_dir / "tls", {
        "nats": [*NATS_NODES, "localhost", "127.0.0.1"],
        "evidence": ["evidence", "localhost", "127.0.0.1"],
        "gateway": [values.get("PARLEY_PUBLIC_HOST", public_host), "gateway", "localhost", "127.0.0.1"],
    })
    report += [f"tls     {files.cert}" for files in tls.values()]
    for name in DATA_DIRS:
        (directory / "data" / name).mkdir(parents=True, mode=0o700, exist_ok=True)
    return report
