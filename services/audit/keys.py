"""Ed25519 note keys (C2SP signed-note, signature type 0x01): signer, verifier, vkey, key file.

Key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]. The verifier key is
published in the Go `note` vkey form `<name>+<hex key ID>+<base64(0x01 || public key)>`; the
signing key is kept in the matching private form `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ||
seed)>`, so independent tools (Go's sumdb `note` package) read both.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.secretfile import create_private_file
from services.audit.errors import KeyFileError, NoteFormatError

ALG_ED25519: Final = 0x01
#: Key names: non-empty, no Unicode spaces, no '+' (signed-note §Format); we also bound length.
_NAME_MAX: Final = 256


def check_key_name(name: str) -> None:
    if not name or len(name) > _NAME_MAX or "+" in name or any(c.isspace() for c in name):
        raise NoteFormatError(f"invalid key name {name!r}")
    if any(ord(c) < 0x20 or c == "\u2014" for c in name):
        raise NoteFormatError(f"invalid key name {name!r}")


def key_id(name: str, public_key: bytes) -> int:
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def b64decode_strict(text: str, what: str) -> bytes:
    """Standard base64 with padding, canonical only (re-encoding must give the same text)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteFormatError(f"{what}: not base64") from exc
    if base64.b64encode(raw).decode() != text:
        raise NoteFormatError(f"{what}: non-canonical base64")
    return raw


class NoteVerifier:
    """A trusted Ed25519 note key: name, key ID and public key."""

    __slots__ = ("_key", "key_id", "name", "public_key")

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name)
        if len(public_key) != 32:
            raise NoteFormatError("Ed25519 public key must be 32 bytes")
        self.name = name
        self.public_key = public_key
        self.key_id = key_id(name, public_key)
        self._key = Ed25519PublicKey.from_public_bytes(public_key)

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    @property
    def vkey(self) -> str:
        blob = base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{blob}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoteVerifier) and other.vkey == self.vkey

    def __hash__(self) -> int:
        return hash(self.vkey)


class NoteSigner:
    """An Ed25519 note signing key whose name is the log's origin."""

    __slots__ = ("_key", "name", "verifier")

    def __init__(self, name: str, seed: bytes) -> None:
        check_key_name(name)
        if len(seed) != 32:
            raise KeyFileError("Ed25519 seed must be 32 bytes")
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        public = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.name = name
        self.verifier = NoteVerifier(name, public)

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        return cls(name, os.urandom(32))

    @property
    def key_id(self) -> int:
        return self.verifier.key_id

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def skey(self) -> str:
        seed = self._key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        blob = base64.b64encode(bytes([ALG_ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{blob}"


_VKEY_RE: Final = re.compile(r"^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$")
_SKEY_RE: Final = re.compile(r"^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$")


def _decode_key(name: str, hex_id: str, blob: str, what: str) -> bytes:
    check_key_name(name)
    raw = b64decode_strict(blob, what)
    if len(raw) != 33 or raw[0] != ALG_ED25519:
        raise NoteFormatError(f"{what}: not an Ed25519 (type 0x01) key")
    return raw[1:]


def parse_vkey(text: str) -> NoteVerifier:
    """Parse `<name>+<hex id>+<base64(0x01||key)>`; the key ID must match the key."""
    match = _VKEY_RE.fullmatch(text.strip())
    if match is None:
        raise NoteFormatError("vkey is not <name>+<hex key id>+<base64 key>")
    name, hex_id, blob = match.groups()
    verifier = NoteVerifier(name, _decode_key(name, hex_id, blob, "vkey"))
    if int(hex_id, 16) != verifier.key_id:
        raise NoteFormatError(f"vkey key ID {hex_id} does not match its key")
    return verifier


def parse_skey(text: str) -> NoteSigner:
    match = _SKEY_RE.fullmatch(text.strip())
    if match is None:
        raise KeyFileError("signing key file is not in PRIVATE+KEY+<name>+<id>+<key> form")
    name, hex_id, blob = match.groups()
    try:
        signer = NoteSigner(name, _decode_key(name, hex_id, blob, "signing key"))
    except NoteFormatError as exc:
        raise KeyFileError(str(exc)) from exc
    if int(hex_id, 16) != signer.key_id:
        raise KeyFileError("signing key file: key ID does not match the key")
    return signer


def derive_origin(public_url: str, fallback_host: str) -> str:
    """A unique log identity for a first start: the public URL's host and a random suffix.

    Every institution gets its own origin (a checkpoint names its log, so two logs sharing a
    placeholder name could be confused by a verifier that trusts both).
    """
    host = urlsplit(public_url).netloc if "//" in public_url else public_url.strip("/")
    host = re.sub(r"[^A-Za-z0-9.:\-\[\]]", "-", host or fallback_host)[:200] or "parley"
    return f"{host}/audit/{secrets.token_hex(4)}"


def load_or_create_signer(path: Path, origin: str, *, derive: Callable[[], str] | None = None) -> NoteSigner:
    """The log's signing key: read from `path`, or created there (mode 0600) on first run.

    `origin` empty: the key file's name is the origin; on first run `derive()` makes one, and
    the key file keeps it from then on. Refuses a key file readable by group or others, and one
    whose key name is not a given `origin` (changing the origin means a new log identity, which
    must be a deliberate operator act).
    """
    if not path.exists():
        if not origin:
            if derive is None:
                raise KeyFileError("no origin given and none to derive")
            origin = derive()
        # Linked into place only once fully written: a crash never leaves half a key, and of
        # two first runs racing, one key wins and both read it.
        create_private_file(path, (NoteSigner.generate(origin).skey() + "\n").encode())
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(f"{path} is readable by others (mode {mode:o}); chmod 600")
    signer = parse_skey(path.read_text(encoding="utf-8"))
    if origin and signer.name != origin:
        raise KeyFileError(f"{path} holds the key for origin {signer.name!r}, not {origin!r}")
    return signer
