"""Merkle hashing, proof generation and verification against an independent reference."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from services.audit import tree
from services.audit.compact import CompactRange
from services.audit.errors import IndexOutOfRangeError, InvalidProofError, RootMismatchError
from services.audit.hasher import RFC6962
from services.audit.verify import verify_consistency, verify_inclusion

VECTORS = json.loads(
    (Path(__file__).parents[2] / "vectors" / "audit" / "rfc6962.json").read_text()
)


# --- a deliberately naive reference: RFC 6962 §2.1 written as recursion over lists ------------

def ref_leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def ref_mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256().digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:])).digest()


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) <= 1:
        return []
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    if m < k:
        return [*ref_path(m, leaves[:k]), ref_mth(leaves[k:])]
    return [*ref_path(m - k, leaves[k:]), ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [ref_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(m, leaves[:k], whole), ref_mth(leaves[k:])]
    return [*ref_subproof(m - k, leaves[k:], False), ref_mth(leaves[:k])]


def ref_proof(m: int, leaves: list[bytes]) -> list[bytes]:
    return [] if m in (0, len(leaves)) else ref_subproof(m, leaves, True)


def node_source(leaves: list[bytes]) -> tree.NodeSource:
    def source(level: int, index: int) -> bytes:
        start = index << level
        end = start + (1 << level)
        assert end <= len(leaves), "asked for a node that is not a full subtree"
        return ref_mth(leaves[start:end])

    return source


LEAVES = [ref_leaf(i.to_bytes(2, "big") + b"parley") for i in range(200)]
ROOTS = [ref_mth(LEAVES[:n]) for n in range(len(LEAVES) + 1)]


def _cached(leaves: list[bytes]) -> tree.NodeSource:
    cache: dict[tuple[int, int], bytes] = {}
    base = node_source(leaves)

    def source(level: int, index: int) -> bytes:
        if (level, index) not in cache:
            cache[(level, index)] = base(level, index)
        return cache[(level, index)]

    return source


SOURCE = _cached(LEAVES)


def test_rfc6962_vector_roots() -> None:
    leaves = [RFC6962.hash_leaf(bytes.fromhex(h)) for h in VECTORS["leaves"]]
    source = node_source(leaves)
    for size, want in enumerate(VECTORS["roots"]):
        assert tree.root(RFC6962, source, size).hex() == want
        assert ref_mth(leaves[:size]).hex() == want


def test_rfc6962_vector_proofs() -> None:
    leaves = [RFC6962.hash_leaf(bytes.fromhex(h)) for h in VECTORS["leaves"]]
    roots = [bytes.fromhex(r) for r in VECTORS["roots"]]
    source = node_source(leaves)
    for v in VECTORS["inclusion"]:
        proof = tree.inclusion_proof(RFC6962, source, v["index"], v["size"])
        assert [p.hex() for p in proof] == v["proof"]
        verify_inclusion(RFC6962, v["index"], v["size"], leaves[v["index"]], proof, roots[v["size"]])
    for v in VECTORS["consistency"]:
        proof = tree.consistency_proof(RFC6962, source, v["first"], v["second"])
        assert [p.hex() for p in proof] == v["proof"]
        verify_consistency(RFC6962, v["first"], v["second"], roots[v["first"]],
                           roots[v["second"]], proof)


def test_hashing_domain_separation() -> None:
    assert RFC6962.hash_leaf(b"") == hashlib.sha256(b"\x00").digest()
    assert RFC6962.hash_children(b"a" * 32, b"b" * 32) == hashlib.sha256(
        b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert RFC6962.empty_root() == bytes.fromhex(VECTORS["roots"][0])


def test_every_inclusion_proof_up_to_200() -> None:
    for size in range(1, len(LEAVES) + 1):
        assert tree.root(RFC6962, SOURCE, size) == ROOTS[size]
        for index in range(size):
            proof = tree.inclusion_proof(RFC6962, SOURCE, index, size)
            assert proof == ref_path(index, LEAVES[:size])
            verify_inclusion(RFC6962, index, size, LEAVES[index], proof, ROOTS[size])


def test_every_consistency_proof_up_to_64() -> None:
    for second in range(0, 65):
        for first in range(0, second + 1):
            proof = tree.consistency_proof(RFC6962, SOURCE, first, second)
            assert proof == ref_proof(first, LEAVES[:second])
            verify_consistency(RFC6962, first, second, ROOTS[first], ROOTS[second], proof)


def _flip(h: bytes) -> bytes:
    return bytes([h[0] ^ 1]) + h[1:]


def test_corrupted_inclusion_proofs_fail() -> None:
    for size in range(2, 70):
        for index in range(size):
            proof = tree.inclusion_proof(RFC6962, SOURCE, index, size)
            leaf, root = LEAVES[index], ROOTS[size]
            for pos in range(len(proof)):
                bad = list(proof)
                bad[pos] = _flip(bad[pos])
                with pytest.raises(RootMismatchError):
                    verify_inclusion(RFC6962, index, size, leaf, bad, root)
            with pytest.raises(InvalidProofError):
                verify_inclusion(RFC6962, index, size, leaf, proof[:-1], root)
            with pytest.raises(InvalidProofError):
                verify_inclusion(RFC6962, index, size, leaf, [*proof, b"\0" * 32], root)
            with pytest.raises((RootMismatchError, InvalidProofError)):
                verify_inclusion(RFC6962, (index + 1) % size, size, leaf, proof, root)
            with pytest.raises(RootMismatchError):
                verify_inclusion(RFC6962, index, size, _flip(leaf), proof, root)
            with pytest.raises(RootMismatchError):
                verify_inclusion(RFC6962, index, size, leaf, proof, _flip(root))
            if len(proof) >= 2 and proof[0] != proof[1]:
                with pytest.raises(RootMismatchError):
                    verify_inclusion(RFC6962, index, size, leaf, [proof[1], proof[0], *proof[2:]],
                                     root)
    with pytest.raises(InvalidProofError):
        verify_inclusion(RFC6962, 5, 5, LEAVES[5], [], ROOTS[5])
    with pytest.raises(InvalidProofError):
        verify_inclusion(RFC6962, 0, 2, LEAVES[0], [b"\0" * 31], ROOTS[2])


def test_corrupted_consistency_proofs_fail() -> None:
    for second in range(2, 65):
        for first in range(1, second):
            proof = tree.consistency_proof(RFC6962, SOURCE, first, second)
            r1, r2 = ROOTS[first], ROOTS[second]
            for pos in range(len(proof)):
                bad = list(proof)
                bad[pos] = _flip(bad[pos])
                with pytest.raises((RootMismatchError, InvalidProofError)):
                    verify_consistency(RFC6962, first, second, r1, r2, bad)
            with pytest.raises((RootMismatchError, InvalidProofError)):
                verify_consistency(RFC6962, first, second, r1, r2, proof[:-1])
            with pytest.raises((RootMismatchError, InvalidProofError)):
                verify_consistency(RFC6962, first, second, r1, r2, [*proof, b"\1" * 32])
            with pytest.raises(RootMismatchError):
                verify_consistency(RFC6962, first, second, _flip(r1), r2, proof)
            with pytest.raises(RootMismatchError):
                verify_consistency(RFC6962, first, second, r1, _flip(r2), proof)
            if first + 1 < second:  # the same proof must not work for another old size
                with pytest.raises((RootMismatchError, InvalidProofError)):
                    verify_consistency(RFC6962, first + 1, second, ROOTS[first + 1], r2, proof)


def test_consistency_degenerate_cases() -> None:
    verify_consistency(RFC6962, 4, 4, ROOTS[4], ROOTS[4], [])
    verify_consistency(RFC6962, 0, 9, ROOTS[0], ROOTS[9], [])
    with pytest.raises(RootMismatchError):
        verify_consistency(RFC6962, 4, 4, ROOTS[4], ROOTS[5], [])
    with pytest.raises(InvalidProofError):
        verify_consistency(RFC6962, 4, 4, ROOTS[4], ROOTS[4], [ROOTS[1]])
    with pytest.raises(RootMismatchError):
        verify_consistency(RFC6962, 0, 9, ROOTS[1], ROOTS[9], [])
    with pytest.raises(InvalidProofError):
        verify_consistency(RFC6962, 6, 4, ROOTS[6], ROOTS[4], [ROOTS[1]])
    with pytest.raises(InvalidProofError):
        verify_consistency(RFC6962, 3, 8, ROOTS[3], ROOTS[8], [])


def test_generation_rejects_bad_ranges() -> None:
    with pytest.raises(IndexOutOfRangeError):
        tree.inclusion_proof(RFC6962, SOURCE, 5, 5)
    with pytest.raises(IndexOutOfRangeError):
        tree.consistency_proof(RFC6962, SOURCE, 6, 5)


def test_compact_range_matches_reference() -> None:
    for size in range(0, 130):
        edge = CompactRange(RFC6962)
        for leaf in LEAVES[:size]:
            edge.push_leaf(leaf)
        assert edge.root() == ROOTS[size]
        assert [(lv, ix) for lv, ix, _ in edge.nodes()] == tree.full_subtrees(0, size)
    for begin in range(0, 40):
        for end in range(begin, 40):
            covered = [(ix << lv, (ix + 1) << lv) for lv, ix in tree.full_subtrees(begin, end)]
            flat = [i for a, b in covered for i in range(a, b)]
            assert flat == list(range(begin, end))
    with pytest.raises(InvalidProofError):
        CompactRange(RFC6962).push(1, 1, b"\0" * 32)
