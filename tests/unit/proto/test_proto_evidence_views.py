"""What a listing says of a document's versions (proto/evidence.py `counted_view`): how many
the caller reads, and of those how many are narrower than the latest, so every reader of the
document can be told the same count of the rest."""

from __future__ import annotations

import msgspec

from proto.evidence import DocumentView, Manifest, counted_view

BASE = Manifest(
    hearing="h1", document="d" * 32, version="v0", filename="Lease.pdf",
    original_filename="Lease.pdf", content_type="application/pdf", compartment="joint",
    owner="side:A", uploaded_by="partyA1", size=1, sha256="1" * 64, created_ms=1,
    ciphertext_size=1, segment_size=65536, key_id="c" * 32, hearing_key_id="ab" * 16,
    wrapped_data_key=b"k", sealed_once=True)


def _versions(*compartments: str) -> list[Manifest]:
    return [msgspec.structs.replace(BASE, version=f"v{i}", compartment=c)
            for i, c in enumerate(compartments, 1)]


def _counts(view: DocumentView) -> tuple[int, int, int]:
    return view.versions, view.side_versions, view.confidential_versions


def test_narrower_versions_are_counted_by_kind_for_each_reader() -> None:
    # Side A: a draft kept to itself, one shared with the mediator in confidence, then two for all.
    every = _versions("side:A", "confidential:A", "joint", "joint")
    latest = every[-1]
    side_a = counted_view(latest, every)
    mediator = counted_view(latest, [m for m in every if not m.compartment.startswith("side:")])
    side_b = counted_view(latest, [m for m in every if m.compartment == "joint"])
    assert _counts(side_a) == (4, 1, 1)
    assert _counts(mediator) == (3, 0, 1)
    assert _counts(side_b) == (2, 0, 0)
    # Every reader shares the count of the rest.
    assert {v.versions - v.side_versions - v.confidential_versions
            for v in (side_a, mediator, side_b)} == {2}
    # Counted as the latest's own kind: confidential versions under a confidential latest.
    confidential = _versions("side:A", "confidential:A", "confidential:A")
    assert _counts(counted_view(confidential[-1], confidential)) == (3, 1, 0)
    assert _counts(counted_view(every[0], every[:1])) == (1, 0, 0)
    # Nothing narrower: nothing more on the wire than before.
    assert b"side_versions" not in msgspec.json.encode(side_b)
