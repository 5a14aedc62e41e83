"""C2SP tlog-checkpoint bodies, and signing/opening them as signed notes.

Body: `<origin>\n<decimal tree size>\n<base64 root hash>\n` then optional non-empty extension
lines. The size has no leading zeros; the root is 32 bytes in canonical standard base64. The
note's key name must equal the origin (DESIGN §7), and `open_checkpoint` enforces it, so a note
signed by a valid key for another log is not accepted as this log's checkpoint.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Final

from services.audit.errors import CheckpointFormatError, NoteFormatError, WrongKeyNameError
from services.audit.keys import NoteSigner, NoteVerifier, b64decode_strict
from services.audit.note import open_note, sign_note

MAX_SIZE: Final = 2**63 - 1
_SIZE_RE: Final = re.compile(r"^(0|[1-9][0-9]{0,18})$")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """Strictly parse a checkpoint body (the note text, signatures already split off)."""
    if not text.endswith("\n"):
        raise CheckpointFormatError("checkpoint does not end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointFormatError(f"checkpoint has {len(lines)} lines, needs at least 3")
    origin, size_text, root_text, *extensions = lines
    if not origin or origin != origin.strip():
        raise CheckpointFormatError("checkpoint origin line is empty or padded")
    if _SIZE_RE.fullmatch(size_text) is None or int(size_text) > MAX_SIZE:
        raise CheckpointFormatError(f"checkpoint size {size_text[:24]!r} is not a canonical decimal")
    try:
        root = b64decode_strict(root_text, "checkpoint root")
    except NoteFormatError as exc:
        raise CheckpointFormatError(str(exc)) from exc
    if len(root) != 32:
        raise CheckpointFormatError(f"checkpoint root is {len(root)} bytes, expected 32")
    if any(not line for line in extensions):
        raise CheckpointFormatError("checkpoint has an empty extension line")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: NoteSigner) -> str:
    if checkpoint.origin != signer.name:
        raise WrongKeyNameError(f"origin {checkpoint.origin!r} is not key name {signer.name!r}")
    return sign_note(checkpoint.text(), signer)


def open_checkpoint(note: str | bytes, verifier: NoteVerifier) -> Checkpoint:
    """Verify the note's signature by `verifier`, then parse the body; origin must be the name."""
    opened = open_note(note, verifier)
    checkpoint = parse_checkpoint(opened.text)
    if checkpoint.origin != verifier.name:
        raise WrongKeyNameError(
            f"checkpoint origin {checkpoint.origin!r} is not the key name {verifier.name!r}"
        )
    return checkpoint
