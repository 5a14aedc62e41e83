from __future__ import annotations

import msgspec
import pytest

from parley.ids import new_ulid
from proto.audit import AuditEvent
from proto.common import ID_PATTERN
from proto.errors import HTTP_STATUS, MICRO_CODE, Error, ErrorCode
from proto.principal import Principal, PrincipalKind, decode_principal, encode_principal


def test_ulids_sort_by_time_and_are_unique() -> None:
    a, b = new_ulid(1_000), new_ulid(2_000)
    assert a < b and len(a) == 26
    assert len({new_ulid() for _ in range(1000)}) == 1000


def test_every_error_code_maps_to_a_status() -> None:
    assert set(HTTP_STATUS) == set(ErrorCode) == set(MICRO_CODE)


def test_principal_round_trip_and_rejects_bad_ids() -> None:
    p = Principal(kind=PrincipalKind.PARTICIPANT, id="p1", hearing="h1", side="s1")
    assert decode_principal(encode_principal(p)) == p
    with pytest.raises(msgspec.ValidationError):
        decode_principal('{"kind":"account","id":"a.b>"}')  # subject wildcards are not ids
    with pytest.raises(msgspec.ValidationError):
        decode_principal('{"kind":"account","id":"a","admin":true}')


def test_audit_event_bounds() -> None:
    good = {"id": "01", "time": 1, "actor": {"id": "a"}, "action": "auth.signin",
            "resource": {"type": "account", "id": "a"}, "outcome": "allowed", "service": "gateway"}
    msgspec.convert(good, AuditEvent)
    with pytest.raises(msgspec.ValidationError, match="action"):
        msgspec.convert({**good, "action": "steal.everything"}, AuditEvent)
    with pytest.raises(msgspec.ValidationError, match="details"):
        msgspec.convert({**good, "details": {str(i): i for i in range(40)}}, AuditEvent)
    assert "." not in ID_PATTERN.replace(r"\.", "")  # ids never contain subject separators


def test_error_envelope_omits_absent_retry() -> None:
    assert msgspec.json.encode(Error(code=ErrorCode.INVALID, message="x")) == b'{"code":"invalid","message":"x"}'
