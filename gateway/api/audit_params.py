"""The audit routes' query parameters (DESIGN §7): each at most once, only the names a route
takes, bounded in length, numbers canonical, times as Unix ms or ISO 8601 with an offset; then
converted to the contract type, which validates again. Every refusal is a ServiceFailure
(INVALID, 400 JSON) with a sentence naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import msgspec
from aiohttp import web

from gateway.api.audit_openapi import MAX_PARAM
from parley.errors import ServiceFailure
from proto.auditlog import EventQuery, PeopleQuery
from proto.errors import ErrorCode

_INT_RE: Final = re.compile(r"^(0|[1-9][0-9]{0,15})$")


def query_parameters(request: web.Request, allowed: tuple[str, ...],
            longer: Mapping[str, int] | None = None) -> dict[str, str]:
    """The query parameters, each at most once, only the allowed names, bounded in length
    (MAX_PARAM, or what `longer` allows a parameter)."""
    out: dict[str, str] = {}
    for name, value in request.query.items():
        if name not in allowed:
            raise ServiceFailure(ErrorCode.INVALID, f"unknown query parameter {name[:40]!r}")
        if name in out:
            raise ServiceFailure(ErrorCode.INVALID, f"query parameter {name!r} given twice")
        if len(value) > (longer or {}).get(name, MAX_PARAM):
            raise ServiceFailure(ErrorCode.INVALID, f"query parameter {name!r} is too long")
        out[name] = value
    return out


def integer(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not _INT_RE.fullmatch(raw) or int(raw) > 2**53:
        raise ServiceFailure(ErrorCode.INVALID, f"{name} must be a non-negative integer")
    return int(raw)


def _time(params: Mapping[str, str], name: str) -> int | None:
    """Unix milliseconds, or an ISO 8601 time with a UTC offset."""
    raw = params.get(name)
    if raw is None or _INT_RE.fullmatch(raw):
        return integer(params, name)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ServiceFailure(ErrorCode.INVALID, f"{name} must be Unix ms or ISO 8601") from None
    if moment.tzinfo is None:
        raise ServiceFailure(ErrorCode.INVALID, f"{name} needs a UTC offset (e.g. Z)")
    ms = int(moment.timestamp() * 1000)
    if not 0 <= ms <= 2**53:
        raise ServiceFailure(ErrorCode.INVALID, f"{name} is out of range")
    return ms


def convert(value: dict[str, Any], kind: type[Any]) -> Any:
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as exc:
        raise ServiceFailure(ErrorCode.INVALID, str(exc)) from None


#: The query parameters of `GET /api/v1/audit/events`: EventQuery's own field names.
EVENT_PARAMETERS: Final = ("hearing", "actor", "person", "with_invitations", "action",
                           "resource_type", "resource_id", "outcome", "time_from", "time_to",
                           "order", "cursor", "limit")
_BOOLEAN: Final = {"true": True, "false": False}


def event_query(params: Mapping[str, str]) -> EventQuery:
    """The query parameters (named as EventQuery's fields) → EventQuery, strictly checked."""
    fields: dict[str, Any] = {k: params[k] for k in ("hearing", "actor", "person", "action",
                                                     "resource_type", "resource_id", "outcome",
                                                     "order", "cursor") if k in params}
    for name in ("time_from", "time_to"):
        value = _time(params, name)
        if value is not None:
            fields[name] = value
    limit = integer(params, "limit")
    if limit is not None:
        fields["limit"] = limit
    if "with_invitations" in params:
        if params["with_invitations"] not in _BOOLEAN:
            raise ServiceFailure(ErrorCode.INVALID, "with_invitations must be true or false")
        fields["with_invitations"] = _BOOLEAN[params["with_invitations"]]
    query: EventQuery = convert(fields, EventQuery)
    if query.time_from is not None and query.time_to is not None and query.time_from > query.time_to:
        raise ServiceFailure(ErrorCode.INVALID, "time_from is after time_to")
    return query


#: The query parameters of `GET /api/v1/audit/names`: PeopleQuery's own field names.
NAME_PARAMETERS: Final = ("name", "hearing", "kind", "id", "limit", "cursor")


def people_query(params: Mapping[str, str]) -> PeopleQuery:
    """The query parameters (named as PeopleQuery's fields) → PeopleQuery, strictly checked."""
    fields: dict[str, Any] = {k: params[k] for k in ("name", "hearing", "kind", "id", "cursor")
                              if k in params}
    limit = integer(params, "limit")
    if limit is not None:
        fields["limit"] = limit
    query: PeopleQuery = convert(fields, PeopleQuery)
    return query
