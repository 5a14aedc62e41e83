"""Per-entry receipts in the C2SP tlog-proof form (`.tlog-proof` files).

    c2sp.org/tlog-proof@v1
    [extra <base64>]
    index <N>
    <base64 inclusion-proof hash>   (zero or more, leaf's sibling first)
    <blank line>
    <signed checkpoint, verbatim>

`verify_receipt` checks the checkpoint signature (key name = origin), then the inclusion proof of
the entry's leaf hash at the index against the checkpoint's root. Extra data is not authenticated
and is returned for information only.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from services.audit.checkpoint import Checkpoint, open_checkpoint
from services.audit.errors import NoteFormatError, ReceiptFormatError
from services.audit.hasher import Hasher
from services.audit.keys import NoteVerifier, b64decode_strict
from services.audit.verify import verify_inclusion

HEADER: Final = "c2sp.org/tlog-proof@v1"
MAX_PROOF_HASHES: Final = 64
_INDEX_RE: Final = re.compile(r"^index (0|[1-9][0-9]{0,18})$")


@dataclass(frozen=True, slots=True)
class Receipt:
    index: int
    proof: tuple[bytes, ...]
    checkpoint_note: str
    extra: bytes | None = None


def format_receipt(
    index: int, proof: Sequence[bytes], checkpoint_note: str, extra: bytes | None = None
) -> str:
    lines = [HEADER]
    if extra is not None:
        lines.append(f"extra {base64.b64encode(extra).decode()}")
    lines.append(f"index {index}")
    lines.extend(base64.b64encode(h).decode() for h in proof)
    return "\n".join(lines) + "\n\n" + checkpoint_note


def parse_receipt(text: str) -> Receipt:
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise ReceiptFormatError("receipt has no blank line before its checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise ReceiptFormatError(f"receipt does not start with {HEADER}")
    pos = 1
    extra = None
    try:
        if pos < len(lines) and lines[pos].startswith("extra "):
            extra = b64decode_strict(lines[pos][6:], "receipt extra")
            pos += 1
        match = _INDEX_RE.fullmatch(lines[pos]) if pos < len(lines) else None
        if match is None:
            raise ReceiptFormatError("receipt has no canonical 'index N' line")
        hashes = tuple(b64decode_strict(line, "receipt proof hash") for line in lines[pos + 1 :])
    except NoteFormatError as exc:
        raise ReceiptFormatError(str(exc)) from exc
    if len(hashes) > MAX_PROOF_HASHES or any(len(h) != 32 for h in hashes):
        raise ReceiptFormatError("receipt proof hashes are malformed")
    return Receipt(int(match[1]), hashes, note, extra)


def verify_receipt(
    hasher: Hasher, text: str, entry: bytes, verifier: NoteVerifier
) -> tuple[Receipt, Checkpoint]:
    """Check the receipt proves `entry` is in the log signed by `verifier`; raise otherwise."""
    receipt = parse_receipt(text)
    checkpoint = open_checkpoint(receipt.checkpoint_note, verifier)
    verify_inclusion(
        hasher, receipt.index, checkpoint.size, hasher.hash_leaf(entry), receipt.proof,
        checkpoint.root,
    )
    return receipt, checkpoint
