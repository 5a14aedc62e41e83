"""Sealed manifests in the store: write one, and scan a hearing or a document for them.

Rules kept here (DESIGN §6, threat model §1):
- a manifest is used only once it authenticates under the hearing's manifest key and names the
  place it is stored at (`manifest.open_manifest`); anything else is *rejected*, never used;
- a scan never fails because one object is broken: it returns the manifests that authenticate
  and, separately, what was rejected and why, for the caller to audit;
- an object that vanishes between the listing and the read was deleted meanwhile: skipped.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from proto.evidence import Manifest
from services.evidence import manifest as codec
from services.evidence.errors import ManifestError, ObjectNotFoundError, ObjectTooLargeError
from services.evidence.store.base import ObjectStore, one_chunk

SUFFIX = ".manifest"
_PLACE = re.compile(r"^docs/([^/]+)/([^/]+)/([^/]+)\.manifest$")


def doc_prefix(hearing: str, document: str | None = None) -> str:
    return f"docs/{hearing}/" if document is None else f"docs/{hearing}/{document}/"


def manifest_path(place: codec.Place) -> str:
    return f"{doc_prefix(place.hearing, place.document)}{place.version}{SUFFIX}"


def content_path(manifest: Manifest) -> str:
    return f"{doc_prefix(manifest.hearing, manifest.document)}{manifest.version}.content"


@dataclass(frozen=True)
class Rejected:
    """A stored manifest that was not used, and why (ManifestError.reason)."""

    key: str
    document: str
    version: str
    reason: str


@dataclass(frozen=True)
class Scan:
    manifests: list[Manifest] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True)
class HearingKeyRef:
    """What opening a hearing's manifests needs: the key id and the derived manifest key."""

    key_id: str
    manifest_key: bytes


async def write(store: ObjectStore, ref: HearingKeyRef, manifest: Manifest, *,
                if_absent: bool) -> None:
    """Seal and store `manifest` at its own place (create-if-absent for the commit point)."""
    if manifest.hearing_key_id != ref.key_id:
        raise ValueError("manifest names another hearing key")
    await store.put(manifest_path(codec.Place.of(manifest)),
                    one_chunk(codec.seal(ref.manifest_key, manifest)), if_absent=if_absent)


#: Manifests read at once by a scan: a listing waits for the store's latency once per batch,
#: not once per document, and holds at most this many small objects.
READ_AHEAD = 16


async def _open_one(store: ObjectStore, ref: HearingKeyRef, key: str,
                    place: codec.Place) -> Manifest | Rejected | None:
    try:
        raw = await store.read(key, max_size=codec.MAX_SEALED_LEN)
        return codec.open_manifest(ref.manifest_key, raw, place, ref.key_id)
    except ObjectNotFoundError:
        return None  # deleted while listing
    except ObjectTooLargeError:  # a planted huge object is refused unread
        return Rejected(key, place.document, place.version, "format")
    except ManifestError as exc:
        return Rejected(key, place.document, place.version, exc.reason)


async def scan(store: ObjectStore, ref: HearingKeyRef, hearing: str,
               document: str | None = None) -> Scan:
    """Every manifest under the hearing (or one document) that authenticates, and the rest."""
    result = Scan()
    todo: list[tuple[str, codec.Place]] = []
    for info in await store.list(doc_prefix(hearing, document)):
        if not info.key.endswith(SUFFIX):
            continue
        match = _PLACE.match(info.key)
        if match is None or match.group(1) != hearing:
            result.rejected.append(Rejected(info.key, "unknown", "unknown", "format"))
            continue
        todo.append((info.key, codec.Place(hearing, match.group(2), match.group(3))))
    for start in range(0, len(todo), READ_AHEAD):
        batch = todo[start:start + READ_AHEAD]
        for item in await asyncio.gather(*(_open_one(store, ref, key, place)
                                           for key, place in batch)):
            if isinstance(item, Manifest):
                result.manifests.append(item)
            elif item is not None:
                result.rejected.append(item)
    return result
