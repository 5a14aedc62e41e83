"""May this offer, answer or ICE candidate be relayed? (DESIGN §5, isolation invariant)

Only between two distinct, live participants of the same hearing who are in the same plenary or
caucus room *now*, only from the sender's current page (a page a newer one took over is no
longer it: connections.py) and, for the mediator, from the console holding its media (and only
to that console: `target_conns`), and only when the message carries that room's current epoch.
Anything else is dropped and the reason counted; the sender is not told why (a tampered client
learns nothing about where the other person is).
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from proto.ws import SignalRelay, SignalSend

from .connections import media_holder
from .model import LOBBY, Hearing, is_live


class DropReason(StrEnum):
    UNKNOWN_SENDER = "unknown_sender"
    UNKNOWN_TARGET = "unknown_target"
    SELF = "self"
    SENDER_OFFLINE = "sender_offline"
    STALE_CONNECTION = "stale_connection"
    #: From a socket of the mediator's whose console does not hold its media (connections.py).
    MEDIA_ELSEWHERE = "media_elsewhere"
    TARGET_OFFLINE = "target_offline"
    LOBBY = "lobby"
    OTHER_ROOM = "other_room"
    STALE_EPOCH = "stale_epoch"
    MALFORMED = "malformed"


def decide(h: Hearing, sender: str, msg: SignalSend,
           conn: str | None = None) -> SignalRelay | DropReason:
    """The message to deliver to `msg.to`, or why it must be dropped; `conn`: the sending
    socket, if known."""
    p = h.participants.get(sender)
    if p is None:
        return DropReason.UNKNOWN_SENDER
    q = h.participants.get(msg.to)
    if q is None:
        return DropReason.UNKNOWN_TARGET
    if p.id == q.id:
        return DropReason.SELF
    if not is_live(h, p):
        return DropReason.SENDER_OFFLINE
    if conn is not None and conn not in p.conns:
        return DropReason.STALE_CONNECTION
    if conn is not None and media_holder(p) not in (None, conn):
        return DropReason.MEDIA_ELSEWHERE
    if p.room is None or p.room == LOBBY:
        return DropReason.LOBBY
    if q.room != p.room:
        return DropReason.OTHER_ROOM
    if not is_live(h, q):
        return DropReason.TARGET_OFFLINE
    if msg.epoch != h.rooms[p.room].epoch:
        return DropReason.STALE_EPOCH
    has_sdp, has_cand = msg.sdp is not None, msg.candidate is not None
    if has_sdp == has_cand or has_sdp != (msg.kind != "candidate"):
        return DropReason.MALFORMED
    return SignalRelay(sender=p.id, room=p.room, epoch=msg.epoch, kind=msg.kind, sdp=msg.sdp,
                       candidate=msg.candidate, sdp_mid=msg.sdp_mid,
                       sdp_mline_index=msg.sdp_mline_index)


def target_conns(h: Hearing, to: str) -> tuple[str, ...]:
    """The sockets of `to` a relayed signal goes to: its media holder's alone (the mediator's
    claimed console: connections.py), or every one (empty)."""
    q = h.participants.get(to)
    holder = media_holder(q) if q is not None else None
    return () if holder is None else (holder,)


class RelayCounters:
    """Counts of relayed and dropped signals by reason (exported as metrics by the shell)."""

    def __init__(self) -> None:
        self.relayed = 0
        self.dropped: Counter[DropReason] = Counter()

    def snapshot(self) -> dict[str, int]:
        """Counters for `$SRV.STATS` (the `signal` endpoint's data): relayed, dropped_<reason>."""
        counts = {"relayed": self.relayed}
        counts.update({f"dropped_{reason.value}": n for reason, n in self.dropped.items()})
        return counts

    def decide(self, h: Hearing, sender: str, msg: SignalSend,
               conn: str | None = None) -> SignalRelay | None:
        result = decide(h, sender, msg, conn)
        if isinstance(result, DropReason):
            self.dropped[result] += 1
            return None
        self.relayed += 1
        return result
