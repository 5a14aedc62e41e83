// What the page says of its caucus's timer beside the banner's countdown: one notice (kind
// "timer", components/notices.js) that stays true. The server says time is up (its notice comes
// before the room view without the deadline: services/signalling/core.py `apply`); the room
// view says the rest: a deadline given after time up is time added, and a deadline gone with
// no time up said is the limit removed. A timer set with nothing said before needs no notice:
// the banner's countdown appears.

// `before`, `after`: the room's deadline (Unix ms, or null) in the view before and in the new
// one, of the same room; `showing`: the timer notice showing now (null, "time_up",
// "time_added", "time_removed"). → null (nothing to change) or {say, count}: the notice to show
// in place of the one showing (`say` null: none).
export function timerNews({ before = null, after = null, showing = null, now }) {
  if (before === after) return null;
  if (after) {
    if (showing === "time_up") return { say: "time_added", count: Math.max(1, Math.round((after - now) / 60000)) };
    return showing ? { say: null, count: 0 } : null; // an earlier word of it no longer holds
  }
  // Time up was said of this deadline (its notice came first): that is why it went.
  return showing === "time_up" ? null : { say: "time_removed", count: 0 };
}
