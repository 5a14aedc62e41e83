"""RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashing, SHA-256.

Leaves and interior nodes are domain-separated (0x00 and 0x01 prefixes) so an interior node can
never be presented as a leaf (second-preimage defence). The hasher is a value passed into every
tree and proof function, never a global.
"""

from __future__ import annotations

import hashlib
from typing import Final, Protocol

LEAF_PREFIX: Final = b"\x00"
NODE_PREFIX: Final = b"\x01"


class Hasher(Protocol):
    """What the tree and proof code needs from a hash function."""

    @property
    def size(self) -> int: ...

    def empty_root(self) -> bytes: ...

    def hash_leaf(self, entry: bytes) -> bytes: ...

    def hash_children(self, left: bytes, right: bytes) -> bytes: ...


class Sha256Hasher:
    """The RFC 6962 SHA-256 hasher (the only one the audit log uses)."""

    __slots__ = ()

    @property
    def size(self) -> int:
        return 32

    def empty_root(self) -> bytes:
        return hashlib.sha256(b"").digest()

    def hash_leaf(self, entry: bytes) -> bytes:
        return hashlib.sha256(LEAF_PREFIX + entry).digest()

    def hash_children(self, left: bytes, right: bytes) -> bytes:
        return hashlib.sha256(NODE_PREFIX + left + right).digest()


RFC6962: Final = Sha256Hasher()
