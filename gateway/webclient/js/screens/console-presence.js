// Who the console says is offline, by the participant's page's rule (components/presence.js):
// a party whose connection drops for a few seconds (a network change, a reload) is shown as
// reconnecting on their board card and as connecting in "who can hear you" (never as hearing
// the mediator), and said offline only once OFFLINE_GRACE_MS has run out. Someone already
// offline when the console first sees them is said offline at once.

import { offlineSince, shownPresence } from "../components/presence.js";

const sooner = (a, b) => (a === null ? b : b === null ? a : Math.min(a, b));

// Pure: the people of `rooms` as presence.js tracks them ({id, connected}).
export const boardPeople = (rooms) => rooms.flatMap((r) => (r.members || []).map((m) => ({ id: m.id, connected: m.connected })));

// Pure: the BoardView as the console says it at `now` (each room's members as shownPresence
// says them) and when that next changes (null: nothing pending).
export function shownBoard(board, since, now) {
  let recheckAt = null;
  const rooms = board.rooms.map((room) => {
    const shown = shownPresence(null, room, since, now);
    recheckAt = sooner(recheckAt, shown.recheckAt);
    return shown.room;
  });
  return { board: { ...board, rooms }, recheckAt };
}

// Pure: `since` with each drop both records saw (a time on each) counted from the earlier.
// A record's -Infinity (offline when first seen) is its own: the other does not take it up.
export function sameDrop(since, other) {
  const next = new Map(since);
  for (const [id, at] of since) {
    const theirs = other.get(id);
    if (Number.isFinite(at) && Number.isFinite(theirs) && theirs < at) next.set(id, theirs);
  }
  return next;
}

// The board and the mediator's room view come as separate messages: each keeps its own record
// of who went offline when, so neither says offline on the other's word before the grace. Once
// both say someone dropped, both count from the earlier of the two moments, so the card and
// "who can hear you" say offline in the same drawing (they were tens of milliseconds apart).
// `redraw` runs when a grace runs out.
export class ConsolePresence {
  constructor(redraw) {
    this.redraw = redraw;
    this.seen = { board: null, room: null }; // the views last followed
    this.since = { board: new Map(), room: new Map() };
    this.timer = null;
    this.due = null;
  }

  // A view not followed yet (each message from the server is a new object): who went offline when.
  follow(kind, view, people, now) {
    if (view === this.seen[kind]) return;
    this.seen[kind] = view;
    const next = offlineSince(this.since[kind], people, now);
    this.since[kind] = sameDrop(next, this.since[kind === "board" ? "room" : "board"]);
  }

  // The BoardView as the console says it now.
  board(board, now = Date.now()) {
    this.follow("board", board, boardPeople(board.rooms), now);
    const shown = shownBoard(board, this.since.board, now);
    this.recheck(shown.recheckAt, now);
    return shown.board;
  }

  // The mediator's RoomView (or null) as the console says it now.
  room(room, now = Date.now()) {
    this.follow("room", room, room ? boardPeople([room]) : [], now);
    if (!room) return room;
    const shown = shownPresence(null, room, this.since.room, now);
    this.recheck(shown.recheckAt, now);
    return shown.room;
  }

  // Drawn again just after the soonest grace runs out.
  recheck(at, now) {
    if (at === null || (this.due !== null && this.due <= at && this.due > now)) return;
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(() => { this.due = null; this.redraw(); }, Math.max(0, at - now) + 20);
  }

  stop() {
    clearTimeout(this.timer);
    this.redraw = () => {};
  }
}
