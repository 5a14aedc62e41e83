"""Reference rates for benchmarks/evidence_throughput.py (pure CPU, no I/O)."""

from __future__ import annotations

import os
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.evidence.format import SEGMENT_SIZE
from services.evidence.stream import Encryptor


def aes_gcm_mib_s(total_mib: int = 256, segment_size: int = SEGMENT_SIZE) -> float:
    """Raw AES-256-GCM sealing rate in MiB/s over `segment_size` buffers (one core)."""
    aead = AESGCM(os.urandom(32))
    block = os.urandom(segment_size)
    count = max(1, total_mib * 1024 * 1024 // segment_size)
    nonce = bytearray(12)
    started = time.perf_counter()
    for i in range(count):
        nonce[4:8] = i.to_bytes(4, "big")
        aead.encrypt(bytes(nonce), block, None)
    return count * segment_size / (1024 * 1024) / (time.perf_counter() - started)


def format_encrypt_mib_s(total_mib: int = 256, chunk_size: int = 1 << 20) -> float:
    """The same through the streaming Encryptor (HKDF, framing, buffering included)."""
    encryptor = Encryptor(os.urandom(32), os.urandom(16))
    chunk = os.urandom(chunk_size)
    count = max(1, total_mib * 1024 * 1024 // chunk_size)
    started = time.perf_counter()
    for _ in range(count):
        encryptor.update(chunk)
    encryptor.finalize()
    return count * chunk_size / (1024 * 1024) / (time.perf_counter() - started)
