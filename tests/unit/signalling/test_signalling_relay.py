"""Signals are relayed only within one room at its current epoch; the rest are counted drops."""

from __future__ import annotations

from sighelp import standard

from proto.ws import CaucusCreate, Move, SignalKind, SignalRelay, SignalSend
from services.signalling.effects import Reply
from services.signalling.model import LOBBY, PLENARY
from services.signalling.relay import DropReason, RelayCounters, decide


def offer(to: str, epoch: int) -> SignalSend:
    return SignalSend(to=to, epoch=epoch, kind=SignalKind.OFFER, sdp="v=0\r\n")


def test_same_room_current_epoch_is_relayed() -> None:
    w, ids = standard()
    epoch = w.h.rooms[PLENARY].epoch
    out = decide(w.h, ids["a1"], offer(ids["b1"], epoch))
    assert isinstance(out, SignalRelay)
    assert out.sender == ids["a1"] and out.room == PLENARY and out.epoch == epoch
    cand = SignalSend(to=ids["b1"], epoch=epoch, kind=SignalKind.CANDIDATE, candidate="",
                      sdp_mid="0", sdp_mline_index=0)
    assert isinstance(decide(w.h, ids["a1"], cand), SignalRelay)


def test_drops_and_counts() -> None:
    w, ids = standard()
    old = w.h.rooms[PLENARY].epoch
    room = next(e.value.room for e in w.do("med", CaucusCreate(name="B"))  # type: ignore[attr-defined]
                if isinstance(e, Reply))
    w.do("med", Move(participant=ids["b1"], room=room))
    w.do("med", Move(participant=ids["a2"], room=LOBBY))
    now = w.h.rooms[PLENARY].epoch
    assert now > old
    counters = RelayCounters()
    cases = {
        DropReason.STALE_EPOCH: (ids["a1"], offer(ids["b2"], old)),
        DropReason.OTHER_ROOM: (ids["a1"], offer(ids["b1"], w.h.rooms[room].epoch)),
        DropReason.LOBBY: (ids["a2"], offer(ids["a1"], now)),
        DropReason.SELF: (ids["a1"], offer(ids["a1"], now)),
        DropReason.UNKNOWN_TARGET: (ids["a1"], offer("ghost", now)),
        DropReason.UNKNOWN_SENDER: ("ghost", offer(ids["a1"], now)),
        DropReason.MALFORMED: (ids["a1"], SignalSend(to=ids["b2"], epoch=now,
                                                     kind=SignalKind.ANSWER)),
    }
    for reason, (sender, msg) in cases.items():
        assert decide(w.h, sender, msg) is reason
        assert counters.decide(w.h, sender, msg) is None
    assert counters.dropped == dict.fromkeys(cases, 1)
    assert counters.decide(w.h, ids["a1"], offer(ids["b2"], now)) is not None
    assert counters.relayed == 1


def test_offline_peers() -> None:
    w, ids = standard()
    w.disconnect(ids["b2"])
    epoch = w.h.rooms[PLENARY].epoch
    assert decide(w.h, ids["a1"], offer(ids["b2"], epoch)) is DropReason.TARGET_OFFLINE
    assert decide(w.h, ids["b2"], offer(ids["a1"], epoch)) is DropReason.SENDER_OFFLINE
