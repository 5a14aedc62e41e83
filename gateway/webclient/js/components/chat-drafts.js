// What a person writes stays in the room it was written in (DESIGN §5, the isolation
// invariant): the chat box's draft belongs to its room, kept in this page's memory only (never
// stored); a move empties the box for the new room and brings back that room's own draft. A
// message the person tried to send and could not (offline, or still waiting in the outbox
// when the room changed) is never sent anywhere else: they are told, with its text to copy.

// Pure: leaving room `from` (null: none) with `text` in the box, for room `to` (null: the
// waiting room, which has no chat). `tried`: the person pressed Send in `from` and it did not
// go. Returns the drafts by room (a new Map), what the box holds in `to`, and the text to say
// was not sent (null: none).
export function moveDraft(drafts, { from, to, text, tried = false }) {
  const next = new Map(drafts);
  const kept = text.trim() ? text : "";
  if (from) {
    if (kept) next.set(from, kept);
    else next.delete(from);
  }
  const box = to ? next.get(to) || "" : "";
  if (to) next.delete(to); // in the box now
  return { drafts: next, box, unsent: tried && from && kept ? kept : null };
}

// Pure: a message that left the box but never left the page (`room`: where it was written),
// now that the page is in `here` (null: between rooms or in the waiting room). Still there:
// back in the box, before anything typed since. Elsewhere: kept as that room's draft if it has
// none, and said as not sent.
export function lostMessage(drafts, { room, here, text, box }) {
  if (room === here) {
    return { drafts, box: box.trim() ? `${text}\n${box}` : text, unsent: null };
  }
  const next = new Map(drafts);
  if (!next.get(room)) next.set(room, text);
  return { drafts: next, box, unsent: text };
}
