"""The OpenAPI facts of the audit routes: each query parameter's schema, text and example, and
the export request's rule. The schemas say exactly what the parsers in gateway/api/audit.py
accept, so a schema-valid request is never refused for its form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from gateway.openapi.examples import QUERY
from proto.auditlog import ACTION_FILTER_PATTERN, MAX_NAME_CURSOR, MAX_NAMES_PAGE_BYTES, MAX_PAGE
from proto.common import ID_PATTERN

MAX_PARAM: Final = 200


UINT: Final = {"type": "integer", "minimum": 0, "maximum": 2**53}
#: What each query parameter accepts, as the parsers above read it.
_QUERY_SCHEMAS: Final[dict[str, dict[str, Any]]] = {
    "hearing": {"type": "string", "pattern": ID_PATTERN},
    "actor": {"type": "string", "pattern": ID_PATTERN},
    "id": {"type": "string", "pattern": ID_PATTERN},
    "action": {"type": "string", "maxLength": 64, "pattern": ACTION_FILTER_PATTERN},
    "resource_type": {"type": "string", "pattern": r"^[a-z_]{1,32}$"},
    "resource_id": {"type": "string", "minLength": 1, "maxLength": MAX_PARAM},
    "time_from": UINT, "time_to": UINT,  # ISO 8601 with an offset is accepted too
    "cursor": {"type": "string", "pattern": r"^(0|[1-9][0-9]{0,15})$"},
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    "outcome": {"type": "string", "enum": ["allowed", "denied", "failed"]},
    "order": {"type": "string", "enum": ["asc", "desc"]},
    "with_invitations": {"type": "string", "enum": ["true", "false"]},
    "person": {"type": "string", "minLength": 2, "maxLength": 100},  # EventQuery.person
    "kind": {"type": "string", "enum": ["person", "side", "hearing", "document", "room"]},
    "index": UINT, "size": UINT, "from": UINT, "to": UINT,
}


#: The names route's own facts where a parameter of that name means another thing elsewhere:
#: its cursor is the one a page of names gave (proto/auditlog.py NameCursor), its default limit 200.
NAME_QUERY: Final[dict[str, tuple[dict[str, Any], str, str]]] = {
    "cursor": ({"type": "string", "pattern": r"^[A-Za-z0-9_-]+$", "maxLength": MAX_NAME_CURSOR},
               "the next_cursor of the previous page of names",
               "WyJBbmEgQ2hlbiIsInBlcnNvbiIsIjAxSkRBOFBaNEsyQjdNMVg5QzNWNU44UTZSIiwiMDFKREE4UTNWNlpDNEIx"
               "TjlYSzJNN1I1VEUiXQ"),
    "limit": ({"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
              "at most this many names (1 to 1000; default 200); a page holds fewer when the"
              f" names are long (at most {MAX_NAMES_PAGE_BYTES // 1024} KiB of them encoded, to cross the"
              " message bus): ask again with next_cursor while it is set", "200"),
}


def query_params(*names: str, required: tuple[str, ...] = (),
                 own: Mapping[str, tuple[dict[str, Any], str, str]] | None = None,
                 ) -> list[dict[str, Any]]:
    """Each parameter's schema, text and example (a route's `own` where it gives them)."""
    out = []
    for n in names:
        schema = _QUERY_SCHEMAS.get(n, {"type": "string", "maxLength": MAX_PARAM})
        description, example = QUERY[n]
        if own and n in own:
            schema, description, example = own[n]
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
