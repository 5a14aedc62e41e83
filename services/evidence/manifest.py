"""Sealed manifests, version 1 (pure: no I/O). Specification: FORMAT.md §7.

    sealed       = header || AES-256-GCM(manifest_key, nonce, plaintext, aad)   (ciphertext + tag)
    header       = magic "PRLYMF" | version u8 (1) | suite u8 (1) | hearing_key_id[16] | nonce[12]
                                                                                 (36 bytes)
    manifest_key = HKDF-SHA256(ikm=hearing_key, salt="", info="parley/manifest-key/v1", L=32)
    aad          = header || "parley/manifest/v1" 0x00 hearing 0x00 document 0x00 version
    plaintext    = proto.evidence.Manifest as JSON

Why each piece is there:
- the whole manifest is sealed, not just MACed: file names, compartments and uploaders are not in
  clear at rest, and every field that drives a decision or is shown to a person (compartment,
  name, size, digests, uploader, the content object's version id) is authenticated;
- the key is derived from the hearing key with its own label, so it is used for nothing else, a
  store writer (who has no hearing key) can neither forge nor edit a manifest, and shredding the
  hearing key ends the validity of every manifest of the hearing at once;
- the place (hearing, document, version) is associated data, so a sealed manifest moved to
  another version, document or hearing does not open; the decoded manifest must also name the
  same place and hearing key;
- the header is associated data too, so its version, suite and hearing key id cannot be changed;
- the version byte lets the format evolve; a reader refuses versions it does not know, and
  refuses the unsealed JSON manifests of the first release (reason "legacy"): they cannot be
  told apart from ones a store writer edited, so they are never trusted.

A random 96-bit nonce per seal: a hearing holds at most a few thousand manifests (each upload
and each release seals one), far below the birthday bound of random GCM nonces.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from proto.evidence import Manifest
from services.evidence.errors import ManifestError

MAGIC = b"PRLYMF"
VERSION = 1
SUITE_AES256GCM_HKDF_SHA256 = 1
KEY_ID_LEN = 16
NONCE_LEN = 12
TAG_LEN = 16
_HEADER = struct.Struct(">6sBB16s12s")
HEADER_LEN = _HEADER.size  # 36
_KEY_INFO = b"parley/manifest-key/v1"
_AAD_LABEL = b"parley/manifest/v1"
#: A sealed manifest is small (names are bounded); anything larger is not one of ours.
MAX_SEALED_LEN = 16 * 1024

_encode = msgspec.json.Encoder().encode
_decoder = msgspec.json.Decoder(Manifest)


@dataclass(frozen=True)
class Place:
    """Where a manifest is stored: `docs/<hearing>/<document>/<version>.manifest`."""

    hearing: str
    document: str
    version: str

    @classmethod
    def of(cls, manifest: Manifest) -> Place:
        return cls(manifest.hearing, manifest.document, manifest.version)


def manifest_key(hearing_key: bytes) -> bytes:
    """The hearing's manifest key (HKDF, its own label: never the hearing key itself)."""
    if len(hearing_key) != 32:
        raise ValueError("hearing key must be 32 bytes")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=_KEY_INFO).derive(hearing_key)


def _aad(header: bytes, place: Place) -> bytes:
    return header + b"\x00".join((_AAD_LABEL, place.hearing.encode(), place.document.encode(),
                                  place.version.encode()))


def seal(key: bytes, manifest: Manifest, *, nonce: bytes | None = None) -> bytes:
    """Seal `manifest` under the manifest key `key` for its own place (tests may pin `nonce`)."""
    nonce = os.urandom(NONCE_LEN) if nonce is None else nonce
    if len(nonce) != NONCE_LEN:
        raise ValueError("nonce must be 12 bytes")
    header = _HEADER.pack(MAGIC, VERSION, SUITE_AES256GCM_HKDF_SHA256,
                          bytes.fromhex(manifest.hearing_key_id), nonce)
    return header + AESGCM(key).encrypt(nonce, _encode(manifest), _aad(header, Place.of(manifest)))


def hearing_key_id(raw: bytes) -> str:
    """The hearing key id a sealed manifest claims (unauthenticated until `open_manifest`)."""
    return _parse(raw)[3].hex()


def _parse(raw: bytes) -> tuple[bytes, int, int, bytes, bytes]:
    if raw[:1] == b"{":
        raise ManifestError("legacy", "an unsealed manifest of the first format")
    if len(raw) < HEADER_LEN + TAG_LEN or len(raw) > MAX_SEALED_LEN:
        raise ManifestError("format", "not a sealed manifest (length)")
    magic, version, suite, key_id, nonce = _HEADER.unpack_from(raw)
    if magic != MAGIC:
        raise ManifestError("format", "not a sealed manifest")
    if version != VERSION or suite != SUITE_AES256GCM_HKDF_SHA256:
        raise ManifestError("format", f"unsupported manifest version {version}, suite {suite}")
    return magic, version, suite, key_id, nonce


def open_manifest(key: bytes, raw: bytes, place: Place, expected_key_id: str) -> Manifest:
    """Authenticate and decode the manifest stored at `place`; raise ManifestError otherwise.

    `expected_key_id` is the id of the hearing key `key` was derived from: a manifest sealed
    under another key of the hearing (a shredded one) is refused before any cryptography.
    """
    _, _, _, key_id, nonce = _parse(raw)
    if key_id.hex() != expected_key_id:
        raise ManifestError("hearing_key", "sealed under another hearing key")
    header = raw[:HEADER_LEN]
    try:
        plaintext = AESGCM(key).decrypt(nonce, raw[HEADER_LEN:], _aad(header, place))
    except InvalidTag:
        raise ManifestError("authentication", "manifest failed authentication") from None
    try:
        manifest = _decoder.decode(plaintext)
    except msgspec.DecodeError:  # authentic but not a manifest this code reads: a format bug
        raise ManifestError("format", "authentic manifest of an unknown shape") from None
    if Place.of(manifest) != place or manifest.hearing_key_id != expected_key_id:
        raise ManifestError("place", "manifest names another place")
    return manifest
