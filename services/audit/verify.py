"""Proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency).

These functions are what an auditor's trust rests on, so they are written from the RFC's
algorithms (not by regenerating a proof and comparing) and they check every structural condition
the RFC lists: index and sizes in range, hash sizes, and the exact proof length (a proof that has
hashes left over, or runs out early, is rejected even when some prefix would hash correctly).
They return None and raise `InvalidProofError` (malformed) or `RootMismatchError` (wrong hashes).
"""

from __future__ import annotations

from collections.abc import Sequence

from services.audit.errors import InvalidProofError, RootMismatchError
from services.audit.hasher import Hasher


def _check_sizes(hasher: Hasher, *hashes: bytes) -> None:
    for digest in hashes:
        if len(digest) != hasher.size:
            raise InvalidProofError(f"hash of {len(digest)} bytes, expected {hasher.size}")


def root_from_inclusion_proof(
    hasher: Hasher, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes:
    """The root that `proof` binds the leaf at `index` of a tree of `size` to (RFC 9162 2.1.3.2)."""
    if not 0 <= index < size:
        raise InvalidProofError(f"index {index} is not in a tree of size {size}")
    _check_sizes(hasher, leaf_hash, *proof)
    fn, sn = index, size - 1
    digest = leaf_hash
    for sibling in proof:
        if sn == 0:
            raise InvalidProofError(f"inclusion proof too long: {len(proof)} hashes")
        if fn & 1 or fn == sn:
            digest = hasher.hash_children(sibling, digest)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            digest = hasher.hash_children(digest, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProofError(f"inclusion proof too short: {len(proof)} hashes")
    return digest


def verify_inclusion(
    hasher: Hasher, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that the leaf hash is at `index` in the tree of `size` whose root is `root`."""
    _check_sizes(hasher, root)
    computed = root_from_inclusion_proof(hasher, index, size, leaf_hash, proof)
    if computed != root:
        raise RootMismatchError(f"inclusion of leaf {index} in tree of size {size}", root, computed)


def verify_consistency(
    hasher: Hasher,
    first: int,
    second: int,
    first_root: bytes,
    second_root: bytes,
    proof: Sequence[bytes],
) -> None:
    """Check that the tree of size `second` extends the tree of size `first` (RFC 9162 2.1.4.2).

    The degenerate cases are strict: equal sizes need an empty proof and equal roots; from the
    empty tree the proof must be empty and the old root must be the empty-tree root.
    """
    _check_sizes(hasher, first_root, second_root, *proof)
    if not 0 <= first <= second:
        raise InvalidProofError(f"sizes go backwards: {first} -> {second}")
    if first == second or first == 0:
        if proof:
            raise InvalidProofError(f"consistency {first} -> {second} needs an empty proof")
        if first == 0 and first_root != hasher.empty_root():
            raise RootMismatchError("old tree of size 0", hasher.empty_root(), first_root)
        if first == second and first_root != second_root:
            raise RootMismatchError(f"two trees of size {first}", first_root, second_root)
        return
    if not proof:
        raise InvalidProofError(f"consistency {first} -> {second} needs a non-empty proof")
    path = list(proof)
    if first & (first - 1) == 0:  # the old tree is a full subtree: its root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for node in path[1:]:
        if sn == 0:
            raise InvalidProofError(f"consistency proof too long: {len(proof)} hashes")
        if fn & 1 or fn == sn:
            fr = hasher.hash_children(node, fr)
            sr = hasher.hash_children(node, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hasher.hash_children(sr, node)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProofError(f"consistency proof too short: {len(proof)} hashes")
    if fr != first_root:
        raise RootMismatchError(f"old tree of size {first}", first_root, fr)
    if sr != second_root:
        raise RootMismatchError(f"new tree of size {second}", second_root, sr)
