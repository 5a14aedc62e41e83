"""Room chat history: what is kept, for whom, for how long, and how fast one may write. Pure.

Why the server keeps room chat at all: a participant whose connection drops (a train tunnel, a
laptop lid) comes back to the same room within the grace period (DESIGN §5) and must see what
was said meanwhile, or it answers questions it never read. So each room keeps a short history,
and nothing more:

* Per room, the last `MAX_CHAT_HISTORY` lines (oldest dropped first). No line is ever shown to
  someone who was not in the room when it was said: a participant is given the lines said
  since it entered its current room (`Participant.entered_at`) and those said during its
  earlier stays there (`Participant.visits`), so a person moved into a caucus never reads what
  was said there before, and one who comes back to plenary from a caucus reads plenary's lines
  from before it left, but none said while it was away. Chat never follows anyone out of a
  room: the client asks for its room's history when it arrives (`ChatRecall`).
* Lifetime: a caucus's history is purged (every stored revision, not only the latest) when the
  caucus closes; every room's history is purged when the hearing ends. Nothing said in a caucus
  outlives the hearing. Chat is not evidence: it is never audited, exported nor shared with
  the documents.
* Flood control: at most `FLOOD_MAX` lines per sender per `FLOOD_WINDOW_MS` in one room, judged
  on the stored history itself (so it holds across signalling processes); a refused line is a
  typed `rate_limited` error (reason `chat_flood`, with the seconds to wait), never silently
  dropped. A line over `MAX_CHAT` characters is `too_large` (reason `chat_too_long`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import msgspec

from proto.ws import MAX_CHAT, MAX_CHAT_HISTORY, ChatLine

from .errors import RateLimited, TooLarge
from .model import Participant

FLOOD_WINDOW_MS = 10_000
FLOOD_MAX = 10
KEY_PREFIX = "chat."


class ChatLog(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One room's stored history, oldest first."""

    lines: Annotated[tuple[ChatLine, ...], msgspec.Meta(max_length=MAX_CHAT_HISTORY)] = ()


def chat_key(hearing: str, room: str) -> str:
    """KV key (bucket `parley_hearings`) of one room's history; ids are subject-safe."""
    return f"{KEY_PREFIX}{hearing}.{room}"


def hearing_prefix(hearing: str) -> str:
    return f"{KEY_PREFIX}{hearing}."


def check_length(text: str) -> None:
    if len(text) > MAX_CHAT:
        raise TooLarge(f"a chat message holds at most {MAX_CHAT} characters",
                       reason="chat_too_long")


def append(log: ChatLog, line: ChatLine) -> ChatLog:
    """The log with `line` added; raises `RateLimited` when its sender is flooding the room."""
    recent = [x.at for x in log.lines
              if x.sender == line.sender and line.at - x.at < FLOOD_WINDOW_MS]
    if len(recent) >= FLOOD_MAX:
        wait_ms = FLOOD_WINDOW_MS - (line.at - min(recent))
        raise RateLimited("too many chat messages; wait a moment", reason="chat_flood",
                          retry_after_s=max(1, (wait_ms + 999) // 1000))
    return ChatLog(lines=(*log.lines, line)[-MAX_CHAT_HISTORY:])


def said_to(log: ChatLog, entered_at: int,
            stays: Iterable[tuple[int, int]] = ()) -> list[ChatLine]:
    """The lines said strictly after `entered_at`, or strictly inside one of the earlier
    `stays` (entered, left) in this room. Strictly: a line in the same millisecond as an entry
    or a departure may have been said while the person was not there, so it is left out."""
    spans = tuple(stays)
    return [x for x in log.lines
            if x.at > entered_at or any(entered < x.at < left for entered, left in spans)]


def stays(person: Participant) -> list[tuple[int, int]]:
    """`person`'s earlier stays (entered, left) in the room it is in now."""
    return [(v.entered, v.left) for v in person.visits if v.room == person.room]


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(ChatLog)


def encode_log(log: ChatLog) -> bytes:
    return _encoder.encode(log)


def decode_log(raw: bytes) -> ChatLog:
    """Decode a stored log; an unreadable one counts as empty (history is a convenience)."""
    try:
        return _decoder.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return ChatLog()
