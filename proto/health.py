"""Health and readiness contracts (gateway `/healthz`, `/readyz`, service `health` endpoints)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Status = Literal["ok", "unavailable"]
Name = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{1,32}$")]


class Health(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    service: Name
    status: Status
    version: Annotated[str, msgspec.Meta(max_length=32)]
    detail: Annotated[str, msgspec.Meta(max_length=200)] = ""


class ComponentState(msgspec.Struct, frozen=True):
    name: Name
    status: Status
    detail: Annotated[str, msgspec.Meta(max_length=200)] = ""


class Readiness(msgspec.Struct, frozen=True):
    status: Status
    components: list[ComponentState]


class Liveness(msgspec.Struct, frozen=True):
    status: Status
