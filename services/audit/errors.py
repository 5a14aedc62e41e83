"""The audit package's error tree (raised, never returned).

Every verification failure is a subclass of `VerificationError`, so the offline verifier can report
"the first failure" by catching one type and printing the class name and message.
"""

from __future__ import annotations

from parley.errors import DomainError
from proto.errors import ErrorCode


class AuditError(DomainError):
    """Base of every audit error (an `internal` failure unless a subclass says otherwise)."""


# --- entries ---------------------------------------------------------------------------------

class EntryError(AuditError):
    """An event cannot become a log entry (too large, not canonicalisable)."""


class EntryTooLargeError(EntryError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"entry is {size} bytes, the limit is {limit}")
        self.size = size
        self.limit = limit


# --- verification (anything an auditor's check can fail on) -----------------------------------

class VerificationError(AuditError):
    """Something presented as evidence does not verify."""


class InvalidProofError(VerificationError):
    """A proof is malformed for the claimed sizes/index (wrong length, bad hash size, bad range)."""


class RootMismatchError(VerificationError):
    """A recomputed root differs from the expected one.

    In a bundle, `entry` is the selected entry whose inclusion failed, or `entries` the range
    [begin, end) that no longer rebuilds the signed root (the offline verifier says which)."""

    def __init__(self, what: str, expected: bytes, computed: bytes, *, entry: int | None = None,
                 entries: tuple[int, int] | None = None) -> None:
        super().__init__(f"{what}: computed root {computed.hex()} != expected {expected.hex()}")
        self.expected = expected
        self.computed = computed
        self.entry = entry
        self.entries = entries


class NoteFormatError(VerificationError):
    """A signed note, vkey or key file is not in the C2SP form (strict parse)."""


class CheckpointFormatError(VerificationError):
    """A checkpoint body is not a C2SP tlog-checkpoint."""


class BadSignatureError(VerificationError):
    """A signature line from the trusted key does not verify over the note text."""


class UntrustedNoteError(VerificationError):
    """No signature from the trusted key is on the note."""


class WrongKeyNameError(UntrustedNoteError):
    """The note is signed, but under another key name (or the origin differs from the key name)."""


class WrongKeyIdError(UntrustedNoteError):
    """The note carries the trusted key's name but another key ID."""


class KeyMismatchError(VerificationError):
    """The key inside a bundle differs from the key the auditor pinned."""


class BundleFormatError(VerificationError):
    """A bundle line is malformed, out of place, or the bundle is truncated."""


class EntryOrderError(VerificationError):
    """Entries in a bundle are missing, duplicated, inserted or reordered."""


class ReceiptFormatError(VerificationError):
    """A C2SP tlog-proof receipt is malformed."""


# --- the log store ---------------------------------------------------------------------------

class LogError(AuditError):
    """The log store cannot do what was asked."""


class IndexOutOfRangeError(LogError):
    """An index or size beyond the log (or a range that is empty or inverted)."""

    code = ErrorCode.INVALID


class KeyFileError(LogError):
    """The signing key file is unreadable, malformed, or too widely readable."""


class TamperDetectedError(LogError):
    """The stored log no longer matches what was signed: the log refuses to sign again.

    Raised when a recomputation from the stored entries disagrees with a stored node or with a
    signed checkpoint. The store stays in this state (sticky) until an operator rebuilds it.
    """

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class NoCheckpointError(LogError):
    """Nothing has been signed yet, so there is nothing to prove against."""

    code = ErrorCode.UNAVAILABLE


# --- readers ---------------------------------------------------------------------------------

class ReadRefusedError(AuditError):
    """The caller may not read the log."""


class NotSignedInError(ReadRefusedError):
    code = ErrorCode.UNAUTHENTICATED


class NotAnAuditorError(ReadRefusedError):
    code = ErrorCode.FORBIDDEN


class ExportRequestError(AuditError):
    """An export request names an impossible range or mixes a range with a filter."""

    code = ErrorCode.INVALID


class NameCursorError(AuditError):
    """A names page's cursor is not one this service gave (names_table.py `decode_cursor`)."""

    code = ErrorCode.INVALID
    default_message = "cursor is not one this service gave: ask for the first page again"
