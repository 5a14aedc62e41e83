"""Generate the evidence format known-answer vectors: tests/vectors/evidence/format_v1.json.

    .venv/bin/python tests/vectors/gen_evidence_vectors.py

Sealing is deterministic given (data key, key id, salt), so the good vectors are reproducible
byte for byte; the bad ones are derived from them by a named corruption and must fail with the
named error. tests/unit/evidence/test_evidence_vectors.py checks both directions.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.evidence.format import HEADER_LEN, TAG_LEN, SegmentCipher
from services.evidence.stream import Encryptor

OUT = Path(__file__).parent / "evidence" / "format_v1.json"
KEY = bytes(range(32))
OTHER_KEY = bytes(range(32, 64))
KEY_ID = bytes.fromhex("00112233445566778899aabbccddeeff")
SALT = bytes(range(100, 132))
SMALL_SEG = 64


def pattern(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def seal(pt: bytes, seg: int) -> bytes:
    enc = Encryptor(KEY, KEY_ID, segment_size=seg, salt=SALT)
    return enc.update(pt) + enc.finalize()


def split(ct: bytes, seg: int) -> tuple[bytes, list[bytes]]:
    body, full = ct[HEADER_LEN:], seg + TAG_LEN
    return ct[:HEADER_LEN], [body[i:i + full] for i in range(0, len(body), full)]


def good() -> list[dict[str, object]]:
    cases = [("empty", 0, SMALL_SEG), ("one-byte", 1, SMALL_SEG),
             ("one-full-segment", SMALL_SEG, SMALL_SEG),
             ("segment-plus-one", SMALL_SEG + 1, SMALL_SEG),
             ("three-full-segments", 3 * SMALL_SEG, SMALL_SEG),
             ("default-64k-two-segments", 65536 + 100, 65536)]
    vectors = []
    for name, size, seg in cases:
        ct = seal(pattern(size), seg)
        vector: dict[str, object] = {"name": name, "plaintext_pattern_len": size,
                                     "segment_size": seg, "ciphertext_len": len(ct),
                                     "ciphertext_sha256": hashlib.sha256(ct).hexdigest()}
        if len(ct) <= 4096:
            vector["ciphertext_hex"] = ct.hex()
        vectors.append(vector)
    return vectors


def bad() -> list[dict[str, object]]:
    seg = SMALL_SEG
    ct = seal(pattern(3 * seg - 5), seg)
    header, segs = split(ct, seg)
    cipher = SegmentCipher(KEY, SegmentCipher.create(KEY, KEY_ID, segment_size=seg,
                                                     salt=SALT).header)
    full = pattern(2 * seg)
    no_final = header + cipher.seal(0, full[:seg], False) + cipher.seal(1, full[seg:], False)
    empty_final = (header + cipher.seal(0, full[:seg], False) + cipher.seal(1, full[seg:], False)
                   + cipher.seal(2, b"", True))
    other = bytearray(ct)
    other[HEADER_LEN + 3] ^= 1
    flip_header = bytearray(ct)
    flip_header[20] ^= 1
    cases: list[tuple[str, bytes, bytes, str]] = [
        ("flipped-salt-byte", bytes(flip_header), KEY, "KeyCommitmentError"),
        ("flipped-ciphertext-byte", bytes(other), KEY, "IntegrityError"),
        ("flipped-last-tag-byte", ct[:-1] + bytes([ct[-1] ^ 1]), KEY, "IntegrityError"),
        ("truncated-at-segment-boundary", header + segs[0] + segs[1], KEY, "IntegrityError"),
        ("truncated-mid-segment", ct[:-7], KEY, "IntegrityError"),
        ("header-only", header, KEY, "IntegrityError"),
        ("truncated-header", header[:50], KEY, "FormatError"),
        ("extended-with-copy-of-final", ct + segs[-1], KEY, "IntegrityError"),
        ("segments-swapped", header + segs[1] + segs[0] + segs[2], KEY, "IntegrityError"),
        ("wrong-key", ct, OTHER_KEY, "KeyCommitmentError"),
        ("no-final-segment", no_final, KEY, "IntegrityError"),
        ("empty-final-segment-after-data", empty_final, KEY, "IntegrityError"),
    ]
    return [{"name": name, "segment_size": seg, "ciphertext_hex": data.hex(),
             "key_hex": key.hex(), "error": error} for name, data, key, error in cases]


def main() -> None:
    doc = {"format": "parley-evidence/v1", "key_hex": KEY.hex(), "key_id_hex": KEY_ID.hex(),
           "salt_hex": SALT.hex(),
           "plaintext": "pattern: byte i is i mod 251, for plaintext_pattern_len bytes",
           "good": good(), "bad": bad()}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
