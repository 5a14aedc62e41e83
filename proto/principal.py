"""The signed-in identity the gateway forwards to services in the `Parley-Principal` header."""

from __future__ import annotations

from enum import StrEnum

import msgspec

from proto.codec import JsonDecoder
from proto.common import Id, Role

PRINCIPAL_HEADER = "Parley-Principal"
REQUEST_ID_HEADER = "Parley-Request-Id"


class PrincipalKind(StrEnum):
    ACCOUNT = "account"  # staff: admin, mediator, auditor
    PARTICIPANT = "participant"  # a person in one hearing, signed in through an invitation
    SYSTEM = "system"  # a Parley process acting on its own (supervisor, sweeper)


class Principal(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Who is acting. `hearing` and `side` are set for participants (side: party and counsel)."""

    kind: PrincipalKind
    id: Id
    role: Role | None = None
    hearing: Id | None = None
    side: Id | None = None
    session: Id | None = None  # the session or token id (never the secret itself)


_encoder = msgspec.json.Encoder()
_decoder: JsonDecoder[Principal] = JsonDecoder(Principal)


def encode_principal(principal: Principal) -> str:
    return _encoder.encode(principal).decode()


def decode_principal(raw: str | bytes) -> Principal:
    """Decode a header value; raises `msgspec.ValidationError`/`DecodeError` on bad input."""
    return _decoder.decode(raw)
