// A hearing's life as its own entries tell it (pure: no DOM, no words). The signalling service
// records (services/signalling/core.py):
//   hearing.create  details {mediator, mediator_name, title, scheduled_at, time_zone}
//   hearing.details_change  details {scheduled_at, time_zone, previous_…} when it was moved
//                   (the start and its zone together; no start: the new date not fixed yet)
//   hearing.open    when the mediator opened it
//   hearing.close   details {destroy_documents}: it ended, and whether its documents went too
// and the evidence service `document.shred` (resource: the hearing) once it destroyed them.
// A hearing never opened ends from "scheduled" (services/signalling/model.py).

export const LIFE_ACTIONS = ['hearing.create', 'hearing.details_change', 'hearing.open', 'hearing.close', 'document.shred'];

const time = (value) => (Number.isSafeInteger(value) ? value : null);

/** hearing id → {created, by, scheduledAt, zone, opened, closed, destroy, shredded, state}
 *  from `events` of one hearing or many, in any order (allowed ones count; the first opening,
 *  the first end; the start the hearing was last moved to). `state` is 'scheduled', 'open' or 'closed', as the mediator's list says. */
export function hearingLife(events) {
  const out = new Map();
  const life = (id) => {
    if (!out.has(id)) {
      out.set(id, { created: null, by: null, scheduledAt: null, zone: null, opened: null, closed: null,
        destroy: false, shredded: null, state: 'scheduled' });
    }
    return out.get(id);
  };
  for (const e of [...events].sort((a, b) => a.time - b.time)) {
    if (!LIFE_ACTIONS.includes(e.action) || e.outcome !== 'allowed') continue;
    const id = e.hearing ?? e.resource?.id;
    if (!id) continue;
    const it = life(id);
    const d = e.details ?? {};
    if (e.action === 'hearing.create' && it.created === null) {
      Object.assign(it, { created: e.time, by: e.actor ?? null, scheduledAt: time(d.scheduled_at),
        zone: typeof d.time_zone === 'string' && d.time_zone ? d.time_zone : null });
    } else if (e.action === 'hearing.details_change' && 'scheduled_at' in d) {
      Object.assign(it, { scheduledAt: time(d.scheduled_at),
        zone: typeof d.time_zone === 'string' && d.time_zone ? d.time_zone : null });
    } else if (e.action === 'hearing.open') {
      it.opened ??= e.time;
    } else if (e.action === 'hearing.close' && it.closed === null) {
      Object.assign(it, { closed: e.time, destroy: d.destroy_documents === true });
    } else if (e.action === 'document.shred') {
      it.shredded ??= e.time;
      it.destroy = true;
    }
  }
  for (const it of out.values()) it.state = it.closed !== null ? 'closed' : it.opened !== null ? 'open' : 'scheduled';
  return out;
}
