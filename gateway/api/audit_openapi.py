"""The OpenAPI facts of the audit routes: each query parameter's schema, text and example, and
the export request's rule. The schemas say exactly what the parsers in gateway/api/audit.py
accept, so a schema-valid request is never refused for its form."""

from __future__ import annotations

from typing import Any, Final

from proto.auditlog import ACTION_FILTER_PATTERN, MAX_PAGE
from proto.common import ID_PATTERN

MAX_PARAM: Final = 200


#: Query parameters: (description, example). Times are Unix ms or ISO 8601 with an offset.
_QUERY_TEXT: Final[dict[str, tuple[str, str]]] = {
    "hearing": ("only events of this hearing (its id)", "01JDA8Q3V6ZC4B1N9XK2M7R5TE"),
    "actor": ("only events by this actor (an account, participant or token id)",
              "01JDA8PZ4K2B7M1X9C3V5N8Q6R"),
    "action": ("only this action; ending in '.', every action with that prefix", "document."),
    "resource_type": ("only events on resources of this type", "document"),
    "resource_id": ("only events on the resource with this id (with resource_type)", "d_5kq2m8x1"),
    "time_from": ("events at or after this time (Unix ms, or ISO 8601 with an offset)",
                  "1764028800000"),
    "time_to": ("events before this time (exclusive; Unix ms, or ISO 8601 with an offset)",
                "1764115200000"),
    "cursor": ("the next_cursor of the previous page", "1234"),
    "limit": ("at most this many events (1 to 1000; default 100)", "100"),
    "index": ("a log entry's index", "42"),
    "size": ("the tree size to prove against (default: the latest checkpoint's)", "1000"),
    "from": ("the older tree size", "500"),
    "to": ("the newer tree size (default: the latest checkpoint's)", "1000"),
}


UINT: Final = {"type": "integer", "minimum": 0, "maximum": 2**53}
#: What each query parameter accepts, as the parsers above read it.
_QUERY_SCHEMAS: Final[dict[str, dict[str, Any]]] = {
    "hearing": {"type": "string", "pattern": ID_PATTERN},
    "actor": {"type": "string", "pattern": ID_PATTERN},
    "action": {"type": "string", "maxLength": 64, "pattern": ACTION_FILTER_PATTERN},
    "resource_type": {"type": "string", "pattern": r"^[a-z_]{1,32}$"},
    "resource_id": {"type": "string", "minLength": 1, "maxLength": MAX_PARAM},
    "time_from": UINT, "time_to": UINT,  # ISO 8601 with an offset is accepted too
    "cursor": {"type": "string", "pattern": r"^(0|[1-9][0-9]{0,15})$"},
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    "index": UINT, "size": UINT, "from": UINT, "to": UINT,
}


def query_params(*names: str, required: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    out = []
    for n in names:
        schema = _QUERY_SCHEMAS.get(n, {"type": "string", "maxLength": MAX_PARAM})
        description, example = _QUERY_TEXT[n]
        out.append({"name": n, "in": "query", "required": n in required,
                    "description": description, "schema": schema,
                    "example": int(example) if schema.get("type") == "integer" else example})
    return out


#: ExportRequest: a range (begin, end) or a filter, never both (plan_export's first rule).
RANGE_OR_FILTER: Final = {
    "description": "a range (begin, end) or a filter, not both",
    "not": {"allOf": [
        {"required": ["filter"], "properties": {"filter": {"type": "object"}}},
        {"anyOf": [{"required": ["begin"], "properties": {"begin": {"type": "number"}}},
                   {"required": ["end"], "properties": {"end": {"type": "number"}}}]},
    ]},
}
