"""The views of one hearing record, each computed at most once, and kept for the next command.

`presence(before, after)` compares what everyone saw before a change with what they see after
it: self views, room views, the board, the knock queue. Computed from scratch, every command
derived all of it twice, and the "before" half was exactly the "after" half of the command
before it (the executor's `before` is the record the last command stored, the same object).
The board also rebuilt every room view the room loop had just built.

A record is immutable (model.py), so a view of it never goes stale: `derived(h)` keys its memo
by the record object itself and hands back the same `Derived` only for that very object. A new
record (any change, however small, is a new object) gets fresh views, computed lazily. One memo
per hearing id is kept (the latest record asked for), so the cache is bounded by the hearings
this process has worked on, and a command's `after` becomes the next command's `before` hit.
Same inputs, same outputs: the core stays pure; the memo only saves work.

What it keeps costs memory for every hearing this process has worked on (about 4 KiB for a
hearing of ten: 0.4 KiB a participant). The peer map (`model.peer_map`) is not kept: a set of
peers for every participant is cheap to build and costs more to keep (7.5 KiB for ten) than all
the views together.
"""

from __future__ import annotations

from proto.ws import Board, KnockView, RoomView, SelfView

from .model import Hearing
from .view import board, knocks, room_view, self_view


class Derived:
    """Lazily computed views of one immutable hearing record."""

    __slots__ = ("_board", "_knocks", "_rooms", "_selves", "h")

    def __init__(self, h: Hearing) -> None:
        self.h = h
        self._selves: dict[str, SelfView] = {}
        self._rooms: dict[str, RoomView] = {}
        self._board: Board | None = None
        self._knocks: list[KnockView] | None = None

    def self_view(self, pid: str) -> SelfView:
        view = self._selves.get(pid)
        if view is None:
            view = self._selves[pid] = self_view(self.h, self.h.participants[pid])
        return view

    def room_view(self, rid: str) -> RoomView:
        view = self._rooms.get(rid)
        if view is None:
            view = self._rooms[rid] = room_view(self.h, rid)
        return view

    def board(self) -> Board:
        """view.board(h), built from the same room views."""
        if self._board is None:
            self._board = board(self.h, self.room_view)
        return self._board

    def knocks(self) -> list[KnockView]:
        if self._knocks is None:
            self._knocks = knocks(self.h)
        return self._knocks


_latest: dict[str, Derived] = {}


def derived(h: Hearing) -> Derived:
    """The views of `h`: the memo's when it holds this very record, else fresh (and memoised)."""
    known = _latest.get(h.id)
    if known is not None and known.h is h:
        return known
    fresh = _latest[h.id] = Derived(h)
    return fresh


def forget(hearing_id: str) -> None:
    """Drop a hearing's memo (it was deleted; nothing would ask for its views again)."""
    _latest.pop(hearing_id, None)
