"""Merkle tree roots and proof generation (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1) over stored nodes.

Nothing here holds leaves. The caller passes a `NodeSource`: a function returning the hash of the
*full, aligned* subtree at `(level, index)`, i.e. MTH(D[index * 2**level : (index + 1) * 2**level]),
level 0 being leaf hashes. The SQLite store serves those from its node table, a test serves them
from a list. Every range the RFC recursion visits is either such a full aligned subtree or a
"right-edge" block `[start, size)` whose start is aligned to a power of two larger than its
length; `subtree_hash` rebuilds the latter from its full subtrees (O(log n) lookups), so a proof
costs O(log n) lookups and at most O(log n) extra hashes.
"""

from __future__ import annotations

from collections.abc import Callable

from services.audit.errors import IndexOutOfRangeError
from services.audit.hasher import Hasher

#: (level, index) -> hash of the full subtree covering leaves [index << level, (index + 1) << level)
NodeSource = Callable[[int, int], bytes]


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n > 1): RFC 6962's k."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_hash(hasher: Hasher, nodes: NodeSource, begin: int, end: int) -> bytes:
    """MTH(D[begin:end]) for 0 <= begin < end, built from the largest aligned full subtrees."""
    if begin >= end:
        raise IndexOutOfRangeError(f"empty range [{begin}, {end})")
    width = end - begin
    if width & (width - 1) == 0 and begin % width == 0:
        level = width.bit_length() - 1
        return nodes(level, begin >> level)
    k = split_point(width)
    return hasher.hash_children(
        subtree_hash(hasher, nodes, begin, begin + k), subtree_hash(hasher, nodes, begin + k, end)
    )


def root(hasher: Hasher, nodes: NodeSource, size: int) -> bytes:
    """MTH of the first `size` leaves (the empty root for size 0)."""
    if size < 0:
        raise IndexOutOfRangeError(f"negative size {size}")
    if size == 0:
        return hasher.empty_root()
    return subtree_hash(hasher, nodes, 0, size)


def inclusion_proof(hasher: Hasher, nodes: NodeSource, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf's sibling first, root's child last."""
    if not 0 <= index < size:
        raise IndexOutOfRangeError(f"index {index} is not in a tree of size {size}")
    top_down: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = split_point(hi - lo)
        if index < lo + k:
            top_down.append(subtree_hash(hasher, nodes, lo + k, hi))
            hi = lo + k
        else:
            top_down.append(subtree_hash(hasher, nodes, lo, lo + k))
            lo = lo + k
    top_down.reverse()
    return top_down


def consistency_proof(hasher: Hasher, nodes: NodeSource, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1 (SUBPROOF with b = true).

    Empty when first == second or first == 0 (nothing to prove against the empty tree).
    """
    if not 0 <= first <= second:
        raise IndexOutOfRangeError(f"no consistency proof from size {first} to size {second}")
    if first in (0, second):
        return []
    top_down: list[bytes] = []
    lo, hi = 0, second
    whole_old_tree = True  # the RFC's b: is [lo, hi) still a prefix the verifier already knows?
    while first != hi:
        k = split_point(hi - lo)
        if first - lo <= k:
            top_down.append(subtree_hash(hasher, nodes, lo + k, hi))
            hi = lo + k
        else:
            top_down.append(subtree_hash(hasher, nodes, lo, lo + k))
            lo = lo + k
            whole_old_tree = False
    if not whole_old_tree:
        top_down.append(subtree_hash(hasher, nodes, lo, hi))
    top_down.reverse()
    return top_down


def full_subtrees(begin: int, end: int) -> list[tuple[int, int]]:
    """The maximal aligned full subtrees covering [begin, end), left to right, as (level, index).

    For begin == 0 this is the "frontier" of a tree of size `end` (one subtree per set bit).
    """
    if not 0 <= begin <= end:
        raise IndexOutOfRangeError(f"bad range [{begin}, {end})")
    out: list[tuple[int, int]] = []
    pos = begin
    while pos < end:
        level = (pos & -pos).bit_length() - 1 if pos else (end - pos).bit_length() - 1
        while (1 << level) > end - pos:
            level -= 1
        out.append((level, pos >> level))
        pos += 1 << level
    return out
