"""The key hierarchy: master key → hearing key → data key (DESIGN §6).

- The **master key** never leaves its `KeyProvider` (a local key file today, an external KMS
  later); providers only wrap and unwrap.
- A **hearing key** (one per hearing, random) is wrapped by the master key into a
  `HearingKeyRecord`, stored beside the content (`keys/<hearing>`), never inside a content
  object: so rotation rewrites only these small records and shredding deletes one of them, even
  when content objects sit in a WORM (object-locked) bucket.
- A **data key** (one per document version, random) is wrapped by the hearing key and stored in
  that version's manifest. The wrap's associated data binds it to hearing, document, version and
  key id, so a wrapped key copied into another manifest does not unwrap.

All wrapping is AES-256-GCM with a random 96-bit nonce (`nonce || ciphertext+tag`); at the few
keys per hearing involved, random nonces are far from any collision bound.
"""

from __future__ import annotations

import os
from typing import Protocol

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.evidence.errors import HearingShreddedError, IntegrityError

KEY_LEN = 32
_NONCE_LEN = 12
HEARING_KEY_CONTEXT = b"parley/hearing-key/v1"
DATA_KEY_CONTEXT = b"parley/data-key/v1"


class WrappedKey(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A key sealed by a provider's master key `master_key_id`."""

    master_key_id: str
    blob: bytes


class KeyProvider(Protocol):
    """Holder of master keys. Implementations: `keyfile.LocalKeyFileProvider`; a KMS later.

    `context` is associated data the provider must bind into the wrap (and require on unwrap).
    """

    @property
    def current_key_id(self) -> str: ...

    async def wrap(self, key: bytes, context: bytes) -> WrappedKey: ...

    async def unwrap(self, wrapped: WrappedKey, context: bytes) -> bytes: ...

    async def begin_rotation(self) -> str:
        """Make a new master key current (old ones still unwrap); return its id."""
        ...

    async def retire_others(self) -> list[str]:
        """Forget every master key but the current one (all records were re-wrapped)."""
        ...


class HearingKeyRecord(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Stored at `keys/<hearing>`. A shredded hearing keeps a tombstone (no wrapped key) so no
    new key is ever minted for it and reads fail with a clear "shredded" error."""

    hearing: str
    key_id: str
    created_ms: int
    wrapped: WrappedKey | None = None
    shredded_ms: int | None = None
    format: int = 1


def new_key() -> bytes:
    return os.urandom(KEY_LEN)


def new_key_id() -> bytes:
    return os.urandom(16)


def aead_wrap(kek: bytes, key: bytes, context: bytes) -> bytes:
    nonce = os.urandom(_NONCE_LEN)
    return nonce + AESGCM(kek).encrypt(nonce, key, context)


def aead_unwrap(kek: bytes, blob: bytes, context: bytes) -> bytes:
    if len(blob) < _NONCE_LEN + 16:
        raise IntegrityError("wrapped key too short")
    try:
        return AESGCM(kek).decrypt(blob[:_NONCE_LEN], blob[_NONCE_LEN:], context)
    except InvalidTag:
        raise IntegrityError("wrapped key failed authentication") from None


def hearing_context(hearing: str, key_id: str) -> bytes:
    return b"\x00".join((HEARING_KEY_CONTEXT, hearing.encode(), key_id.encode()))


def data_key_context(hearing: str, document: str, version: str, key_id: bytes) -> bytes:
    return b"\x00".join((DATA_KEY_CONTEXT, hearing.encode(), document.encode(),
                         version.encode(), key_id))


def wrap_data_key(hearing_key: bytes, data_key: bytes, *, hearing: str, document: str,
                  version: str, key_id: bytes) -> bytes:
    return aead_wrap(hearing_key, data_key, data_key_context(hearing, document, version, key_id))


def unwrap_data_key(hearing_key: bytes, blob: bytes, *, hearing: str, document: str,
                    version: str, key_id: bytes) -> bytes:
    return aead_unwrap(hearing_key, blob, data_key_context(hearing, document, version, key_id))


async def mint_hearing_key(provider: KeyProvider, hearing: str,
                           now_ms: int) -> tuple[HearingKeyRecord, bytes]:
    key, key_id = new_key(), new_key_id().hex()
    wrapped = await provider.wrap(key, hearing_context(hearing, key_id))
    return HearingKeyRecord(hearing=hearing, key_id=key_id, created_ms=now_ms, wrapped=wrapped), key


async def open_hearing_key(provider: KeyProvider, record: HearingKeyRecord) -> bytes:
    if record.wrapped is None:
        raise HearingShreddedError("the hearing's documents were destroyed")
    return await provider.unwrap(record.wrapped, hearing_context(record.hearing, record.key_id))


async def rewrap_hearing_key(provider: KeyProvider, record: HearingKeyRecord) -> HearingKeyRecord:
    """The same hearing key, wrapped under the provider's current master key."""
    key = await open_hearing_key(provider, record)
    wrapped = await provider.wrap(key, hearing_context(record.hearing, record.key_id))
    return msgspec.structs.replace(record, wrapped=wrapped)


def shredded(record: HearingKeyRecord, now_ms: int) -> HearingKeyRecord:
    return msgspec.structs.replace(record, wrapped=None, shredded_ms=now_ms)


encode_record = msgspec.json.Encoder().encode
_record_decoder = msgspec.json.Decoder(HearingKeyRecord)


def decode_record(raw: bytes) -> HearingKeyRecord:
    try:
        return _record_decoder.decode(raw)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        raise IntegrityError("hearing key record is malformed") from exc
