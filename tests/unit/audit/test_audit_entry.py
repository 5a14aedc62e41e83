"""Canonical entries: the fast path equals RFC 8785, limits are enforced."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from proto.audit import Actor, AuditEvent, Outcome, Resource
from services.audit.entry import MAX_ENTRY_BYTES, canonical_entry, canonical_json, parse_entry, record_for
from services.audit.errors import EntryError, EntryTooLargeError

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.text(),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _encodable(value: Any) -> bool:
    try:
        rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_canonical_json_matches_rfc8785(value: Any) -> None:
    if not _encodable(value):
        with pytest.raises(EntryError):
            canonical_json(value)
        return
    assert canonical_json(value) == rfc8785.dumps(value)


def test_key_order_is_utf16() -> None:
    value = {"\U0001f600": 1, "\ufb01": 2, "a": 3}
    assert canonical_json(value) == rfc8785.dumps(value)
    assert canonical_json(value).index(b"\xf0\x9f\x98\x80") < canonical_json(value).index(b"\xef\xac\x81")


def _event(**details: object) -> AuditEvent:
    return AuditEvent(
        id="01J0000000000000000000000A", time=1_700_000_000_000,
        actor=Actor(id="acct1"), action="document.view",
        resource=Resource(type="document", id="doc1"), outcome=Outcome.ALLOWED,
        service="evidence", hearing="h1", details=details,  # type: ignore[arg-type]
    )


def test_entry_round_trip_and_record() -> None:
    event = _event(size=12, name="é")
    data = canonical_entry(event)
    assert data.startswith(b'{"action":"document.view","actor":{"id":"acct1"},"details":{"name":')
    assert parse_entry(data) == event
    rec = record_for(event)
    assert (rec.event_id, rec.hearing, rec.actor, rec.resource_id) == (event.id, "h1", "acct1", "doc1")


def test_entry_limits() -> None:
    with pytest.raises(EntryTooLargeError):
        canonical_entry(_event(**{f"k{i}": "x" * 4000 for i in range(17)}))
    assert len(canonical_entry(_event(a="x" * 60000))) <= MAX_ENTRY_BYTES
    with pytest.raises(EntryError):
        canonical_entry(_event(x=float("nan")))
    with pytest.raises(EntryError):
        parse_entry(b'{"id": 1}')
