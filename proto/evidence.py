"""Evidence contracts (DESIGN §6): the stored manifest and the request/reply messages.

`Manifest` is the stored commit record of one document version and holds the *wrapped* data
key; it never travels to clients. What clients see is `DocumentView`, which has no key material.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from proto.common import Id, TimestampMs

UPLOAD_BEGIN_SUBJECT = "parley.v1.evidence.upload.begin"

_SIDE = r"[A-Za-z0-9_-]{1,64}"
COMPARTMENT_PATTERN = rf"^(joint|mediator|side:{_SIDE}|confidential:{_SIDE})$"
OWNER_PATTERN = rf"^(mediator|side:{_SIDE})$"

#: `joint`, `side:<id>`, `confidential:<id>` or `mediator` (DESIGN §1).
CompartmentName = Annotated[str, msgspec.Meta(pattern=COMPARTMENT_PATTERN, max_length=80)]
#: Who owns a document (may release it): the uploader's side, or the mediator.
OwnerName = Annotated[str, msgspec.Meta(pattern=OWNER_PATTERN, max_length=80)]
#: A sanitised file name (see services/evidence/names.py): no path parts, no control characters.
FileName = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
#: The name as the client sent it, non-printable characters escaped; metadata only, never a path.
OriginalName = Annotated[str, msgspec.Meta(max_length=2048)]
ContentType = Annotated[str, msgspec.Meta(max_length=200)]
Sha256Hex = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
KeyIdHex = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{32}$")]
ByteCount = Annotated[int, msgspec.Meta(ge=0, le=1 << 44)]
Ticket = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{32,128}$")]


class Manifest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """One committed document version. It exists iff the version exists (the commit point)."""

    hearing: Id
    document: Id
    version: Id
    filename: FileName
    original_filename: OriginalName
    content_type: ContentType
    compartment: CompartmentName
    owner: OwnerName
    uploaded_by: Id
    size: ByteCount
    sha256: Sha256Hex
    created_ms: TimestampMs
    ciphertext_size: ByteCount
    segment_size: Annotated[int, msgspec.Meta(ge=16, le=1 << 24)]
    key_id: KeyIdHex
    hearing_key_id: KeyIdHex
    wrapped_data_key: Annotated[bytes, msgspec.Meta(max_length=128)]
    released_ms: TimestampMs | None = None
    released_by: Id | None = None
    format: Annotated[int, msgspec.Meta(ge=1, le=1)] = 1


class DocumentView(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Document metadata as clients see it: no keys, no storage details."""

    hearing: Id
    document: Id
    version: Id
    filename: FileName
    content_type: ContentType
    compartment: CompartmentName
    owner: OwnerName
    uploaded_by: Id
    size: ByteCount
    sha256: Sha256Hex
    created_ms: TimestampMs
    released_ms: TimestampMs | None = None


def document_view(manifest: Manifest) -> DocumentView:
    return DocumentView(
        hearing=manifest.hearing, document=manifest.document, version=manifest.version,
        filename=manifest.filename, content_type=manifest.content_type,
        compartment=manifest.compartment, owner=manifest.owner,
        uploaded_by=manifest.uploaded_by, size=manifest.size, sha256=manifest.sha256,
        created_ms=manifest.created_ms, released_ms=manifest.released_ms)


class UploadBeginRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    compartment: CompartmentName
    filename: OriginalName
    declared_size: ByteCount
    content_type: ContentType = "application/octet-stream"


class UploadBeginReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Where and how the gateway streams the body: single-use ticket, short-lived."""

    upload_id: Id
    ticket: Ticket
    expires_ms: TimestampMs


class ListDocumentsRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id


class ListDocumentsReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    documents: Annotated[list[DocumentView], msgspec.Meta(max_length=10_000)]


class DocumentRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    document: Id
    version: Id | None = None


class DownloadBeginReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    document: DocumentView
    ticket: Ticket
    expires_ms: TimestampMs


class ReleaseRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    document: Id
    to: CompartmentName


class ReleaseReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    document: DocumentView


encode = msgspec.json.Encoder().encode
_manifest_decoder = msgspec.json.Decoder(Manifest)


def decode_manifest(raw: bytes) -> Manifest:
    return _manifest_decoder.decode(raw)
