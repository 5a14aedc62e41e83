"""C2SP signed-note: sign a text, and parse + verify a note strictly.

Form: the text (ending in a newline), one blank line, then one or more lines
`— <key name> <base64(4-byte big-endian key ID || signature)>` (em dash U+2014), each ending in
a newline. The text is separated from the signatures by the *last* blank line.

Strictness (why each rule exists):
- valid UTF-8, no control characters but newline, bounded size: no parser confusion or memory
  blow-up. The bound fits the spec's floor (16 signatures) of the largest signature type we
  know (ML-DSA-87, 4.6 kB): a genuine note with 16 cosignatures is accepted;
- the note must end in a newline and every line after the separator must be a signature line:
  a missing separator, a stray or extra line, or a truncated note is rejected, not skipped;
- per the spec, signatures under keys we do not know are ignored, but a signature that carries
  the trusted key's name *and* ID must verify (else `BadSignatureError`), the same trusted key may
  sign only once, and at least one trusted signature must verify. When none does, the error says
  whether the note was signed under another key name (`WrongKeyNameError`) or under the right
  name with another key ID (`WrongKeyIdError`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Final

from proto.auditlog import MAX_NOTE_BYTES, MAX_NOTE_SIGNATURE_BYTES, MAX_NOTE_TEXT_BYTES
from services.audit.errors import (
    BadSignatureError,
    NoteFormatError,
    UntrustedNoteError,
    WrongKeyIdError,
    WrongKeyNameError,
)
from services.audit.keys import NoteSigner, NoteVerifier, b64decode_strict, check_key_name

MAX_SIGNATURES: Final = 100
_DASH: Final = "\u2014 "


@dataclass(frozen=True, slots=True)
class NoteSignature:
    name: str
    key_id: int
    signature: bytes


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    signatures: tuple[NoteSignature, ...]


def sign_note(text: str, signer: NoteSigner) -> str:
    """The signed note for `text` (which must be non-empty and end in a newline)."""
    _check_text(text)
    sig = signer.key_id.to_bytes(4, "big") + signer.sign(text.encode())
    return f"{text}\n{_DASH}{signer.name} {base64.b64encode(sig).decode()}\n"


def _check_text(text: str) -> None:
    if not text or not text.endswith("\n"):
        raise NoteFormatError("note text must be non-empty and end in a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteFormatError("note text contains a control character")


def parse_note(note: str | bytes) -> Note:
    """Split and syntax-check a signed note, verifying nothing."""
    if isinstance(note, bytes):
        if len(note) > MAX_NOTE_BYTES:
            raise NoteFormatError(f"note larger than {MAX_NOTE_BYTES} bytes")
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteFormatError("note is not valid UTF-8") from exc
    if len(note.encode("utf-8", "surrogatepass")) > MAX_NOTE_BYTES:
        raise NoteFormatError(f"note larger than {MAX_NOTE_BYTES} bytes")
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteFormatError("note contains a control character")
    if not note.endswith("\n"):
        raise NoteFormatError("note does not end in a newline (truncated?)")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteFormatError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    _check_text(text)
    if len(text.encode()) > MAX_NOTE_TEXT_BYTES:
        raise NoteFormatError(f"note text larger than {MAX_NOTE_TEXT_BYTES} bytes")
    lines = block.split("\n")[:-1]  # the block ends in "\n": drop the empty tail
    if not lines:
        raise NoteFormatError("note has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise NoteFormatError(f"note has more than {MAX_SIGNATURES} signatures")
    return Note(text, tuple(_parse_signature_line(line) for line in lines))


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(_DASH):
        raise NoteFormatError(f"not a signature line: {line[:40]!r}")
    parts = line[len(_DASH) :].split(" ")
    if len(parts) != 2:
        raise NoteFormatError(f"malformed signature line: {line[:40]!r}")
    name, blob = parts
    check_key_name(name)
    raw = b64decode_strict(blob, "signature")
    if not 5 <= len(raw) <= MAX_NOTE_SIGNATURE_BYTES:
        raise NoteFormatError(f"signature of {len(raw)} bytes (5 to {MAX_NOTE_SIGNATURE_BYTES})")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def open_note(note: str | bytes, verifier: NoteVerifier) -> Note:
    """Parse `note` and verify it is signed by `verifier`; return it. Raises on any failure."""
    parsed = parse_note(note)
    message = parsed.text.encode()
    verified = 0
    for sig in parsed.signatures:
        if sig.name != verifier.name or sig.key_id != verifier.key_id:
            continue  # an unknown key: ignored, as the spec requires
        if verified:
            raise NoteFormatError(f"key {verifier.name} signed the note twice")
        if len(sig.signature) != 64 or not verifier.verify(message, sig.signature):
            raise BadSignatureError(f"signature by {verifier.name} does not verify")
        verified += 1
    if verified:
        return parsed
    same_name = [s for s in parsed.signatures if s.name == verifier.name]
    if same_name:
        raise WrongKeyIdError(
            f"signed by {verifier.name} with key ID {same_name[0].key_id:08x}, "
            f"trusted key ID is {verifier.key_id:08x}"
        )
    names = ", ".join(sorted({s.name for s in parsed.signatures}))
    if names:
        raise WrongKeyNameError(f"signed by {names}; trusted key name is {verifier.name}")
    raise UntrustedNoteError("no signature")  # pragma: no cover - parse_note requires one
