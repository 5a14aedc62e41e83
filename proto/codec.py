"""JSON decoding of contracts whose every failure is one typed error.

msgspec reports most bad input as `msgspec.DecodeError` (its `ValidationError` is a subclass),
but a string that is not valid UTF-8 inside otherwise well-formed JSON surfaces as the built-in
`UnicodeDecodeError` (and a `str` holding a lone surrogate as `UnicodeEncodeError`). Callers
that catch only msgspec's errors then let a stranger's bytes escape as a 500 or an "unhandled
error". Every decoder of untrusted bytes (REST bodies, WebSocket frames, NATS payloads and
headers, KV values) goes through here, so the only errors left are `msgspec.DecodeError` and
its subclass `msgspec.ValidationError`.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

T = TypeVar("T")

class JsonDecoder(Generic[T]):
    """`msgspec.json.Decoder(type)` with text-encoding failures reported as `DecodeError`."""

    def __init__(self, type_: Any) -> None:
        self._decoder: msgspec.json.Decoder[T] = msgspec.json.Decoder(type_)

    def decode(self, raw: bytes | str) -> T:
        try:
            return self._decoder.decode(raw)
        except UnicodeError:
            raise msgspec.DecodeError("JSON is malformed: a string is not valid UTF-8") from None


def decode_json(raw: bytes | str, type_: type[T]) -> T:
    """One-off form of `JsonDecoder(type_).decode(raw)`."""
    try:
        return msgspec.json.decode(raw, type=type_)
    except UnicodeError:
        raise msgspec.DecodeError("JSON is malformed: a string is not valid UTF-8") from None
