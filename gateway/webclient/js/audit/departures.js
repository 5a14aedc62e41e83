// Why a connection closed in no room (pure: no DOM, no words).
//
// Removing a participant, or not admitting one waiting in the lobby, takes them out of every
// room first and then closes their pages (services/signalling/core.py `_remove`,
// core_controls.py `deny`): the entry of the closed connection that follows names no room
// (connections.py `disconnect`). Read alone it says "disconnected, from no room"; beside the
// removal or denial that caused it, it says what happened: "removed from the lobby". The
// removal names where they were (`details.from`); a denial is always of someone in the lobby.

const ENDS = new Set(['participant.remove', 'participant.deny']);

const subject = (event) => (event?.resource?.type === 'participant' && event.outcome === 'allowed'
  ? `${event.hearing ?? ''}:${event.resource.id}` : null);

/** index → the removal or denial (an event) that closed the connection each room-less
 *  `participant.disconnect` among `rows` ({index, event}, in any order) records: the latest
 *  of that person's in the rows before it, with no connection of theirs in between. */
export function departures(rows) {
  const cause = new Map(); // person → the removal or denial not followed by a connection
  const out = new Map();
  for (const { index, event } of [...rows].sort((a, b) => a.index - b.index)) {
    const who = subject(event);
    if (!who) continue;
    if (ENDS.has(event.action)) cause.set(who, event);
    else if (event.action === 'participant.connect') cause.delete(who);
    else if (event.action === 'participant.disconnect' && !event.details?.room && cause.has(who)) out.set(index, cause.get(who));
  }
  return out;
}
