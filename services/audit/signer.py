"""Checkpoint issuing, guarded: the log never signs a tree that does not extend what it signed.

The SQLite file is not trusted to be unchanged between writes (an operator tool, a disk error or
an attacker with file access could edit a row), so before each signature `CheckpointIssuer`
recomputes from the stored *entries*, not only from the stored nodes:

1. the last signed checkpoint note still verifies and matches its row;
2. the stored right-edge nodes of the last signed tree (size n1) still fold to its signed root;
3. every entry appended since (n1 .. n2) is re-read and rehashed, the new nodes are recomputed
   on top of (2) and compared with the stored ones, giving the new root; the consistency proof
   the store would serve for n1 -> n2 is then verified against the two roots (RFC 9162);
4. a bounded scrub of older entries: the tail after the last full block of `scrub_entries`
   entries, plus one rotating aligned block of `scrub_entries` entries, are rehashed and proved
   against the signed root using stored sibling hashes (a changed entry cannot be hidden by also
   changing stored nodes: the recomputed root must equal the *signed* one). A log of at most
   2 x `scrub_entries` entries is fully rehashed at every signature.
5. a full recomputation of the whole tree (every entry rehashed, every stored node and every
   stored checkpoint root compared) when the issuer starts and whenever SQLite's data_version
   shows that another connection committed to the file, the usual way a row gets changed.

Why bounded: a full recomputation is O(n) (seconds at 10^6 entries) and checkpoints are signed
every second; (1)-(4) cost O(new + 2 x scrub_entries + log n) per signature and, with (5),
every entry is rechecked at start, on any foreign write, and at least once every
ceil(n / scrub_entries) signatures. Any failure raises `TamperDetectedError` and is sticky:
the issuer refuses to sign again until the log is rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from services.audit import tree
from services.audit.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from services.audit.compact import CompactRange
from services.audit.errors import TamperDetectedError, VerificationError
from services.audit.keys import NoteSigner
from services.audit.log import LEVEL_SHIFT, LogStore, StoredCheckpoint, as_bytes, node_id
from services.audit.verify import verify_consistency, verify_inclusion

DEFAULT_SCRUB_ENTRIES = 4096


class CheckpointIssuer:
    """Signs checkpoints for one store with one key, after the checks described above."""

    def __init__(
        self,
        store: LogStore,
        signer: NoteSigner,
        *,
        scrub_entries: int = DEFAULT_SCRUB_ENTRIES,
        verify_on_start: bool = True,
    ) -> None:
        if scrub_entries < 1 or scrub_entries & (scrub_entries - 1):
            raise ValueError("scrub_entries must be a power of two")
        self.store = store
        self.signer = signer
        self.scrub_entries = scrub_entries
        self._scrub_next = 0
        self._tampered: TamperDetectedError | None = None
        self._data_version = store.data_version()
        if verify_on_start:
            self._guarded(self.verify_all)

    @property
    def tampered(self) -> TamperDetectedError | None:
        return self._tampered

    def _guarded(self, check: Callable[[], None]) -> None:
        try:
            check()
        except TamperDetectedError as exc:
            self._tampered = exc
            raise
        except VerificationError as exc:
            self._tampered = TamperDetectedError(str(exc))
            raise self._tampered from exc

    def check_all(self) -> None:
        """`verify_all`, guarded: a failure makes the issuer refuse to sign from now on."""
        self._guarded(self.verify_all)

    # --- the checks ------------------------------------------------------------------------

    def verify_all(self) -> None:
        """Rehash every entry, recompute every node and every stored checkpoint root: O(n)."""
        store, hasher = self.store, self.store.hasher
        size = store.size
        self._check_last_note()
        pending = {c.size: c for c in store.checkpoints()}
        if any(s > size for s in pending):
            raise TamperDetectedError(f"a checkpoint is beyond the log size {size}")
        empty = pending.pop(0, None)
        if empty is not None and empty.root != hasher.empty_root():
            raise TamperDetectedError("the signed empty tree has a wrong root")
        stored = _LevelCursors(store)
        edge = CompactRange(hasher)
        expected = 0
        for idx, data in store.iter_entries(0, size):
            if idx != expected:
                raise TamperDetectedError(f"entry {expected} is missing", expected)
            leaf = hasher.hash_leaf(data)
            stored.expect(0, idx, leaf)
            for level, index, digest in edge.push_leaf(leaf):
                stored.expect(level, index, digest)
            expected += 1
            signed = pending.pop(expected, None)
            if signed is not None and edge.root() != signed.root:
                raise TamperDetectedError(
                    f"entries [0, {expected}) no longer hash to the root signed for that size",
                    expected - 1,
                )
        if expected != size:
            raise TamperDetectedError(f"log has {expected} entries, expected {size}", expected)
        stored.expect_exhausted()

    def _check_last_note(self) -> None:
        last = self.store.latest_checkpoint()
        if last is None:
            return
        signed = open_checkpoint(last.note, self.signer.verifier)
        if (signed.size, signed.root) != (last.size, last.root):
            raise TamperDetectedError(f"stored checkpoint {last.size} differs from its signed note")

    def _extend(self, n1: int, r1: bytes, n2: int) -> bytes:
        """Checks (2) and (3): rebuild the root of n2 from signed n1 plus rehashed new entries."""
        store, hasher = self.store, self.store.hasher
        frontier = [(lv, ix, store.node(lv, ix)) for lv, ix in tree.full_subtrees(0, n1)]
        edge = CompactRange(hasher, 0, frontier)
        if edge.root() != r1:
            raise TamperDetectedError(f"stored nodes no longer give the signed root of size {n1}")
        created: dict[int, list[tuple[int, bytes]]] = {}
        expected = n1
        for idx, data in store.iter_entries(n1, n2):
            if idx != expected:
                raise TamperDetectedError(f"entry {expected} is missing", expected)
            leaf = hasher.hash_leaf(data)
            created.setdefault(0, []).append((idx, leaf))
            for level, index, digest in edge.push_leaf(leaf):
                created.setdefault(level, []).append((index, digest))
            expected += 1
        if expected != n2:
            raise TamperDetectedError(f"log has {expected} entries, expected {n2}", expected)
        for level, nodes in created.items():
            first = nodes[0][0]
            if store.node_range(level, first, len(nodes)) != [digest for _, digest in nodes]:
                raise TamperDetectedError(f"stored level-{level} nodes differ from the entries")
        return edge.root()

    def _scrub(self, n1: int, r1: bytes) -> None:
        """Check (4): rehash the tail and one rotating block of old entries against root r1."""
        store, hasher, block = self.store, self.store.hasher, self.scrub_entries
        if n1 <= 2 * block:
            edge = CompactRange(hasher)
            for _, data in store.iter_entries(0, n1):
                edge.push_leaf(hasher.hash_leaf(data))
            if edge.root() != r1:
                raise TamperDetectedError(f"entries [0, {n1}) no longer hash to the signed root")
            return
        tail_start = n1 - n1 % block
        frontier = [(lv, ix, store.node(lv, ix)) for lv, ix in tree.full_subtrees(0, tail_start)]
        edge = CompactRange(hasher, 0, frontier)
        for _, data in store.iter_entries(tail_start, n1):
            edge.push_leaf(hasher.hash_leaf(data))
        if edge.root() != r1:
            raise TamperDetectedError(f"entries [{tail_start}, {n1}) no longer hash to the root")
        blocks = tail_start // block
        number = self._scrub_next % blocks
        self._scrub_next = number + 1
        shift = block.bit_length() - 1
        part = CompactRange(hasher, number * block)
        for _, data in store.iter_entries(number * block, (number + 1) * block):
            part.push_leaf(hasher.hash_leaf(data))
        nodes = part.nodes()
        if len(nodes) != 1 or part.end != (number + 1) * block:
            raise TamperDetectedError(f"entries of block {number} are missing", number * block)
        recomputed = nodes[0][2]

        def lifted(level: int, index: int) -> bytes:
            start = index << (level + shift)
            if start + (1 << (level + shift)) <= n1:
                return store.node(level + shift, index)
            return tree.subtree_hash(hasher, store.node, start, n1)

        supers = -(-n1 // block)
        proof = tree.inclusion_proof(hasher, lifted, number, supers)
        try:
            verify_inclusion(hasher, number, supers, recomputed, proof, r1)
        except VerificationError as exc:
            raise TamperDetectedError(
                f"entries [{number * block}, {(number + 1) * block}) no longer hash to the root",
                number * block,
            ) from exc

    # --- issuing ---------------------------------------------------------------------------

    def issue(self, now_ms: int) -> StoredCheckpoint:
        """Sign and store a checkpoint for the current size (or return the latest if unchanged).

        Raises TamperDetectedError (and keeps refusing) if any check fails.
        """
        if self._tampered is not None:
            raise self._tampered
        result: list[StoredCheckpoint] = []
        self._guarded(lambda: result.append(self._issue(now_ms)))
        return result[0]

    def _issue(self, now_ms: int) -> StoredCheckpoint:
        store, hasher = self.store, self.store.hasher
        version = store.data_version()
        if version != self._data_version:
            store.recount()
            self.verify_all()
            self._data_version = version
        self._check_last_note()
        last = store.latest_checkpoint()
        n2 = store.size
        if last is not None and last.size == n2:
            return last
        n1, r1 = (last.size, last.root) if last is not None else (0, hasher.empty_root())
        if n2 < n1:
            raise TamperDetectedError(f"log shrank from signed size {n1} to {n2}")
        r2 = self._extend(n1, r1, n2)
        verify_consistency(hasher, n1, n2, r1, r2, store.consistency_proof(n1, n2))
        self._scrub(n1, r1)
        note = sign_checkpoint(Checkpoint(self.signer.name, n2, r2), self.signer)
        stored = StoredCheckpoint(n2, r2, note, now_ms)
        store.store_checkpoint(stored)
        return stored


class _LevelCursors:
    """One ordered cursor per tree level over the stored nodes, to compare a recomputation."""

    def __init__(self, store: LogStore) -> None:
        self._store = store
        self._cursors: dict[int, Iterator[tuple[int, bytes]]] = {}

    def _cursor(self, level: int) -> Iterator[tuple[int, bytes]]:
        cursor = self._cursors.get(level)
        if cursor is None:
            rows = self._store.conn.execute(
                "SELECT id, hash FROM nodes WHERE id >= ? AND id < ? ORDER BY id",
                (node_id(level, 0), node_id(level + 1, 0)),
            )
            cursor = ((int(i), as_bytes(h)) for i, h in rows)
            self._cursors[level] = cursor
        return cursor

    def expect(self, level: int, index: int, digest: bytes) -> None:
        row = next(self._cursor(level), None)
        if row is None or row[0] != node_id(level, index) or row[1] != digest:
            raise TamperDetectedError(
                f"stored node ({level}, {index}) differs from the entries", index << level
            )

    def expect_exhausted(self) -> None:
        last_level = max(self._cursors, default=-1)
        for level in range(last_level + 2):
            extra = next(self._cursor(level), None)
            if extra is not None:
                raise TamperDetectedError(
                    f"unexpected stored node at level {level}, index "
                    f"{extra[0] & ((1 << LEVEL_SHIFT) - 1)}"
                )
        count = self._store.conn.execute(
            "SELECT COUNT(*) FROM nodes WHERE id >= ?", (node_id(last_level + 2, 0),)
        ).fetchone()[0]
        if count:
            raise TamperDetectedError("unexpected stored nodes above the tree")
