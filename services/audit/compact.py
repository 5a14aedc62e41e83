"""Compact ranges: the O(log n) full-subtree hashes that summarise a run of consecutive leaves.

Used three ways: the store's in-memory right edge while appending (each completed parent node is
reported so it can be stored), rebuilding a root from a bundle's range of entries plus the hashes
left and right of it, and recomputing the tree from entries during an integrity check.
"""

from __future__ import annotations

from services.audit.errors import InvalidProofError
from services.audit.hasher import Hasher

#: (level, index, hash) of one full aligned subtree.
Node = tuple[int, int, bytes]


class CompactRange:
    """A stack of full aligned subtrees covering [begin, end), merged as siblings complete."""

    __slots__ = ("_hasher", "_stack", "begin", "end")

    def __init__(self, hasher: Hasher, begin: int = 0, nodes: list[Node] | None = None) -> None:
        self._hasher = hasher
        self.begin = begin
        self.end = begin
        self._stack: list[Node] = []
        for level, index, digest in nodes or []:
            self.push(level, index, digest)

    def push(self, level: int, index: int, digest: bytes) -> list[Node]:
        """Append the full subtree (level, index), which must start at `end`.

        Returns every parent node completed by this push (lowest first), so a store can persist
        them. Raises InvalidProofError if the subtree is not aligned at the current end.
        """
        if index << level != self.end:
            raise InvalidProofError(f"subtree ({level}, {index}) does not start at leaf {self.end}")
        created: list[Node] = []
        node: Node = (level, index, digest)
        stack = self._stack
        hash_children = self._hasher.hash_children
        while stack and stack[-1][0] == node[0] and node[1] & 1 and stack[-1][1] == node[1] - 1:
            left = stack.pop()
            node = (node[0] + 1, node[1] >> 1, hash_children(left[2], node[2]))
            created.append(node)
        stack.append(node)
        self.end += 1 << level
        return created

    def push_leaf(self, leaf_hash: bytes) -> list[Node]:
        return self.push(0, self.end, leaf_hash)

    def nodes(self) -> list[Node]:
        return list(self._stack)

    def root(self) -> bytes:
        """MTH of [begin, end): fold the stack right to left (only meaningful for begin == 0)."""
        if not self._stack:
            return self._hasher.empty_root()
        digest = self._stack[-1][2]
        for _, _, left in reversed(self._stack[:-1]):
            digest = self._hasher.hash_children(left, digest)
        return digest
