// A hearing's life as its own entries tell it (pure: no DOM, no words). The signalling service
// records (services/signalling/core.py):
//   hearing.create  details {mediator, mediator_name, title, scheduled_at, time_zone}
//   hearing.details_change  details {scheduled_at, time_zone, previous_…} when it was moved
//                   (the start and its zone together; no start: the new date not fixed yet)
//   hearing.open    when the mediator opened it
//   hearing.close   details {destroy_documents}: it ended, and whether its documents went too
// and the evidence service `document.shred` (resource: the hearing) once it destroyed them.
// A hearing never opened ends from "scheduled" (services/signalling/model.py).
// `detailsHistory` reads the same entries for what its details were from when: its title and
// start (with its zone) as created, then after each change of them, by whom.

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

const text = (value) => (typeof value === 'string' && value ? value : null);

/** One hearing's details over time (`events` of that hearing, any order; allowed ones count):
 *  [{time, by, created, title, scheduledAt, zone, changed: {title, start, zone}, was}], its
 *  creation and then each change, each with the details as they stood after it (a change of
 *  the start alone keeps the title, and the other way round), `changed` saying what that entry
 *  really changed and `was` the details before it. The start and its zone are recorded
 *  together whenever either changed (a time is read in its zone), so each is compared with its
 *  previous value: the start changed when the instant moved, the zone when its name did; a zone
 *  changed alone moved nothing (the same instant, read in another zone's clock). */
export function detailsHistory(events) {
  const out = [];
  let now = null;
  for (const e of [...events].sort((a, b) => a.time - b.time)) {
    if (e.outcome !== 'allowed') continue;
    const d = e.details ?? {};
    if (e.action === 'hearing.create' && !out.some((x) => x.created)) {
      now = { title: text(d.title), scheduledAt: time(d.scheduled_at), zone: text(d.time_zone) };
      out.push({ time: e.time, by: e.actor ?? null, created: true, ...now, changed: { title: false, start: false, zone: false }, was: null });
    } else if (e.action === 'hearing.details_change') {
      // What it was: the entry's own "previous_…" where it records them, else as read so far.
      const read = now ?? { title: null, scheduledAt: null, zone: null };
      const was = {
        title: 'previous_title' in d ? text(d.previous_title) : read.title,
        scheduledAt: 'previous_scheduled_at' in d ? time(d.previous_scheduled_at) : read.scheduledAt,
        zone: 'previous_time_zone' in d ? text(d.previous_time_zone) : read.zone,
      };
      const retitled = typeof d.title === 'string';
      const moved = 'scheduled_at' in d;
      now = { title: retitled ? d.title : read.title, scheduledAt: moved ? time(d.scheduled_at) : read.scheduledAt,
        zone: moved ? text(d.time_zone) : read.zone };
      out.push({ time: e.time, by: e.actor ?? null, created: false, ...now, was,
        changed: { title: retitled && d.title !== was.title, start: moved && now.scheduledAt !== was.scheduledAt,
          zone: moved && now.zone !== was.zone } });
    }
  }
  return out;
}

/** Whether a change (`detailsHistory`'s item) changed the zone the start is read in and not the
 *  start itself: both known before and after, the same instant. */
export function zoneOnly(item) {
  return Boolean(item.changed?.zone && !item.changed.start && item.was?.zone && item.zone && item.scheduledAt !== null);
}

/** The hearing's time zone over time (`detailsHistory`'s items, in order): [{since, zone}], the
 *  zone it was created in, then each other zone it was given, from the entry that gave it (a
 *  change of the title, or of the start in the same zone, gives none; a start unset with no
 *  zone keeps the zone in force). */
export function zoneSteps(history) {
  const steps = [];
  for (const item of history) {
    if (!item.zone || steps.at(-1)?.zone === item.zone) continue;
    steps.push({ since: item.time, zone: item.zone });
  }
  return steps;
}

/** The zone in force at `ms` (`zoneSteps`): the last given at or before it; before the first
 *  (an entry older than the creation's), the first; null when the log records none. */
export function zoneAt(steps, ms) {
  let zone = steps[0]?.zone ?? null;
  for (const step of steps) if (step.since <= ms) zone = step.zone;
  return zone;
}

/** The hearing's title over time (`detailsHistory`'s items, in order): [{since, title}], the
 *  title it was created with, then each other title it was given, from the entry that gave it
 *  (a change of the start alone gives none). */
export function titleSteps(history) {
  const steps = [];
  for (const item of history) {
    if (!item.title || steps.at(-1)?.title === item.title) continue;
    steps.push({ since: item.time, title: item.title });
  }
  return steps;
}

/** The title in force at `ms` (`titleSteps`), as zoneAt reads zones: the last given at or
 *  before it; before the first, the first; null when the log records none. */
export function titleAt(steps, ms) {
  let title = steps[0]?.title ?? null;
  for (const step of steps) if (step.since <= ms) title = step.title;
  return title;
}
