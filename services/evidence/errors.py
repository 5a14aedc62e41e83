"""The evidence error tree; each error carries the `ErrorCode` it maps to at the boundary.

Messages never contain key material, plaintext or (for denials) a document's name.
"""

from __future__ import annotations

from parley.errors import DomainError
from proto.errors import ErrorCode


class EvidenceError(DomainError):
    """Base of every evidence error."""


class IntegrityError(EvidenceError):
    """Ciphertext, header or manifest failed authentication: never serve the bytes.

    Its own code (`integrity`, HTTP 502): what the store returned is not what evidence stored.
    It is neither the caller's fault nor a bug, and never a 500."""

    code = ErrorCode.INTEGRITY


class FormatError(IntegrityError):
    """Not in a format this code understands (bad magic, version, suite, sizes)."""


class ManifestError(IntegrityError):
    """A stored manifest that does not authenticate (or is not one): it is never used.

    `reason` is one of a few short words for the audit event: legacy, format, hearing_key,
    authentication, place."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ContentIntegrityError(IntegrityError):
    """The stored content is not the object the manifest pinned (version, size or digest)."""


class KeyCommitmentError(IntegrityError):
    """The key offered does not match the header's key commitment (wrong or confused key)."""


class KeyHierarchyError(EvidenceError):
    """Base of key-hierarchy errors."""

    code = ErrorCode.INTERNAL


class KeyFileError(KeyHierarchyError):
    """The master key file is missing, malformed or readable by others."""


class HearingShreddedError(KeyHierarchyError):
    """The hearing key was destroyed: its documents are gone for good."""

    code = ErrorCode.NOT_FOUND


class StoreError(EvidenceError):
    """The object store failed (I/O, network, server error)."""

    code = ErrorCode.UNAVAILABLE


class ObjectNotFoundError(StoreError):
    code = ErrorCode.NOT_FOUND


class ObjectExistsError(StoreError):
    """A create-if-absent write found the object already there."""

    code = ErrorCode.CONFLICT


class ObjectTooLargeError(StoreError):
    """A small object (manifest, key record) larger than its bound: refused unread."""


class InvalidKeyNameError(StoreError):
    code = ErrorCode.INVALID


class UploadError(EvidenceError):
    code = ErrorCode.INVALID


class SizeMismatchError(UploadError):
    """The body was shorter or longer than the declared size."""


class TooLargeError(UploadError):
    code = ErrorCode.TOO_LARGE


class TooManyDocumentsError(UploadError):
    code = ErrorCode.TOO_LARGE


class InvalidNameError(UploadError):
    """A file name that sanitises to nothing usable."""


class DocumentNotFoundError(EvidenceError):
    code = ErrorCode.NOT_FOUND


class ConflictError(EvidenceError):
    code = ErrorCode.CONFLICT


class InvalidRangeError(EvidenceError):
    code = ErrorCode.INVALID


class ReleaseError(EvidenceError):
    """A release that would narrow, or move to another side's compartment."""

    code = ErrorCode.FORBIDDEN


class TicketError(EvidenceError):
    """A transfer ticket that is unknown, expired, reused, wrong or someone else's."""

    code = ErrorCode.FORBIDDEN


class AccessDeniedError(EvidenceError):
    """The principal may not do this; the message never names the document."""

    code = ErrorCode.FORBIDDEN
