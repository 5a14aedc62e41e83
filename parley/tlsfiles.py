"""A private certificate authority for the suite's internal TLS (NATS, evidence's byte port, gateway).

`parley compose-init` and `parley up --cluster` call `ensure_tls` once: it creates a CA and one
certificate per server role, each naming every host that role answers on (compose service names
and loopback). Keys are private files (0600, written fully before linked into place); certificates
are public. Certificates carry both serverAuth and clientAuth: NATS routes authenticate each other
with the same certificate they serve (mutual TLS between cluster nodes).

An operator who has their own PKI supplies the same file names instead; nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from parley.instants import instant, now_ms
from parley.secretfile import create_private_file

CA_DAYS = 3650
LEAF_DAYS = 825  # the longest lifetime browsers and most TLS stacks accept for a leaf


@dataclass(frozen=True)
class TlsFiles:
    """Where one role's certificate, key and the CA that signed it are."""

    ca: Path
    cert: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Parley"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _alt_names(hosts: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def new_ca(now: dt.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("Parley internal CA")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def new_leaf(ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, role: str,
             hosts: Sequence[str], now: dt.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A server (and client) certificate for `role`, valid for every name in `hosts`."""
    if not hosts:
        raise ValueError("a certificate needs at least one host name")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(role)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=LEAF_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(_alt_names(hosts)), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                  ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def files_for(directory: Path, role: str) -> TlsFiles:
    return TlsFiles(ca=directory / "ca.pem", cert=directory / f"{role}.pem",
                    key=directory / f"{role}-key.pem")


def ensure_tls(directory: Path, roles: Mapping[str, Sequence[str]]) -> dict[str, TlsFiles]:
    """Create the CA and each role's certificate unless present; returns every role's files.

    The CA's key is kept (0600) beside the certificates so a later run can issue a certificate for
    a role added since (e.g. a new gateway host); it never leaves the secrets directory.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = instant(now_ms())
    ca_path, ca_key_path = directory / "ca.pem", directory / "ca-key.pem"
    if ca_path.exists() and ca_key_path.exists():
        loaded = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{ca_key_path} is not an EC private key")
        ca_key, ca_cert = loaded, x509.load_pem_x509_certificate(ca_path.read_bytes())
    else:
        ca_key, ca_cert = new_ca(now)
        create_private_file(ca_key_path, _pem_key(ca_key))
        ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    result = {}
    for role, hosts in roles.items():
        files = files_for(directory, role)
        if not (files.cert.exists() and files.key.exists()):
            key, cert = new_leaf(ca_key, ca_cert, role, hosts, now)
            files.key.unlink(missing_ok=True)
            create_private_file(files.key, _pem_key(key))
            files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        result[role] = files
    return result
