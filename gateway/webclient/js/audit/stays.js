// A person's rooms as stays (pure: no DOM, no words): the one rule the hearing's timeline
// (audit/timeline.js `lanes` gives each lane its stays) and a person's report both read.
//
// The timeline's fold draws a person only while connected, so a page reload or a dropped
// network splits their time in a room into segments that end and start again a moment later:
// read as a list, one caucus three times in a row, with nothing to say why; drawn, a bar broken
// in pieces. A stay joins the segments of one room that follow each other with less than
// RECONNECT_GAP_MS between them (no move can come in between: a move changes the room) and
// keeps each gap it joined (the time the reconnection took); a longer absence is a stay of
// its own.

export const RECONNECT_GAP_MS = 60_000;

/** `segments` ({room, start, end}, in time order, as a lane holds them) as stays:
 *  [{room, start, end, reconnects, away, gaps}], `gaps` the reconnections' [{start, end}] and
 *  `away` the milliseconds they took. */
export function stays(segments, gap = RECONNECT_GAP_MS) {
  const out = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    const between = last ? s.start - last.end : Infinity;
    if (last && last.room === s.room && between >= 0 && between < gap) {
      if (between > 0) last.gaps.push({ start: last.end, end: s.start });
      last.end = Math.max(last.end, s.end);
      last.reconnects += 1;
      last.away += between;
    } else {
      out.push({ room: s.room, start: s.start, end: s.end, reconnects: 0, away: 0, gaps: [] });
    }
  }
  return out;
}
