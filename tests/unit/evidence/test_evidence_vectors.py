"""Known-answer vectors (tests/vectors/evidence/format_v1.json), good and corrupted."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from services.evidence import errors
from services.evidence.format import SegmentCipher
from services.evidence.stream import Decryptor, Encryptor

VECTORS = json.loads((Path(__file__).parents[2] / "vectors" / "evidence" / "format_v1.json")
                     .read_text())
KEY = bytes.fromhex(VECTORS["key_hex"])
KEY_ID = bytes.fromhex(VECTORS["key_id_hex"])
SALT = bytes.fromhex(VECTORS["salt_hex"])


def pattern(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


@pytest.mark.parametrize("vector", VECTORS["good"], ids=lambda v: v["name"])
def test_good_vector_seals_to_the_known_answer(vector: dict[str, Any]) -> None:
    enc = Encryptor(KEY, KEY_ID, segment_size=vector["segment_size"], salt=SALT)
    ct = enc.update(pattern(vector["plaintext_pattern_len"])) + enc.finalize()
    assert len(ct) == vector["ciphertext_len"]
    assert hashlib.sha256(ct).hexdigest() == vector["ciphertext_sha256"]
    if "ciphertext_hex" in vector:
        assert ct.hex() == vector["ciphertext_hex"]


@pytest.mark.parametrize("vector", VECTORS["good"], ids=lambda v: v["name"])
def test_good_vector_opens(vector: dict[str, Any]) -> None:
    enc = Encryptor(KEY, KEY_ID, segment_size=vector["segment_size"], salt=SALT)
    ct = enc.update(pattern(vector["plaintext_pattern_len"])) + enc.finalize()
    dec = Decryptor(KEY, expected_key_id=KEY_ID)
    assert dec.update(ct) + dec.finalize() == pattern(vector["plaintext_pattern_len"])


@pytest.mark.parametrize("vector", VECTORS["bad"], ids=lambda v: v["name"])
def test_bad_vector_fails_with_the_named_error(vector: dict[str, Any]) -> None:
    dec = Decryptor(bytes.fromhex(vector["key_hex"]))
    with pytest.raises(errors.IntegrityError) as caught:
        dec.update(bytes.fromhex(vector["ciphertext_hex"]))
        dec.finalize()
    assert type(caught.value).__name__ == vector["error"]


def test_vector_header_layout() -> None:
    ct = bytes.fromhex(VECTORS["good"][0]["ciphertext_hex"])
    cipher = SegmentCipher.open_header(KEY, ct[:92], KEY_ID)
    assert ct[:6] == b"PRLYEV" and ct[6] == 1 and ct[7] == 1
    assert int.from_bytes(ct[8:12], "big") == VECTORS["good"][0]["segment_size"]
    assert ct[12:44] == SALT and ct[44:60] == KEY_ID
    assert cipher.header.commitment == ct[60:92]
