"""Evidence contracts (DESIGN §6): the stored manifest and the request/reply messages.

`Manifest` is the stored commit record of one document version and holds the *wrapped* data
key; it never travels to clients, and it is stored sealed (services/evidence/manifest.py).
What clients see is `DocumentView`, which has no key material.

Longer than 300 lines on purpose: it is one service's whole contract (the manifest and every
request and reply), kept in one module as proto/signalling.py is, so each message sits beside
the ones it answers.
"""

from __future__ import annotations

import urllib.parse
from typing import Annotated, Literal

import msgspec

from proto.common import Id, TimestampMs

SERVICE = "evidence"
UPLOAD_BEGIN_SUBJECT = "parley.v1.evidence.upload.begin"
#: The single-use ticket travels in this header on evidence's internal HTTP port, never in a URL.
TICKET_HEADER = "Parley-Ticket"

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
#: An internal URL of one evidence instance (loopback, the internal network, or a Unix socket on
#: the gateway's host as `http+unix://<percent-encoded path>`); holds no secret.
InternalUrl = Annotated[str, msgspec.Meta(pattern=r"^(https?|http\+unix)://", max_length=300)]
UNIX_SCHEME = "http+unix"


def unix_url(socket_path: str) -> str:
    """The base InternalUrl of a byte port served on the Unix socket `socket_path`."""
    return f"{UNIX_SCHEME}://{urllib.parse.quote(socket_path, safe='')}"

#: The raw `Range` request header, forwarded for evidence to resolve against the document size.
RangeHeader = Annotated[str, msgspec.Meta(max_length=200)]
#: Why the caller reads a document's bytes, as it declares it: `view` (shown in the page) or
#: `download` (saved as a file). The audit entry records it so an auditor can tell the two
#: apart; the bytes served are the same.
ReadPurpose = Literal["view", "download"]
READ_PURPOSES: tuple[ReadPurpose, ...] = ("view", "download")


#: The store's version id of an object (S3 `x-amz-version-id`), where the store keeps versions.
StoreVersionId = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class Manifest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """One committed document version. It exists iff the version exists (the commit point).

    `content_version` and `ciphertext_sha256` pin the content object: reads fetch that version
    of it (on a versioned store) and check its digest, so a new version added by someone who
    can write the store changes nothing Parley serves. `sealed_once` says one encryptor sealed
    every segment exactly once (a one-shot upload): then the only object that authenticates
    segment by segment is the committed one, so its pin is the AEAD itself and the manifest
    carries no `ciphertext_sha256` (FORMAT.md §7); a resumable upload's staged segments may
    have been sealed twice, so its manifest must carry the digest."""

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
    ciphertext_sha256: Sha256Hex | None = None
    content_version: StoreVersionId | None = None
    released_ms: TimestampMs | None = None
    released_by: Id | None = None
    format: Annotated[int, msgspec.Meta(ge=2, le=2)] = 2
    sealed_once: bool = False

    def __post_init__(self) -> None:
        if (self.ciphertext_sha256 is None) != self.sealed_once:
            raise ValueError("a manifest carries ciphertext_sha256 unless it is sealed_once")


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
    #: How many of the document's versions the caller may read (a listing and a list of
    #: versions say; elsewhere 1 is not a count).
    versions: Annotated[int, msgspec.Meta(ge=1, le=1 << 20)] = 1
    #: Of `versions`, those in a narrower compartment than the latest's (a release widens the
    #: latest only): `side:` ones (its side alone reads them) and `confidential:` ones (its side
    #: and the mediator). Every reader of the document reads the rest, so `versions` less these
    #: is a count they all share.
    side_versions: Annotated[int, msgspec.Meta(ge=0, le=1 << 20)] = 0
    confidential_versions: Annotated[int, msgspec.Meta(ge=0, le=1 << 20)] = 0


def document_view(manifest: Manifest, versions: int = 1) -> DocumentView:
    return DocumentView(
        hearing=manifest.hearing, document=manifest.document, version=manifest.version,
        filename=manifest.filename, content_type=manifest.content_type,
        compartment=manifest.compartment, owner=manifest.owner,
        uploaded_by=manifest.uploaded_by, size=manifest.size, sha256=manifest.sha256,
        created_ms=manifest.created_ms, released_ms=manifest.released_ms, versions=versions)


def counted_view(latest: Manifest, readable: list[Manifest]) -> DocumentView:
    """`latest`'s view counting `readable`, the versions the caller may read (`latest` among
    them): how many, and how many of those are narrower than the latest. Versions never narrow,
    so a compartment of another kind than the latest's is a narrower one."""
    where = latest.compartment.partition(":")[0]
    narrower = [kind for kind in (m.compartment.partition(":")[0] for m in readable)
                if kind != where]
    return msgspec.structs.replace(document_view(latest, len(readable)),
                                   side_versions=narrower.count("side"),
                                   confidential_versions=narrower.count("confidential"))


class UploadBeginRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    compartment: CompartmentName
    filename: OriginalName
    declared_size: ByteCount
    content_type: ContentType = "application/octet-stream"


class UploadBeginReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Where and how the gateway streams the body: `PUT url` with the single-use, short-lived
    ticket in the `Parley-Ticket` header. The reply of that PUT is the `DocumentView` (201)."""

    upload_id: Id
    ticket: Ticket
    expires_ms: TimestampMs
    url: InternalUrl


class UploadCreateRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Create a resumable upload (docs/uploads.md): checked as an upload, no byte sent yet."""

    hearing: Id
    compartment: CompartmentName
    filename: OriginalName
    length: ByteCount
    content_type: ContentType = "application/octet-stream"


class UploadRef(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One resumable upload (offset retrieval, cancellation)."""

    hearing: Id
    upload: Id


class UploadView(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A resumable upload as its owner sees it: how far it got, and when it is swept if idle."""

    upload: Id
    hearing: Id
    offset: ByteCount
    length: ByteCount
    expires_ms: TimestampMs


class UploadAppendRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Ask to append bytes at `offset` (`length` = the request's Content-Length, if known)."""

    hearing: Id
    upload: Id
    offset: ByteCount
    length: ByteCount | None = None
    complete: bool = False


class UploadAppendReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Where to stream the append (`PUT url` with the ticket header), or, with no ticket, the
    refusal of a wrong offset: `upload.offset` is the true one (HTTP 409)."""

    upload: UploadView
    ticket: Ticket | None = None
    url: InternalUrl | None = None
    expires_ms: TimestampMs | None = None


class AppendResult(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Reply of evidence's internal append: the offset reached, and the document once the
    last byte arrived and the upload was committed."""

    upload: UploadView
    document: DocumentView | None = None


class ListDocumentsRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id


class ListDocumentsReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The documents the caller may see, and the largest a document may be (in bytes: the
    configured evidence limit), so a client refuses a larger file before sending a byte."""

    documents: Annotated[list[DocumentView], msgspec.Meta(max_length=10_000)]
    max_document_bytes: ByteCount | None = None


class DocumentRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    document: Id
    version: Id | None = None


class VersionsRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Every version of one document the caller may read (`GET …/documents/{d}/versions`)."""

    hearing: Id
    document: Id


class VersionsReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The document as its latest version shows it (`versions`: how many the caller may read),
    and each version the caller may read, newest first: its id, size, uploader, time, SHA-256.
    Each is decided on that version's own record, so a version still in a narrower compartment
    is left out (and `…/content?version=` refuses it)."""

    document: DocumentView
    versions: Annotated[list[DocumentView], msgspec.Meta(max_length=10_000)]


class DownloadBeginRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    document: Id
    version: Id | None = None
    range: RangeHeader | None = None
    purpose: ReadPurpose = "download"


class DownloadBeginReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The plaintext bytes `[start, end)` are served by `GET url` with the ticket header.

    `partial` is True for a satisfiable `Range` (HTTP 206). An unsatisfiable range comes back
    with no ticket and no url (HTTP 416, `Content-Range: bytes */size`)."""

    document: DocumentView
    start: ByteCount
    end: ByteCount
    partial: bool = False
    ticket: Ticket | None = None
    url: InternalUrl | None = None
    expires_ms: TimestampMs | None = None


class ReleaseRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Widen the document's latest version (earlier versions keep their compartment)."""

    hearing: Id
    document: Id
    to: CompartmentName
    #: The version the person chose to share (the latest they saw): refused with `conflict`,
    #: reason `newer_version`, when another has become the latest since; with `not_found`,
    #: reason `version_not_found`, when the document has no such version the caller may read.
    #: None: the latest.
    version: Id | None = None


class ReleaseBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """REST body of `POST …/documents/{d}/release`: only the latest version is shared."""

    to: CompartmentName
    #: As in `ReleaseRequest`: the latest version the person saw, so nothing newer is shared.
    version: Id | None = None


class ReleaseReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    document: DocumentView


class ShredRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Crypto-shred every document of a hearing (closing it with `destroy_documents`)."""

    hearing: Id


class ShredReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hearing: Id
    versions: Annotated[int, msgspec.Meta(ge=0)]


class RotateRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class RotateReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How many hearing keys were re-wrapped under the new master key (content untouched)."""

    rewrapped: Annotated[int, msgspec.Meta(ge=0)]


WIRE_MESSAGES: list[type[msgspec.Struct]] = [
    DocumentView, UploadBeginRequest, UploadBeginReply, UploadCreateRequest, UploadRef,
    UploadView, UploadAppendRequest, UploadAppendReply, AppendResult, ListDocumentsRequest,
    ListDocumentsReply,
    DocumentRequest, VersionsRequest, VersionsReply, DownloadBeginRequest, DownloadBeginReply,
    ReleaseBody, ReleaseRequest,
    ReleaseReply, ShredRequest, ShredReply, RotateRequest, RotateReply,
]

encode = msgspec.json.Encoder().encode
